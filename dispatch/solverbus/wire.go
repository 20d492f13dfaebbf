// Package solverbus runs the route optimiser (dispatch/vrp) as a NATS micro
// service, so a province's plans are solved by worker processes on other
// machines: Worker is the service (`tongpei solver-worker`), Client is what
// serve's planner calls instead of vrp.Solve. Workers share one queue
// group; NATS, not this package, spreads the requests and notices a worker
// gone. The wire is JSON (gzip-compressed) on core NATS request-reply:
//
//	tongpei.solver.solve           request: Request; replies on its inbox
//	tongpei.solver.cancel.<job>    cancel one attempt (any payload)
//
// On the request's inbox the worker sends, in order: an "accepted" message,
// "progress" messages every Request.HeartbeatMs (the heartbeat: silence
// means the worker died, and the client sends the job again), and one
// answer: "done" with an Answer, or a micro service error (code 400: the
// instance is bad; 503: busy or stopping, try another worker).
package solverbus

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tongpei/tongpei/dispatch/vrp"
	"github.com/tongpei/tongpei/internal/bus"
)

// Subjects and names of the service; none is under a JetStream stream's
// subjects (tongpei.parcel|dispatch|carrier|dlq|notify.>), so requests are
// never stored.
const (
	ServiceName    = "tongpei-solver"
	ServiceVersion = "1.0.0"
	QueueGroup     = "tongpei-solver"
)

// SolveSubject is where solve requests go; a job's cancel goes to
// cancelSubject(job).
var SolveSubject = bus.FamilySolver.Subject("solve")

func cancelSubject(job string) string { return bus.FamilySolver.Subject("cancel", job) }

// jobOfCancel is the job a cancel subject names.
func jobOfCancel(subject string) string {
	return strings.TrimPrefix(subject, bus.FamilySolver.Subject("cancel", ""))
}

// Headers of the messages on a request's inbox.
const (
	// KindHeader says what a worker's message is: KindAccepted,
	// KindProgress or KindDone (errors carry micro's own headers).
	KindHeader   = "Tongpei-Solver"
	KindAccepted = "accepted"
	KindProgress = "progress"
	KindDone     = "done"
	// WorkerHeader names the worker (its micro service id).
	WorkerHeader = "Tongpei-Solver-Worker"
	// EncodingHeader is "gzip" when the body is compressed.
	EncodingHeader = "Content-Encoding"
)

// Service error codes a worker answers with.
const (
	CodeInvalid = "400" // the instance or options are bad: no worker would do better
	CodeBusy    = "503" // all of this worker's slots are taken, or it is stopping
)

// Request is one attempt at solving an instance.
type Request struct {
	Job           string        `json:"job"` // one per attempt; the cancel subject's last token
	Instance      *vrp.Instance `json:"instance"`
	TimeLimitMs   int64         `json:"time_limit_ms"`
	Seed          int64         `json:"seed"`
	Threads       int           `json:"threads,omitempty"`
	MaxIterations int           `json:"max_iterations,omitempty"`
	Initial       []vrp.Route   `json:"initial,omitempty"`
	// HeartbeatMs is how often the worker reports, improvement or not.
	HeartbeatMs int64 `json:"heartbeat_ms"`
}

func (r *Request) options() vrp.Options {
	return vrp.Options{TimeLimit: time.Duration(r.TimeLimitMs) * time.Millisecond, Seed: r.Seed, Threads: r.Threads,
		MaxIterations: r.MaxIterations, Initial: r.Initial}
}

// Progress is a heartbeat with the search's state.
type Progress struct {
	ElapsedMs  int64 `json:"elapsed_ms"`
	Iterations int   `json:"iterations"`
	BestCost   int64 `json:"best_cost"`
	Feasible   bool  `json:"feasible"`
	Improved   bool  `json:"improved"` // a better solution since the last report
}

// Answer is a worker's result. Cancelled: the search was stopped early and
// Solution is its best so far.
type Answer struct {
	Solution  *vrp.Solution `json:"solution"`
	Worker    string        `json:"worker"`
	Cancelled bool          `json:"cancelled,omitempty"`
	SolveMs   int64         `json:"solve_ms"`
}

// encode marshals v and compresses it: distance and duration matrices of a
// county (N² numbers twice) would pass NATS's 1 MB default payload at about
// 300 stations uncompressed.
func encode(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// maxDecoded bounds what a request may inflate to (a gzip bomb guard):
// 2000 stations' matrices are about 100 MB of JSON.
const maxDecoded = 128 << 20

func decode(data []byte, encoding string, v any) error {
	if encoding != "gzip" {
		return json.Unmarshal(data, v)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, maxDecoded+1))
	if err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	if len(raw) > maxDecoded {
		return fmt.Errorf("the request inflates to more than %d MB", maxDecoded>>20)
	}
	return json.Unmarshal(raw, v)
}
