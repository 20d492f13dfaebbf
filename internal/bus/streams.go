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
		base(StreamParcels, "tongpei.parcel.>", "accepted parcel events, per carrier", month),
		base(StreamDispatch, "tongpei.dispatch.>", "dispatch jobs for carriers", month),
		base(StreamCarrier, "tongpei.carrier.>", "what carriers report to the county centre", month),
		base(StreamDLQ, "tongpei.dlq.>", "carrier messages that could not be applied, with the reason", 3*month),
		// Kept apart from the parcel stream, which holds exactly one
		// message per accepted scan; an SMS gateway reads these.
		base(StreamNotify, "tongpei.notify.>", "pickup codes for recipients, per station", month),
	}
}

// EnsureStreams creates the streams or brings their configuration up to
// date; it is safe to call on every start, from several processes at once.
func EnsureStreams(ctx context.Context, js jetstream.JetStream) error {
	for _, cfg := range streamConfigs() {
		if _, err := js.CreateOrUpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("JetStream stream %s: %w; check that the NATS server runs with JetStream and that no other stream claims %s",
				cfg.Name, err, cfg.Subjects[0])
		}
	}
	return nil
}
