package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/internal/pg"
)

// simFlags are tongpei simulate's settings.
type simFlags struct {
	databaseURL string
	counties    int
	parcels     int
	workers     int
	senders     int
	batch       int
	planLimit   time.Duration
	keep        bool
	reportPath  string
	env         []string
}

// newSimulateCmd is `tongpei simulate`: a province's peak day driven
// through the API from one box (issue 18 point 6, docs/province.md
// "Measured headroom").
func newSimulateCmd() *cobra.Command {
	var fl simFlags
	cmd := &cobra.Command{
		Use:   "simulate --counties N --parcels-per-county P [--workers 2]",
		Short: "Drive a province's peak day through the API (N counties in one database) and measure scans/s, p99, plans/hour and database size",
		Long: `simulate starts a NATS server (JetStream), a tongpei serve on a fresh
database (tongpei_simulate_<time>, dropped afterwards) and --workers
tongpei solver-worker processes, all children of this one, and drives a
province's peak day over HTTP:

  1. setup     the province admin registers N counties (POST /v1/counties)
               and makes each an admin token (POST /v1/tokens with
               Tongpei-County); each county admin registers the demonstration
               county's stations, carriers and fleet and a keeper token per
               village
  2. register  P parcels per county (demo.GenerateDay, seed = county + 1),
               about 13 % of them farm produce going up
  3. morning   hub_inbound and sorted at the hub in batches (the county
               admin), accepted at the village by its keeper (single scans)
  4. plan      every county's day planned at once (POST /v1/dispatch/plans),
               solved by the workers
  5. delivery  loaded at the hub (batches); at each village arrival, then
               picked_up with the pickup code the arrival answered, and the
               up parcels loaded (keepers, single scans); the up parcels'
               hub_inbound at the hub (batches)

It prints each phase's scans/s and latency percentiles, plans/hour, the
solves the workers made, CPU used by each process, and the database's
growth (pg_database_size before and after, split per county by the bytes
of its rows), then checks the database: every parcel in its final state,
each scan stored once, a plan for every county, solved by the workers. It
exits non-zero when a check fails.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := fl.check(); err != nil {
				return err
			}
			rep, err := runSimulate(cmd.Context(), fl, cmd.OutOrStdout(), cmd.ErrOrStderr())
			if rep != nil && fl.reportPath != "" {
				if werr := writeSimReport(fl.reportPath, rep); werr != nil && err == nil {
					err = werr
				}
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.databaseURL, "database-url", env("TONGPEI_DATABASE_URL", pg.DefaultURL), "PostgreSQL server; a fresh database tongpei_simulate_<time> is made on it")
	f.IntVar(&fl.counties, "counties", 4, "counties in the province (1 to 999)")
	f.IntVar(&fl.parcels, "parcels-per-county", 3000, "parcels of each county's day, down and up (20 to 99,999)")
	f.IntVar(&fl.workers, "workers", 2, "tongpei solver-worker processes (0: plans solve in serve)")
	f.IntVar(&fl.senders, "senders", 32, "requests in flight at once, from all counties' scanners and phones")
	f.IntVar(&fl.batch, "batch", 100, "scans per batch at the hub (1 to 1000)")
	f.DurationVar(&fl.planLimit, "plan-time-limit", 10*time.Second, "each plan's time limit (the joint plan; the counterfactual gets as much again)")
	f.BoolVar(&fl.keep, "keep-database", false, "keep the scratch database (its name is printed) instead of dropping it")
	f.StringVar(&fl.reportPath, "report", "", "also write the figures as JSON to this file")
	f.StringArrayVar(&fl.env, "env", nil, "KEY=VALUE for the server (repeatable)")
	return cmd
}

// check refuses flags the run cannot use, in one line each.
func (fl simFlags) check() error {
	switch {
	case fl.counties < 1 || fl.counties > 999:
		return fmt.Errorf("--counties %d: give 1 to 999 counties", fl.counties)
	case fl.parcels < 20 || fl.parcels > 99_999:
		return fmt.Errorf("--parcels-per-county %d: give 20 to 99,999 parcels (tracking numbers have five digits)", fl.parcels)
	case fl.workers < 0 || fl.workers > 64:
		return fmt.Errorf("--workers %d: give 0 (solve in serve) to 64 worker processes", fl.workers)
	case fl.senders < 1 || fl.senders > 2000:
		return fmt.Errorf("--senders %d: give 1 to 2,000 requests in flight", fl.senders)
	case fl.batch < 1 || fl.batch > 1000:
		return fmt.Errorf("--batch %d: give 1 to 1,000 scans per batch (the API's limit)", fl.batch)
	case fl.planLimit < 100*time.Millisecond || fl.planLimit > 10*time.Minute:
		return fmt.Errorf("--plan-time-limit %s: give 100ms to 10m", fl.planLimit)
	}
	return nil
}

// runSimulate runs the whole day and returns its report, also when a
// check failed (the error says which).
func runSimulate(ctx context.Context, fl simFlags, w, progress io.Writer) (*simReport, error) {
	sim, err := startSimulation(ctx, fl, w)
	if err != nil {
		return nil, err
	}
	defer sim.close(ctx, w)
	rep := sim.report
	fmt.Fprintf(w, "# simulate: database %s, %d counties × %d parcels, %d workers, %d senders, batches of %d, plans of %s\n",
		sim.dbName, fl.counties, fl.parcels, fl.workers, fl.senders, fl.batch, fl.planLimit)
	fmt.Fprintf(w, "# %s", uptime())
	rep.LoadBefore = loadAverage()

	t0 := time.Now()
	if err := sim.setup(ctx); err != nil {
		return rep, err
	}
	fmt.Fprintf(w, "setup: %d counties, %d keeper tokens in %.1fs\n", len(sim.counties), sim.keeperTokens(), time.Since(t0).Seconds())
	if err := sim.measureBefore(ctx); err != nil {
		return rep, err
	}
	// The CPU each process spent is summed per kind of work: registering,
	// scanning (morning and delivery) and planning.
	rep.CPU = map[string]map[string]float64{}
	steps := []struct {
		name, work string
		run        func(context.Context, io.Writer) error
	}{
		{"register", "register", sim.register},
		{"morning", "scanning", sim.morning},
		{"plan", "planning", sim.plan},
		{"delivery", "scanning", sim.delivery},
	}
	for _, s := range steps {
		meters := sim.startMeters(ctx)
		if err := s.run(ctx, progress); err != nil {
			return rep, fmt.Errorf("%s: %w", s.name, err)
		}
		meters.addTo(rep.CPU, s.work)
	}
	if err := waitOutboxEmpty(ctx, sim.pool, 2*time.Minute); err != nil {
		return rep, err
	}
	if err := sim.measureDatabase(ctx); err != nil {
		return rep, err
	}
	if err := sim.readSolves(); err != nil {
		return rep, err
	}
	dayErr := sim.readDay(ctx)
	rep.LoadAfter = loadAverage()
	rep.summarise()
	rep.print(w)
	failed := sim.verify(dayErr, w)
	fmt.Fprintf(w, "# %s", uptime())
	if failed > 0 {
		return rep, fmt.Errorf("%d checks failed (see above)", failed)
	}
	return rep, nil
}

func writeSimReport(path string, rep *simReport) error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// loadAverage is the machine's 1-, 5- and 15-minute load average.
func loadAverage() [3]float64 {
	var l [3]float64
	b, err := os.ReadFile("/proc/loadavg")
	if err == nil {
		fmt.Sscan(string(b), &l[0], &l[1], &l[2])
	}
	return l
}
