package main

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/internal/tenant"
	"github.com/tongpei/tongpei/stations"
)

// An acknowledgement of a job the county does not have (another carrier's,
// another county's, none) is refused for good, so the consumer
// dead-letters it at once instead of retrying it five times.
func TestCarrierAckOfAnUnknownJobIsRefused(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	handle := carrierEvents(stations.NewCustody(pool), dispatch.NewService(pool))
	payload := []byte(`{"job_id": "` + uuid.NewString() + `"}`)
	err := handle(tenant.With(context.Background(), "530428"), "SF", uuid.New(), dispatch.AckKind, payload)
	if !errs.Is(err, errs.Invalid) {
		t.Fatalf("ack of an unknown job: %v, want invalid", err)
	}
}
