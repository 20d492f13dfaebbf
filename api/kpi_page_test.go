package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestKPIPageShowsTheAPIsNumbers signs an admin in by link, opens /kpi at
// phone and desktop size, and checks the scorecard's numbers against the
// API's; then the public notice page, signed out.
func TestKPIPageShowsTheAPIsNumbers(t *testing.T) {
	t.Parallel()
	a := newKPIAPI(t)
	year := time.Now().Year()
	csv := fmt.Sprintf("station,month,sales_fen,source\nV1,%d-03,60000000,taobao\nT1,%d-04,19999999,taobao\n", year, year)
	expect(t, a.do("POST", "/v1/kpi/sales", a.admin, csv, "Content-Type", "text/csv"), http.StatusCreated)
	w := a.do("POST", "/v1/kpi/rounds", a.admin, map[string]any{"first_month": fmt.Sprintf("%d-01", year)})
	expect(t, w, http.StatusCreated)
	id := itoa(int64(decodeBody[map[string]any](t, w)["id"].(float64)))
	expect(t, a.do("POST", "/v1/kpi/rounds/"+id+"/reviews", a.admin, map[string]any{"station": "V1", "decision": "approve", "reviewer": "张伟"}), http.StatusOK)
	expect(t, a.do("POST", "/v1/kpi/rounds/"+id+"/notice", a.admin, map[string]any{"start": time.Now().Format(time.DateOnly)}), http.StatusOK)
	from, to := fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-12-31", year)
	rep := decodeBody[map[string]any](t, a.do("GET", "/v1/reports/kpi?from="+from+"&to="+to, a.admin, nil))
	tiers := rep["stations_by_tier"].([]any)

	w = a.do("POST", "/v1/login-links", a.admin, map[string]any{"role": "admin", "name": "王主任"})
	expect(t, w, http.StatusCreated)
	_, secret, _ := strings.Cut(decodeBody[issuedLink](t, w).URL, "#")
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	ctx := browser(t)
	shots := "/tmp/kpi-shots"
	_ = os.MkdirAll(shots, 0o755)
	steps(t, ctx, chromedp.EmulateViewport(360, 640), chromedp.Navigate(srv.URL+"/login#"+secret), chromedp.WaitVisible("#signout"))
	steps(t, ctx, chromedp.Navigate(srv.URL+"/kpi"), chromedp.WaitVisible(`body[data-loaded]`), chromedp.WaitVisible(`tr[data-kpi="tier3"]`))
	for i, key := range []string{"tier1", "tier2", "tier3", "tier4"} {
		tr := tiers[i].(map[string]any)
		want := tr["stations"].(float64)
		if key == "tier4" {
			want = tr["at_least"].(float64)
		}
		if got := text(t, ctx, `tr[data-kpi="`+key+`"] td.actual`); got != fmt.Sprint(want) {
			t.Errorf("%s: page %q, API %v", key, got, want)
		}
	}
	if got := text(t, ctx, `tr[data-kpi="tier3"] td:last-child`); got != "达标" && tiers[2].(map[string]any)["met"].(bool) {
		t.Errorf("tier 3 status %q", got)
	}
	express := rep["hub_tenants"].(map[string]any)["express"].(map[string]any)["actual"].(float64)
	if got := text(t, ctx, `tr[data-kpi="express"] td.actual`); got != fmt.Sprint(express) {
		t.Errorf("express: page %q, API %v", got, express)
	}
	if n := must(chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#tier-chart rect").length`)))(t); n != 8 {
		t.Errorf("tier chart has %d bars, want 8", n)
	}
	png := must(chromedp.Run(ctx, chromedp.FullScreenshot(100)))(t)
	_ = os.WriteFile(shots+"/kpi-360.png", png, 0o644)
	steps(t, ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/kpi"), chromedp.WaitVisible(`body[data-loaded]`))
	png = must(chromedp.Run(ctx, chromedp.FullScreenshot(100)))(t)
	_ = os.WriteFile(shots+"/kpi-desktop.png", png, 0o644)

	// The public notice, read without a session.
	ctx2 := browser(t)
	steps(t, ctx2, chromedp.EmulateViewport(360, 640), chromedp.Navigate(srv.URL+"/notice"), chromedp.WaitVisible(`body[data-loaded]`))
	if got := text(t, ctx2, "td.reward"); got != "¥30000.00" {
		t.Errorf("notice reward %q, want ¥30000.00 (tier 3)", got)
	}
	png = must(chromedp.Run(ctx2, chromedp.FullScreenshot(100)))(t)
	_ = os.WriteFile(shots+"/notice-360.png", png, 0o644)
}
