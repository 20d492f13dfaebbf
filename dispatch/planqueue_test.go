package dispatch

import (
	"context"
	"testing"
	"time"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/internal/errs"
)

// newQueue starts a queue of workers planners on a county with a
// generated day, stopped when the test ends.
func newQueue(t *testing.T, workers int) (*PlanQueue, *testCounty) {
	t.Helper()
	tc := newTestCounty(t)
	tc.loadDay(t, demo.GenerateDay(demo.DayOptions{Date: testDate, Seed: 1}))
	q := NewPlanQueue(tc.store, workers)
	q.poll = 50 * time.Millisecond
	q.beat = 100 * time.Millisecond
	must(t, func() error { return q.Start(context.Background()) })
	t.Cleanup(q.Stop)
	return q, tc
}

// waitJob polls a job until ok says yes, failing the test after a deadline.
func waitJob(t *testing.T, q *PlanQueue, id int64, what string, ok func(*PlanJob) bool) *PlanJob {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		j, err := q.Job(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if ok(j) {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d never became %s: %+v", id, what, j)
		}
		select {
		case <-q.Changed():
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func TestPlanQueueOneAtATimePerDay(t *testing.T) {
	t.Parallel()
	q, tc := newQueue(t, 2)
	ctx := context.Background()
	req := PlanRequest{ServiceDate: "2026-12-01", TimeLimit: 600 * time.Millisecond, Seed: 1, RequestedBy: "test"}
	// The client that asked goes away at once: the job does not care.
	gone, cancel := context.WithCancel(ctx)
	first, err := q.Submit(gone, req)
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	if first.State != JobQueued && first.State != JobRunning {
		t.Fatalf("a new job is %s", first.State)
	}
	second, err := q.Submit(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	running := waitJob(t, q, first.ID, "running with a best cost", func(j *PlanJob) bool {
		return j.State == JobRunning && j.Progress.BestCostFen != nil && j.Progress.Percent > 0
	})
	if running.Progress.RemainingMs <= 0 || running.Progress.BudgetMs != 1200 || running.Progress.Percent >= 100 {
		t.Errorf("running progress %+v", running.Progress)
	}
	// Two planners are free, but the day is taken: the second waits, first in line.
	waiting, err := q.Job(ctx, second.ID)
	if err != nil {
		t.Fatal(err)
	}
	if waiting.State != JobQueued || waiting.QueuePosition != 1 {
		t.Errorf("second job of the day while the first runs: %s at position %d", waiting.State, waiting.QueuePosition)
	}
	done1 := waitJob(t, q, first.ID, "done", (*PlanJob).Finished)
	done2 := waitJob(t, q, second.ID, "done", (*PlanJob).Finished)
	for _, j := range []*PlanJob{done1, done2} {
		if j.State != JobDone || j.PlanID == nil || j.Progress.Percent != 100 || j.Progress.BestCostFen == nil {
			t.Fatalf("job %d ended %+v", j.ID, j)
		}
	}
	if !done2.StartedAt.After(*done1.FinishedAt) && !done2.StartedAt.Equal(*done1.FinishedAt) {
		t.Errorf("the second job started at %s, before the first finished at %s", done2.StartedAt, done1.FinishedAt)
	}
	p1, _ := tc.store.Plan(ctx, *done1.PlanID)
	p2, _ := tc.store.Plan(ctx, *done2.PlanID)
	if p1.Version != 1 || p2.Version != 2 || *done1.Progress.BestCostFen != p1.Joint.CostFen {
		t.Errorf("versions %d, %d; job best %d, plan cost %d", p1.Version, p2.Version, *done1.Progress.BestCostFen, p1.Joint.CostFen)
	}
	jobs, err := q.Jobs(ctx, "2026-12-01")
	if err != nil || len(jobs) != 2 || jobs[0].ID != second.ID {
		t.Errorf("jobs of the day: %v, %v", jobs, err)
	}
}

func TestPlanQueueBoundedPool(t *testing.T) {
	t.Parallel()
	q, _ := newQueue(t, 1)
	ctx := context.Background()
	a, err := q.Submit(ctx, PlanRequest{ServiceDate: "2026-12-01", TimeLimit: 400 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	b, err := q.Submit(ctx, PlanRequest{ServiceDate: "2026-12-02", TimeLimit: 400 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	waitJob(t, q, a.ID, "running", func(j *PlanJob) bool { return j.State == JobRunning })
	if j, _ := q.Job(ctx, b.ID); j.State != JobQueued || j.QueuePosition != 1 || j.Progress.Phase != JobQueued {
		t.Errorf("another day's job with the only planner busy: %+v", j)
	}
	waitJob(t, q, b.ID, "done", func(j *PlanJob) bool { return j.State == JobDone })
}

func TestPlanQueueCancel(t *testing.T) {
	t.Parallel()
	q, tc := newQueue(t, 1)
	ctx := context.Background()
	long := PlanRequest{ServiceDate: "2026-12-01", TimeLimit: time.Minute}
	run, err := q.Submit(ctx, long)
	if err != nil {
		t.Fatal(err)
	}
	queued, err := q.Submit(ctx, long)
	if err != nil {
		t.Fatal(err)
	}
	waitJob(t, q, run.ID, "running", func(j *PlanJob) bool { return j.State == JobRunning })

	j, err := q.Cancel(ctx, queued.ID)
	if err != nil || j.State != JobCancelled {
		t.Fatalf("cancel a queued job: %+v, %v", j, err)
	}
	started := time.Now()
	j, err = q.Cancel(ctx, run.ID)
	if err != nil || j.State != JobCancelled || j.PlanID != nil {
		t.Fatalf("cancel a running job: %+v, %v", j, err)
	}
	if d := time.Since(started); d > 3*time.Second {
		t.Errorf("a cancelled solve took %s to stop", d)
	}
	if j, err := q.Cancel(ctx, run.ID); err != nil || j.State != JobCancelled {
		t.Errorf("cancelling again: %+v, %v", j, err)
	}
	var plans int
	must(t, func() error { return tc.pool.QueryRow(ctx, `SELECT count(*) FROM dispatch_plans`).Scan(&plans) })
	if plans != 0 {
		t.Errorf("a cancelled job stored %d plans", plans)
	}

	done, err := q.Submit(ctx, PlanRequest{ServiceDate: "2026-12-01", TimeLimit: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	waitJob(t, q, done.ID, "done", (*PlanJob).Finished)
	if _, err := q.Cancel(ctx, done.ID); !errs.Is(err, errs.Conflict) {
		t.Errorf("cancelling a finished job: %v", err)
	}
	if _, err := q.Cancel(ctx, 987654); !errs.Is(err, errs.NotFound) {
		t.Errorf("cancelling no job: %v", err)
	}
}

func TestPlanQueueRejectsBadRequests(t *testing.T) {
	t.Parallel()
	q, tc := newQueue(t, 1)
	ctx := context.Background()
	for _, r := range []PlanRequest{
		{ServiceDate: "tomorrow"},
		{ServiceDate: "2026-12-01", TimeLimit: time.Millisecond},
		{ServiceDate: "2026-12-01", TimeLimit: time.Hour},
	} {
		if _, err := q.Submit(ctx, r); !errs.Is(err, errs.Invalid) {
			t.Errorf("%+v: %v", r, err)
		}
	}
	var n int
	must(t, func() error { return tc.pool.QueryRow(ctx, `SELECT count(*) FROM plan_jobs`).Scan(&n) })
	if n != 0 {
		t.Errorf("bad requests queued %d jobs", n)
	}
}

// A job whose planner died (the server was killed) fails with a reason at
// the next claim, and frees its day.
func TestPlanQueueFailsOrphans(t *testing.T) {
	t.Parallel()
	q, tc := newQueue(t, 1)
	ctx := context.Background()
	var orphan int64
	must(t, func() error {
		return tc.pool.QueryRow(ctx, `INSERT INTO plan_jobs (service_date, state, time_limit_ms, started_at, heartbeat_at)
			VALUES ('2026-12-01', 'running', 1000, now() - interval '5 minutes', now() - interval '5 minutes') RETURNING id`).Scan(&orphan)
	})
	next, err := q.Submit(ctx, PlanRequest{ServiceDate: "2026-12-01", TimeLimit: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	waitJob(t, q, next.ID, "done", func(j *PlanJob) bool { return j.State == JobDone })
	j, err := q.Job(ctx, orphan)
	if err != nil || j.State != JobFailed || j.Error == nil || j.Error.Code != "unavailable" {
		t.Errorf("orphan: %+v, %v", j, err)
	}
}
