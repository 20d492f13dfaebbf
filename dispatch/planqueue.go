package dispatch

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/tenant"
)

// PlanQueue plans days in the background on a bounded pool of planners
// (one per core by default, one search thread each), so that a request
// answers at once with a job to follow, a second request waits in a queue
// it can see instead of timing out, and a client that goes away does not
// stop the solve. Jobs live in PostgreSQL: several servers (and the CLI)
// share one queue, and at most one job per day runs anywhere.
type PlanQueue struct {
	svc     *Service
	workers int
	// poll is how often an idle planner looks for work that another
	// process queued (its own process wakes it at once).
	poll time.Duration
	beat time.Duration

	wake chan struct{}

	mu      sync.Mutex
	live    map[int64]*liveJob
	changed chan struct{}

	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
}

// liveJob is a job running in this process: its freshest progress and the
// way to stop it.
type liveJob struct {
	job       PlanJob
	started   time.Time
	cancel    context.CancelFunc
	cancelled bool // by a person, as opposed to the server stopping
}

// NewPlanQueue makes a queue with workers planners; 0 means one per core.
func NewPlanQueue(s *Service, workers int) *PlanQueue {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	return &PlanQueue{svc: s, workers: workers, poll: 2 * time.Second, beat: time.Second,
		wake: make(chan struct{}, workers), live: map[int64]*liveJob{}, changed: make(chan struct{})}
}

// Start runs the planners until Stop.
func (q *PlanQueue) Start(ctx context.Context) error {
	ctx, q.cancel = context.WithCancel(context.WithoutCancel(ctx))
	for range q.workers {
		q.wg.Add(1)
		go func() {
			defer q.wg.Done()
			q.work(ctx)
		}()
	}
	return nil
}

// Stop cancels the running solves (their jobs fail as interrupted) and
// waits for the planners; it may be called more than once.
func (q *PlanQueue) Stop() {
	q.once.Do(func() {
		if q.cancel != nil {
			q.cancel()
		}
		q.wg.Wait()
	})
}

// Submit checks and queues a request and wakes a planner.
func (q *PlanQueue) Submit(ctx context.Context, r PlanRequest) (*PlanJob, error) {
	if err := r.check(); err != nil {
		return nil, err
	}
	j, err := q.svc.planJobs.insert(ctx, r)
	if err != nil {
		return nil, err
	}
	select {
	case q.wake <- struct{}{}:
	default:
	}
	q.notify()
	return j, nil
}

// Job reads a job, with the freshest progress when it runs here.
func (q *PlanQueue) Job(ctx context.Context, id int64) (*PlanJob, error) {
	j, err := q.svc.planJobs.get(ctx, id)
	if err != nil {
		return nil, err
	}
	q.mu.Lock()
	if l, ok := q.live[id]; ok && j.State == JobRunning {
		j.Progress = l.job.Progress
		j.Progress.ElapsedMs = time.Since(l.started).Milliseconds()
		j.fillProgress()
	}
	q.mu.Unlock()
	return j, nil
}

// Jobs lists a day's jobs, newest first.
func (q *PlanQueue) Jobs(ctx context.Context, date string) ([]*PlanJob, error) {
	return q.svc.planJobs.list(ctx, date)
}

// Changed is closed at the next change of any job this process knows of;
// watchers read the job again then (and now and then regardless, for jobs
// another process runs).
func (q *PlanQueue) Changed() <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.changed
}

func (q *PlanQueue) notify() {
	q.mu.Lock()
	close(q.changed)
	q.changed = make(chan struct{})
	q.mu.Unlock()
}

// cancelWait bounds how long Cancel waits for a running solve to stop.
const cancelWait = 5 * time.Second

// Cancel stops a job: a queued one never starts, a running one stops its
// search and stores nothing. Cancelling a cancelled job is no error;
// cancelling a finished one is a conflict.
func (q *PlanQueue) Cancel(ctx context.Context, id int64) (*PlanJob, error) {
	before, err := q.svc.planJobs.cancel(ctx, id)
	if err != nil {
		return nil, err
	}
	switch before {
	case JobDone, JobFailed:
		return nil, errs.E(errs.Conflict, "plan job %d has already %s; there is nothing to cancel", id, map[string]string{JobDone: "finished", JobFailed: "failed"}[before])
	case JobRunning:
		q.mu.Lock()
		if l, ok := q.live[id]; ok {
			l.cancelled = true
			l.cancel()
		}
		q.mu.Unlock()
	}
	q.notify()
	deadline := time.Now().Add(cancelWait)
	for {
		ch := q.Changed()
		j, err := q.Job(ctx, id)
		if err != nil || j.Finished() || time.Now().After(deadline) {
			return j, err
		}
		select {
		case <-ch:
		case <-time.After(100 * time.Millisecond):
		case <-ctx.Done():
			return j, nil
		}
	}
}

