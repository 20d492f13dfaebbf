package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/pg"
)

func newServeCmd() *cobra.Command {
	var c config
	var withDemo bool
	cmd := &cobra.Command{
		Use:   "serve [--demo]",
		Short: "Run the API, the console and the event relay (no flags needed on a standard machine)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(cmd.Context(), c, withDemo, cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVar(&withDemo, "demo", false, "load the demonstration county (idempotent) and print one token per role")
	addConfigFlags(cmd, &c, true)
	return cmd
}

// shutdownGrace bounds a graceful stop; the contract is exit within 10 s.
const shutdownGrace = 7 * time.Second

// serve starts every part in order and stops them in mirror order when ctx
// ends (SIGINT or SIGTERM): HTTP first, then the consumer and the relay,
// then NATS, then the pool (STYLE.md rule 13).
func serve(ctx context.Context, c config, withDemo bool, stdout io.Writer) error {
	withTLS, err := checkTLS(c.TLSCert, c.TLSKey)
	if err != nil {
		return err
	}

	// Take the port first: a port in use is the commonest mistake and
	// should fail before anything else starts.
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w; stop the other process or set TONGPEI_ADDR", c.Addr, err)
	}
	defer ln.Close()

	pool, err := pg.Open(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()

	app, err := assemble(ctx, c, pool)
	if err != nil {
		return err
	}
	defer app.bus.Close()
	if app.replica != pool {
		defer app.replica.Close()
	}

	if withDemo {
		if err := loadDemo(ctx, pool, app.deps, stdout, consoleURLs(c.Addr, withTLS)); err != nil {
			return err
		}
	}

	// Background parts outlive the signal so that in-flight requests can
	// still enqueue and relay while HTTP drains.
	background := context.WithoutCancel(ctx)
	if err := app.relay.Start(background); err != nil {
		return err
	}
	defer app.relay.Stop()
	if err := app.consumer.Start(background); err != nil {
		return err
	}
	defer app.consumer.Stop()
	if err := app.resender.Start(background); err != nil {
		return err
	}
	defer app.resender.Stop()
	if err := app.reconcile.Start(background); err != nil {
		return err
	}
	defer app.reconcile.Stop()
	if err := app.plans.Start(background); err != nil {
		return err
	}
	defer app.plans.Stop()
	// Published plans' cost shares, computed before anyone asks (and, at
	// start, those a stopped server left owing).
	if err := app.deps.Dispatch.StartCostShares(background, dispatch.ShareOptions{}, 0); err != nil {
		return err
	}
	defer app.deps.Dispatch.StopCostShares()
	stopPartitions := maintainPartitions(background, pool)
	defer stopPartitions()

	startPprof()
	srv := &http.Server{Handler: api.New(app.deps), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() {
		if withTLS {
			served <- srv.ServeTLS(ln, c.TLSCert, c.TLSKey)
			return
		}
		served <- api.ServeLimited(srv, ln, app.deps.Limits.MaxConns)
	}()
	slog.Info("tongpei is serving", "console", strings.Join(consoleURLs(c.Addr, withTLS), " "), "nats", natsWhere(c, app.bus))

	select {
	case err := <-served:
		return fmt.Errorf("HTTP server stopped: %w", err)
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	stopCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(stopCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		slog.Warn("HTTP shutdown", "err", err)
	}
	slog.Info("HTTP stopped; stopping the relay, the consumer and NATS")
	return nil
}

func natsWhere(c config, b *bus.Bus) string {
	if c.NATSURL != "" {
		return c.NATSURL
	}
	return advertisedNATSURL(c.NATSAdvertise, b.Server.Addr().String()) + " (embedded)"
}

// loadDemo fills the demonstration county (idempotently: what exists is left
// alone) and prints one token per role (the same at every start), the
// console URL and the API URL.
func loadDemo(ctx context.Context, pool *pgxpool.Pool, deps api.Deps, stdout io.Writer, urls []string) error {
	if err := loadDemoCounty(ctx, pool); err != nil {
		return fmt.Errorf("loading the demonstration county: %w", err)
	}
	if _, err := deps.Pricing.Reload(ctx); err != nil {
		return fmt.Errorf("reading the demonstration prices: %w", err)
	}
	key, err := demo.Key(ctx, pool)
	if err != nil {
		return fmt.Errorf("making the demonstration tokens: %w", err)
	}
	tokens, err := demo.Tokens(ctx, key, deps.Tokens, deps.Registry)
	if err != nil {
		return fmt.Errorf("making the demonstration tokens: %w", err)
	}
	for _, t := range tokens {
		fmt.Fprintln(stdout, t)
	}
	// The last URL is the LAN address when serving on all of them: the
	// one to open on a phone.
	base := urls[len(urls)-1]
	fmt.Fprintf(stdout, "console %s/\napi %s/v1\n", base, base)
	return nil
}
