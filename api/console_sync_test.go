package api_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tongpei/tongpei/stations"
)

// flaky is a network a station phone might have: when down, every
// connection is cut without an answer.
type flaky struct {
	next http.Handler
	down atomic.Bool
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.down.Load() && strings.HasPrefix(r.URL.Path, "/v1/") {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		}
		return
	}
	f.next.ServeHTTP(w, r)
}

// TestConsoleOfflineScansSyncOnce scans a parcel while the network is down,
// brings it back, and then replays the same queued scan as a phone would
// after losing the server's answer: the parcel's timeline holds the arrival
// once.
func TestConsoleOfflineScansSyncOnce(t *testing.T) {
	t.Parallel()
	a := newCustodyAPI(t)
	expect(t, a.do("POST", "/v1/parcels", a.sf, downJSON("SF200001", "V1", "13812345678")), http.StatusCreated)
	for _, kind := range []string{"hub_inbound", "sorted", "loaded"} {
		expect(t, a.do("POST", "/v1/scans", a.admin, scanJSON("SF200001", kind, "HUB")), http.StatusOK)
	}
	net := &flaky{next: a.handler}
	srv := httptest.NewServer(net)
	t.Cleanup(srv.Close)
	ctx := browser(t)

	steps := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatal(err)
		}
	}
	queued := func() string {
		t.Helper()
		return must(chromedp.Run(ctx, chromedp.Text("#queued")))(t)
	}
	steps(
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible("#token"),
		chromedp.SendKeys("#token", a.v1),
		chromedp.Click("#signin-form button"),
		chromedp.WaitVisible("#scan"),
		chromedp.SendKeys("#carrier", "SF"),
	)
	net.down.Store(true)
	// A hand scanner types the number and presses Enter.
	steps(chromedp.SendKeys("#tracking", "SF200001\r"))
	waitFor(t, func() bool { return queued() == "1" }, "the offline scan to wait in the queue")
	saved := must(chromedp.Run(ctx, chromedp.Evaluate[string](`localStorage.getItem("tongpei.scanQueue")`)))(t)

	net.down.Store(false)
	steps(chromedp.Click("#sync"))
	waitFor(t, func() bool { return queued() == "0" }, "the queue to drain once online")

	// The answer was lost on the way back: the phone sends the same scan again.
	steps(chromedp.Evaluate[chromedp.Void](`localStorage.setItem("tongpei.scanQueue", `+jsString(saved)+`)`), chromedp.Click("#sync"))
	// The queue shows 0 as soon as the scan is taken for sending, so wait
	// for the answer itself.
	results := func() string { return must(chromedp.Run(ctx, chromedp.Text("#results")))(t) }
	waitFor(t, func() bool { return strings.Contains(results(), "duplicate") }, "the replayed scan to be answered duplicate")
	if r := results(); strings.Count(r, "accepted") != 1 || strings.Count(r, "duplicate") != 1 {
		t.Fatalf("the keeper saw %q; want one accepted and one duplicate", r)
	}

	w := a.do("GET", "/v1/parcels/SF/SF200001", a.admin, nil)
	expect(t, w, http.StatusOK)
	p := decodeBody[stations.Parcel](t, w)
	arrivals := 0
	for _, e := range p.Events {
		if e.Kind == "station_arrival" {
			arrivals++
		}
	}
	if p.State != "station_arrival" || arrivals != 1 {
		t.Fatalf("state %s with %d arrivals; want station_arrival once", p.State, arrivals)
	}
}

// waitFor polls cond until it holds, failing t after 10 s.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
