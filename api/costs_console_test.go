package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/settlement"
	"github.com/tongpei/tongpei/stations"
)

// TestCostsPage: a carrier signed in on a phone sees its own statement of
// the month and, from the fleet-cost line, the plan's split with the simpler
// rules beside it; the county centre on a desktop sees every account.
func TestCostsPage(t *testing.T) {
	t.Parallel()
	a, pool := newDispatchAPI(t)
	a.deps.Custody = stations.NewCustody(pool)
	a.deps.Settlement = settlement.NewLedger(pool, a.deps.Dispatch, a.deps.Custody)
	a.handler = api.New(a.deps)
	smallDay(t, a, pool)
	plan := planDay(t, a, map[string]any{"service_date": "2026-12-01", "time_limit": 0.3})
	expect(t, a.do("POST", "/v1/dispatch/plans/"+itoa(plan.ID)+"/publish", a.admin, nil), http.StatusOK)
	expect(t, a.do("POST", "/v1/settlement/postings", a.admin, map[string]any{"date": "2026-12-01"}), http.StatusOK)
	hs := httptest.NewServer(a.handler)
	t.Cleanup(hs.Close)
	srv := hs.URL
	link := func(role, scope, name string) string {
		w := a.do("POST", "/v1/login-links", a.admin, map[string]any{"role": role, "scope": scope, "name": name})
		expect(t, w, http.StatusCreated)
		_, secret, _ := strings.Cut(decodeBody[issuedLink](t, w).URL, "#")
		return secret
	}
	for _, sc := range screens {
		role, scope := "carrier", "ZTO"
		if sc.name == "desktop" {
			role, scope = "admin", ""
		}
		ctx := browser(t)
		run(t, ctx,
			chromedp.EmulateViewport(sc.w, sc.h),
			chromedp.Navigate(srv+"/login#"+link(role, scope, "张会计")),
			chromedp.WaitVisible("#signout"),
			chromedp.Navigate(srv+"/costs?month=2026-12"),
			chromedp.WaitVisible(".statement"),
		)
		accounts := js[[]string](t, ctx, `[...document.querySelectorAll(".statement")].map(e => e.dataset.account)`)
		if role == "carrier" && (len(accounts) != 1 || accounts[0] != "carrier:ZTO") {
			t.Fatalf("the carrier sees %v", accounts)
		}
		if role == "admin" && len(accounts) != 3 {
			t.Fatalf("the centre sees %v", accounts)
		}
		if title := text(t, ctx, "h1"); !strings.Contains(title, "费用分摊") {
			t.Errorf("title %q, want Chinese", title)
		}
		// The ledger's texts follow the language switch: Chinese first.
		const cell = `document.querySelector(".statement tbody tr td:nth-child(3)").textContent`
		if zh := js[string](t, ctx, cell); !strings.Contains(zh, "件") && !strings.Contains(zh, "条线路") {
			t.Errorf("statement line %q, want Chinese", zh)
		}
		js[bool](t, ctx, `localStorage.setItem("tongpei.lang", "en"); window.dispatchEvent(new CustomEvent("tongpei:lang")); true`)
		if en := js[string](t, ctx, cell); !strings.Contains(en, "parcels") && !strings.Contains(en, "routes") {
			t.Errorf("statement line in English %q", en)
		}
		js[bool](t, ctx, `localStorage.setItem("tongpei.lang", "zh"); window.dispatchEvent(new CustomEvent("tongpei:lang")); true`)
		run(t, ctx, chromedp.Click(".shares-btn"), chromedp.WaitVisible("#share-table"))
		rows := js[[]string](t, ctx, `[...document.querySelectorAll("#share-table tbody tr")].map(e => e.dataset.carrier)`)
		if role == "carrier" && (len(rows) != 1 || rows[0] != "ZTO") || role == "admin" && len(rows) != 2 {
			t.Errorf("%s sees split rows %v", role, rows)
		}
		if checks := text(t, ctx, "#checks"); !strings.Contains(checks, "✓") || strings.Contains(checks, "✗") {
			t.Errorf("checks line %q", checks)
		}
		if w := js[int](t, ctx, `document.documentElement.scrollWidth`); w > int(sc.w)+1 {
			t.Errorf("%s: the page is %d px wide on a %d px screen", sc.name, w, sc.w)
		}
		shot(t, ctx, "costs-"+sc.name)
	}
}
