package api_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestOpsComparePage: two plans of a day, ticked in the plans table,
// are drawn side by side, each on its own map with one path per route and
// a marker per stop, with its totals; and a route's line is drawn along
// the plan's GeoJSON where it gives one (here a line with a bend in it, as
// road geometry would have), not as straight legs between the stops.
func TestOpsComparePage(t *testing.T) {
	t.Parallel()
	a, pool := newDispatchAPI(t)
	smallDay(t, a, pool)
	v1 := planDay(t, a, map[string]any{"service_date": "2026-12-01", "time_limit": 0.3})
	v2 := planDay(t, a, map[string]any{"service_date": "2026-12-01", "time_limit": 0.5})
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			ctx := browser(t)
			run(t, ctx, chromedp.EmulateViewport(sc.w, sc.h))
			signInBrowser(t, ctx, a, srv.URL, "admin", "", "王主任")
			run(t, ctx, chromedp.Navigate(srv.URL+"/ops?date=2026-12-01"))
			if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`document.querySelector("#map circle.stop")`, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
				imp := read(t, ctx, chromedp.Evaluate[string](`import("/console/ops/ops.js").then(() => "ok", e => String(e))`, chromedp.EvalAwaitPromise))
				t.Fatalf("no map: %v; page says %q; plans %q; import %s", err, text(t, ctx, "#toolbar-error"), js[string](t, ctx, `document.getElementById("plans").outerHTML.slice(0, 300)`), imp)
			}
			// The shown plan's paths have the points of its GeoJSON lines.
			want := read(t, ctx, chromedp.Evaluate[string](`fetch("/v1/dispatch/plans/`+itoa(v2.ID)+`?format=geojson").then(r => r.json()).then(fc => fc.features.filter(f => f.properties.kind === "route").map(f => f.geometry.coordinates.length).join(","))`, chromedp.EvalAwaitPromise))
			counts := `[...document.querySelectorAll("#map path.route")].map(p => p.getAttribute("d").split(/[ML]/).filter(Boolean).length).join(",")`
			_, _ = chromedp.Run(ctx, chromedp.Poll[chromedp.Void](counts+` === `+strconvQuote(want), chromedp.WithPollingTimeout(5*time.Second)))
			got := js[string](t, ctx, counts)
			if got != want || got == "" {
				t.Errorf("paths have %s points; the GeoJSON's lines %s", got, want)
			}
			run(t, ctx, chromedp.Click(`input.compare-pick[data-plan="`+itoa(v1.ID)+`"]`), chromedp.Click(`input.compare-pick[data-plan="`+itoa(v2.ID)+`"]`),
				chromedp.WaitVisible(`#compare-grid .compare-card`))
			for _, p := range []struct {
				id            int64
				routes, stops int
			}{{v1.ID, len(v1.Routes), 0}, {v2.ID, len(v2.Routes), 0}} {
				sel := `#compare-grid .compare-card[data-plan="` + itoa(p.id) + `"]`
				paths := js[int](t, ctx, `document.querySelectorAll('`+sel+` path.route').length`)
				if paths != p.routes || paths == 0 {
					t.Errorf("plan %d: %d paths side by side, %d routes", p.id, paths, p.routes)
				}
			}
			if cards := js[int](t, ctx, `document.querySelectorAll("#compare-grid .compare-card").length`); cards != 2 {
				t.Fatalf("%d plans side by side", cards)
			}
			if sc.name == "desktop" {
				top := js[[]float64](t, ctx, `[...document.querySelectorAll("#compare-grid .compare-card")].map(c => c.getBoundingClientRect().top)`)
				if top[0] != top[1] {
					t.Errorf("on a desktop the two plans are not side by side: tops %v", top)
				}
			}
			if d := text(t, ctx, `#compare-diff`); !strings.Contains(d, "v1") || !strings.Contains(d, "v2") {
				t.Errorf("the difference line %q", d)
			}
			// A line with a bend, as road geometry gives, is drawn as given.
			bent := read(t, ctx, chromedp.Evaluate[int](`import("/console/ops/map.js").then(m => {
				const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
				const plan = {hub: {location: [101.98, 24.06]}, routes: [{number: 1, stops: [{seq: 1, station: {location: [101.9, 24.1]}}]}], unassigned: []};
				const lines = m.routeLines({features: [{type: "Feature", properties: {kind: "route", route: 1},
					geometry: {type: "LineString", coordinates: [[101.98, 24.06], [101.95, 24.09], [101.9, 24.1], [101.93, 24.07], [101.98, 24.06]]}}]});
				m.drawMap(svg, plan, [], () => {}, lines);
				return svg.querySelector("path.route").getAttribute("d").split(/[ML]/).filter(Boolean).length;
			})`, chromedp.EvalAwaitPromise))
			if bent != 5 {
				t.Errorf("the bent line was drawn with %d points, want its 5", bent)
			}
			// The imported roads (GET /v1/road-network/features) are drawn
			// under the routes: one faint path per line, MultiLineStrings split.
			roads := read(t, ctx, chromedp.Evaluate[int](`import("/console/ops/map.js").then(m => {
				const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
				const plan = {hub: {location: [101.98, 24.06]}, routes: [], unassigned: []};
				m.setRoads({type: "FeatureCollection", features: [
					{type: "Feature", geometry: {type: "LineString", coordinates: [[101.98, 24.06], [101.9, 24.1]]}},
					{type: "Feature", geometry: {type: "MultiLineString", coordinates: [[[101.9, 24.1], [101.85, 24.2]], [[101.98, 24.06], [102.0, 24.0]]]}},
					{type: "Feature", geometry: {type: "Point", coordinates: [101.9, 24.1]}}]});
				m.drawMap(svg, plan, [], () => {});
				const n = svg.querySelectorAll("g.roads path.road").length;
				m.setRoads(null);
				return n;
			})`, chromedp.EvalAwaitPromise))
			if roads != 3 {
				t.Errorf("the map drew %d road lines, want 3", roads)
			}
			if overflow := js[bool](t, ctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`); overflow {
				t.Errorf("the page is wider than the %d px screen", sc.w)
			}
			run(t, ctx, chromedp.ScrollIntoView(`#compare-view`))
			shot(t, ctx, "ops-compare-"+sc.name)
		})
	}
}
