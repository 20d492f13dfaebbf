package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/pricing"
	"github.com/tongpei/tongpei/stations"
)

// newStationUpAPI is a county with prices: stations, carriers, a certified
// firm and the demonstration tariff.
func newStationUpAPI(t *testing.T) *custodyAPI {
	t.Helper()
	pool := pgtest.Pool(t)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `
		INSERT INTO stations (code, name, tier, parent, township, lon, lat) VALUES
		    ('HUB', 'County hub', 'county_hub', NULL, '', 101.98, 24.06),
		    ('V1', 'Village 1', 'village', 'HUB', 'T1', 101.82, 23.90);
		INSERT INTO carriers (code, name, kind) VALUES ('sf', '顺丰速运', 'express'), ('yto', '圆通速递', 'express');
		INSERT INTO merchants (id, name, credit_code, registered_in_county) VALUES ('M00001', '新平褚橙合作社', '91530427MA000001', true);`)
	if err != nil {
		t.Fatal(err)
	}
	svc := pricing.NewService(pool)
	if err := pricing.LoadDemo(ctx, svc); err != nil {
		t.Fatal(err)
	}
	deps := api.Deps{Tokens: auth.NewStore(pool), Registry: stations.NewRegistry(pool), Custody: stations.NewCustody(pool), Pricing: svc,
		Ready: func(ctx context.Context) error { return pool.Ping(ctx) }}
	a := &custodyAPI{testAPI: &testAPI{t: t, handler: api.New(deps), deps: deps}, pool: pool}
	a.admin = a.token(auth.Admin, "")
	return a
}

// TestStationSendsProduceUp accepts a box of oranges for the certified firm:
// the quote shows the certified price and its saving, the parcel is created
// and accepted at the station, and its label goes to the printer. Then the
// check-in screen on a desktop.
func TestStationSendsProduceUp(t *testing.T) {
	t.Parallel()
	a := newStationUpAPI(t)
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	secret := a.linkSecret(t, "keeper", "V1", "李四")
	ctx := browser(t)
	steps(t, ctx, chromedp.EmulateViewport(360, 640), chromedp.Navigate(srv.URL+"/login#"+secret), chromedp.WaitVisible("body[data-ready]"),
		chromedp.Evaluate[chromedp.Void](`window.print = () => { window.printed = document.querySelectorAll("#print-area .label").length; }`),
		chromedp.Click(`#tabs button[data-tab="up"]`),
		chromedp.SendKeys("#up-merchant", "M00001"),
		chromedp.SendKeys("#up-weight", "2.5"),
		chromedp.SendKeys("#up-l", "30"), chromedp.SendKeys("#up-w", "20"), chromedp.SendKeys("#up-h", "20"),
		chromedp.SendKeys("#up-province", "北京"),
		chromedp.SendKeys("#up-value", "128.50"),
		chromedp.SetValue("#up-packaging", "xinping_lihao"),
		chromedp.Click("#up-form button[type=submit]"),
		chromedp.WaitVisible("#up-lines li .ship"),
	)
	lines := text(t, ctx, "#up-lines")
	if !strings.Contains(lines, "认证价") || !strings.Contains(lines, "省 ¥") {
		t.Fatalf("the quote shows %q", lines)
	}
	shot(t, ctx, "station-up")
	steps(t, ctx, chromedp.Click("#up-lines li .ship"))
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#up-msg"), "已揽收") }, "the acceptance")
	waitFor(t, func() bool {
		w := a.do("GET", "/v1/stations/V1/parcels?state=accepted", a.admin, nil)
		items := decodeBody[struct{ Items []stations.Parcel }](t, w).Items
		return len(items) == 1 && items[0].Direction == "up" && items[0].QuoteID != ""
	}, "the up parcel to be accepted")
	// The declared value and the packaging the keeper entered are the
	// parcel's, for the scorecard's station volume and branded boxes.
	w0 := a.do("GET", "/v1/stations/V1/parcels?state=accepted", a.admin, nil)
	up := decodeBody[struct{ Items []stations.Parcel }](t, w0).Items[0]
	if full := a.parcelOf(t, up.Carrier, up.TrackingNo); full.DeclaredValueFen != 12850 || full.Packaging != stations.BrandedBox {
		t.Errorf("the up parcel declares %d fen in %q packaging, want 12850 in %q", full.DeclaredValueFen, full.Packaging, stations.BrandedBox)
	}
	// The shipping label carries the tracking number as a Code 128 barcode
	// that has loaded, and shows when printed.
	if n := must(chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("#print-area .label img.label-bars")].filter(i => i.complete && i.naturalWidth > 0 && i.src.includes("/v1/barcode?text=" + encodeURIComponent(`+jsString(up.TrackingNo)+`))).length`)))(t); n != 1 {
		t.Errorf("%d loaded barcodes of %s on the label", n, up.TrackingNo)
	}
	steps(t, ctx, emulateMedia("print"))
	if wd := must(chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector("#print-area .label img.label-bars").getBoundingClientRect().width`)))(t); wd < 150 {
		t.Errorf("the printed barcode is %.0f px wide", wd)
	}
	if vis := must(chromedp.Run(ctx, chromedp.Evaluate[bool](`getComputedStyle(document.getElementById("tabs")).display === "none"`)))(t); !vis {
		t.Errorf("the tabs print with the label")
	}
	shot(t, ctx, "station-label")
	steps(t, ctx, emulateMedia(""))
	if n := must(chromedp.Run(ctx, chromedp.Evaluate[int](`window.printed || 0`)))(t); n != 1 {
		t.Errorf("%d labels went to the printer, want 1", n)
	}
	w := a.do("GET", "/v1/stations/V1/summary", a.admin, nil)
	expect(t, w, http.StatusOK)
	if s := decodeBody[stations.Summary](t, w); s.ShippedUp != 1 {
		t.Errorf("summary: %+v", s)
	}

	steps(t, ctx, chromedp.EmulateViewport(1280, 800), chromedp.Click(`#tabs button[data-tab="checkin"]`))
	if id := must(chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`)))(t); id != "scan" {
		t.Fatalf("on the desktop the focus is on %q", id)
	}
	shot(t, ctx, "station-checkin-desktop")
}
