package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/tongpei/tongpei/dispatch"
)

// plan asks every county's plan at once, as each county centre does when
// the morning's parcels are in, and follows the jobs to their end. The
// server's plan queue runs them (a planner per core) and sends their
// solves to the workers.
func (sim *simulation) plan(ctx context.Context, progress io.Writer) error {
	t0 := time.Now()
	body := map[string]any{"service_date": sim.date, "time_limit": sim.fl.planLimit.String(), "seed": 1}
	for _, c := range sim.counties {
		var job dispatch.PlanJob
		if err := c.admin.call(ctx, "POST", "/v1/dispatch/plans", body, &job); err != nil {
			return fmt.Errorf("county %s: asking its plan: %w", c.code, err)
		}
		c.planJob = job.ID
	}
	bar := newCountBar(progress, len(sim.counties), "plans")
	defer bar.Stop()
	// A plan takes up to twice its limit (the joint plan, then the
	// counterfactual); even one after the other they end within twice that.
	deadline := time.Now().Add(time.Duration(len(sim.counties))*4*sim.fl.planLimit + 3*time.Minute)
	pending := slices.Clone(sim.counties)
	for len(pending) > 0 {
		if time.Now().After(deadline) {
			return fmt.Errorf("%d plans still unfinished after %s; see the server's log", len(pending), time.Since(t0).Round(time.Second))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
		next := pending[:0]
		for _, c := range pending {
			var job dispatch.PlanJob
			if err := c.admin.call(ctx, "GET", fmt.Sprintf("/v1/dispatch/plan-jobs/%d", c.planJob), nil, &job); err != nil {
				return fmt.Errorf("county %s: following plan job %d: %w", c.code, c.planJob, err)
			}
			if !job.Finished() {
				next = append(next, c)
				continue
			}
			if err := sim.planDone(ctx, c, &job); err != nil {
				return err
			}
			bar.Add()
		}
		pending = next
	}
	sim.report.Plans.Seconds = time.Since(t0).Seconds()
	fmt.Fprintf(sim.out, "%-48s %6.1fs %d plans asked at once, time limit %s each\n", "plan", sim.report.Plans.Seconds, len(sim.counties), sim.fl.planLimit)
	return nil
}

// planDone records a county's finished job and reads its plan: how many
// parcels its routes carry and how many it left out.
func (sim *simulation) planDone(ctx context.Context, c *simCounty, job *dispatch.PlanJob) error {
	r := c.result
	r.PlanJob, r.PlanState = job.ID, job.State
	if job.StartedAt != nil && job.FinishedAt != nil {
		r.PlanRunSeconds = job.FinishedAt.Sub(*job.StartedAt).Seconds()
		r.PlanQueueSeconds = job.StartedAt.Sub(job.CreatedAt).Seconds()
	}
	if job.Error != nil {
		r.PlanError = job.Error.Code + ": " + job.Error.Detail
	}
	if job.PlanID == nil {
		return nil
	}
	r.PlanID = *job.PlanID
	var p dispatch.Plan
	if err := c.admin.call(ctx, "GET", fmt.Sprintf("/v1/dispatch/plans/%d", r.PlanID), nil, &p); err != nil {
		return fmt.Errorf("county %s: reading plan %d: %w", c.code, r.PlanID, err)
	}
	r.Routes = len(p.Routes)
	for _, rt := range p.Routes {
		for _, st := range rt.Stops {
			r.PlannedParcels += len(st.Drop) + len(st.Collect)
		}
	}
	for _, u := range p.Unassigned {
		r.UnassignedParcels += len(u.Drop) + len(u.Collect)
	}
	r.SavingPct = p.SavingPct
	return nil
}
