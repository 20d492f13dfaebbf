package dispatch

import (
	"context"
	"testing"
	"time"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/internal/errs"
)

// waitShares asks s for plan's split at once until it is there, checking
// that every answer meanwhile is a progress report.
func waitShares(t *testing.T, s *Service, planID int64) *CostShares {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		cs, p, err := s.CostSharesNow(context.Background(), planID)
		if err != nil {
			t.Fatal(err)
		}
		if cs != nil {
			return cs
		}
		if p == nil || p.PlanID != planID || (p.State != "queued" && p.State != "computing") || p.Valued > max(p.Coalitions, 1<<10) {
			t.Fatalf("progress %+v", p)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("plan %d: no cost shares after two minutes", planID)
	return nil
}

// TestCostSharesInTheBackground: publishing a plan computes its split in the
// background; asking for it answers progress, then the stored split, and
// asking again solves nothing. After a restart (a new Service over the same
// database) a plan published while no worker ran gets its split, and the
// one already stored is left as billed.
func TestCostSharesInTheBackground(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tc := newTestCounty(t)
	tc.loadDay(t, demo.GenerateDay(demo.DayOptions{Seed: 11, Date: testDate, Down: 90, Up: 15, Carriers: []string{"ZTO", "YTO", "STO"}}))
	opt := ShareOptions{Budget: 2 * time.Second, MinSolve: 10 * time.Millisecond, Seed: 1}
	if err := tc.store.StartCostShares(ctx, opt, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := tc.store.StartCostShares(ctx, opt, 0); !errs.Is(err, errs.Conflict) {
		t.Errorf("a second worker: %v, want conflict", err)
	}
	plan, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-12-01", TimeLimit: 300 * time.Millisecond, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := tc.store.CostSharesNow(ctx, plan.ID); !errs.Is(err, errs.Conflict) {
		t.Errorf("a draft: %v, want conflict", err)
	}
	if _, _, err := tc.store.CostSharesNow(ctx, 999999); !errs.Is(err, errs.NotFound) {
		t.Errorf("no such plan: %v, want not_found", err)
	}
	if _, err := tc.store.Publish(ctx, plan.ID); err != nil {
		t.Fatal(err)
	}
	cs := waitShares(t, tc.store, plan.ID)
	solves := tc.store.shareSolves.Load()
	if cs.Method != "shapley_exact" || len(cs.Shares) != 3 || solves != 1<<3-2 || cs.TotalFen != plan.Joint.CostFen {
		t.Fatalf("method %s, %d shares, %d solves, total %d of %d", cs.Method, len(cs.Shares), solves, cs.TotalFen, plan.Joint.CostFen)
	}
	for range 3 {
		again, p, err := tc.store.CostSharesNow(ctx, plan.ID)
		if err != nil || p != nil || !again.ComputedAt.Equal(cs.ComputedAt) {
			t.Fatalf("stored split read back: %v, progress %+v", err, p)
		}
	}
	if again, err := tc.store.CostShares(ctx, plan.ID, ShareOptions{}); err != nil || !again.ComputedAt.Equal(cs.ComputedAt) {
		t.Fatalf("CostShares after the background: %v", err)
	}
	if n := tc.store.shareSolves.Load(); n != solves {
		t.Errorf("reading the stored split solved %d coalitions", n-solves)
	}

	// The server stops; a newer version is published by a process with no
	// worker (the CLI), so it has no split.
	tc.store.StopCostShares()
	tc.store.StopCostShares() // idempotent
	v2, err := tc.store.CreatePlan(ctx, PlanOptions{ServiceDate: "2026-12-01", TimeLimit: 300 * time.Millisecond, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tc.store.Publish(ctx, v2.ID); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if _, err := tc.store.shares.get(ctx, v2.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("a plan published with no worker has a split: %v", err)
	}

	// Another server holds the plan's lock: the restarted one leaves it.
	release, ok, err := tc.store.shares.claim(ctx, v2.ID)
	if err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	restarted := NewService(tc.pool)
	if err := restarted.StartCostShares(ctx, opt, time.Hour); err != nil { // no poll: the start alone must find it
		t.Fatal(err)
	}
	defer restarted.StopCostShares()
	for range 10 {
		if cs, p, err := restarted.CostSharesNow(ctx, v2.ID); err != nil || cs != nil || p.State != "queued" {
			t.Fatalf("while another server holds the plan: %+v %+v %v", cs, p, err)
		}
		time.Sleep(30 * time.Millisecond)
	}
	if n := restarted.shareSolves.Load(); n != 0 {
		t.Errorf("%d solves of a plan another server computes", n)
	}
	release()
	cs2 := waitShares(t, restarted, v2.ID)
	if cs2.PlanID != v2.ID || restarted.shareSolves.Load() != 1<<3-2 {
		t.Errorf("after the restart: plan %d, %d solves", cs2.PlanID, restarted.shareSolves.Load())
	}
	first, _, err := restarted.CostSharesNow(ctx, plan.ID)
	if err != nil || !first.ComputedAt.Equal(cs.ComputedAt) {
		t.Errorf("the first plan's split after the restart: %v", err)
	}
}
