package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tongpei/tongpei/dispatch"
)

// planDay asks for a plan and follows its job to the end, as a script does.
func planDay(t *testing.T, a *testAPI, body map[string]any) dispatch.Plan {
	t.Helper()
	w := a.do("POST", "/v1/dispatch/plans", a.admin, body)
	expect(t, w, http.StatusAccepted)
	loc := w.Header().Get("Location")
	job := decodeBody[dispatch.PlanJob](t, w)
	if loc != "/v1/dispatch/plan-jobs/"+itoa(job.ID) {
		t.Fatalf("Location %q for job %d", loc, job.ID)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !job.Finished() {
		if time.Now().After(deadline) {
			t.Fatalf("job never finished: %+v", job)
		}
		time.Sleep(50 * time.Millisecond)
		job = decodeBody[dispatch.PlanJob](t, a.do("GET", loc, a.admin, nil))
	}
	if job.State != dispatch.JobDone || job.PlanID == nil {
		t.Fatalf("job ended %s: %+v", job.State, job.Error)
	}
	return decodeBody[dispatch.Plan](t, a.do("GET", "/v1/dispatch/plans/"+itoa(*job.PlanID), a.admin, nil))
}

// readEvents reads server-sent events until the stream ends.
func readEvents(t *testing.T, srv *httptest.Server, path, token string) []dispatch.PlanJob {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("events: %d %s", res.StatusCode, ct)
	}
	var out []dispatch.PlanJob
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		if e, ok := strings.CutPrefix(line, "event: "); ok {
			event = e
		}
		if d, ok := strings.CutPrefix(line, "data: "); ok && event == "job" {
			var j dispatch.PlanJob
			if err := json.Unmarshal([]byte(d), &j); err != nil {
				t.Fatalf("event data %q: %v", d, err)
			}
			out = append(out, j)
		}
	}
	return out
}

