package dispatch

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/tenant"
)

// The split of a plan's cost takes about half a minute on the demonstration
// day (254 coalition solves for eight carriers), too long for the request
// that first asks for it. So a published plan's split is computed in the
// background, by one goroutine the Service owns, and stored
// (dispatch_cost_shares) before anyone asks; the GET answers at once with
// the stored split, or with the computation's progress while it runs. The
// result lives in PostgreSQL, so the work survives a restart: on start, and
// every poll after, the worker looks for published plans that have no split
// and computes them, newest first (today's plan is the one people open).
// Several servers take turns by a per-plan advisory lock (shareStore.claim);
// should two ever compute one plan, the first stored wins
// (shareStore.insert), so the billed split is still one.

// ShareProgress is where the background split of one plan stands.
type ShareProgress struct {
	PlanID int64 `json:"plan_id"`
	// State is "queued" (published, waiting its turn) or "computing".
	State   string `json:"state"`
	Method  string `json:"method,omitempty"`  // once computing
	Players int    `json:"players,omitempty"` // once computing
	// Coalitions is how many proper coalitions an exact split values
	// (2ⁿ − 2); 0 when sampled, whose length is its budget.
	Coalitions int        `json:"coalitions"`
	Valued     int        `json:"valued"` // coalitions valued so far
	StartedAt  *time.Time `json:"started_at,omitempty"`
	ElapsedMs  int64      `json:"elapsed_ms"`
	BudgetMs   int64      `json:"budget_ms"`
}

// shareWorker is the background computation of splits.
type shareWorker struct {
	svc  *Service
	opt  ShareOptions
	poll time.Duration
	wake chan struct{}

	mu     sync.Mutex
	live   *ShareProgress
	failed map[int64]error // plans whose split cannot be computed, until restart
	// elsewhere are plans another server is computing: skipped until the
	// next wake or poll.
	elsewhere map[int64]bool

	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
}

// DefaultSharePoll is how often the worker looks for plans another process
// published (its own process wakes it at once).
const DefaultSharePoll = time.Minute

// StartCostShares runs the background computation of published plans'
// splits with opt until StopCostShares; poll 0 means DefaultSharePoll. A
// Service runs at most one.
func (s *Service) StartCostShares(ctx context.Context, opt ShareOptions, poll time.Duration) error {
	if err := opt.check(); err != nil {
		return err
	}
	if poll <= 0 {
		poll = DefaultSharePoll
	}
	w := &shareWorker{svc: s, opt: opt, poll: poll, wake: make(chan struct{}, 1), failed: map[int64]error{}}
	if !s.shareBg.CompareAndSwap(nil, w) {
		return errs.E(errs.Conflict, "the cost shares are computed in the background already")
	}
	ctx, w.cancel = context.WithCancel(context.WithoutCancel(ctx))
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		w.run(ctx)
	}()
	return nil
}

// StopCostShares stops the background computation and waits for it; a split
// cut short is not stored, and the next start computes it again.
func (s *Service) StopCostShares() {
	w := s.shareBg.Load()
	if w == nil {
		return
	}
	w.once.Do(func() {
		w.cancel()
		w.wg.Wait()
	})
	s.shareBg.CompareAndSwap(w, nil)
}

// nudge wakes the worker without waiting.
func (w *shareWorker) nudge() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *shareWorker) run(ctx context.Context) {
	for {
		w.mu.Lock()
		w.elsewhere = map[int64]bool{}
		w.mu.Unlock()
		for ctx.Err() == nil {
			id, county, err := w.svc.shares.pending(ctx, w.skipped())
			if err != nil {
				if ctx.Err() == nil {
					slog.WarnContext(ctx, "plans awaiting cost shares", "err", err)
				}
				break
			}
			if id == 0 {
				break
			}
			w.compute(tenant.With(ctx, county), id) // the plan's county's tables

		}
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-time.After(w.poll):
		}
	}
}

// skipped are the plans that failed here or that another server computes.
func (w *shareWorker) skipped() []int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]int64, 0, len(w.failed)+len(w.elsewhere))
	for id := range w.failed {
		out = append(out, id)
	}
	for id := range w.elsewhere {
		out = append(out, id)
	}
	return out
}

// compute splits one plan, keeping its progress for the GET to show.
func (w *shareWorker) compute(ctx context.Context, id int64) {
	release, ok, err := w.svc.shares.claim(ctx, id)
	if err != nil || !ok {
		if err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "plan cost shares lock", "plan", id, "err", err)
		}
		w.mu.Lock()
		w.elsewhere[id] = true
		w.mu.Unlock()
		return
	}
	defer release()
	started := time.Now().UTC()
	w.mu.Lock()
	w.live = &ShareProgress{PlanID: id, State: "computing", StartedAt: &started, BudgetMs: w.opt.Budget.Milliseconds()}
	w.mu.Unlock()
	opt := w.opt
	opt.progress = func(method string, players, coalitions, valued int) {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.live != nil && w.live.PlanID == id {
			w.live.Method, w.live.Players, w.live.Coalitions, w.live.Valued = method, players, coalitions, valued
		}
	}
	_, err = w.svc.storedOrCompute(ctx, id, opt) // under the lock taken above
	w.mu.Lock()
	defer w.mu.Unlock()
	w.live = nil
	if err != nil && ctx.Err() == nil {
		w.failed[id] = err
		slog.WarnContext(ctx, "plan cost shares failed", "plan", id, "err", err)
	}
}

// progressOf is plan id's place in the background computation, or the
// error it failed with.
func (w *shareWorker) progressOf(id int64) (*ShareProgress, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err, ok := w.failed[id]; ok {
		return nil, err
	}
	if w.live != nil && w.live.PlanID == id {
		p := *w.live
		p.ElapsedMs = time.Since(*p.StartedAt).Milliseconds()
		return &p, nil
	}
	w.nudge()
	return &ShareProgress{PlanID: id, State: "queued", BudgetMs: w.opt.Budget.Milliseconds()}, nil
}

// CostSharesNow answers at once: the stored split of a published plan, or,
// while the background computation still owes it, its progress (and a nil
// split). When no background computation runs (the CLI, tests), it
// computes the split in the call as CostShares does.
func (s *Service) CostSharesNow(ctx context.Context, planID int64) (*CostShares, *ShareProgress, error) {
	cs, err := s.shares.get(ctx, planID)
	if err == nil || !errs.Is(err, errs.NotFound) {
		return cs, nil, err
	}
	w := s.shareBg.Load()
	if w == nil {
		cs, err := s.CostShares(ctx, planID, ShareOptions{})
		return cs, nil, err
	}
	plan, err := s.Plan(ctx, planID)
	if err != nil {
		return nil, nil, err
	}
	if plan.Status != "published" {
		return nil, nil, draftNotShared(planID)
	}
	p, err := w.progressOf(planID)
	if err != nil {
		return nil, nil, err
	}
	// It may have been stored between the first read and now.
	if cs, err := s.shares.get(ctx, planID); err == nil {
		return cs, nil, nil
	}
	return nil, p, nil
}

// draftNotShared refuses the split of a draft.
func draftNotShared(planID int64) error {
	return errs.E(errs.Conflict, "plan %d is a draft; its cost is shared once it is published (POST /v1/dispatch/plans/%d/publish)", planID, planID)
}
