package solverbus

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/tongpei/tongpei/dispatch/vrp"
)

// WorkerOptions tune a worker; the zero value takes one job at a time.
type WorkerOptions struct {
	// Jobs is how many solves run at once (default 1); each uses Threads
	// cores, so Jobs×Threads should not pass the machine's cores.
	Jobs int
	// Threads caps a request's parallel searches (default: what it asks,
	// at most 1 if it asks none).
	Threads int
	Logger  *slog.Logger
}

// Worker is one solver process's micro service.
type Worker struct {
	nc     *nats.Conn
	svc    micro.Service
	id     string
	cancel *nats.Subscription
	// inbox.<job> is the reply subject of the worker's reports: NATS
	// answers there "no responders" when the requester's inbox is gone
	// (serve died or gave the attempt up), and the job stops.
	inbox string
	gone  *nats.Subscription
	opts  WorkerOptions
	slots chan struct{}
	log   *slog.Logger

	mu      sync.Mutex
	jobs    map[string]*job
	stopped bool
	wg      sync.WaitGroup

	solved, cancelled, refused atomic.Int64
}

type job struct {
	cancel   context.CancelFunc
	stopping bool // the worker is stopping: answer busy, not a short search
}

// WorkerStats is the Data of the service's $SRV.STATS answer.
type WorkerStats struct {
	Running   int   `json:"running"`
	Jobs      int   `json:"jobs"`
	Solved    int64 `json:"solved"`
	Cancelled int64 `json:"cancelled"`
	Refused   int64 `json:"refused"` // busy answers
	PID       int   `json:"pid"`
}

// StartWorker registers the solve endpoint in the queue group and the
// cancel subscription, and serves until Stop.
func StartWorker(nc *nats.Conn, opts WorkerOptions) (*Worker, error) {
	if opts.Jobs <= 0 {
		opts.Jobs = 1
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	w := &Worker{nc: nc, opts: opts, slots: make(chan struct{}, opts.Jobs), jobs: map[string]*job{}}
	host, _ := os.Hostname()
	svc, err := micro.AddService(nc, micro.Config{
		Name:        ServiceName,
		Version:     ServiceVersion,
		Description: "tongpei's route optimiser (dispatch/vrp, hybrid genetic search)",
		QueueGroup:  QueueGroup,
		Metadata:    map[string]string{"host": host, "pid": strconv.Itoa(os.Getpid()), "jobs": strconv.Itoa(opts.Jobs)},
		StatsHandler: func(*micro.Endpoint) any {
			return w.Stats()
		},
	})
	if err != nil {
		return nil, fmt.Errorf("solver service: %w", err)
	}
	w.svc, w.id = svc, svc.Info().ID
	w.log = opts.Logger.With("worker", w.id)
	if err := svc.AddEndpoint("solve", micro.HandlerFunc(w.handle), micro.WithEndpointSubject(SolveSubject)); err != nil {
		_ = svc.Stop()
		return nil, fmt.Errorf("solver endpoint: %w", err)
	}
	// Every worker hears every cancel and looks the job up: cheaper than a
	// subscription per job, and a cancel for a job it lacks is ignored.
	w.cancel, err = nc.Subscribe(cancelSubject("*"), func(m *nats.Msg) {
		w.cancelJob(jobOfCancel(m.Subject), false)
	})
	if err != nil {
		_ = svc.Stop()
		return nil, fmt.Errorf("solver cancel subscription: %w", err)
	}
	w.inbox = nc.NewInbox()
	w.gone, err = nc.Subscribe(w.inbox+".*", func(m *nats.Msg) {
		if m.Header.Get("Status") == "503" {
			job := strings.TrimPrefix(m.Subject, w.inbox+".")
			w.log.Info("the requester is gone; stopping", "job", job)
			w.cancelJob(job, false)
		}
	})
	if err != nil {
		w.Stop()
		return nil, fmt.Errorf("solver report subscription: %w", err)
	}
	if err := nc.Flush(); err != nil {
		w.Stop()
		return nil, fmt.Errorf("solver service: %w", err)
	}
	return w, nil
}

// ID is the worker's micro service id, named in its answers.
func (w *Worker) ID() string { return w.id }

// Stats says what the worker is doing.
func (w *Worker) Stats() WorkerStats {
	return WorkerStats{Running: len(w.slots), Jobs: w.opts.Jobs, Solved: w.solved.Load(), Cancelled: w.cancelled.Load(),
		Refused: w.refused.Load(), PID: os.Getpid()}
}

// Stop leaves the queue group, answers the running jobs "busy" so that
// their clients send them to another worker at once, and waits for them.
func (w *Worker) Stop() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
	_ = w.svc.Stop()
	for _, sub := range []*nats.Subscription{w.cancel, w.gone} {
		if sub != nil {
			_ = sub.Unsubscribe()
		}
	}
	w.mu.Lock()
	for id := range w.jobs {
		w.cancelLocked(id, true)
	}
	w.mu.Unlock()
	w.wg.Wait()
	_ = w.nc.Flush()
}

