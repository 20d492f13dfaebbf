package api_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tongpei/tongpei/demo"
)

// TestRegistryPageDemoCounty opens the registry on the whole demonstration
// county: a row and a mark on the placing map per station, every carrier
// listed, nothing wider than the screen.
func TestRegistryPageDemoCounty(t *testing.T) {
	t.Parallel()
	a, pool := newDispatchAPI(t)
	ctx := context.Background()
	if err := demo.LoadRegistry(ctx, a.deps.Registry); err != nil {
		t.Fatal(err)
	}
	var stationsN, carriersN int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM stations), (SELECT count(*) FROM carriers)`).Scan(&stationsN, &carriersN); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			bctx := browser(t)
			run(t, bctx, chromedp.EmulateViewport(sc.w, sc.h))
			signInBrowser(t, bctx, a, srv.URL, "admin", "", "王主任")
			run(t, bctx, chromedp.Navigate(srv.URL+"/ops/registry"), chromedp.WaitVisible(`#stations-table tbody tr`))
			rows := js[int](t, bctx, `document.querySelectorAll("#stations-table tbody tr").length`)
			marks := js[int](t, bctx, `document.querySelectorAll("#place-map .station, #place-map .township, #place-map .hub").length`)
			if rows != stationsN || marks != stationsN {
				t.Errorf("%d rows and %d marks for %d stations", rows, marks, stationsN)
			}
			if js[bool](t, bctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`) {
				t.Errorf("the page is wider than the %d px screen", sc.w)
			}
			run(t, bctx, chromedp.SendKeys(`#stations-filter`, "XP-HUB"))
			if n := js[int](t, bctx, `[...document.querySelectorAll("#stations-table tbody tr")].filter(r => !r.hidden).length`); n != 1 {
				t.Errorf("the filter leaves %d rows, want the hub's", n)
			}
			shot(t, bctx, "registry-county-"+sc.name)
			run(t, bctx, chromedp.Click(`#tabbtn-carriers`), chromedp.WaitVisible(`#carriers-table tbody tr`))
			if n := js[int](t, bctx, `document.querySelectorAll("#carriers-table tbody tr").length`); n != carriersN {
				t.Errorf("%d carriers listed of %d", n, carriersN)
			}
		})
	}
}
