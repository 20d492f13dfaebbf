package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tongpei/tongpei/dispatch"
)

// signInBrowser issues a one-time link as the admin and opens it in the
// browser, which then holds the session cookie.
func signInBrowser(t *testing.T, ctx context.Context, a *testAPI, srvURL string, role, scope, name string) {
	t.Helper()
	w := a.do("POST", "/v1/login-links", a.admin, map[string]any{"role": role, "scope": scope, "name": name})
	expect(t, w, http.StatusCreated)
	_, secret, ok := strings.Cut(decodeBody[issuedLink](t, w).URL, "/login#")
	if !ok {
		t.Fatal("the link has no secret")
	}
	run(t, ctx, chromedp.Navigate(srvURL+"/login#"+secret), chromedp.WaitVisible(`#signout`))
}

// TestOpsPage walks the county centre's morning on a phone and a desktop:
// sign in by link, the board's counts equal the API's, plan the day from
// the button and watch the bar go to 100 %, one path per route and a marker
// per stop on the map, a stop's details on tap, a route sheet that opens
// with the cookie, and publish.
func TestOpsPage(t *testing.T) {
	t.Parallel()
	a, pool := newDispatchAPI(t)
	smallDay(t, a, pool)
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	board := decodeBody[dispatch.DayBoard](t, a.do("GET", "/v1/dispatch/day-board?date=2026-12-01", a.admin, nil))
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			ctx := browser(t)
			run(t, ctx, chromedp.EmulateViewport(sc.w, sc.h))
			signInBrowser(t, ctx, a, srv.URL, "admin", "", "王主任")
			run(t, ctx, chromedp.Navigate(srv.URL+"/ops?date=2026-12-01"), chromedp.WaitVisible(`#tiles .tile`))
			down := js[string](t, ctx, `document.querySelector("#tiles .tile b").textContent`)
			zto := js[string](t, ctx, `document.querySelector('#carriers tr[data-carrier="ZTO"] td:nth-child(2)').textContent`)
			var wantZTO int
			for _, c := range board.Carriers {
				if c.Carrier == "ZTO" {
					wantZTO = c.Down.Parcels
				}
			}
			if down != itoa(int64(board.Totals.Down.Parcels)) || zto != itoa(int64(wantZTO)) {
				t.Fatalf("page: %s down, ZTO %s; API: %d, %d", down, zto, board.Totals.Down.Parcels, wantZTO)
			}
			run(t, ctx, chromedp.SetValue(`#limit`, "2s"), chromedp.SetValue(`#balance`, "longest"), chromedp.Click(`#plan`))
			var seen []float64
			deadline := time.Now().Add(30 * time.Second)
			for {
				state := js[string](t, ctx, `document.getElementById("job").dataset.state || ""`)
				seen = append(seen, js[float64](t, ctx, `document.getElementById("job-bar").value`))
				if state == "done" {
					break
				}
				if time.Now().After(deadline) || state == "failed" || state == "cancelled" {
					t.Fatalf("the job ended %q; bar went %v", state, seen)
				}
				time.Sleep(150 * time.Millisecond)
			}
			mid := false
			for _, v := range seen {
				mid = mid || (v > 0 && v < 100)
			}
			if !mid || seen[len(seen)-1] != 100 {
				t.Errorf("the bar went %v", seen)
			}
			run(t, ctx, chromedp.WaitVisible(`#map circle.stop`))
			// The phone's run left a plan of the day, shown at first; the new
			// one (the newest, first in the table) replaces it once read.
			run(t, ctx, chromedp.Poll[chromedp.Void](`document.getElementById("plan-view").dataset.plan === (document.querySelector("#plans tbody tr") || {dataset: {}}).dataset.plan`,
				chromedp.WithPollingTimeout(10*time.Second)))
			id := js[string](t, ctx, `document.getElementById("plan-view").dataset.plan`)
			plan := decodeBody[dispatch.Plan](t, a.do("GET", "/v1/dispatch/plans/"+id, a.admin, nil))
			stops := 0
			for _, r := range plan.Routes {
				stops += len(r.Stops)
			}
			if model := read(t, ctx, chromedp.Text(`#plan-model`)); plan.Balance != dispatch.BalanceLongest || !strings.Contains(model, "缩短最长路线") {
				t.Errorf("plan balance %q, the page says %q", plan.Balance, model)
			}
			paths := js[int](t, ctx, `document.querySelectorAll("#map path.route").length`)
			markers := js[int](t, ctx, `document.querySelectorAll("#map circle.stop").length`)
			listed := js[int](t, ctx, `document.querySelectorAll("#routes > li").length`)
			if paths != len(plan.Routes) || markers != stops || listed != len(plan.Routes) || len(plan.Routes) == 0 {
				t.Fatalf("map: %d paths, %d markers, %d listed; plan: %d routes, %d stops", paths, markers, listed, len(plan.Routes), stops)
			}
			run(t, ctx, chromedp.Click(`#map circle.stop[data-route="1"][data-seq="1"]`), chromedp.WaitVisible(`#stop-info h4`))
			info := read(t, ctx, chromedp.Text(`#stop-info`))
			first := plan.Routes[0].Stops[0]
			if !strings.Contains(info, first.Station.Name) || !strings.Contains(info, first.Arrival.In(dispatch.County).Format("15:04")) {
				t.Errorf("stop info %q for %s at %s", info, first.Station.Name, first.Arrival)
			}
			if sc.name != "desktop" {
				shot(t, ctx, "ops-"+sc.name)
				return
			}
			sheet := js[string](t, ctx, `document.querySelector("#routes a.sheet").href`)
			// The sheet opens with the session cookie alone, as HTML.
			body := read(t, ctx, chromedp.Evaluate[string](`fetch(`+strconv.Quote(sheet)+`).then(async r => r.headers.get("Content-Type") + "\n" + await r.text())`, chromedp.EvalAwaitPromise))
			if !strings.HasPrefix(body, "text/html") || !strings.Contains(body, first.Station.KeeperPhone) {
				t.Errorf("the route sheet answered %.200q", body)
			}
			shot(t, ctx, "ops-"+sc.name)
			run(t, ctx, chromedp.Click(`#publish`), chromedp.WaitVisible(`#publish-result`))
			deadline = time.Now().Add(10 * time.Second)
			for decodeBody[dispatch.Plan](t, a.do("GET", "/v1/dispatch/plans/"+id, a.admin, nil)).Status != "published" {
				if time.Now().After(deadline) {
					t.Fatalf("the plan was never published; the page says %q", read(t, ctx, chromedp.Text(`#publish-result`)))
				}
				time.Sleep(100 * time.Millisecond)
			}
			// The day fills in live: a scan (here, custody's state) reaches the page by SSE.
			if _, err := pool.Exec(context.Background(), `UPDATE parcels SET state = 'loaded' WHERE direction = 'down'`); err != nil {
				t.Fatal(err)
			}
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(200 * time.Millisecond) {
				progress := js[string](t, ctx, `document.getElementById("day-progress").textContent`)
				if strings.Contains(progress, "装车 32/32") {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the day's progress still reads %q", progress)
				}
			}
			if js[int](t, ctx, `document.querySelectorAll("#routes > li.late").length`) == 0 {
				t.Errorf("a past day's route with nothing arrived is not shown late")
			}
			run(t, ctx, chromedp.Click(`#map circle.stop[data-route="1"][data-seq="2"]`), chromedp.WaitVisible(`#stop-progress`))
			if sp := read(t, ctx, chromedp.Text(`#stop-progress`)); !strings.Contains(sp, "装车") {
				t.Errorf("the stop's progress reads %q", sp)
			}
			shot(t, ctx, "ops-desktop-published")
		})
	}
}
