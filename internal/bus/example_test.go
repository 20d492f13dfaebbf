package bus_test

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tongpei/tongpei/internal/bus"
)

// How serve puts the parts together: the authenticator before the bus (the
// embedded server needs it at start), streams before the relay and the
// consumer, and the stops in mirror order after the HTTP server's Shutdown.
// apply stands for stations.Custody.ApplyCarrierEvent.
func Example() {
	var (
		ctx     = context.Background()
		pool    *pgxpool.Pool // pg.Open
		metrics = prometheus.NewRegistry()
		apply   func(ctx context.Context, carrier string, id uuid.UUID, kind string, payload json.RawMessage) error
	)
	creds := bus.NewCarrierCredentials(pool)
	b, err := bus.Open(ctx, bus.Config{DataDir: "var", Auth: bus.NewAuthenticator(creds, slog.Default())})
	if err != nil {
		return
	}
	defer b.Close()
	if b.Server != nil { // embedded: logins are ours to issue (api.Deps.NATSCreds)
		creds.SetURL(b.Server.ClientURL())
		creds.OnRevoke(func(carrier string) { b.DisconnectUser(carrier) })
	}
	if err := bus.EnsureStreams(ctx, b.JS); err != nil {
		return
	}
	relay, err := bus.NewRelay(pool, b.Conn, bus.RelayOptions{Metrics: metrics})
	if err != nil {
		return
	}
	consumer := bus.NewConsumer(b.JS, apply, bus.ConsumerOptions{Metrics: metrics})
	// Not the signal context: both keep running while HTTP drains.
	run := context.WithoutCancel(ctx)
	if err := relay.Start(run); err != nil {
		return
	}
	defer relay.Stop()
	if err := consumer.Start(run); err != nil {
		return
	}
	defer consumer.Stop()
	// … serve HTTP until the signal, Shutdown, then the defers run:
	// consumer.Stop, relay.Stop, b.Close, pool.Close.
}
