package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/settlement"
	"github.com/tongpei/tongpei/stations"
)

// TestCostSharesAndStatements publishes a small day's plan and reads who
// pays what through the API: the outside contract's shape, a carrier's view
// of its own share only, postings, statements in three formats and the
// trial balance.
func TestCostSharesAndStatements(t *testing.T) {
	t.Parallel()
	a, pool := newDispatchAPI(t)
	store := a.deps.Dispatch
	a.deps.Custody = stations.NewCustody(pool)
	a.deps.Settlement = settlement.NewLedger(pool, store, a.deps.Custody)
	a.handler = api.New(a.deps)
	smallDay(t, a, pool)
	plan := planDay(t, a, map[string]any{"service_date": "2026-12-01", "time_limit": 0.3})
	id := itoa(plan.ID)
	expect(t, a.do("GET", "/v1/dispatch/plans/"+id+"/cost-shares", a.admin, nil), http.StatusConflict) // a draft
	expect(t, a.do("POST", "/v1/dispatch/plans/"+id+"/publish", a.admin, nil), http.StatusOK)

	w := a.do("GET", "/v1/dispatch/plans/"+id+"/cost-shares", a.admin, nil)
	expect(t, w, http.StatusOK)
	cs := decodeBody[struct {
		Method   string `json:"method"`
		TotalFen int64  `json:"total_fen"`
		Shares   []struct {
			Carrier       string `json:"carrier"`
			ShareFen      int64  `json:"share_fen"`
			StandaloneFen int64  `json:"standalone_fen"`
		} `json:"shares"`
	}](t, w)
	if cs.Method != "shapley_exact" || cs.TotalFen != plan.Joint.CostFen || len(cs.Shares) != 2 {
		t.Fatalf("cost shares %+v, plan cost %d", cs, plan.Joint.CostFen)
	}
	sum := int64(0)
	for _, s := range cs.Shares {
		sum += s.ShareFen
		if s.ShareFen > s.StandaloneFen {
			t.Errorf("%s pays %d, alone %d", s.Carrier, s.ShareFen, s.StandaloneFen)
		}
	}
	if sum != cs.TotalFen {
		t.Errorf("shares sum to %d, total %d", sum, cs.TotalFen)
	}
	zto := a.token(auth.Carrier, "ZTO")
	own := decodeBody[dispatch.CostShares](t, a.do("GET", "/v1/dispatch/plans/"+id+"/cost-shares", zto, nil))
	if len(own.Shares) != 1 || own.Shares[0].Carrier != "ZTO" || own.TotalFen != cs.TotalFen {
		t.Errorf("a carrier sees %+v", own.Shares)
	}
	for _, r := range own.Alternatives {
		if len(r.Shares) != 1 || r.Shares[0].Carrier != "ZTO" {
			t.Errorf("a carrier sees rule %s: %+v", r.Rule, r.Shares)
		}
	}
	keeper := a.token(auth.Keeper, "V1")
	expect(t, a.do("GET", "/v1/dispatch/plans/"+id+"/cost-shares", keeper, nil), http.StatusForbidden)
	expect(t, a.do("GET", "/v1/dispatch/plans/x/cost-shares", a.admin, nil), http.StatusNotFound)
	expect(t, a.do("GET", "/v1/dispatch/plans/99999/cost-shares", a.admin, nil), http.StatusNotFound)

	// Posting the day and reading the statements.
	expect(t, a.do("POST", "/v1/settlement/postings", a.admin, map[string]any{"date": "2026-13-01"}), http.StatusUnprocessableEntity)
	expect(t, a.do("POST", "/v1/settlement/postings", zto, map[string]any{"date": "2026-12-01"}), http.StatusForbidden)
	expect(t, a.do("POST", "/v1/settlement/postings", a.admin, map[string]any{"date": "2026-12-01"}), http.StatusOK)
	var ztoShare int64
	for _, s := range cs.Shares {
		if s.Carrier == "ZTO" {
			ztoShare = s.ShareFen
		}
	}
	sts := decodeBody[struct {
		Items []settlement.Statement `json:"items"`
	}](t, a.do("GET", "/v1/settlement/statements?month=2026-12&carrier=YTO", zto, nil))
	if len(sts.Items) != 1 || sts.Items[0].Party != "ZTO" || sts.Items[0].ClosingFen != ztoShare {
		t.Errorf("ZTO's statement %+v, want its share %d whatever it asks", sts.Items, ztoShare)
	}
	all := decodeBody[struct {
		Items []settlement.Statement `json:"items"`
	}](t, a.do("GET", "/v1/settlement/statements?month=2026-12", a.admin, nil))
	if len(all.Items) != 3 { // two carriers and the operator
		t.Errorf("%d statements for the admin, want 3", len(all.Items))
	}
	w = a.do("GET", "/v1/settlement/statements?month=2026-12&format=csv", zto, nil)
	expect(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "carrier:ZTO") || strings.Contains(w.Body.String(), "carrier:YTO") {
		t.Errorf("ZTO's CSV:\n%s", w.Body.String())
	}
	w = a.do("GET", "/v1/settlement/statements?month=2026-12&format=xlsx", a.admin, nil)
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Body.String(), "PK") {
		t.Errorf("xlsx: %d", w.Code)
	}
	expect(t, a.do("GET", "/v1/settlement/statements?format=pdf", a.admin, nil), http.StatusUnprocessableEntity)
	expect(t, a.do("GET", "/v1/settlement/statements?month=12-2026", a.admin, nil), http.StatusUnprocessableEntity)
	tb := decodeBody[settlement.TrialBalance](t, a.do("GET", "/v1/settlement/balances", a.admin, nil))
	if !tb.Balanced || len(tb.Accounts) != 3 {
		t.Errorf("trial balance %+v", tb)
	}
	expect(t, a.do("GET", "/v1/settlement/balances", zto, nil), http.StatusForbidden)
	entry := all.Items[0].Lines[0].Entry
	expect(t, a.do("GET", "/v1/settlement/entries/"+itoa(entry), a.admin, nil), http.StatusOK)
	expect(t, a.do("POST", "/v1/settlement/entries/"+itoa(entry)+"/reverse", a.admin, map[string]any{"memo": ""}), http.StatusUnprocessableEntity)
	expect(t, a.do("POST", "/v1/settlement/entries/"+itoa(entry)+"/reverse", a.admin, map[string]any{"memo": "wrong day"}), http.StatusCreated)
	expect(t, a.do("POST", "/v1/settlement/entries/"+itoa(entry)+"/reverse", a.admin, map[string]any{"memo": "again"}), http.StatusConflict)
	expect(t, a.do("GET", "/v1/settlement/entries/nope", a.admin, nil), http.StatusNotFound)
	expect(t, a.do("PUT", "/v1/settlement/fee-rates", a.admin, map[string]any{"tier": "village", "event": "picked_up", "fee_fen": 60}), http.StatusOK)
	expect(t, a.do("PUT", "/v1/settlement/fee-rates", a.admin, map[string]any{"tier": "moon", "event": "picked_up", "fee_fen": -1}), http.StatusUnprocessableEntity)
	expect(t, a.do("GET", "/v1/settlement/fee-rates", a.admin, nil), http.StatusOK)
	_ = context.Background()
}

