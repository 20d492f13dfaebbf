package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tongpei/tongpei/dispatch/solverbus"
	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/bus/bustest"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

// TestServePlansOnASolverWorker is the province's topology in small: serve
// on an external 3-node JetStream cluster with TONGPEI_NATS_REPLICAS=3, and
// one `tongpei solver-worker` process on the same cluster. The streams are
// R3, and a plan asked of the API is solved by the worker, not in serve.
func TestServePlansOnASolverWorker(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end-to-end run")
	}
	ns := bustest.StartCluster(t, 3)
	nc, err := nats.Connect(ns.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()

	var workerErr bytes.Buffer
	worker := exec.Command(binary(t), "solver-worker")
	worker.Env = append(os.Environ(), "TONGPEI_NATS_URL="+ns.URL)
	worker.Stderr = &workerErr
	if err := worker.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { worker.Process.Kill(); worker.Wait() }()
	waitFor(t, 30*time.Second, func() bool { return len(solverStats(t, nc)) == 1 }, "the worker never joined; stderr: "+workerErr.String())

	dbURL := pgtest.URL(t)
	s := &server{addr: freeAddr(t), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	s.cmd = exec.Command(binary(t), "serve", "--demo")
	s.cmd.Env = append(os.Environ(), "TONGPEI_DATABASE_URL="+dbURL, "TONGPEI_ADDR="+s.addr,
		"TONGPEI_NATS_URL="+ns.URL, "TONGPEI_NATS_REPLICAS=3", "TONGPEI_DATA_DIR="+t.TempDir())
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { s.cmd.Process.Kill(); s.cmd.Wait() }()
	s.waitReady(t, 60*time.Second)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{bus.StreamParcels, bus.StreamDispatch, bus.StreamCarrier, bus.StreamDLQ, bus.StreamNotify} {
		st, err := js.Stream(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		if r := st.CachedInfo().Config.Replicas; r != 3 {
			t.Errorf("stream %s has %d replicas, want 3", name, r)
		}
	}

	day := demoDayOptions{date: "2026-12-07", server: "http://" + s.addr, token: s.token(t, "admin"), seed: 5, down: 40, up: 8}
	var out bytes.Buffer
	if err := runDemoDay(context.Background(), day, &out); err != nil {
		t.Fatalf("demo-day: %v\n%s", err, out.String())
	}
	job := apiJSON(t, s, day.token, http.MethodPost, "/v1/dispatch/plans", `{"service_date":"2026-12-07","time_limit":"1s","seed":1}`)
	id := int64(job["id"].(float64))
	waitFor(t, 60*time.Second, func() bool {
		job = apiJSON(t, s, day.token, http.MethodGet, fmt.Sprintf("/v1/dispatch/plan-jobs/%d", id), "")
		return job["state"] == "done" || job["state"] == "failed" || job["state"] == "cancelled"
	}, "the plan job did not end")
	if job["state"] != "done" {
		t.Fatalf("plan job ended %v: %v\nserve: %s", job["state"], job["error"], s.stderr)
	}
	var solved int64
	for _, st := range solverStats(t, nc) {
		solved += st.Solved
	}
	// The joint plan and one counterfactual per carrier.
	if solved < 2 {
		t.Fatalf("the worker solved %d problems; want the plan's\nworker: %s", solved, workerErr.String())
	}
	resp, err := http.Get("http://" + s.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var metrics bytes.Buffer
	_, _ = metrics.ReadFrom(resp.Body)
	want := fmt.Sprintf(`tongpei_solver_solves_total{where="worker"} %d`, solved)
	if !strings.Contains(metrics.String(), want) || !strings.Contains(metrics.String(), `tongpei_solver_solves_total{where="local"} 0`) {
		t.Errorf("/metrics lacks %s and no local solves", want)
	}
	t.Logf("the worker solved %d problems of the plan", solved)
}

func apiJSON(t *testing.T, s *server, token, method, path, body string) map[string]any {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+s.addr+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %v %v", method, path, resp.StatusCode, v, err)
	}
	return v
}

func waitFor(t *testing.T, within time.Duration, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// solverStats gathers the workers' $SRV.STATS answers by id.
func solverStats(t *testing.T, nc *nats.Conn) map[string]solverbus.WorkerStats {
	t.Helper()
	return workerStats(nc)
}
