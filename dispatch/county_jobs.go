package dispatch

import (
	"context"
	"time"

	"github.com/tongpei/tongpei/internal/tenant"
)

// The background work of dispatch serves every county of the province
// (issue 18). The plan queue and the cost-share worker find their next
// job province-wide and run it in the job's county (planJobStore.claim,
// shareStore.pending); re-sending writes new outbox rows, which take the
// county of their session, so it runs once per county.

// ResendEveryCounty re-sends every county's unacknowledged jobs last sent
// more than olderThan ago (Resend), county by county; a county that fails
// does not hold up the others.
func (s *Service) ResendEveryCounty(ctx context.Context, olderThan time.Duration) (int, error) {
	total := 0
	err := tenant.NewRegistry(s.jobs.pool).Each(ctx, func(ctx context.Context, _ string) error {
		n, err := s.Resend(ctx, olderThan)
		total += n
		return err
	})
	return total, err
}