// Two requests at once both answer 202 at once; the second waits in the
// queue and the events stream shows the first going from running to done
// with a growing percentage, then ends.
func TestPlanJobsQueueAndEvents(t *testing.T) {
	t.Parallel()
	a, pool := newDispatchAPI(t)
	smallDay(t, a, pool)
	srv := httptest.NewServer(a.handler)
	defer srv.Close()

	var wg sync.WaitGroup
	jobs := make([]dispatch.PlanJob, 2)
	for i := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started := time.Now()
			w := a.do("POST", "/v1/dispatch/plans", a.admin, map[string]any{"service_date": "2026-12-01", "time_limit": "1s"})
			if w.Code != http.StatusAccepted || time.Since(started) > 2*time.Second {
				t.Errorf("POST answered %d after %s", w.Code, time.Since(started))
			}
			_ = json.Unmarshal(w.Body.Bytes(), &jobs[i])
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	first, second := jobs[0], jobs[1]
	if first.ID > second.ID {
		first, second = second, first
	}
	events := readEvents(t, srv, "/v1/dispatch/plan-jobs/"+itoa(first.ID)+"/events", a.admin)
	last := events[len(events)-1]
	if len(events) < 3 || last.State != dispatch.JobDone || last.Progress.Percent != 100 || last.PlanID == nil {
		t.Fatalf("%d events, last %+v", len(events), last)
	}
	sawRunning := false
	prev := -1.0
	for _, e := range events[:len(events)-1] {
		if e.State == dispatch.JobRunning {
			sawRunning = true
			if e.Progress.Percent < prev || e.Progress.Percent >= 100 {
				t.Errorf("percent went %.1f then %.1f", prev, e.Progress.Percent)
			}
			prev = e.Progress.Percent
		}
	}
	if !sawRunning {
		t.Errorf("the events never showed the job running")
	}
	w := a.do("GET", "/v1/dispatch/plan-jobs/"+itoa(second.ID), a.admin, nil)
	expect(t, w, http.StatusOK)
	if j := decodeBody[dispatch.PlanJob](t, w); j.State == dispatch.JobQueued && j.QueuePosition != 1 {
		t.Errorf("second job %s at %d", j.State, j.QueuePosition)
	}
	// Cancel the second (queued or running): it ends cancelled and stores nothing.
	w = a.do("DELETE", "/v1/dispatch/plan-jobs/"+itoa(second.ID), a.admin, nil)
	expect(t, w, http.StatusOK)
	if j := decodeBody[dispatch.PlanJob](t, w); j.State != dispatch.JobCancelled || j.PlanID != nil {
		t.Errorf("cancelled job %+v", j)
	}
	expect(t, a.do("DELETE", "/v1/dispatch/plan-jobs/"+itoa(first.ID), a.admin, nil), http.StatusConflict)
	var plans int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM dispatch_plans`).Scan(&plans); err != nil || plans != 1 {
		t.Errorf("%d plans stored (%v), want the first job's only", plans, err)
	}
	list := decodeBody[struct{ Items []dispatch.PlanJob }](t, a.do("GET", "/v1/dispatch/plan-jobs?date=2026-12-01", a.admin, nil))
	if len(list.Items) != 2 {
		t.Errorf("%d jobs listed", len(list.Items))
	}
	expect(t, a.do("GET", "/v1/dispatch/plan-jobs?date=soon", a.admin, nil), http.StatusUnprocessableEntity)
	expect(t, a.do("GET", "/v1/dispatch/plan-jobs/nope", a.admin, nil), http.StatusNotFound)
	expect(t, a.do("GET", "/v1/dispatch/plan-jobs/424242", a.admin, nil), http.StatusNotFound)
	expect(t, a.do("DELETE", "/v1/dispatch/plan-jobs/424242", a.admin, nil), http.StatusNotFound)
	expect(t, a.do("POST", "/v1/dispatch/plans", a.admin, map[string]any{"service_date": "2026-13-01"}), http.StatusUnprocessableEntity)
	keeper := a.token("keeper", "V1")
	expect(t, a.do("GET", "/v1/dispatch/plan-jobs", keeper, nil), http.StatusForbidden)
}

func TestDayBoardAPI(t *testing.T) {
	t.Parallel()
	a, pool := newDispatchAPI(t)
	smallDay(t, a, pool)
	w := a.do("GET", "/v1/dispatch/day-board?date=2026-12-01", a.admin, nil)
	expect(t, w, http.StatusOK)
	b := decodeBody[dispatch.DayBoard](t, w)
	if b.Totals.Down.Parcels != 32 || b.Totals.Up.Parcels != 8 || len(b.Carriers) != 2 || len(b.Stations) != 7 {
		t.Fatalf("board %+v", b.Totals)
	}
	expect(t, a.do("GET", "/v1/dispatch/day-board?date=later", a.admin, nil), http.StatusUnprocessableEntity)
	expect(t, a.do("GET", "/v1/dispatch/day-board", a.token("keeper", "V1"), nil), http.StatusForbidden)
}

// The published plan fills in as parcels move: loaded, arrived, picked up
// per route, and the events stream pushes the change.
func TestDayProgress(t *testing.T) {
	t.Parallel()
	a, pool := newDispatchAPI(t)
	smallDay(t, a, pool)
	plan := planDay(t, a, map[string]any{"service_date": "2026-12-01", "time_limit": 0.3})
	id := itoa(plan.ID)
	expect(t, a.do("POST", "/v1/dispatch/plans/"+id+"/publish", a.admin, nil), http.StatusOK)
	get := func() dispatch.DayProgress {
		w := a.do("GET", "/v1/dispatch/plans/"+id+"/progress", a.admin, nil)
		expect(t, w, http.StatusOK)
		return decodeBody[dispatch.DayProgress](t, w)
	}
	p := get()
	if p.Totals.Drop != 32 || p.Totals.Collect != 8 || p.Totals.Loaded != 0 || len(p.Routes) != len(plan.Routes) {
		t.Fatalf("before any scan: %+v", p.Totals)
	}
	if !p.Routes[0].Late { // 2026-12-01 is long past: nothing arrived, so late
		t.Errorf("a route of a past day with nothing arrived is not late")
	}
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/v1/dispatch/plans/"+id+"/progress/events", nil)
	req.Header.Set("Authorization", "Bearer "+a.admin)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	next := func() dispatch.DayProgress {
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var p dispatch.DayProgress
				if err := json.Unmarshal([]byte(d), &p); err != nil {
					t.Fatal(err)
				}
				return p
			}
		}
		t.Fatalf("the stream ended: %v", sc.Err())
		return dispatch.DayProgress{}
	}
	if first := next(); first.Totals.Loaded != 0 {
		t.Fatalf("first event %+v", first.Totals)
	}
	first := plan.Routes[0].Stops[0]
	ctxb := context.Background()
	if _, err := pool.Exec(ctxb, `UPDATE parcels SET state = 'loaded' WHERE direction = 'down'`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctxb, `UPDATE parcels SET state = 'picked_up' WHERE id = $1`, first.Drop[0].ID); err != nil {
		t.Fatal(err)
	}
	pushed := next()
	if pushed.Totals.Loaded != 32 || pushed.Totals.Picked != 1 || pushed.Totals.Arrived != 1 || pushed.Routes[0].Stops[0].Picked != 1 {
		t.Errorf("after the scans the stream says %+v", pushed.Totals)
	}
	expect(t, a.do("GET", "/v1/dispatch/plans/99999/progress", a.admin, nil), http.StatusNotFound)
}
