package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tongpei/tongpei/internal/bus/bustest"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

// The custody issue's end-to-end checks, on the real binary, the real
// PostgreSQL and a real NATS that the test stops and starts:
//   - scans in batches with repeats and invalid transitions give exact
//     accepted/duplicate/rejected counts;
//   - NATS down during a scan run: every event still arrives, none twice;
//   - the process killed (SIGKILL) in the middle of a batch, restarted, the
//     batch resent: the state equals one clean run;
//   - JetStream ends with exactly one message per accepted scan, and again
//     after its store is deleted and `tongpei reconcile` runs.
func TestCustodyEndToEnd(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end-to-end run")
	}
	natsSrv := bustest.StartServer(t)
	dbURL := pgtest.URL(t)
	dataDir := t.TempDir()
	s := startServeWith(t, dbURL, natsSrv.URL, dataDir, "--demo")
	s.waitReady(t, 60*time.Second)
	admin := s.token(t, "admin")
	c := &client{t: t, base: "http://" + s.addr, token: admin}

	villages := c.villageCodes()
	const parcels = 1200
	tracking := make([]string, parcels)
	var reg []map[string]any
	for i := range tracking {
		tracking[i] = fmt.Sprintf("ZTO%09d", i)
		reg = append(reg, map[string]any{"tracking_no": tracking[i], "carrier": "ZTO", "direction": "down",
			"station": villages[i%len(villages)], "recipient": map[string]any{"name": "李明", "phone": "13900001234"},
			"weight_g": 900, "size_cm": map[string]any{"l": 20, "w": 20, "h": 10}})
	}
	for i := 0; i < parcels; i += 600 {
		c.post("/v1/parcels", map[string]any{"parcels": reg[i : i+600]}, nil)
	}

	var want counts
	var sent []map[string]any // every accepted scan, to resend as repeats
	phase := func(kind string, each func(i int) string) {
		var batch []map[string]any
		for i, tn := range tracking {
			scan := scanOf(tn, kind, each(i))
			batch = append(batch, scan)
			sent = append(sent, scan)
			want.accepted++
			if i%5 == 0 { // 20 % repeats of something already sent
				batch = append(batch, sent[(i*7)%len(sent)])
				want.duplicate++
			}
			if i%20 == 0 { // 5 % scans that do not fit the parcel's state
				batch = append(batch, scanOf(tn, "picked_up", each(i)))
				want.rejected++
			}
		}
		for i := 0; i < len(batch); i += 500 {
			got := c.scans(batch[i:min(i+500, len(batch))])
			want.seen.add(got)
		}
	}
	hub := func(int) string { return "XP-HUB" }
	phase("hub_inbound", hub)
	natsSrv.Stop() // the outage: scans are still accepted, events wait in the outbox
	phase("sorted", hub)
	natsSrv.Start()
	phase("loaded", hub)
	if want.seen != (results{want.accepted, want.duplicate, want.rejected}) {
		t.Fatalf("results %+v, want accepted %d, duplicate %d, rejected %d", want.seen, want.accepted, want.duplicate, want.rejected)
	}

	// Arrivals at the villages: the process dies mid-batch and the keeper's
	// phone sends the whole batch again after the restart.
	var arrivals []map[string]any
	for i, tn := range tracking {
		arrivals = append(arrivals, scanOf(tn, "station_arrival", villages[i%len(villages)]))
	}
	body, err := json.Marshal(map[string]any{"scans": arrivals[:1000]})
	if err != nil {
		t.Fatal(err)
	}
	sentAll := make(chan struct{})
	req, err := http.NewRequest("POST", c.base+"/v1/scans", &signalAtEOF{r: bytes.NewReader(body), done: sentAll})
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(len(body))
	req.Header.Set("Authorization", "Bearer "+admin)
	answered := make(chan struct{})
	go func() { // the first send never gets its answer
		defer close(answered)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	// Kill once the server holds the whole batch: it is then reading,
	// checking or applying it, which is the middle of the batch.
	<-sentAll
	if err := s.cmd.Process.Kill(); err != nil {
		t.Fatalf("kill serve: %v", err)
	}
	if err := s.cmd.Wait(); err == nil {
		t.Fatal("serve exited cleanly; it was to be killed")
	}
	<-answered
	s = startServeWith(t, dbURL, natsSrv.URL, dataDir)
	s.waitReady(t, 60*time.Second)
	c.base = "http://" + s.addr
	var again results
	for i := 0; i < len(arrivals); i += 1000 {
		again.add(c.scans(arrivals[i:min(i+1000, len(arrivals))]))
	}
	if again.rejected != 0 || again.accepted+again.duplicate != parcels {
		t.Fatalf("resent arrivals: %+v; want every one accepted or duplicate", again)
	}
	want.accepted += parcels

	// One clean run's state: four events per parcel, in order.
	for _, tn := range []string{tracking[0], tracking[parcels/2], tracking[parcels-1]} {
		var p struct {
			State  string `json:"state"`
			Events []struct {
				Kind string `json:"kind"`
			} `json:"events"`
		}
		c.get("/v1/parcels/ZTO/"+tn, &p)
		var kinds []string
		for _, e := range p.Events {
			kinds = append(kinds, e.Kind)
		}
		if p.State != "station_arrival" || strings.Join(kinds, ",") != "hub_inbound,sorted,loaded,station_arrival" {
			t.Fatalf("%s: state %s, timeline %v", tn, p.State, kinds)
		}
	}

	// JetStream: exactly one message per accepted scan, once the relay has
	// caught up (the outage and the kill both delayed it).
	nc, err := nats.Connect(natsSrv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	deadline := time.Now().Add(60 * time.Second)
	var msgs uint64
	for time.Now().Before(deadline) {
		st, err := js.Stream(context.Background(), "TONGPEI_PARCELS")
		if err == nil {
			info, err := st.Info(context.Background())
			if err == nil {
				msgs = info.State.Msgs
				if msgs >= uint64(want.accepted) {
					break
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a late duplicate would show up now
	st, _ := js.Stream(context.Background(), "TONGPEI_PARCELS")
	info, _ := st.Info(context.Background())
	if info.State.Msgs != uint64(want.accepted) {
		t.Fatalf("TONGPEI_PARCELS holds %d messages, want one per accepted scan: %d", info.State.Msgs, want.accepted)
	}

	// A lost disk: serve dies, the JetStream store is deleted, NATS comes
	// back empty. `tongpei reconcile` finds every event lost and publishes
	// it again: the stream again holds each accepted scan once.
	s.cmd.Process.Kill()
	s.cmd.Wait()
	natsSrv.Stop()
	if err := os.RemoveAll(natsSrv.StoreDir()); err != nil {
		t.Fatal(err)
	}
	natsSrv.Start()
	time.Sleep(time.Second) // reconcile leaves alone what was sent in its last second
	rec := exec.Command(binary(t), "reconcile")
	rec.Env = append(os.Environ(), "TONGPEI_DATABASE_URL="+dbURL, "TONGPEI_NATS_URL="+natsSrv.URL, "TONGPEI_DATA_DIR="+dataDir)
	out, err := rec.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "every lost event is in JetStream again") {
		t.Fatalf("tongpei reconcile: %v\n%s", err, out)
	}
	t.Logf("tongpei reconcile: %s", strings.TrimSpace(string(out)))
	st, err = js.Stream(context.Background(), "TONGPEI_PARCELS")
	if err != nil {
		t.Fatal(err)
	}
	info, err = st.Info(context.Background())
	if err != nil || info.State.Msgs != uint64(want.accepted) {
		t.Fatalf("after the store was lost and reconcile ran, TONGPEI_PARCELS holds %v messages (%v), want %d", info.State.Msgs, err, want.accepted)
	}
}

// signalAtEOF closes done when its reader is exhausted: the whole request
// body has been handed to the connection.
type signalAtEOF struct {
	r    io.Reader
	done chan struct{}
	once sync.Once
}

func (s *signalAtEOF) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err == io.EOF {
		s.once.Do(func() { close(s.done) })
	}
	return n, err
}

type results struct{ accepted, duplicate, rejected int }

func (r *results) add(o results) {
	r.accepted += o.accepted
	r.duplicate += o.duplicate
	r.rejected += o.rejected
}

type counts struct {
	accepted, duplicate, rejected int
	seen                          results
}

func scanOf(tn, kind, station string) map[string]any {
	return map[string]any{"id": uuid.NewString(), "carrier": "ZTO", "tracking_no": tn, "kind": kind,
		"station": station, "at": time.Now().UTC().Format(time.RFC3339Nano)}
}

// client speaks to a running server with one token.
type client struct {
	t     *testing.T
	base  string
	token string
}

func (c *client) do(method, path string, body, out any) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		c.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			c.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

func (c *client) get(path string, out any)        { c.t.Helper(); c.do("GET", path, nil, out) }
func (c *client) post(path string, body, out any) { c.t.Helper(); c.do("POST", path, body, out) }

func (c *client) scans(batch []map[string]any) results {
	c.t.Helper()
	var answer struct {
		Results []struct {
			Status string `json:"status"`
		} `json:"results"`
	}
	c.post("/v1/scans", map[string]any{"scans": batch}, &answer)
	var r results
	for _, x := range answer.Results {
		switch x.Status {
		case "accepted":
			r.accepted++
		case "duplicate":
			r.duplicate++
		case "rejected":
			r.rejected++
		}
	}
	return r
}

func (c *client) villageCodes() []string {
	c.t.Helper()
	var list struct {
		Items []struct {
			Code string `json:"code"`
		} `json:"items"`
	}
	c.get("/v1/stations?tier=village&limit=1000", &list)
	var codes []string
	for _, s := range list.Items {
		codes = append(codes, s.Code)
	}
	if len(codes) < 100 {
		c.t.Fatalf("%d villages in the demonstration county", len(codes))
	}
	return codes
}

// startServeWith runs serve against an external NATS with a fixed data
// directory, so that a restart finds the same state.
func startServeWith(t *testing.T, dbURL, natsURL, dataDir string, args ...string) *server {
	t.Helper()
	s := &server{addr: freeAddr(t), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	s.cmd = exec.Command(binary(t), append([]string{"serve"}, args...)...)
	s.cmd.Env = append(os.Environ(), "TONGPEI_DATABASE_URL="+dbURL, "TONGPEI_ADDR="+s.addr,
		"TONGPEI_NATS_URL="+natsURL, "TONGPEI_DATA_DIR="+dataDir)
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	return s
}

// token finds the demonstration token of a role in serve's output.
func (s *server) token(t *testing.T, role string) string {
	t.Helper()
	for _, line := range strings.Split(s.stdout.String(), "\n") {
		f := strings.Fields(line)
		if len(f) == 4 && f[0] == "token" && f[1] == role {
			return f[3]
		}
	}
	t.Fatalf("no %s token in serve's output: %q", role, s.stdout.String())
	return ""
}
