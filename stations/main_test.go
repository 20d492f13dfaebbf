package stations_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when one leaves a goroutine behind
// (a group commit's leader, a snapshot refresher, a pool not closed).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// pgx pools close their background health checks asynchronously.
		goleak.IgnoreTopFunction("github.com/jackc/puddle/v2.(*Pool).backgroundHealthCheck"),
		goleak.IgnoreAnyFunction("github.com/jackc/pgx/v5/pgxpool.(*Pool).backgroundHealthCheck"),
	)
}
