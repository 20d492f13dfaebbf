package bus

import (
	"context"
	"errors"
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
func streamConfigs(l Layout) []jetstream.StreamConfig {
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
			// The oldest are dropped first once a stream holds its
			// bound (maxStreamBytes, or less on a small store).
			MaxBytes:   maxStreamBytes,
			MaxMsgSize: 1 << 20,
			Duplicates: DedupWindow,
			Replicas:   1,
		}
	}
	return []jetstream.StreamConfig{
		base(StreamParcels, l.In(FamilyParcel, AnyCounty).All(), "accepted parcel events, per carrier", month),
		base(StreamDispatch, l.In(FamilyDispatch, AnyCounty).All(), "dispatch jobs for carriers", month),
		base(StreamCarrier, l.In(FamilyCarrier, AnyCounty).All(), "what carriers report to the county centre", month),
		base(StreamDLQ, l.In(FamilyDLQ, AnyCounty).All(), "carrier messages that could not be applied, with the reason", 3*month),
		// Kept apart from the parcel stream, which holds exactly one
		// message per accepted scan; an SMS gateway reads these.
		base(StreamNotify, l.In(FamilyNotify, AnyCounty).All(), "pickup codes for recipients, per station", month),
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
	return EnsureStreamsIn(ctx, js, Layout{}, replicas)
}

// EnsureStreamsIn is EnsureStreamsReplicas for layout l: with per-county
// subjects each stream holds its family in every county
// (tongpei.*.parcel.>, …). Switching layouts changes the streams' subjects
// in place; messages already stored keep their old subjects.
func EnsureStreamsIn(ctx context.Context, js jetstream.JetStream, l Layout, replicas int) error {
	if replicas < 0 || replicas > MaxReplicas {
		return fmt.Errorf("JetStream stream replicas must be 0 to %d, not %d", MaxReplicas, replicas)
	}
	// JetStream reserves each stream's MaxBytes against its store, which by
	// default is three quarters of the free disk: five streams need five
	// bounds, which an office machine (or a filling disk) may not have,
	// and a server that does not start loses more than a smaller bound does.
	// So every stream gets the same bound, halved while the store cannot
	// reserve them all; MaxAge still ages messages out as before.
	for limit := int64(maxStreamBytes); ; limit /= 2 {
		err := ensureAll(ctx, js, l, replicas, limit)
		var api *jetstream.APIError
		if err == nil || !errors.As(err, &api) || api.ErrorCode != errInsufficientResources || limit/2 < minStreamBytes {
			return err
		}
	}
}

func ensureAll(ctx context.Context, js jetstream.JetStream, l Layout, replicas int, limit int64) error {
	for _, cfg := range streamConfigs(l) {
		cfg.MaxBytes = limit
		cfg.Replicas = replicas
		if replicas == 0 {
			cfg.Replicas = 1
			if s, err := js.Stream(ctx, cfg.Name); err == nil {
				cfg.Replicas = max(1, s.CachedInfo().Config.Replicas)
			}
		}
		if _, err := js.CreateOrUpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("JetStream stream %s (R%d, %d MiB): %w; check that the NATS server runs with JetStream, that the cluster has %d servers with JetStream, that its store has room for the streams, and that no other stream claims %s",
				cfg.Name, cfg.Replicas, limit>>20, err, cfg.Replicas, cfg.Subjects[0])
		}
	}
	return nil
}

// maxStreamBytes bounds the disk a long outage of a carrier's consumer can
// take per stream: a county's busiest stream holds about 10 MB a day, so
// 2 GiB is months, beyond the 30 days MaxAge keeps, while five of them fit
// the reservation of a store on a machine with 14 GiB free (each node of a
// cluster reserves its own). minStreamBytes is the least a stream gets
// when the store has no room for that (still weeks of a county's events).
const (
	maxStreamBytes = 2 << 30
	minStreamBytes = 256 << 20
)

// errInsufficientResources is JetStream's JSInsufficientResourcesErr: the
// store cannot reserve a stream's MaxBytes.
const errInsufficientResources = 10047
