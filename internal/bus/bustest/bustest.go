// Package bustest runs a real NATS JetStream server inside a test process, on
// a free port with its store in the test's temporary directory, as
// nats-server's own tests do. Only _test.go files may import it.
package bustest

import (
	"context"
	"testing"

	"github.com/tongpei/tongpei/internal/bus"
)

// Open starts an embedded server for t and connects to it; both are closed
// when t ends.
func Open(t testing.TB) *bus.Bus {
	t.Helper()
	return OpenWith(t, bus.Config{})
}

// OpenWith is Open with a config, e.g. an authenticator for carriers.
func OpenWith(t testing.TB, cfg bus.Config) *bus.Bus {
	t.Helper()
	cfg.URL = ""
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:-1"
	}
	b, err := bus.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("bustest: %v", err)
	}
	t.Cleanup(b.Close)
	return b
}
