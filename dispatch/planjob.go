package dispatch

import (
	"time"

	"github.com/tongpei/tongpei/internal/errs"
)

// The states of a plan job. A job is queued until a planner is free and no
// other job of its day runs, running until the solve ends, then done,
// failed or cancelled for good.
const (
	JobQueued    = "queued"
	JobRunning   = "running"
	JobDone      = "done"
	JobFailed    = "failed"
	JobCancelled = "cancelled"
)

// PlanJob is one request to plan a day, run in the background so that no
// client has to hold a connection for the minute a solve may take.
type PlanJob struct {
	ID          int64  `json:"id"`
	ServiceDate string `json:"service_date"`
	State       string `json:"state"`
	TimeLimitMs int64  `json:"time_limit_ms"`
	Seed        int64  `json:"seed"`
	// MaxTrips and ReloadMinutes are the vans' day the job plans: runs a
	// van, and minutes at the hub between two (see PlanOptions).
	MaxTrips      int  `json:"max_trips"`
	ReloadMinutes int  `json:"reload_minutes"`
	ByWave        bool `json:"by_wave"`
	// PlanModel (balance, ev_range_km) is the job's model of the vans.
	PlanModel
	RequestedBy string     `json:"requested_by,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	StartedAt   *time.Time `json:"started_at"`
	FinishedAt  *time.Time `json:"finished_at"`
	// QueuePosition is 1 for the next job to start, 0 once it has started.
	QueuePosition int         `json:"queue_position"`
	Progress      JobProgress `json:"progress"`
	// CancelRequested is set from DELETE until the planner has stopped.
	CancelRequested bool      `json:"cancel_requested"`
	PlanID          *int64    `json:"plan_id"`
	Error           *JobError `json:"error,omitempty"`
}

// JobProgress is what a progress bar shows: the share of the time budget
// spent, the time left and the best joint cost found so far.
type JobProgress struct {
	// Phase is "queued", "preparing", "joint", "separate:<carrier>" or the
	// final state.
	Phase       string  `json:"phase"`
	Percent     float64 `json:"percent"`
	ElapsedMs   int64   `json:"elapsed_ms"`
	BudgetMs    int64   `json:"budget_ms"`
	RemainingMs int64   `json:"remaining_ms"`
	BestCostFen *int64  `json:"best_cost_fen"`
}

// JobError says why a job failed, with the same stable codes as the API's
// problems.
type JobError struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

// Finished reports whether the job will change no more.
func (j *PlanJob) Finished() bool {
	return j.State == JobDone || j.State == JobFailed || j.State == JobCancelled
}

// budget is the whole time a job may take: the joint plan's time limit and
// as much again for the counterfactual (see separate).
func (j *PlanJob) budget() time.Duration {
	return 2 * time.Duration(j.TimeLimitMs) * time.Millisecond
}

// fillProgress derives the percentage and the time left from the elapsed
// time. A running job never shows 100 % (the counterfactual's small
// problems may overrun their share by a few milliseconds); a done one
// always does.
func (j *PlanJob) fillProgress() {
	p := &j.Progress
	p.BudgetMs = j.budget().Milliseconds()
	switch j.State {
	case JobQueued:
		p.Phase, p.ElapsedMs, p.Percent, p.RemainingMs = JobQueued, 0, 0, p.BudgetMs
		return
	case JobDone:
		p.Phase, p.Percent, p.RemainingMs = JobDone, 100, 0
		return
	case JobFailed, JobCancelled:
		p.Phase, p.RemainingMs = j.State, 0
		return
	}
	if p.Phase == "" {
		p.Phase = "preparing"
	}
	p.RemainingMs = max(0, p.BudgetMs-p.ElapsedMs)
	if p.BudgetMs > 0 {
		p.Percent = min(99, float64(p.ElapsedMs*1000/p.BudgetMs)/10)
	}
}

// PlanRequest is what a person or script asks for.
type PlanRequest struct {
	ServiceDate string
	TimeLimit   time.Duration // 0: DefaultTimeLimit
	Seed        int64
	MaxTrips    int           // 0: DefaultTrips
	ReloadTime  time.Duration // 0: DefaultReload
	ByWave      bool          // see PlanOptions
	PlanModel                 // see PlanOptions
	RequestedBy string        // who asked, for the record
}

func (r *PlanRequest) check() error {
	o := PlanOptions{ServiceDate: r.ServiceDate, TimeLimit: r.TimeLimit, MaxTrips: r.MaxTrips, ReloadTime: r.ReloadTime, PlanModel: r.PlanModel}
	if _, err := o.check(); err != nil {
		return err
	}
	r.TimeLimit, r.MaxTrips, r.ReloadTime, r.PlanModel = o.TimeLimit, o.MaxTrips, o.ReloadTime, o.PlanModel
	return nil
}

// jobError turns a planning failure into what the job shows.
func jobError(err error) *JobError {
	code := errs.CodeOf(err)
	detail := err.Error()
	if code == errs.Internal {
		detail = "planning failed unexpectedly; the server log has the cause"
	}
	return &JobError{Code: string(code), Detail: detail}
}
