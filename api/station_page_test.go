package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/tongpei/tongpei/stations"
)

// loadedParcels registers parcels SF<prefix>01… for station V1, each with
// phone 1380000<prefix><nn>, and brings them to "loaded" on a route.
func (a *custodyAPI) loadedParcels(t *testing.T, prefix string, n int) []string {
	t.Helper()
	var tns []string
	var parcels []any
	for i := 1; i <= n; i++ {
		tn := fmt.Sprintf("SF%s%02d", prefix, i)
		tns = append(tns, tn)
		parcels = append(parcels, downJSON(tn, "V1", fmt.Sprintf("1380000%s%02d", prefix, i)))
	}
	expect(t, a.do("POST", "/v1/parcels", a.sf, map[string]any{"parcels": parcels}), http.StatusOK)
	var scans []any
	for _, kind := range []string{"hub_inbound", "sorted", "loaded"} {
		for _, tn := range tns {
			scans = append(scans, scanJSON(tn, kind, "HUB"))
		}
	}
	w := a.do("POST", "/v1/scans", a.admin, map[string]any{"scans": scans})
	expect(t, w, http.StatusOK)
	for _, r := range decodeBody[scanResults](t, w).Results {
		if r.Status != "accepted" {
			t.Fatalf("fixture scan: %+v", r)
		}
	}
	return tns
}

// parcel reads a parcel back as the admin sees it.
func (a *custodyAPI) parcel(t *testing.T, tn string) stations.Parcel {
	t.Helper()
	w := a.do("GET", "/v1/parcels/SF/"+tn, a.admin, nil)
	expect(t, w, http.StatusOK)
	return decodeBody[stations.Parcel](t, w)
}

func countKind(p stations.Parcel, kind string) int {
	n := 0
	for _, e := range p.Events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// offline cuts the browser's network (pages, the service worker's fetches
// and navigator.onLine alike), or restores it.
func offline(cut bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		on := cut
		if _, err := cdp.Call(ctx, t, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &on,
			MatchedNetworkConditions:    []*network.Conditions{{Offline: cut, DownloadThroughput: -1, UploadThroughput: -1}},
		}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: cut, DownloadThroughput: -1, UploadThroughput: -1,
		})
		return err
	})
}

var pickupCode = regexp.MustCompile(`^\d{1,2}-\d{1,2}-\d{4}$`)

