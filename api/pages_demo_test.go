package api_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

// TestOpsPageDemoCounty plans a generated day of the whole demonstration
// county (Xinping: the hub, its townships and villages, every express
// company) from the page, and checks the map against the plan: one path per
// route, a marker per stop, a grey mark per station. Its screenshots are the
// README's.
func TestOpsPageDemoCounty(t *testing.T) {
	t.Parallel()
	a, pool := newDispatchAPI(t)
	ctx := context.Background()
	if err := demo.LoadRegistry(ctx, a.deps.Registry); err != nil {
		t.Fatal(err)
	}
	if err := a.deps.Dispatch.LoadDemoFleet(ctx); err != nil {
		t.Fatal(err)
	}
	var county []demo.Station
	var carriers []string
	srows, _ := pool.Query(ctx, `SELECT code, name, tier, township, lon, lat FROM stations WHERE active ORDER BY code`)
	var st demo.Station
	if _, err := pgx.ForEachRow(srows, []any{&st.Code, &st.Name, &st.Tier, &st.Township, &st.Lon, &st.Lat}, func() error {
		st.Size = 1
		county = append(county, st)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	crows, _ := pool.Query(ctx, `SELECT code FROM carriers WHERE kind = 'express' AND active ORDER BY code`)
	var code string
	if _, err := pgx.ForEachRow(crows, []any{&code}, func() error { carriers = append(carriers, code); return nil }); err != nil {
		t.Fatal(err)
	}
	day := demo.GenerateDay(demo.DayOptions{Date: time.Date(2026, 12, 1, 0, 0, 0, 0, dispatch.County), Seed: 1, Down: 900, Up: 150,
		Stations: county, Carriers: carriers})
	rows := make([][]any, len(day))
	for i, p := range day {
		state := "hub_inbound"
		if p.Direction == "up" {
			state = "accepted"
		}
		rows[i] = []any{p.Carrier, p.TrackingNo, p.Direction, p.Station, state, p.WeightG, p.SizeCM["l"], p.SizeCM["w"], p.SizeCM["h"], p.Category}
	}
	if _, err := pgtest.CopyFrom(t, ctx, pool, pgx.Identifier{"parcels"},
		[]string{"carrier", "tracking_no", "direction", "station", "state", "weight_g", "size_l", "size_w", "size_h", "category"}, pgx.CopyFromRows(rows)); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			bctx := browser(t)
			run(t, bctx, chromedp.EmulateViewport(sc.w, sc.h))
			signInBrowser(t, bctx, a, srv.URL, "admin", "", "王主任")
			run(t, bctx, chromedp.Navigate(srv.URL+"/ops?date=2026-12-01"), chromedp.WaitVisible(`#tiles .tile`),
				chromedp.SetValue(`#limit`, "2s"), chromedp.Click(`#plan`))
			for deadline := time.Now().Add(40 * time.Second); js[string](t, bctx, `document.getElementById("job").dataset.state || ""`) != "done"; time.Sleep(200 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("the demonstration day was never planned")
				}
			}
			run(t, bctx, chromedp.WaitVisible(`#map circle.stop`))
			id := js[string](t, bctx, `document.getElementById("plan-view").dataset.plan`)
			plan := decodeBody[dispatch.Plan](t, a.do("GET", "/v1/dispatch/plans/"+id, a.admin, nil))
			stops := 0
			for _, r := range plan.Routes {
				stops += len(r.Stops)
			}
			paths := js[int](t, bctx, `document.querySelectorAll("#map path.route").length`)
			markers := js[int](t, bctx, `document.querySelectorAll("#map circle.stop").length`)
			marks := js[int](t, bctx, `document.querySelectorAll("#map .stations > circle, #map .stations > rect").length`)
			if paths != len(plan.Routes) || markers != stops || marks != len(county)-1 || len(plan.Routes) < 2 {
				t.Fatalf("map: %d paths, %d markers, %d stations; plan: %d routes, %d stops; county %d stations",
					paths, markers, marks, len(plan.Routes), stops, len(county))
			}
			run(t, bctx, chromedp.Click(`#routes > li[data-route="2"]`), chromedp.Click(`#map circle.stop[data-route="2"][data-seq="1"]`), chromedp.WaitVisible(`#stop-info h4`))
			shot(t, bctx, "ops-county-"+sc.name)
		})
	}
}