// TestCostSharesComputedInTheBackground: with the background computation
// running, the GET after publishing answers at once: 202 with the progress
// (Retry-After) until the split is stored, then the split in the same 200
// shape as ever.
func TestCostSharesComputedInTheBackground(t *testing.T) {
	t.Parallel()
	a, pool := newDispatchAPI(t)
	store := a.deps.Dispatch
	if err := store.StartCostShares(context.Background(), dispatch.ShareOptions{Budget: 2 * time.Second, MinSolve: 10 * time.Millisecond}, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	defer store.StopCostShares()
	smallDay(t, a, pool)
	plan := planDay(t, a, map[string]any{"service_date": "2026-12-01", "time_limit": 0.3})
	id := itoa(plan.ID)
	expect(t, a.do("GET", "/v1/dispatch/plans/"+id+"/cost-shares", a.admin, nil), http.StatusConflict) // a draft
	expect(t, a.do("POST", "/v1/dispatch/plans/"+id+"/publish", a.admin, nil), http.StatusOK)
	deadline := time.Now().Add(time.Minute)
	for {
		w := a.do("GET", "/v1/dispatch/plans/"+id+"/cost-shares", a.admin, nil)
		if w.Code == http.StatusOK {
			cs := decodeBody[dispatch.CostShares](t, w)
			if cs.Method != "shapley_exact" || cs.TotalFen != plan.Joint.CostFen || len(cs.Shares) != 2 {
				t.Fatalf("cost shares %+v, plan cost %d", cs, plan.Joint.CostFen)
			}
			return
		}
		expect(t, w, http.StatusAccepted)
		p := decodeBody[struct {
			PlanID  int64  `json:"plan_id"`
			State   string `json:"state"`
			Pending bool   `json:"pending"`
		}](t, w)
		if p.PlanID != plan.ID || !p.Pending || w.Header().Get("Retry-After") == "" {
			t.Fatalf("202 %+v, Retry-After %q", p, w.Header().Get("Retry-After"))
		}
		if time.Now().After(deadline) {
			t.Fatal("no split after a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
