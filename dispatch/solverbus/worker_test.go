package solverbus_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/tongpei/tongpei/dispatch/solverbus"
	"github.com/tongpei/tongpei/dispatch/vrp"
	"github.com/tongpei/tongpei/internal/bus/bustest"
)

var quiet = slog.New(slog.DiscardHandler)

func connect(t testing.TB, url string) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

func TestSolveInProcessWhenNoWorkerAnswers(t *testing.T) {
	srv := bustest.StartServer(t)
	c := solverbus.NewClient(connect(t, srv.URL), solverbus.ClientOptions{Logger: quiet})
	in := county(20, 1)
	res, err := c.SolveDetail(context.Background(), in, vrp.Options{TimeLimit: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Worker != "" || res.Attempts != 0 {
		t.Fatalf("solved by worker %q after %d attempts; want in process", res.Worker, res.Attempts)
	}
	if err := vrp.Validate(in, res.Solution); err != nil {
		t.Fatal(err)
	}
}

func TestWorkerAnswersAndRefusesBadProblems(t *testing.T) {
	srv := bustest.StartServer(t)
	w, err := solverbus.StartWorker(connect(t, srv.URL), solverbus.WorkerOptions{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	var progressed int
	c := solverbus.NewClient(connect(t, srv.URL), solverbus.ClientOptions{Logger: quiet, HeartbeatTimeout: time.Second})
	in := county(40, 2)
	res, err := c.SolveDetail(context.Background(), in, vrp.Options{TimeLimit: 700 * time.Millisecond, Progress: func(vrp.Progress) { progressed++ }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Worker != w.ID() || res.Cancelled || res.Attempts != 1 {
		t.Fatalf("result from %q (attempts %d, cancelled %v); want %s once", res.Worker, res.Attempts, res.Cancelled, w.ID())
	}
	if err := vrp.Validate(in, res.Solution); err != nil {
		t.Fatal(err)
	}
	if progressed == 0 {
		t.Error("no progress travelled back")
	}
	bad := county(3, 3)
	bad.Distance = bad.Distance[:5]
	if _, err := c.Solve(context.Background(), bad, vrp.Options{TimeLimit: 100 * time.Millisecond}); err == nil {
		t.Fatal("a malformed instance was solved")
	} else if _, ok := err.(*solverbus.InvalidError); !ok {
		t.Fatalf("err %T %v; want *solverbus.InvalidError", err, err)
	}
}

// A worker whose one slot is taken answers busy; the client waits and
// draws again until the slot frees.
func TestBusyWorkerIsTriedAgain(t *testing.T) {
	srv := bustest.StartServer(t)
	w, err := solverbus.StartWorker(connect(t, srv.URL), solverbus.WorkerOptions{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	c := solverbus.NewClient(connect(t, srv.URL), solverbus.ClientOptions{Logger: quiet, HeartbeatTimeout: time.Second})
	in := county(30, 4)
	first := make(chan *solverbus.Result, 1)
	go func() {
		r, _ := c.SolveDetail(context.Background(), in, vrp.Options{TimeLimit: 800 * time.Millisecond})
		first <- r
	}()
	eventually(t, 5*time.Second, "the first job never started", func() bool { return w.Stats().Running == 1 })
	r2, err := c.SolveDetail(context.Background(), in, vrp.Options{TimeLimit: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	r1 := <-first
	if r1 == nil || r1.Worker != w.ID() || r2.Worker != w.ID() {
		t.Fatalf("results %+v %+v; want both from the worker", r1, r2)
	}
	if w.Stats().Refused == 0 {
		t.Error("the second job was never refused busy")
	}
}

// A worker stopped mid-solve (SIGTERM) hands the job back at once and the
// client sends it to another, without waiting for a heartbeat to lapse.
func TestStoppingWorkerHandsItsJobBack(t *testing.T) {
	srv := bustest.StartServer(t)
	workers := map[string]*solverbus.Worker{}
	for range 2 {
		w, err := solverbus.StartWorker(connect(t, srv.URL), solverbus.WorkerOptions{Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Stop()
		workers[w.ID()] = w
	}
	took := make(chan string, 4)
	c := solverbus.NewClient(connect(t, srv.URL), solverbus.ClientOptions{Logger: quiet, HeartbeatTimeout: time.Minute,
		OnWorker: func(w string) { took <- w }})
	in := county(60, 5)
	done := make(chan *solverbus.Result, 1)
	go func() {
		r, err := c.SolveDetail(context.Background(), in, vrp.Options{TimeLimit: 1500 * time.Millisecond})
		if err != nil {
			t.Error(err)
		}
		done <- r
	}()
	first := <-took
	workers[first].Stop()
	select {
	case r := <-done:
		if r == nil || r.Worker == first || workers[r.Worker] == nil || r.Attempts != 2 {
			t.Fatalf("result %+v; want the other worker on the second attempt", r)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the handed-back job was not finished within 30 s (the heartbeat timeout is a minute: it must not be what moved it)")
	}
}

// A requester that dies (its connection closes) stops the worker's job at
// the next report: NATS answers "no responders" to it.
func TestWorkerStopsWhenTheRequesterIsGone(t *testing.T) {
	srv := bustest.StartServer(t)
	w, err := solverbus.StartWorker(connect(t, srv.URL), solverbus.WorkerOptions{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	nc := connect(t, srv.URL)
	took := make(chan string, 1)
	c := solverbus.NewClient(nc, solverbus.ClientOptions{Logger: quiet, HeartbeatTimeout: time.Second, OnWorker: func(id string) { took <- id }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = c.SolveDetail(ctx, county(80, 6), vrp.Options{TimeLimit: time.Minute})
	}()
	<-took
	nc.Close() // the requester is gone
	eventually(t, 10*time.Second, "the worker still solves for nobody", func() bool { return w.Stats().Running == 0 })
	cancel() // the client fell back to solving in process; end it
	<-done
}
