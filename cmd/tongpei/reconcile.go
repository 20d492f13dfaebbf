package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/pg"
)

func newReconcileCmd() *cobra.Command {
	var c config
	var since time.Duration
	cmd := &cobra.Command{
		Use:   "reconcile [--since 168h]",
		Short: "Publish again the events JetStream lost (a deleted store, a crash before its fsync)",
		Long: `reconcile checks every event the outbox published within --since against
the stream and sequence JetStream acknowledged, marks the ones the stream no
longer holds unsent, and publishes them again under their unchanged ids
(consumers deduplicate by id). serve does the same every minute over the
last 15 minutes, and over the whole outbox when it starts. With the
embedded NATS, run this while serve is stopped (it opens the same store).
Output: checked, republished and unverifiable counts.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return reconcile(cmd.Context(), c, since, cmd.OutOrStdout())
		},
	}
	cmd.Flags().DurationVar(&since, "since", 7*24*time.Hour, "how far back to check (the outbox keeps published events 7 days)")
	addConfigFlags(cmd, &c, true)
	return cmd
}

func reconcile(ctx context.Context, c config, since time.Duration, w io.Writer) error {
	pool, err := pg.Open(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	b, err := bus.Open(ctx, bus.Config{URL: c.NATSURL, DataDir: c.DataDir, Listen: c.NATSListen, SyncAlways: c.NATSSyncAlways})
	if err != nil {
		return err
	}
	defer b.Close()
	if err := bus.EnsureStreamsIn(ctx, b.JS, c.layout(), 0); err != nil {
		return fmt.Errorf("cannot create the JetStream streams: %w", err)
	}
	rep, err := bus.Reconcile(ctx, pool, b.JS, time.Now().Add(-since))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "checked %d events, republishing %d lost, %d unverifiable (published before stream sequences were kept)\n",
		rep.Checked, rep.Republished, rep.Unverifiable)
	if rep.Republished == 0 {
		return nil
	}
	relay, err := bus.NewRelay(pool, b.Conn, bus.RelayOptions{Logger: slog.New(slog.DiscardHandler), Layout: c.layout()})
	if err != nil {
		return err
	}
	if err := relay.Start(ctx); err != nil {
		return err
	}
	defer relay.Stop()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		left, err := bus.Unsent(ctx, pool)
		if err != nil {
			return err
		}
		if left == 0 {
			fmt.Fprintln(w, "every lost event is in JetStream again")
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d events are still unsent after 5 minutes; serve's relay will go on with them", left)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
