package dispatch

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a test leaves a goroutine behind (a
// Resender not stopped, a solve not cancelled).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// pgx pools close their background health checks asynchronously.
		goleak.IgnoreTopFunction("github.com/jackc/puddle/v2.(*Pool).backgroundHealthCheck"),
		goleak.IgnoreAnyFunction("github.com/jackc/pgx/v5/pgxpool.(*Pool).backgroundHealthCheck"),
	)
}
