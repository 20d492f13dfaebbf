package bus

import (
	"errors"
	"fmt"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// TestJetStreamAwayIsNotTheRowsFault: a stream electing a leader answers
// 503; that batch is retried soon, not parked for a minute, while a 4xx
// refusal stays the row's own.
func TestJetStreamAwayIsNotTheRowsFault(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		err  error
		away bool
	}{
		{nats.ErrTimeout, true},
		{jetstream.ErrAsyncPublishTimeout, true},
		{fmt.Errorf("publish: %w", nats.ErrNoResponders), true},
		{&jetstream.APIError{Code: 503, ErrorCode: 10008, Description: "JetStream system temporarily unavailable"}, true},
		{&jetstream.APIError{Code: 400, ErrorCode: 10054, Description: "maximum message size exceeded"}, false},
		{errors.New("something about this row"), false},
	} {
		if got := jetStreamAway(c.err); got != c.away {
			t.Errorf("jetStreamAway(%v) = %v, want %v", c.err, got, c.away)
		}
	}
}