func (q *PlanQueue) work(ctx context.Context) {
	for ctx.Err() == nil {
		job, county, err := q.svc.planJobs.claim(ctx)
		if err != nil && ctx.Err() == nil {
			slog.ErrorContext(ctx, "cannot claim a plan job", "err", err)
		}
		if job == nil {
			select {
			case <-ctx.Done():
			case <-q.wake:
			case <-time.After(q.poll):
			}
			continue
		}
		q.run(tenant.With(ctx, county), job) // the job's county's stations, parcels and plans
	}
}

// run solves one claimed job, beating its heartbeat and progress into the
// database while it runs, and records how it ended.
func (q *PlanQueue) run(ctx context.Context, job *PlanJob) {
	jctx, cancel := context.WithCancel(ctx)
	defer cancel()
	l := &liveJob{job: *job, started: time.Now(), cancel: cancel}
	q.mu.Lock()
	q.live[job.ID] = l
	q.mu.Unlock()
	q.notify()

	beatDone := make(chan struct{})
	go func() {
		defer close(beatDone)
		q.heartbeat(jctx, l)
	}()
	opt := PlanOptions{ServiceDate: job.ServiceDate, TimeLimit: time.Duration(job.TimeLimitMs) * time.Millisecond,
		Seed: job.Seed, MaxTrips: job.MaxTrips, ReloadTime: time.Duration(job.ReloadMinutes) * time.Minute,
		ByWave: job.ByWave, PlanModel: job.PlanModel,
		Threads: 1, Progress: func(p PlanProgress) { q.progress(l, p) }}
	plan, err := q.svc.CreatePlan(jctx, opt)
	cancel()
	<-beatDone

	q.mu.Lock()
	state, p, personal := JobDone, l.progress(), l.cancelled
	q.mu.Unlock()
	var planID *int64
	var jerr *JobError
	switch {
	case personal:
		state = JobCancelled
	case err != nil && ctx.Err() != nil:
		state, jerr = JobFailed, &JobError{Code: string(errs.Unavailable), Detail: "the server stopped before the plan was finished; plan the day again"}
	case err != nil:
		state, jerr = JobFailed, jobError(err)
		if errs.CodeOf(err) == errs.Internal {
			slog.ErrorContext(ctx, "plan job failed", "job", job.ID, "date", job.ServiceDate, "err", err)
		}
	default:
		planID, p.BestCostFen = &plan.ID, &plan.Joint.CostFen
	}
	fctx, fcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer fcancel()
	if err := q.svc.planJobs.finish(fctx, job.ID, state, p, planID, jerr); err != nil {
		slog.ErrorContext(ctx, "cannot record the end of a plan job", "job", job.ID, "err", err)
	}
	q.mu.Lock()
	delete(q.live, job.ID)
	q.mu.Unlock()
	q.notify()
}

// progress hears the planner: the phase, and the best cost of the joint
// plan (the counterfactual's costs are not what the county will pay).
func (q *PlanQueue) progress(l *liveJob, p PlanProgress) {
	q.mu.Lock()
	l.job.Progress.Phase = p.Phase
	if p.Phase == "joint" && p.BestCost > 0 {
		c := p.BestCost
		l.job.Progress.BestCostFen = &c
	}
	q.mu.Unlock()
	q.notify()
}

// progress is the job's progress now; the caller holds the queue's lock.
func (l *liveJob) progress() JobProgress {
	p := l.job.Progress
	p.ElapsedMs = time.Since(l.started).Milliseconds()
	return p
}

// heartbeat writes the progress about once a second until ctx ends, and
// cancels the solve when the job was cancelled elsewhere.
func (q *PlanQueue) heartbeat(ctx context.Context, l *liveJob) {
	t := time.NewTicker(q.beat)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		q.mu.Lock()
		p := l.progress()
		q.mu.Unlock()
		cancel, err := q.svc.planJobs.beat(ctx, l.job.ID, p)
		if err != nil && !errors.Is(ctx.Err(), context.Canceled) {
			slog.WarnContext(ctx, "cannot record a plan job's progress", "job", l.job.ID, "err", err)
		}
		if cancel {
			q.mu.Lock()
			l.cancelled = true
			l.cancel()
			q.mu.Unlock()
			return
		}
	}
}
