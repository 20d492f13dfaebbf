package bus

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Stream names and the subjects they hold: the public contract of DESIGN.md.
const (
	StreamParcels  = "TONGPEI_PARCELS"
	StreamDispatch = "TONGPEI_DISPATCH"
	StreamCarrier  = "TONGPEI_CARRIER"
	StreamDLQ      = "TONGPEI_DLQ"
	StreamNotify   = "TONGPEI_NOTIFY"
)

// DedupWindow is how long JetStream remembers a Nats-Msg-Id. The relay may
// publish a row again after a crash or a lost ack; a day covers any restart
// or outage an operator would sit through, so a republish is never stored
// twice. Rows still unsent after a day are republished as new messages: the
// window must outlast the longest NATS outage you expect.
const DedupWindow = 24 * time.Hour

// streamConfigs are the four streams. Every option here exists in
// nats-server 2.9 (Debian's), so the same code works against the machine's
// server and the embedded 2.15; newer options (compression, metadata, TTLs)
// are left out on purpose.
func streamConfigs() []jetstream.StreamConfig {
	const month = 30 * 24 * time.Hour
	base := func(name, subjects, desc string, maxAge time.Duration) jetstream.StreamConfig {
		return jetstream.StreamConfig{
			Name:        name,
			Description: desc,
			Subjects:    []string{subjects},
			Retention:   jetstream.LimitsPolicy,
			Storage:     jetstream.FileStorage,
			Discard:     jetstream.DiscardOld,
			MaxAge:      maxAge,
			// 10 GiB per stream bounds the disk a long outage of a
			// carrier's consumer can take; the oldest are dropped first.
			MaxBytes:   10 << 30,
			MaxMsgSize: 1 << 20,
			Duplicates: DedupWindow,
			Replicas:   1,
		}
	}
	return []jetstream.StreamConfig{
		base(StreamParcels, FamilyParcel.All(), "accepted parcel events, per carrier", month),
		base(StreamDispatch, FamilyDispatch.All(), "dispatch jobs for carriers", month),
		base(StreamCarrier, FamilyCarrier.All(), "what carriers report to the county centre", month),
		base(StreamDLQ, FamilyDLQ.All(), "carrier messages that could not be applied, with the reason", 3*month),
		// Kept apart from the parcel stream, which holds exactly one
		// message per accepted scan; an SMS gateway reads these.
		base(StreamNotify, FamilyNotify.All(), "pickup codes for recipients, per station", month),
	}
}

// EnsureStreams creates the streams or brings their configuration up to
// date; it is safe to call on every start, from several processes at once.
// New streams get one replica; existing ones keep theirs (see
// EnsureStreamsReplicas), so a command run without the cluster's setting
// never scales an R3 stream down.
func EnsureStreams(ctx context.Context, js jetstream.JetStream) error {
	return EnsureStreamsReplicas(ctx, js, 0)
}

// MaxReplicas is JetStream's own limit on a stream's replicas.
const MaxReplicas = 5

// EnsureStreamsReplicas is EnsureStreams with each stream stored on replicas
// servers of a JetStream cluster (3 for a province: one node may fail with
// no loss and no pause beyond a leader election). 0 keeps what each stream
// has, and 1 for a new one. JetStream itself moves the data when the count
// changes; a single server refuses more than 1.
func EnsureStreamsReplicas(ctx context.Context, js jetstream.JetStream, replicas int) error {
	if replicas < 0 || replicas > MaxReplicas {
		return fmt.Errorf("JetStream stream replicas must be 0 to %d, not %d", MaxReplicas, replicas)
	}
	for _, cfg := range streamConfigs() {
		cfg.Replicas = replicas
		if replicas == 0 {
			cfg.Replicas = 1
			if s, err := js.Stream(ctx, cfg.Name); err == nil {
				cfg.Replicas = max(1, s.CachedInfo().Config.Replicas)
			}
		}
		if _, err := js.CreateOrUpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("JetStream stream %s (R%d): %w; check that the NATS server runs with JetStream, that the cluster has %d servers with JetStream, and that no other stream claims %s",
				cfg.Name, cfg.Replicas, err, cfg.Replicas, cfg.Subjects[0])
		}
	}
	return nil
}
