package dispatch

import (
	"context"
	"testing"
	"time"

	"github.com/tongpei/tongpei/demo"
)

// The board counts every waiting parcel once, by station, township and
// carrier, and calls a parcel a leftover once an earlier day's published
// plan had it.
func TestDayBoard(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tc := newTestCounty(t)
	day := demo.GenerateDay(demo.DayOptions{Date: testDate, Seed: 2})
	tc.loadDay(t, day)
	b, err := tc.store.DayBoard(ctx, nil, "2026-12-01")
	if err != nil {
		t.Fatal(err)
	}
	var down, up int
	for _, p := range day {
		if p.Direction == "up" {
			up++
		} else {
			down++
		}
	}
	if b.Totals.Down.Parcels != down || b.Totals.Up.Parcels != up || b.Leftovers != 0 || b.Hub.Code == "" {
		t.Fatalf("board totals %+v, leftovers %d; the day has %d down, %d up", b.Totals, b.Leftovers, down, up)
	}
	sum := func(get func(WaitingPair) int, pairs ...[]WaitingPair) {
		for _, ps := range pairs {
			n := 0
			for _, p := range ps {
				n += get(p)
			}
			if n != get(b.Totals) {
				t.Errorf("a breakdown sums to %d, the total is %d", n, get(b.Totals))
			}
		}
	}
	var st, ca []WaitingPair
	for _, s := range b.Stations {
		st = append(st, s.WaitingPair)
	}
	for _, c := range b.Carriers {
		ca = append(ca, c.WaitingPair)
	}
	sum(func(w WaitingPair) int { return w.Down.Parcels + w.Up.Parcels }, st, ca)
	if len(b.Townships) == 0 || len(b.Stations) != len(demo.Stations()) {
		t.Errorf("%d townships, %d stations", len(b.Townships), len(b.Stations))
	}

	plan, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-11-30", TimeLimit: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	must(t, func() error {
		_, err := tc.pool.Exec(ctx, `UPDATE dispatch_plans SET status = 'published' WHERE id = $1`, plan.ID)
		return err
	})
	b, err = tc.store.DayBoard(ctx, nil, "2026-12-01")
	if err != nil {
		t.Fatal(err)
	}
	if b.Leftovers != len(day) {
		t.Errorf("%d leftovers, want all %d parcels of the unserved earlier plan", b.Leftovers, len(day))
	}
	if _, err := tc.store.DayBoard(ctx, nil, "someday"); err == nil {
		t.Error("a bad date gave a board")
	}
}