// TestStationDay is a keeper's day on a 360 × 640 phone: sign in from a
// link, check in 20 parcels by typing + Enter (each shows the code the API
// holds), see them on the shelf, hand one over by phone last 4, refuse a
// wrong code, record a problem, then lose the signal: the app reloads, 10
// scans and one bad one queue, and when the signal returns the 10 are
// applied once (even when the queue is replayed) and the bad one needs
// attention. Sign-out makes the cookie useless.
func TestStationDay(t *testing.T) {
	t.Parallel()
	a := newCustodyAPI(t)
	first := a.loadedParcels(t, "81", 20)
	later := a.loadedParcels(t, "82", 10)
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	secret := a.linkSecret(t, "keeper", "V1", "李四")
	ctx := browser(t)
	steps(t, ctx, chromedp.EmulateViewport(360, 640), chromedp.Navigate(srv.URL+"/login#"+secret), chromedp.WaitVisible("body[data-ready]"))
	if loc := must(chromedp.Run(ctx, chromedp.Location()))(t); !strings.HasSuffix(loc, "/station") {
		t.Fatalf("a keeper lands on %s", loc)
	}
	if id := must(chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`)))(t); id != "scan" {
		t.Fatalf("the focused element on load is %q, not the scan field", id)
	}

	// The phone buzzes (and beeps) one way on accept and another on refusal.
	steps(t, ctx, chromedp.Evaluate[chromedp.Void](`Object.defineProperty(navigator, "vibrate", { configurable: true,
	  value: (p) => { (window.vibes = window.vibes || []).push(JSON.stringify(p)); return true; } })`))
	vibes := func() string {
		return must(chromedp.Run(ctx, chromedp.Evaluate[string](`(window.vibes || []).join(" ")`)))(t)
	}

	// Check-in: each Enter shows the pickup code the server issued.
	steps(t, ctx, chromedp.Click(`#pick-shelf button[data-value="3"]`), chromedp.Click(`#pick-layer button[data-value="2"]`))
	for i, tn := range first {
		steps(t, ctx, chromedp.SendKeys("#scan", tn+"\r"))
		waitFor(t, func() bool {
			return pickupCode.MatchString(text(t, ctx, "#last-code")) && text(t, ctx, "#last-tn") == tn
		}, "the pickup code of "+tn)
		code := text(t, ctx, "#last-code")
		if p := a.parcel(t, tn); p.PickupCode != code || !strings.HasPrefix(code, "3-2-") {
			t.Fatalf("parcel %s: the page shows %q, the API holds %q", tn, code, p.PickupCode)
		}
		if i == 0 {
			shot(t, ctx, "station-checkin")
			if v := vibes(); v != "60" {
				t.Errorf("an accepted scan buzzes %q, want one short buzz", v)
			}
		}
	}
	if id := must(chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`)))(t); id != "scan" {
		t.Fatalf("after the scans the focus is on %q", id)
	}
	// The pickup label of the last one: its code in large type, the masked
	// name, the phone's last 4 and the tracking number as a Code 128
	// barcode (drawn by /v1/barcode, read back in TestLabelBarcodeDecodes).
	last := a.parcel(t, first[19])
	steps(t, ctx, chromedp.Evaluate[chromedp.Void](`window.print = () => { window.printed = (window.printed || 0) + 1; }`), chromedp.Click("#print-last"))
	waitFor(t, func() bool {
		return must(chromedp.Run(ctx, chromedp.Evaluate[int](`window.printed || 0`)))(t) == 1
	}, "the pickup label to print")
	if n := must(chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("#print-area .label img.label-bars")].filter(i => i.complete && i.naturalWidth > 0 && i.src.endsWith("/v1/barcode?text=`+first[19]+`")).length`)))(t); n != 1 {
		t.Errorf("%d loaded barcodes of %s on the pickup label", n, first[19])
	}
	steps(t, ctx, emulateMedia("print"))
	if l := text(t, ctx, "#print-area .label"); !strings.Contains(l, last.PickupCode) || !strings.Contains(l, "王* 尾号 8120") || !strings.Contains(l, first[19]) {
		t.Errorf("the printed pickup label says %q", l)
	}
	shot(t, ctx, "station-label-pickup")
	steps(t, ctx, emulateMedia(""))

	p0 := a.parcel(t, first[0])
	if by := p0.Events[len(p0.Events)-1].By; by != "keeper:V1:李四" {
		t.Errorf("the arrival is recorded by %q", by)
	}

	// The shelf lists all 20, grouped on shelf 3 layer 2; the first has
	// waited five days, which is overdue after 3 days and not after 6.
	if _, err := a.pool.Exec(context.Background(), `UPDATE parcels SET arrived_at = now() - interval '5 days' WHERE tracking_no = $1`, first[0]); err != nil {
		t.Fatal(err)
	}
	steps(t, ctx, chromedp.Click(`#tabs button[data-tab="shelf"]`))
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#count-waiting"), "待取 20") }, "the shelf to count 20")
	for _, tn := range first {
		if n := must(chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll('#shelf-groups li[data-tn=%q]').length`, tn))))(t); n != 1 {
			t.Fatalf("parcel %s is listed %d times on the shelf", tn, n)
		}
	}
	flagged := func() string {
		return must(chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#shelf-groups li")].filter(li => li.querySelector(".flag")).map(li => li.dataset.tn + " " + li.textContent.includes("5 天")).join(",")`)))(t)
	}
	if c, f := text(t, ctx, "#count-overdue"), flagged(); c != "超期 1" || f != first[0]+" true" {
		t.Errorf("overdue after 3 days: %q, flagged %q", c, f)
	}
	shot(t, ctx, "station-shelf")
	setDays := func(d string) {
		steps(t, ctx, chromedp.SetValue("#overdue-days", d),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("overdue-days").dispatchEvent(new Event("change"))`))
	}
	setDays("6")
	waitFor(t, func() bool { return text(t, ctx, "#count-overdue") == "超期 0" && flagged() == "" }, "nothing overdue after 6 days")
	setDays("3")
	waitFor(t, func() bool { return text(t, ctx, "#count-overdue") == "超期 1" }, "overdue after 3 days again")
	// Search by phone last 4, by pickup code, by tracking number.
	search := func(q string) {
		steps(t, ctx, chromedp.Evaluate[chromedp.Void](`{ const s = document.getElementById("shelf-search"); s.value = `+jsString(q)+`; s.dispatchEvent(new Event("input")); }`))
	}
	for q, want := range map[string]string{"8103": first[2], a.parcel(t, first[6]).PickupCode: first[6], first[11]: first[11]} {
		search(q)
		waitFor(t, func() bool {
			return must(chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#shelf-groups li")].map(li => li.dataset.tn).join(",")`)))(t) == want
		}, "the search for "+q)
	}
	search("")
	if _, err := a.pool.Exec(context.Background(), `UPDATE parcels SET arrived_at = now() WHERE tracking_no = $1`, first[0]); err != nil {
		t.Fatal(err)
	}

	// A problem: the recipient refused the parcel.
	steps(t, ctx,
		chromedp.Click(fmt.Sprintf(`#shelf-groups li[data-tn=%q] summary`, first[19])),
		chromedp.SetValue(fmt.Sprintf(`#shelf-groups li[data-tn=%q] select`, first[19]), "refused"),
		chromedp.Click(fmt.Sprintf(`#shelf-groups li[data-tn=%q] .mark-problem`, first[19])))
	waitFor(t, func() bool { return a.parcel(t, first[19]).State == "problem" }, "the problem parcel")
	steps(t, ctx, chromedp.Click(`#tabs button[data-tab="problems"]`))
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#problem-list"), "原因: 拒收") }, "the problem list with its reason")
	shot(t, ctx, "station-problems")

	// Handover by phone last 4: the parcel of 1380000 8105.
	steps(t, ctx, chromedp.Click(`#tabs button[data-tab="handover"]`), chromedp.Click("#mode-phone"),
		chromedp.SendKeys("#handover-input", "8105\r"), chromedp.WaitVisible("#handover-confirm"))
	if l := text(t, ctx, "#handover-list"); !strings.Contains(l, first[4]) || strings.Count(l, "SF81") != 1 {
		t.Fatalf("phone 8105 finds %q", l)
	}
	shot(t, ctx, "station-handover")
	steps(t, ctx, chromedp.Click("#handover-confirm"))
	waitFor(t, func() bool { return a.parcel(t, first[4]).State == "picked_up" }, "the handover")
	// A wrong code is refused, in Chinese.
	steps(t, ctx, chromedp.Click("#mode-code"), chromedp.SendKeys("#handover-input", "0000\r"))
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#handover-msg"), "取件码不对") }, "the wrong code's refusal")
	if v := vibes(); !strings.HasSuffix(v, "[220,90,220]") {
		t.Errorf("a refusal buzzes %q, want the long double buzz last", v)
	}
	// By code: the code the recipient says is checked by the server.
	code := a.parcel(t, first[5]).PickupCode
	steps(t, ctx, chromedp.SendKeys("#handover-input", code[strings.LastIndex(code, "-")+1:]+"\r"), chromedp.WaitVisible("#handover-confirm"), chromedp.Click("#handover-confirm"))
	waitFor(t, func() bool { return a.parcel(t, first[5]).State == "picked_up" }, "the handover by code")

	steps(t, ctx, chromedp.Click(`#tabs button[data-tab="today"]`))
	waitFor(t, func() bool { return text(t, ctx, "#today-arrived") == "20" }, "the day's summary")
	if got := []string{text(t, ctx, "#today-picked_up"), text(t, ctx, "#today-waiting"), text(t, ctx, "#today-problems")}; strings.Join(got, ",") != "2,17,1" {
		t.Errorf("summary picked up, waiting, problems = %v, want 2, 17, 1", got)
	}
	shot(t, ctx, "station-today")

	// The refused parcel goes back to the county centre with the driver.
	steps(t, ctx, chromedp.Click(`#tabs button[data-tab="problems"]`))
	stepsOnFreshList(t, ctx, chromedp.WaitVisible(fmt.Sprintf(`#problem-list li[data-tn=%q] summary`, first[19])),
		chromedp.Click(fmt.Sprintf(`#problem-list li[data-tn=%q] summary`, first[19])),
		chromedp.Click(fmt.Sprintf(`#problem-list li[data-tn=%q] .return`, first[19])))
	waitFor(t, func() bool { return a.parcel(t, first[19]).State == "returned" }, "the return")

	// Offline: the service worker has the app, so a reload opens it.
	steps(t, ctx, chromedp.Click(`#tabs button[data-tab="checkin"]`))
	waitFor(t, func() bool {
		return must(chromedp.Run(ctx, chromedp.Evaluate[bool](`navigator.serviceWorker.controller !== null`)))(t)
	}, "the service worker to control the page")
	steps(t, ctx, offline(true), chromedp.Reload(), chromedp.WaitVisible("body[data-ready]"))
	for _, tn := range append(later, "SF8999999") {
		steps(t, ctx, chromedp.SendKeys("#scan", tn+"\r"))
		waitFor(t, func() bool { return text(t, ctx, "#last-tn") == tn }, "the offline scan of "+tn)
	}
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#queue-count"), "待同步 11") }, "11 scans to wait")
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#last-code"), "联网后出码") }, "the queued note")
	shot(t, ctx, "station-offline")
	if p := a.parcel(t, later[0]); p.State != "loaded" {
		t.Fatalf("an offline scan reached the server: %s", p.State)
	}
	saved := must(chromedp.Run(ctx, chromedp.Evaluate[string](idbDump, chromedp.EvalAwaitPromise)))(t)

	// The signal returns: the queue drains on its own.
	steps(t, ctx, offline(false))
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#queue-count"), "待同步 0") }, "the queue to drain")
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#attention-list"), "SF8999999") }, "the refused scan to need attention")
	if l := text(t, ctx, "#attention-list"); !strings.Contains(l, "系统里没有这个单号") {
		t.Errorf("attention shows %q", l)
	}
	shot(t, ctx, "station-attention")

	// The answers were lost on the way: the phone sends the same queue again.
	steps(t, ctx, chromedp.Evaluate[chromedp.Void](idbRestore(saved), chromedp.EvalAwaitPromise),
		chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event("online"))`))
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#queue-count"), "待同步 0") }, "the replayed queue to drain")
	for _, tn := range later {
		p := a.parcel(t, tn)
		if p.State != "station_arrival" || countKind(p, "station_arrival") != 1 || !pickupCode.MatchString(p.PickupCode) {
			t.Fatalf("parcel %s after sync: %s with %d arrivals", tn, p.State, countKind(p, "station_arrival"))
		}
	}

	// English by the switch.
	steps(t, ctx, chromedp.Click("#lang"))
	waitFor(t, func() bool { return text(t, ctx, `#tabs button[data-tab="checkin"]`) == "Check in" }, "the English tabs")
	// What was said before the switch is said again in English.
	if got := text(t, ctx, "#last-code") + text(t, ctx, "#recent"); !strings.Contains(got, "No parcel has this tracking number") || strings.Contains(got, "系统里没有") {
		t.Errorf("in English the check-in says %q", got)
	}
	shot(t, ctx, "station-checkin-en")
	steps(t, ctx, chromedp.Click("#lang"))

	// Sign-out ends the session on the server.
	steps(t, ctx, chromedp.Click("#signout"), chromedp.WaitVisible("#signin-state"))
	shot(t, ctx, "login")
	if st := must(chromedp.Run(ctx, chromedp.Evaluate[int](`fetch("/v1/session").then(r => r.status)`, chromedp.EvalAwaitPromise)))(t); st != 401 {
		t.Fatalf("after sign-out /v1/session answers %d", st)
	}
}

// idbDump reads the station's queue as JSON; idbRestore puts it back.
const idbDump = `new Promise((ok, fail) => {
  const r = indexedDB.open("tongpei-station");
  r.onsuccess = () => { const q = r.result.transaction("queue").objectStore("queue").getAll();
    q.onsuccess = () => ok(JSON.stringify(q.result)); q.onerror = fail; };
  r.onerror = fail; })`

func idbRestore(rows string) string {
	return `new Promise((ok, fail) => {
  const r = indexedDB.open("tongpei-station");
  r.onsuccess = () => { const tx = r.result.transaction("queue", "readwrite");
    for (const row of JSON.parse(` + jsString(rows) + `)) tx.objectStore("queue").put(row);
    tx.oncomplete = () => ok(); tx.onerror = fail; };
  r.onerror = fail; })`
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}