func (w *Worker) cancelJob(id string, stopping bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.cancelLocked(id, stopping)
}

func (w *Worker) cancelLocked(id string, stopping bool) {
	if j, ok := w.jobs[id]; ok {
		j.stopping = j.stopping || stopping
		j.cancel()
	}
}

// handle runs in the endpoint's subscription: it only decodes and takes a
// slot, so a busy worker answers at once and the client tries another.
func (w *Worker) handle(req micro.Request) {
	var r Request
	if err := decode(req.Data(), req.Headers().Get(EncodingHeader), &r); err != nil {
		_ = req.Error(CodeInvalid, "cannot read the solve request: "+err.Error(), nil)
		return
	}
	if r.Instance == nil || r.Job == "" || strings.ContainsAny(r.Job, ".*> ") {
		_ = req.Error(CodeInvalid, "the solve request needs a job id (one NATS subject token) and an instance", nil)
		return
	}
	if req.Reply() == "" {
		return // nobody to answer
	}
	select {
	case w.slots <- struct{}{}:
	default:
		w.refused.Add(1)
		_ = req.Error(CodeBusy, "busy: every slot of this worker is solving", nil)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	j := &job{cancel: cancel}
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		cancel()
		<-w.slots
		_ = req.Error(CodeBusy, "stopping", nil)
		return
	}
	w.jobs[r.Job] = j
	w.wg.Add(1)
	w.mu.Unlock()
	go func() {
		defer w.wg.Done()
		defer func() { <-w.slots }()
		defer func() {
			w.mu.Lock()
			delete(w.jobs, r.Job)
			w.mu.Unlock()
			cancel()
		}()
		w.solve(ctx, j, req, &r)
	}()
}

// solve runs one job, reporting every HeartbeatMs, and answers.
func (w *Worker) solve(ctx context.Context, j *job, req micro.Request, r *Request) {
	reply := req.Reply()
	send := func(kind string, v any) {
		m := nats.NewMsg(reply)
		m.Reply = w.inbox + "." + r.Job
		m.Header.Set(KindHeader, kind)
		m.Header.Set(WorkerHeader, w.ID())
		if v != nil {
			m.Data, _ = json.Marshal(v)
		}
		if err := w.nc.PublishMsg(m); err != nil {
			w.log.Warn("solver cannot report", "job", r.Job, "err", err)
		}
	}
	send(KindAccepted, nil)
	opt := r.options()
	if w.opts.Threads > 0 {
		opt.Threads = min(max(1, opt.Threads), w.opts.Threads)
	}
	var mu sync.Mutex
	var last Progress
	improved := false
	opt.Progress = func(p vrp.Progress) {
		mu.Lock()
		last = Progress{ElapsedMs: p.Elapsed.Milliseconds(), Iterations: p.Iterations, BestCost: p.BestCost, Feasible: p.Feasible}
		improved = true
		mu.Unlock()
	}
	every := time.Duration(max(r.HeartbeatMs, 50)) * time.Millisecond
	done := make(chan struct{})
	started := time.Now()
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				mu.Lock()
				p := last
				p.Improved, improved = improved, false
				if !p.Improved {
					p.ElapsedMs = time.Since(started).Milliseconds()
				}
				mu.Unlock()
				send(KindProgress, p)
			}
		}
	}()
	w.log.Info("solving", "job", r.Job, "stops", len(r.Instance.Stops), "time_limit_ms", r.TimeLimitMs)
	sol, err := vrp.Solve(ctx, r.Instance, opt)
	close(done)
	w.mu.Lock()
	stopping := j.stopping
	w.mu.Unlock()
	switch {
	case stopping:
		_ = req.Error(CodeBusy, "the worker is stopping; send the job to another", nil)
		w.log.Info("handed back at stop", "job", r.Job)
	case err != nil:
		// vrp.Solve fails only on a malformed instance.
		_ = req.Error(CodeInvalid, err.Error(), nil)
		w.log.Warn("solve failed", "job", r.Job, "err", err)
	default:
		a := Answer{Solution: sol, Worker: w.ID(), Cancelled: ctx.Err() != nil, SolveMs: time.Since(started).Milliseconds()}
		if a.Cancelled {
			w.cancelled.Add(1)
		} else {
			w.solved.Add(1)
		}
		body, err := encode(a)
		if err != nil {
			_ = req.Error("500", "cannot encode the answer: "+err.Error(), nil)
			return
		}
		if err := req.Respond(body, micro.WithHeaders(micro.Headers{KindHeader: {KindDone}, WorkerHeader: {w.ID()}, EncodingHeader: {"gzip"}})); err != nil {
			w.log.Warn("solver cannot answer", "job", r.Job, "err", err)
		}
		w.log.Info("solved", "job", r.Job, "cost", sol.Cost, "cancelled", a.Cancelled, "solve_ms", a.SolveMs)
	}
}
