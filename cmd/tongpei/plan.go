package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/dispatch"
)

// newPlanCmd is `tongpei plan`: the morning's joint-delivery plan, queued
// and run exactly as POST /v1/dispatch/plans runs it.
func newPlanCmd() *cobra.Command {
	var c config
	var date string
	var limit time.Duration
	var seed int64
	var trips int
	var reload time.Duration
	var byWave bool
	var model dispatch.PlanModel
	cmd := &cobra.Command{
		Use:   "plan --date YYYY-MM-DD [--time-limit 30s] [--trips 2] [--reload 30m] [--by-wave] [--balance off|longest|spread] [--ev-range-km N]",
		Short: "Plan a day's joint delivery and print its routes and the saving against separate delivery",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if date == "" {
				date = time.Now().In(dispatch.County).Format(time.DateOnly)
			}
			return runPlan(cmd.Context(), c, dispatch.PlanOptions{ServiceDate: date, TimeLimit: limit, Seed: seed,
				MaxTrips: trips, ReloadTime: reload, ByWave: byWave, PlanModel: model}, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVar(&date, "date", "", "service date YYYY-MM-DD (default: today in Asia/Shanghai)")
	cmd.Flags().DurationVar(&limit, "time-limit", dispatch.DefaultTimeLimit, "optimiser time for the joint plan (the counterfactual gets as much again)")
	cmd.Flags().Int64Var(&seed, "seed", 0, "optimiser seed")
	cmd.Flags().IntVar(&trips, "trips", dispatch.DefaultTrips, "runs a van may drive, reloading at the hub between them (1: one trip a van); the counterfactual gets the same")
	cmd.Flags().DurationVar(&reload, "reload", dispatch.DefaultReload, "time at the hub between two runs")
	cmd.Flags().BoolVar(&byWave, "by-wave", false, "every overnight parcel on a morning run, the noon trunk's on the afternoon runs (otherwise the optimiser may hold an overnight parcel for a cheaper afternoon visit)")
	cmd.Flags().StringVar(&model.Balance, "balance", dispatch.BalanceOff, "balance the vans' work: off, longest (make the longest day as short as the fleet allows) or spread (price work beyond the fair share); the counterfactual gets the same")
	cmd.Flags().IntVar(&model.EVRangeKm, "ev-range-km", 0, "range in km of every van that has one (the electric vans) on this day, e.g. less on a cold day; 0: each van's own")
	addConfigFlags(cmd, &c, false)
	return cmd
}

// runPlan queues the day in the shared plan queue (the database's: a
// running server may take the job as well as this process) and follows
// the job with a progress bar until it ends. Ctrl-C cancels the job.
func runPlan(ctx context.Context, c config, opt dispatch.PlanOptions, stdout, stderr io.Writer) error {
	pool, err := openExisting(ctx, stderr, c.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	store := dispatch.NewService(pool)
	queue := dispatch.NewPlanQueue(store, 1)
	if err := queue.Start(ctx); err != nil {
		return err
	}
	defer queue.Stop()
	job, err := queue.Submit(ctx, dispatch.PlanRequest{ServiceDate: opt.ServiceDate, TimeLimit: opt.TimeLimit, Seed: opt.Seed,
		MaxTrips: opt.MaxTrips, ReloadTime: opt.ReloadTime, ByWave: opt.ByWave, PlanModel: opt.PlanModel, RequestedBy: "tongpei plan"})
	if err != nil {
		return err
	}
	job, err = followJob(ctx, queue, job, newJobBar(stderr, job))
	if err != nil {
		return err
	}
	switch job.State {
	case dispatch.JobDone:
		plan, err := store.Plan(context.WithoutCancel(ctx), *job.PlanID)
		if err != nil {
			return err
		}
		return printPlan(stdout, plan)
	case dispatch.JobCancelled:
		return fmt.Errorf("plan job %d was cancelled; nothing was stored", job.ID)
	default:
		return fmt.Errorf("plan job %d failed: %s", job.ID, job.Error.Detail)
	}
}

// followJob waits for the job to finish, showing its progress; when ctx
// ends first (Ctrl-C) it cancels the job and answers it cancelled.
func followJob(ctx context.Context, q *dispatch.PlanQueue, job *dispatch.PlanJob, bar *jobBar) (*dispatch.PlanJob, error) {
	defer bar.Stop()
	for !job.Finished() {
		changed := q.Changed()
		select {
		case <-ctx.Done():
			return q.Cancel(context.WithoutCancel(ctx), job.ID)
		case <-changed:
		case <-time.After(500 * time.Millisecond):
		}
		j, err := q.Job(ctx, job.ID)
		if err != nil {
			if ctx.Err() != nil {
				continue
			}
			return nil, err
		}
		job = j
		bar.Show(job)
	}
	return job, nil
}

// runsOf is the route row's run column: how many runs the van drives.
func runsOf(r dispatch.Route) string {
	if len(r.Trips) < 2 {
		return "1"
	}
	return fmt.Sprintf("%d×", len(r.Trips))
}

func sum(m map[int]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// printPlan is the summary table: one line per route, then joint against
// separate and the stations left out.
func printPlan(w io.Writer, p *dispatch.Plan) error {
	fmt.Fprintf(w, "Plan %d, %s version %d: %d routes, %d stops, %d parcels (travel: %s, solved in %.1f s)\n",
		p.ID, p.ServiceDate, p.Version, len(p.Routes), p.Joint.Stops, p.Joint.Parcels, p.MatrixSource, float64(p.SolveMs)/1000)
	if p.MaxTrips > 0 {
		how := ""
		if p.ByWave {
			how = ", overnight parcels on the morning runs"
		}
		fmt.Fprintf(w, "Vans' day: up to %d run(s), %d min at the hub between two%s (the counterfactual drives the same day)\n", p.MaxTrips, p.ReloadMinutes, how)
	}
	printModel(w, p)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "route\trun\tvan\ttype\tstops\tdrop\tcollect\tkm\trange\thours\tleave\tback\tcost CNY\t")
	for _, r := range p.Routes {
		drop, collect := map[int]int{}, map[int]int{}
		for _, s := range r.Stops {
			drop[s.Trip] += len(s.Drop)
			collect[s.Trip] += len(s.Collect)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%d\t%.1f\t%s\t%.1f\t%s\t%s\t%.2f\t\n", r.Number, runsOf(r), r.Vehicle, r.VehicleType, len(r.Stops),
			sum(drop), sum(collect), float64(r.DistanceM)/1000, rangeOf(r), float64(r.DurationS)/3600,
			r.Depart.In(dispatch.County).Format("15:04"), r.Return.In(dispatch.County).Format("15:04"), float64(r.CostFen)/100)
		if len(r.Trips) < 2 {
			continue
		}
		for _, t := range r.Trips {
			fmt.Fprintf(tw, "\t%d\t\t\t%d\t%d\t%d\t%.1f\t\t\t%s\t%s\t\t\n", t.Number, t.Stops, drop[t.Number], collect[t.Number],
				float64(t.DistanceM)/1000, t.Depart.In(dispatch.County).Format("15:04"), t.Return.In(dispatch.County).Format("15:04"))
		}
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tvans\tkm\thours\tcost CNY\t")
	for _, row := range []struct {
		name string
		t    dispatch.Totals
	}{{"joint", p.Joint}, {"separate", p.Separate}} {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.1f\t%.2f\t\n", row.name, row.t.Vehicles, row.t.Km, row.t.Hours, float64(row.t.CostFen)/100)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nSaving of joint delivery against each company on its own: %.1f %%\n", p.SavingPct)
	byNoon, drops := 0, 0
	for _, r := range p.Routes {
		for _, s := range r.Stops {
			drops += len(s.Drop)
			if s.Arrival.In(dispatch.County).Hour() < 12 {
				byNoon += len(s.Drop)
			}
		}
	}
	fmt.Fprintf(w, "Parcels handed over before noon: %d of %d\n", byNoon, drops)
	for _, u := range p.Unassigned {
		fmt.Fprintf(w, "NOT SERVED %s (%d to drop, %d to collect): %s [%s]\n", u.Station, len(u.Drop), len(u.Collect), u.Reason, u.Code)
	}
	_, err := fmt.Fprintf(w, "Route sheets: GET /v1/dispatch/plans/%d/sheets/{route}; publish: POST /v1/dispatch/plans/%d/publish\n", p.ID, p.ID)
	return err
}
