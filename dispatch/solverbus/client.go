package solverbus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tongpei/tongpei/dispatch/vrp"
)

// ClientOptions tune how serve reaches the workers; the zero value is
// what serve uses.
type ClientOptions struct {
	// HeartbeatTimeout is how long a worker may stay silent before its job
	// is sent again (default 5 s); workers report four times as often.
	HeartbeatTimeout time.Duration
	// Attempts is how many workers a job is sent to before it is solved in
	// process (default 3); busy answers do not count.
	Attempts int
	// BusyWait is how long a job waits for a free worker before it is
	// solved in process (default 1 min).
	BusyWait time.Duration
	// CancelGrace is how long a cancelled job waits for the worker's best
	// solution so far (default 2 s).
	CancelGrace time.Duration
	// OnWorker, when set, hears which worker took each attempt.
	OnWorker func(worker string)
	// Metrics, when set, receives the client's counters (one client per
	// registry).
	Metrics prometheus.Registerer
	Logger  *slog.Logger
}

func (o *ClientOptions) defaults() {
	if o.HeartbeatTimeout <= 0 {
		o.HeartbeatTimeout = 5 * time.Second
	}
	if o.Attempts <= 0 {
		o.Attempts = 3
	}
	if o.BusyWait <= 0 {
		o.BusyWait = time.Minute
	}
	if o.CancelGrace <= 0 {
		o.CancelGrace = 2 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// Client sends solves to the workers' queue group and solves in process
// when there are none.
type Client struct {
	nc   *nats.Conn
	opts ClientOptions
	m    *clientMetrics
}

// NewClient is a client over nc.
func NewClient(nc *nats.Conn, opts ClientOptions) *Client {
	opts.defaults()
	return &Client{nc: nc, opts: opts, m: newClientMetrics(opts.Metrics)}
}

// Result is a solve and where it ran.
type Result struct {
	Solution  *vrp.Solution
	Worker    string // empty: solved in process
	Attempts  int    // workers that took the job (a lost one included)
	Cancelled bool   // ctx ended first; Solution is the best so far
}

// Solve has vrp.Solve's contract (dispatch.Solver): the best solution found
// within opt.TimeLimit or until ctx ends, an error only for a malformed
// instance.
func (c *Client) Solve(ctx context.Context, in *vrp.Instance, opt vrp.Options) (*vrp.Solution, error) {
	r, err := c.SolveDetail(ctx, in, opt)
	if err != nil {
		return nil, err
	}
	return r.Solution, nil
}

// errors of one attempt that decide what comes next.
var (
	errNoWorkers  = errors.New("no solver worker answers")
	errBusy       = errors.New("the worker is busy")
	errLost       = errors.New("the worker went silent")
	errTooLarge   = errors.New("the request exceeds the NATS payload limit")
	errCancelling = errors.New("cancelled")
)

// InvalidError is a worker's refusal of the instance itself.
type InvalidError struct{ Reason string }

func (e *InvalidError) Error() string { return "the solver worker refused the problem: " + e.Reason }

// SolveDetail is Solve, also saying which worker answered.
func (c *Client) SolveDetail(ctx context.Context, in *vrp.Instance, opt vrp.Options) (*Result, error) {
	req := Request{Instance: in, TimeLimitMs: opt.TimeLimit.Milliseconds(), Seed: opt.Seed, Threads: opt.Threads,
		MaxIterations: opt.MaxIterations, Initial: opt.Initial, HeartbeatMs: (c.opts.HeartbeatTimeout / 4).Milliseconds()}
	res := &Result{}
	busySince, lost := time.Time{}, 0
	backoff := 50 * time.Millisecond
	for {
		if ctx.Err() != nil && res.Attempts > 0 {
			return nil, ctx.Err() // cancelled while an attempt was lost: no new one
		}
		req.Job = uuid.NewString()
		a, err := c.attempt(ctx, &req, opt.Progress, res)
		switch {
		case err == nil:
			res.Solution, res.Worker, res.Cancelled = a.Solution, a.Worker, a.Cancelled
			c.m.solves.WithLabelValues("worker").Inc()
			c.opts.Logger.Debug("solved by a worker", "worker", a.Worker, "attempts", res.Attempts, "solve_ms", a.SolveMs, "cancelled", a.Cancelled)
			return res, nil
		case errors.Is(err, errCancelling):
			return nil, ctx.Err()
		case errors.Is(err, errBusy):
			c.m.attempts.WithLabelValues("busy").Inc()
			if busySince.IsZero() {
				busySince = time.Now()
			}
			if time.Since(busySince) > c.opts.BusyWait {
				c.opts.Logger.Warn("every solver worker stayed busy; solving in process", "waited", time.Since(busySince).Round(time.Second))
				return c.local(ctx, in, opt, res)
			}
			// Queue groups pick a member at random: a short wait and
			// another draw usually finds a free one.
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, time.Second)
		case errors.Is(err, errLost):
			c.m.attempts.WithLabelValues("lost").Inc()
			lost++
			c.opts.Logger.Warn("a solver worker went silent; sending the job again", "attempt", lost, "of", c.opts.Attempts)
			if lost >= c.opts.Attempts {
				c.opts.Logger.Warn("solver workers lost the job every time; solving in process", "attempts", lost)
				return c.local(ctx, in, opt, res)
			}
		case errors.Is(err, errNoWorkers), errors.Is(err, errTooLarge), errors.Is(err, nats.ErrConnectionClosed),
			errors.Is(err, nats.ErrConnectionReconnecting), errors.Is(err, nats.ErrConnectionDraining):
			if !errors.Is(err, errNoWorkers) {
				c.opts.Logger.Warn("cannot send the job to the solver workers; solving in process", "err", err)
			}
			return c.local(ctx, in, opt, res)
		default:
			return nil, err
		}
	}
}

func (c *Client) local(ctx context.Context, in *vrp.Instance, opt vrp.Options, res *Result) (*Result, error) {
	c.m.solves.WithLabelValues("local").Inc()
	sol, err := vrp.Solve(ctx, in, opt)
	if err != nil {
		return nil, err
	}
	res.Solution, res.Worker, res.Cancelled = sol, "", ctx.Err() != nil
	return res, nil
}

// attempt sends the request once and follows its inbox until the answer,
// a refusal, a silence longer than HeartbeatTimeout or ctx's end.
func (c *Client) attempt(ctx context.Context, req *Request, progress func(vrp.Progress), res *Result) (*Answer, error) {
	body, err := encode(req)
	if err != nil {
		return nil, fmt.Errorf("solve request: %w", err)
	}
	if int64(len(body)) > c.nc.MaxPayload() {
		return nil, fmt.Errorf("%w: %d bytes compressed, the server takes %d", errTooLarge, len(body), c.nc.MaxPayload())
	}
	inbox := c.nc.NewInbox()
	msgs := make(chan *nats.Msg, 64)
	sub, err := c.nc.ChanSubscribe(inbox, msgs)
	if err != nil {
		return nil, err
	}
	defer sub.Unsubscribe()
	m := nats.NewMsg(SolveSubject)
	m.Reply, m.Data = inbox, body
	m.Header.Set(EncodingHeader, "gzip")
	if err := c.nc.PublishMsg(m); err != nil {
		return nil, err
	}
	silence := time.NewTimer(c.opts.HeartbeatTimeout)
	defer silence.Stop()
	var grace <-chan time.Time
	var best int64 = -1
	for {
		select {
		case <-ctx.Done():
			// The worker stops and answers its best so far; one that
			// accepts during the grace is told again.
			_ = c.nc.Publish(cancelSubject(req.Job), nil)
			grace = time.After(c.opts.CancelGrace)
			ctx = context.WithoutCancel(ctx) // ends this case: Done never fires again
		case <-grace:
			return nil, errCancelling
		case <-silence.C:
			_ = c.nc.Publish(cancelSubject(req.Job), nil) // in case it is only stalled
			return nil, errLost
		case msg := <-msgs:
			if msg.Header.Get("Status") == "503" && len(msg.Data) == 0 {
				return nil, errNoWorkers // NATS itself: nobody subscribes
			}
			if code := msg.Header.Get("Nats-Service-Error-Code"); code != "" {
				reason := msg.Header.Get("Nats-Service-Error")
				if code == CodeBusy {
					return nil, fmt.Errorf("%w: %s", errBusy, reason)
				}
				return nil, &InvalidError{Reason: reason}
			}
			silence.Reset(c.opts.HeartbeatTimeout)
			switch msg.Header.Get(KindHeader) {
			case KindAccepted:
				if grace != nil {
					_ = c.nc.Publish(cancelSubject(req.Job), nil)
				}
				res.Attempts++
				if c.opts.OnWorker != nil {
					c.opts.OnWorker(msg.Header.Get(WorkerHeader))
				}
			case KindProgress:
				var p Progress
				if progress != nil && decode(msg.Data, "", &p) == nil && p.Improved && (best < 0 || p.BestCost < best) {
					best = p.BestCost
					progress(vrp.Progress{Elapsed: time.Duration(p.ElapsedMs) * time.Millisecond, Iterations: p.Iterations,
						BestCost: p.BestCost, Feasible: p.Feasible})
				}
			case KindDone:
				var a Answer
				if err := decode(msg.Data, msg.Header.Get(EncodingHeader), &a); err != nil || a.Solution == nil {
					return nil, fmt.Errorf("the solver worker's answer is unreadable: %w", err)
				}
				return &a, nil
			}
		}
	}
}
