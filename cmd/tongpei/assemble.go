package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/dispatch/solverbus"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/tenant"
	"github.com/tongpei/tongpei/kpi"
	"github.com/tongpei/tongpei/pricing"
	"github.com/tongpei/tongpei/settlement"
	"github.com/tongpei/tongpei/stations"
)

// app is every long-lived part of a running tongpei, built but not started.
type app struct {
	deps      api.Deps
	bus       *bus.Bus
	relay     *bus.Relay
	consumer  *bus.Consumer
	resender  *dispatch.Resender  // sends unacknowledged dispatch jobs again
	plans     *dispatch.PlanQueue // plans days in the background
	reconcile *bus.Reconciler     // publishes again what JetStream lost
	replica   *pgxpool.Pool       // report reads; the primary's pool when no replica is set
}

// assemble wires the domains to PostgreSQL and NATS: the carriers'
// authenticator before the bus (the embedded server needs it at start),
// streams before the relay and the consumer.
func assemble(ctx context.Context, c config, pool *pgxpool.Pool) (*app, error) {
	limits, err := limitsFromEnv(os.Getenv)
	if err != nil {
		return nil, err
	}
	// the install's own county is always registered (TONGPEI_COUNTY may
	// have changed since the migration registered it)
	if err := tenant.NewRegistry(pool).Ensure(ctx, tenant.Default()); err != nil {
		return nil, err
	}
	metrics := prometheus.NewRegistry()
	metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	registry := stations.NewRegistry(pool)
	creds := bus.NewCarrierCredentials(pool)
	// with per-county subjects a province-wide login reaches the carrier's
	// subjects in every county where it is registered and active
	layout := c.layout()
	creds.PerCounty(layout, registry.CarrierCounties)
	b, err := bus.Open(ctx, bus.Config{
		URL: c.NATSURL, DataDir: c.DataDir, Listen: c.NATSListen,
		Auth: bus.NewAuthenticator(creds, slog.Default()), SyncAlways: c.NATSSyncAlways,
	})
	if err != nil {
		return nil, err
	}
	a := &app{bus: b}
	if b.Server != nil { // embedded: carriers' logins are ours to issue
		creds.SetURL(advertisedNATSURL(c.NATSAdvertise, b.Server.Addr().String()))
		creds.OnRevoke(func(carrier string) { b.DisconnectUser(carrier) })
	} else {
		creds = nil // an external NATS has its own accounts (docs/nats-permissions.md)
	}
	replicas, err := streamReplicas(c)
	if err != nil {
		b.Close()
		return nil, err
	}
	if err := bus.EnsureStreamsIn(ctx, b.JS, layout, replicas); err != nil {
		b.Close()
		return nil, fmt.Errorf("cannot create the JetStream streams: %w", err)
	}
	if a.relay, err = bus.NewRelay(pool, b.Conn, bus.RelayOptions{Metrics: metrics, Layout: layout}); err != nil {
		b.Close()
		return nil, err
	}

	if c.NATSURL != "" {
		// Only an external NATS can have workers (they cannot log in to
		// the embedded one); with none answering, plans solve here.
		dispatch.UseSolver(solverbus.NewClient(b.Conn, solverbus.ClientOptions{Metrics: metrics}).Solve)
	}

	a.reconcile = &bus.Reconciler{Pool: pool, JS: b.JS}
	custody := stations.NewCustody(pool)
	if a.replica, err = pg.ConnectReplica(ctx, c.DatabaseReplicaURL, pool); err != nil {
		b.Close()
		return nil, err
	}
	custody.UseReplica(a.replica)
	window, err := groupWindowFromEnv(os.Getenv)
	if err != nil {
		return nil, err
	}
	custody.SetGroupCommit(window, stations.DefaultGroupFlushes)
	tokens := auth.NewStore(pool)
	cacheTTL, err := time.ParseDuration(env("TONGPEI_TOKEN_CACHE", "1s"))
	if err != nil {
		return nil, fmt.Errorf("TONGPEI_TOKEN_CACHE: give a duration such as 1s, 0 for none: %w", err)
	}
	tokens.CacheTokens(cacheTTL)
	jobs := dispatch.NewService(pool)
	a.resender = &dispatch.Resender{Service: jobs}
	a.plans = dispatch.NewPlanQueue(jobs, 0)
	counties := tenant.NewRegistry(pool)
	a.consumer = bus.NewConsumer(b.JS, carrierEvents(custody, jobs), bus.ConsumerOptions{
		Metrics: metrics, Layout: layout, Known: counties.Known})
	metrics.MustRegister(a.consumer.Collector(), pg.PoolCollector(pool), custody.GroupCollector())
	a.deps = api.Deps{
		Tokens:     tokens,
		Counties:   counties,
		Registry:   registry,
		Custody:    custody,
		Dispatch:   jobs,
		Plans:      a.plans,
		Pricing:    pricing.NewService(pool),
		Settlement: settlement.NewLedger(pool, jobs, custody),
		Metrics:    metrics,
		NATSCreds:  creds,
		Limits:     limits,
		Ready: func(ctx context.Context) error {
			if err := pool.Ping(ctx); err != nil {
				return fmt.Errorf("PostgreSQL: %w", err)
			}
			return b.Ping(ctx)
		},
	}
	a.deps.KPI = kpi.NewService(pool, a.deps.Registry, custody, a.deps.Pricing, jobs)
	return a, nil
}

// carrierEvents routes what carriers report: acknowledgements of dispatch
// jobs to dispatch, hand-over manifests and collections to custody; ctx
// works for the event's county (bus.ConsumerOptions.Layout).
func carrierEvents(custody *stations.Custody, jobs *dispatch.Service) bus.CarrierHandler {
	return func(ctx context.Context, carrier string, id uuid.UUID, kind string, payload json.RawMessage) error {
		if kind == dispatch.AckKind {
			err := jobs.ApplyCarrierEvent(ctx, carrier, id, kind, payload)
			if errs.Is(err, errs.NotFound) {
				// jobs are published only once stored: one not found now
				// (another carrier's, another county's) never will be
				return errs.E(errs.Invalid, "%s; a carrier acknowledges only the jobs sent to it, on the subjects of their county", err.Error())
			}
			return err
		}
		return custody.ApplyCarrierEvent(ctx, carrier, id, kind, payload)
	}
}
