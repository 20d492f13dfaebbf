package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/internal/pg"
)

// partitionsEvery is how often serve makes the coming months' partitions;
// with PartitionsAhead months made each time, a day's failure is harmless.
const partitionsEvery = 24 * time.Hour

// maintainPartitions makes the coming months' partitions of the timeline
// and the outbox once a day until the returned stop is called (pg.Open has
// made them at start). Detaching is left to an operator: `tongpei
// partitions --detach-older-than N`.
func maintainPartitions(ctx context.Context, pool *pgxpool.Pool) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(partitionsEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			made, err := pg.EnsurePartitions(ctx, pool, time.Now())
			switch {
			case err != nil && ctx.Err() == nil:
				slog.Warn("making the coming months' partitions; retried tomorrow, and at the next start", "err", err)
			case len(made) > 0:
				slog.Info("partitions made", "tables", made)
			}
		}
	}()
	return func() { cancel(); <-done }
}

func newPartitionsCmd() *cobra.Command {
	var c config
	var olderThan int
	cmd := &cobra.Command{
		Use:   "partitions [--detach-older-than N]",
		Short: "List the monthly partitions of the scan timeline and the outbox; make the coming ones; detach old ones",
		Long: `partitions makes the partitions of the coming months (serve does too, at
start and daily) and lists every month of parcel_events (the scan timeline)
and outbox with its rows.

--detach-older-than N detaches every month that ended more than N whole
months before the current one (Beijing time). A detached month stays as a
table of its own, e.g. parcel_events_y2025m10: archive it with
pg_dump -t parcel_events_y2025m10, then DROP TABLE it. An outbox month that
still holds unpublished events is never detached. The ids of detached
scans are forgotten: a phone resending a scan that old would store it again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			pool, err := openExisting(ctx, cmd.ErrOrStderr(), c.DatabaseURL)
			if err != nil {
				return err
			}
			defer pool.Close()
			return runPartitions(ctx, pool, time.Now(), olderThan, cmd.OutOrStdout())
		},
	}
	addConfigFlags(cmd, &c, false)
	cmd.Flags().IntVar(&olderThan, "detach-older-than", 0, "detach the months that ended more than N whole months ago (0: detach nothing)")
	return cmd
}

// runPartitions is the partitions command once the database is open (which
// made the coming months already).
func runPartitions(ctx context.Context, pool *pgxpool.Pool, now time.Time, olderThan int, w io.Writer) error {
	var kept error
	if olderThan > 0 {
		done, err := pg.DetachOlderThan(ctx, pool, now, olderThan)
		for _, d := range done {
			if d.Err != nil {
				fmt.Fprintf(w, "kept %s: %v\n", d.Name, d.Err)
				kept = fmt.Errorf("%d outbox months kept with unsent rows; run again once the relay has published them", countKept(done))
				continue
			}
			fmt.Fprintf(w, "detached %s (%d rows); archive with pg_dump -t %s, then DROP TABLE %s\n", d.Name, d.Rows, d.Name, d.Name)
		}
		if err != nil {
			return err
		}
	}
	parts, err := pg.ListPartitions(ctx, pool)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TABLE\tMONTH\tPARTITION\tROWS\tUNSENT\tSTATE")
	for _, p := range parts {
		state := "attached"
		if p.Detached {
			state = "detached"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\n", p.Table, p.Month.Format("2006-01"), p.Name, p.Rows, p.Unsent, state)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return kept
}

func countKept(done []pg.Detached) int {
	n := 0
	for _, d := range done {
		if d.Err != nil {
			n++
		}
	}
	return n
}
