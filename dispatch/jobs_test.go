package dispatch

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/internal/errs"
)

func TestPublishAckResend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tc := newTestCounty(t)
	tc.loadDay(t, demo.GenerateDay(demo.DayOptions{Date: testDate, Seed: 5, Down: 200, Up: 40}))
	plan, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-12-01", TimeLimit: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := tc.store.Publish(ctx, plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	bySubject := map[string]int{}
	for _, j := range jobs {
		bySubject[j.Subject]++
	}
	if bySubject["tongpei.dispatch.XPJD.route"] != len(plan.Routes) {
		t.Errorf("route jobs %v, want %d", bySubject, len(plan.Routes))
	}
	// Every pickup job is its carrier's and lists only its parcels.
	var pickup Job
	for _, j := range jobs {
		if j.Kind != "pickup" {
			continue
		}
		pickup = j
		var p PickupJob
		if err := json.Unmarshal(j.Payload, &p); err != nil || p.JobID != j.ID || len(p.Parcels) == 0 {
			t.Fatalf("pickup payload %s: %v", j.Payload, err)
		}
		if j.Subject != "tongpei.dispatch."+j.Recipient+".pickup" {
			t.Errorf("pickup job for %s on %s", j.Recipient, j.Subject)
		}
	}
	if pickup.ID == uuid.Nil {
		t.Fatal("no pickup job")
	}
	if _, err := tc.store.Publish(ctx, plan.ID); !errs.Is(err, errs.Conflict) {
		t.Errorf("second publish: %v, want conflict", err)
	}

	// Acknowledged over NATS by its carrier; another carrier cannot.
	ack, _ := json.Marshal(CarrierAck{JobID: pickup.ID})
	other := "SF"
	if pickup.Recipient == other {
		other = "ZTO"
	}
	if err := tc.store.AckFromCarrier(ctx, other, ack); !errs.Is(err, errs.NotFound) {
		t.Errorf("ack by %s: %v, want not_found", other, err)
	}
	if err := tc.store.AckFromCarrier(ctx, pickup.Recipient, ack); err != nil {
		t.Fatal(err)
	}
	if err := tc.store.AckFromCarrier(ctx, pickup.Recipient, ack); err != nil {
		t.Fatalf("a redelivered ack: %v", err)
	}
	if err := tc.store.AckFromCarrier(ctx, pickup.Recipient, []byte(`{}`)); !errs.Is(err, errs.Invalid) {
		t.Errorf("empty ack: %v", err)
	}

	// Resend: everything but the acknowledged job, with new event ids and
	// the same job ids.
	n, err := tc.store.Resend(ctx, 0)
	if err != nil || n != len(jobs)-1 {
		t.Fatalf("resent %d (%v), want %d", n, err, len(jobs)-1)
	}
	if n, _ := tc.store.Resend(ctx, time.Hour); n != 0 {
		t.Errorf("resent %d jobs sent a moment ago", n)
	}
	rows, err := tc.pool.Query(ctx, `SELECT payload->>'job_id', count(DISTINCT id), max((payload->>'sends')::int)
		FROM outbox WHERE subject LIKE 'tongpei.dispatch.%' GROUP BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var events, sends int
		if err := rows.Scan(&id, &events, &sends); err != nil {
			t.Fatal(err)
		}
		want := 2
		if id == pickup.ID.String() {
			want = 1
		}
		if events != want || sends != want {
			t.Errorf("job %s: %d events, sends %d; want %d", id, events, sends, want)
		}
	}
	f := false
	left, _ := tc.store.Jobs(ctx, JobFilter{Acked: &f})
	if len(left) != len(jobs)-1 {
		t.Errorf("%d unacknowledged, want %d", len(left), len(jobs)-1)
	}
}

func TestResenderLoop(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tc := newTestCounty(t)
	tc.loadDay(t, demo.GenerateDay(demo.DayOptions{Date: testDate, Seed: 6, Down: 60, Up: 10}))
	plan, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-12-01", TimeLimit: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := tc.store.Publish(ctx, plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	r := &Resender{Service: tc.store, Every: 20 * time.Millisecond, OlderThan: time.Millisecond}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := tc.pool.QueryRow(ctx, `SELECT count(*) FROM outbox`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n >= 2*len(jobs) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 10 s the outbox has %d events for %d jobs; nothing was re-sent", n, len(jobs))
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.Stop()
	r.Stop()
}
