package solverbus_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tongpei/tongpei/dispatch/solverbus"
	"github.com/tongpei/tongpei/dispatch/vrp"
	"github.com/tongpei/tongpei/internal/bus/bustest"
)

// workerURLEnv makes this test binary a worker process (TestWorkerProcess).
const workerURLEnv = "TONGPEI_SOLVERBUS_TEST_WORKER_URL"

// TestWorkerProcess is not a test: run by TestTwoWorkerProcesses in a child
// process, it serves as a worker (what `tongpei solver-worker` runs) until
// SIGTERM, or dies by SIGKILL.
func TestWorkerProcess(t *testing.T) {
	url := os.Getenv(workerURLEnv)
	if url == "" {
		t.Skip("only runs as a child of TestTwoWorkerProcesses")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	err := solverbus.Run(ctx, url, solverbus.WorkerOptions{Logger: quiet}, func(w *solverbus.Worker) {
		fmt.Printf("ready %s\n", w.ID())
	})
	if err != nil {
		t.Fatal(err)
	}
}

type workerProc struct {
	id  string
	cmd *exec.Cmd
}

// startWorkerProcess re-executes this test binary as a worker and waits
// for its "ready" line.
func startWorkerProcess(t *testing.T, url string) *workerProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestWorkerProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), workerURLEnv+"="+url)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &workerProc{cmd: cmd}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if id, ok := strings.CutPrefix(sc.Text(), "ready "); ok {
				ready <- id
			}
		}
	}()
	select {
	case w.id = <-ready:
	case <-time.After(30 * time.Second):
		t.Fatal("the worker process did not start within 30 s")
	}
	return w
}

// TestTwoWorkerProcesses runs two workers as separate processes against
// real NATS servers: a solve one of them answers, a cancelled solve, and a
// worker killed with SIGKILL mid-solve whose job the other finishes.
func TestTwoWorkerProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two worker processes")
	}
	// A 3-node cluster, each worker and the client on a node of its own:
	// requests, reports and the queue group's membership cross routes.
	cl := bustest.StartCluster(t, 3)
	nodes := strings.Split(cl.URL, ",")
	a, b := startWorkerProcess(t, nodes[0]), startWorkerProcess(t, nodes[1])
	procs := map[string]*workerProc{a.id: a, b.id: b}
	nc := connect(t, nodes[2])
	eventually(t, 10*time.Second, "two workers in the stats", func() bool { return len(workerStats(t, nc)) == 2 })

	t.Run("answered", func(t *testing.T) {
		in := county(40, 11)
		c := solverbus.NewClient(nc, solverbus.ClientOptions{Logger: quiet})
		res, err := c.SolveDetail(context.Background(), in, vrp.Options{TimeLimit: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if procs[res.Worker] == nil || res.Cancelled || res.Attempts != 1 {
			t.Fatalf("answered by %q (attempts %d, cancelled %v); want one of the worker processes", res.Worker, res.Attempts, res.Cancelled)
		}
		if err := vrp.Validate(in, res.Solution); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		in := county(120, 12)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var once sync.Once
		progressed := make(chan struct{})
		c := solverbus.NewClient(nc, solverbus.ClientOptions{Logger: quiet})
		type out struct {
			res *solverbus.Result
			err error
		}
		done := make(chan out, 1)
		go func() {
			r, err := c.SolveDetail(ctx, in, vrp.Options{TimeLimit: time.Minute, Progress: func(vrp.Progress) {
				once.Do(func() { close(progressed) })
			}})
			done <- out{r, err}
		}()
		select {
		case <-progressed:
		case <-time.After(20 * time.Second):
			t.Fatal("no progress from the worker within 20 s")
		}
		cancelled := time.Now()
		cancel()
		var o out
		select {
		case o = <-done:
		case <-time.After(15 * time.Second):
			t.Fatal("the cancelled solve did not return within 15 s")
		}
		t.Logf("cancelled solve returned %v after the cancel", time.Since(cancelled).Round(time.Millisecond))
		if o.err != nil {
			t.Fatal(o.err)
		}
		if !o.res.Cancelled || procs[o.res.Worker] == nil {
			t.Fatalf("result %+v; want the best so far from a worker, marked cancelled", o.res)
		}
		if err := vrp.Validate(in, o.res.Solution); err != nil {
			t.Fatal(err)
		}
		eventually(t, 10*time.Second, "a worker still solves the cancelled job", func() bool {
			st := workerStats(t, nc)
			return len(st) == 2 && st[a.id].Running == 0 && st[b.id].Running == 0 && st[o.res.Worker].Cancelled == 1
		})
	})

	t.Run("killed", func(t *testing.T) {
		in := county(120, 13)
		var mu sync.Mutex
		var took []string
		started := make(chan string, 4)
		c := solverbus.NewClient(nc, solverbus.ClientOptions{Logger: quiet, HeartbeatTimeout: 1500 * time.Millisecond,
			OnWorker: func(w string) {
				mu.Lock()
				took = append(took, w)
				mu.Unlock()
				started <- w
			}})
		type out struct {
			res *solverbus.Result
			err error
		}
		done := make(chan out, 1)
		began := time.Now()
		var once sync.Once
		progressed := make(chan struct{})
		go func() {
			r, err := c.SolveDetail(context.Background(), in, vrp.Options{TimeLimit: 4 * time.Second, Progress: func(vrp.Progress) {
				once.Do(func() { close(progressed) })
			}})
			done <- out{r, err}
		}()
		var first string
		select {
		case first = <-started:
		case <-time.After(20 * time.Second):
			t.Fatal("no worker took the job within 20 s")
		}
		victim := procs[first]
		if victim == nil {
			t.Fatalf("the job was taken by %q, not a worker process", first)
		}
		select { // mid-solve: it has reported an improvement
		case <-progressed:
		case <-time.After(20 * time.Second):
			t.Fatal("no progress from the worker within 20 s")
		}
		if err := victim.cmd.Process.Kill(); err != nil { // SIGKILL: no goodbye
			t.Fatal(err)
		}
		var o out
		select {
		case o = <-done:
		case <-time.After(40 * time.Second):
			t.Fatal("the job of the killed worker was not finished within 40 s")
		}
		if o.err != nil {
			t.Fatal(o.err)
		}
		mu.Lock()
		defer mu.Unlock()
		t.Logf("killed %s mid-solve; finished by %s after %d attempts in %v", first, o.res.Worker, o.res.Attempts, time.Since(began).Round(time.Millisecond))
		if o.res.Worker == first || procs[o.res.Worker] == nil || o.res.Cancelled || o.res.Attempts < 2 {
			t.Fatalf("result from %q after %d attempts (took: %v); want the other worker process", o.res.Worker, o.res.Attempts, took)
		}
		if err := vrp.Validate(in, o.res.Solution); err != nil {
			t.Fatal(err)
		}
	})
}
