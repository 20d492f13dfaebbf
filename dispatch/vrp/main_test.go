package vrp

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a test leaves a goroutine behind: Solve
// runs one search goroutine per thread and must have joined them all.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
