package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A carrier signed in by link sees only its own parcels and jobs and
// acknowledges a job from the page.
func TestCarrierPage(t *testing.T) {
	t.Parallel()
	a, pool := newDispatchAPI(t)
	a.pool = pool
	smallDay(t, a, pool)
	withNATSCreds(t, a)
	plan := planDay(t, a, map[string]any{"service_date": "2026-12-01", "time_limit": 0.3})
	expect(t, a.do("POST", "/v1/dispatch/plans/"+itoa(plan.ID)+"/publish", a.admin, nil), http.StatusOK)
	// A scan of one of ZTO's parcels and one of YTO's, for the event log.
	zto, yto := scanJSON("T000002", "sorted", "HUB"), scanJSON("T000003", "sorted", "HUB")
	zto["carrier"], yto["carrier"] = "ZTO", "YTO"
	res := decodeBody[scanResults](t, a.do("POST", "/v1/scans", a.admin, map[string]any{"scans": []any{zto, yto}}))
	for _, r := range res.Results {
		if r.Status != "accepted" {
			t.Fatalf("the fixture's scans: %+v", res.Results)
		}
	}
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			ctx := browser(t)
			run(t, ctx, chromedp.EmulateViewport(sc.w, sc.h))
			signInBrowser(t, ctx, a, srv.URL, "carrier", "ZTO", "张三")
			run(t, ctx, chromedp.WaitVisible(`#parcels tbody tr`), chromedp.WaitVisible(`#jobs tr`))
			parcels := js[[]string](t, ctx, `[...document.querySelectorAll("#parcels tbody tr")].map(r => r.dataset.tracking)`)
			jobs := js[int](t, ctx, `document.querySelectorAll("#jobs tr").length`)
			var want int
			if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM parcels WHERE carrier = 'ZTO'`).Scan(&want); err != nil {
				t.Fatal(err)
			}
			if len(parcels) != want || jobs != 1 {
				t.Fatalf("ZTO sees %d parcels (want %d) and %d jobs (want its one pickup job)", len(parcels), want, jobs)
			}
			var yto int
			for _, tn := range parcels {
				if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM parcels WHERE tracking_no = $1 AND carrier <> 'ZTO'`, tn).Scan(&yto); err != nil || yto != 0 {
					t.Fatalf("ZTO sees %s, not its own", tn)
				}
			}
			run(t, ctx, chromedp.Click(`#parcels tbody tr`), chromedp.WaitVisible(`#timeline-title`))
			if sc.name == "desktop" {
				run(t, ctx, chromedp.Click(`#jobs button`), chromedp.WaitVisible(`#jobs .ok`))
			}
			// Its event log: only its own parcels' scans.
			run(t, ctx, chromedp.Click(`#events-box summary`), chromedp.WaitVisible(`#events tbody tr[data-tracking="T000002"]`))
			for _, tn := range js[[]string](t, ctx, `[...new Set([...document.querySelectorAll("#events tbody tr")].map(r => r.dataset.tracking))]`) {
				var n int
				if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM parcels WHERE tracking_no = $1 AND carrier = 'ZTO'`, tn).Scan(&n); err != nil || n != 1 {
					t.Fatalf("ZTO's event log shows %s, not its own", tn)
				}
			}
			// Its NATS login, downloaded as a file the moment it is issued.
			run(t, ctx, chromedp.Click(`#nats-issue`), chromedp.WaitVisible(`#nats-file`), chromedp.WaitVisible(`#nats-list tr`))
			var cred struct{ Carrier, User, Password, URL string }
			body := read(t, ctx, chromedp.Evaluate[string](`fetch(document.getElementById("nats-file").href).then(r => r.text())`, chromedp.EvalAwaitPromise))
			if err := json.Unmarshal([]byte(body), &cred); err != nil || cred.Carrier != "ZTO" || cred.User != "ZTO" || cred.Password == "" || cred.URL == "" {
				t.Fatalf("the credentials file %q (%v)", body, err)
			}
			if f := js[string](t, ctx, `document.getElementById("nats-file").download`); !strings.HasPrefix(f, "tongpei-nats-ZTO-") || !strings.HasSuffix(f, ".json") {
				t.Errorf("the file is named %q", f)
			}
			shot(t, ctx, "carrier-"+sc.name)
		})
	}
}

// A merchant sees its certificate, its certified rates, a quote equal to
// the quote API's, a field error beside the field, and only its shipments.
func TestMerchantPage(t *testing.T) {
	t.Parallel()
	a, pool := newPricingAPI(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO stations (code, name, tier, parent, township, lon, lat) VALUES ('V1', 'Village 1', 'village', NULL, 'T1', 101.8, 23.9);
		INSERT INTO parcels (carrier, tracking_no, direction, station, state, weight_g, sender_merchant, category, dest_province, dest_city) VALUES
		('sf', 'SFM1', 'up', 'V1', 'accepted', 3000, 'M00001', 'farm_produce', '440000', '深圳'),
		('yto', 'YTM2', 'up', 'V1', 'loaded', 2000, 'M00001', 'farm_produce', '310000', ''),
		('sf', 'SFX9', 'up', 'V1', 'accepted', 2000, 'M00002', 'general', '310000', '')`); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	merchant := a.token("merchant", "M00001")
	stored := decodeBody[quoteAnswer](t, a.do("POST", "/v1/pricing/quotes", merchant, map[string]any{"weight_g": 3000,
		"destination": map[string]string{"province": "440000"}, "category": "farm_produce"}))
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			bctx := browser(t)
			run(t, bctx, chromedp.EmulateViewport(sc.w, sc.h))
			signInBrowser(t, bctx, a, srv.URL, "merchant", "M00001", "褚先生")
			run(t, bctx, chromedp.WaitVisible(`#cert-line`), chromedp.WaitVisible(`#shipments tbody tr`), chromedp.WaitVisible(`#rates tbody tr`))
			cert := read(t, bctx, chromedp.Text(`#cert-line`))
			ships := js[[]string](t, bctx, `[...document.querySelectorAll("#shipments tbody tr")].map(r => r.dataset.tracking).sort()`)
			if !strings.Contains(cert, "TP-530427") || strings.Join(ships, ",") != "SFM1,YTM2" {
				t.Fatalf("certificate %q, shipments %v", cert, ships)
			}
			run(t, bctx, chromedp.SetValue(`#province`, "440000"), chromedp.SetValue(`#weight`, "3"), chromedp.Click(`#quote button`),
				chromedp.WaitVisible(`#quote-result tr[data-carrier]`))
			prices := js[map[string]string](t, bctx, `Object.fromEntries([...document.querySelectorAll("#quote-result tr[data-carrier]")].map(r => [r.dataset.carrier, r.dataset.priceFen]))`)
			for _, l := range stored.Lines {
				if prices[l.Carrier] != itoa(l.PriceFen) {
					t.Errorf("%s: page %s, quote %d", l.Carrier, prices[l.Carrier], l.PriceFen)
				}
			}
			run(t, bctx, chromedp.SetValue(`#weight`, "0"), chromedp.Click(`#quote button`),
				chromedp.WaitVisible(`#quote .field-error[data-field="weight_g"]:not(:empty)`))
			run(t, bctx, chromedp.Click(`#shipments tbody tr`), chromedp.WaitVisible(`#timeline-title`))
			shot(t, bctx, "merchant-"+sc.name)
		})
	}
}
