package bus_test

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/bus/bustest"
)

func TestEmbeddedServerAnswers(t *testing.T) {
	t.Parallel()
	b := bustest.Open(t)
	if err := b.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestTakenPortIsAClearError(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, err = bus.Open(context.Background(), bus.Config{DataDir: t.TempDir(), Listen: l.Addr().String()})
	if err == nil || !strings.Contains(err.Error(), "TONGPEI_NATS_LISTEN") {
		t.Fatalf("want a clear error naming the setting, got %v", err)
	}
}

func TestUnreachableExternalNATS(t *testing.T) {
	t.Parallel()
	_, err := bus.Open(context.Background(), bus.Config{URL: "nats://127.0.0.1:1"})
	if err == nil || !strings.Contains(err.Error(), "TONGPEI_NATS_URL") {
		t.Fatalf("want a clear error naming the setting, got %v", err)
	}
}

func TestExternalNATSOfTheMachine(t *testing.T) {
	t.Parallel()
	b, err := bus.Open(context.Background(), bus.Config{URL: "nats://127.0.0.1:4222"})
	if err != nil {
		t.Skipf("no NATS on 127.0.0.1:4222: %v", err)
	}
	defer b.Close()
	if err := b.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}
