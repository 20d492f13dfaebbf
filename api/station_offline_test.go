package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/pricing"
	"github.com/tongpei/tongpei/stations"
)

// newStationOfflineAPI is the custody county (SF down parcels for V1) with
// the demonstration prices, so that the station can both hand over and
// ship up.
func newStationOfflineAPI(t *testing.T) *custodyAPI {
	t.Helper()
	a := newCustodyAPI(t)
	svc := pricing.NewService(a.pool)
	if err := pricing.LoadDemo(context.Background(), svc); err != nil {
		t.Fatal(err)
	}
	a.deps.Pricing = svc
	a.handler = api.New(a.deps)
	return a
}

// parcelOf reads any carrier's parcel back as the admin sees it.
func (a *custodyAPI) parcelOf(t *testing.T, carrier, tn string) stations.Parcel {
	t.Helper()
	w := a.do("GET", "/v1/parcels/"+carrier+"/"+tn, a.admin, nil)
	expect(t, w, http.StatusOK)
	return decodeBody[stations.Parcel](t, w)
}

// upParcels are the station's up parcels in a state.
func (a *custodyAPI) upParcels(t *testing.T, state string) []stations.Parcel {
	t.Helper()
	w := a.do("GET", "/v1/stations/V1/parcels?state="+state, a.admin, nil)
	expect(t, w, http.StatusOK)
	var up []stations.Parcel
	for _, p := range decodeBody[struct{ Items []stations.Parcel }](t, w).Items {
		if p.Direction == "up" {
			up = append(up, p)
		}
	}
	return up
}

// emulateMedia makes CSS see the print medium ("print"), or the screen again ("").
func emulateMedia(media string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	})
}

// onNewDocument runs src in every page before its own scripts.
func onNewDocument(src string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src})
		return err
	})
}

// TestStationOfflineHandoverAndProduce loses the signal at the counter:
// two parcels are handed over (one by phone last 4, one by code) and two
// boxes of produce are accepted, all queued on the phone and shown as
// queued. Meanwhile the county centre records the second parcel as a
// problem. When the signal returns the queue drains on its own: the first
// handover and the walk-in's box are applied once (a replayed queue changes
// nothing), the second handover and the box for a firm that does not exist
// are refused and wait in "needs attention" with their reasons.
func TestStationOfflineHandoverAndProduce(t *testing.T) {
	t.Parallel()
	a := newStationOfflineAPI(t)
	tns := a.loadedParcels(t, "83", 3)
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	secret := a.linkSecret(t, "keeper", "V1", "李四")
	ctx := browser(t)
	steps(t, ctx, chromedp.EmulateViewport(360, 640), chromedp.Navigate(srv.URL+"/login#"+secret), chromedp.WaitVisible("body[data-ready]"),
		chromedp.Evaluate[chromedp.Void](`window.print = () => { window.printed = (window.printed || 0) + 1; }`))
	for _, tn := range tns {
		steps(t, ctx, chromedp.SendKeys("#scan", tn+"\r"))
		waitFor(t, func() bool {
			return text(t, ctx, "#last-tn") == tn && pickupCode.MatchString(text(t, ctx, "#last-code"))
		}, "the check-in of "+tn)
	}
	// With signal: the shelf is seen (and kept) and one quote made, so the
	// phone knows the carriers.
	steps(t, ctx, chromedp.Click(`#tabs button[data-tab="shelf"]`))
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#count-waiting"), "待取 3") }, "the shelf")
	steps(t, ctx, chromedp.Click(`#tabs button[data-tab="up"]`),
		chromedp.SendKeys("#up-weight", "2"), chromedp.SendKeys("#up-province", "北京"),
		chromedp.SendKeys("#up-l", "30"), chromedp.SendKeys("#up-w", "20"), chromedp.SendKeys("#up-h", "20"),
		chromedp.Click("#up-form button[type=submit]"))
	waitFor(t, func() bool { return text(t, ctx, "#up-lines")+text(t, ctx, "#up-msg") != "" }, "the quote")
	if m := text(t, ctx, "#up-msg"); m != "" {
		t.Fatalf("the online quote: %s", m)
	}
	waitFor(t, func() bool {
		return must(chromedp.Run(ctx, chromedp.Evaluate[bool](`navigator.serviceWorker.controller !== null`)))(t)
	}, "the service worker to control the page")

	steps(t, ctx, chromedp.Click(`#tabs button[data-tab="today"]`))
	waitFor(t, func() bool { return text(t, ctx, "#today-arrived") == "3" }, "the day's summary")

	steps(t, ctx, offline(true))
	// The shelf's labels print with no signal, barcodes and all.
	steps(t, ctx, chromedp.Click(`#tabs button[data-tab="shelf"]`), chromedp.Click("#print-all"))
	waitFor(t, func() bool {
		return must(chromedp.Run(ctx, chromedp.Evaluate[int](`window.printed || 0`)))(t) == 1
	}, "the shelf's labels to print")
	if n := must(chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("#print-area .label img.label-bars")].filter(i => i.complete && i.naturalWidth > 0).length`)))(t); n != 3 {
		t.Errorf("offline %d of the 3 labels have their barcode", n)
	}
	// The day as last seen, said to be so.
	steps(t, ctx, chromedp.Click(`#tabs button[data-tab="checkin"]`), chromedp.Click(`#tabs button[data-tab="today"]`))
	waitFor(t, func() bool {
		return strings.Contains(text(t, ctx, "#today-note"), "离线") && text(t, ctx, "#today-arrived") == "3"
	}, "the kept summary offline")
	// Handovers: by phone last 4 (8301), and by the code of the third.
	code3 := a.parcel(t, tns[2]).PickupCode
	steps(t, ctx, chromedp.Click(`#tabs button[data-tab="handover"]`), chromedp.Click("#mode-phone"),
		chromedp.SendKeys("#handover-input", "8301\r"), chromedp.WaitVisible("#handover-confirm"), chromedp.Click("#handover-confirm"))
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#handover-msg"), "联网后同步") }, "the queued handover")
	// Handed over is off the shelf, signal or not: it cannot go twice.
	steps(t, ctx, chromedp.SendKeys("#handover-input", "8301\r"))
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#handover-msg"), "没有这个手机尾号") }, "the parcel handed over to be off the shelf")
	steps(t, ctx, chromedp.Click("#mode-code"), chromedp.SendKeys("#handover-input", code3[strings.LastIndex(code3, "-")+1:]+"\r"),
		chromedp.WaitVisible("#handover-confirm"), chromedp.Click("#handover-confirm"))
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#queue-count"), "待同步 2") }, "two queued handovers")

	// Produce: a walk-in's box of oranges and one for a firm id that does
	// not exist; with no quote the keeper accepts now.
	steps(t, ctx, chromedp.Click(`#tabs button[data-tab="up"]`),
		chromedp.SendKeys("#up-sender", "张三"), chromedp.SendKeys("#up-phone", "13900001111"),
		chromedp.SetValue("#up-weight", "3.2"), chromedp.SetValue("#up-province", "上海"),
		chromedp.SendKeys("#up-value", "88"), chromedp.SetValue("#up-packaging", "xinping_lihao"),
		chromedp.Click("#up-form button[type=submit]"))
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#up-msg"), "没有信号") }, "the offline quote's note")
	steps(t, ctx, chromedp.WaitVisible(`#up-lines li[data-carrier="SF"] .ship`))
	steps(t, ctx, chromedp.Click(`#up-lines li[data-carrier="SF"] .ship`))
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#up-msg"), "联网后报价并揽收") }, "the queued acceptance")
	if v := must(chromedp.Run(ctx, chromedp.Evaluate[string](`["up-sender", "up-weight", "up-value"].map(id => document.getElementById(id).value).join("")`)))(t); v != "" {
		t.Errorf("the form keeps %q of the box before", v)
	}
	steps(t, ctx, chromedp.SetValue("#up-merchant", "M99999"),
		chromedp.SetValue("#up-weight", "1.5"), chromedp.SetValue("#up-province", "上海"),
		chromedp.SetValue("#up-l", "20"), chromedp.SetValue("#up-w", "20"), chromedp.SetValue("#up-h", "10"),
		chromedp.Click("#up-form button[type=submit]"), chromedp.WaitVisible(`#up-lines li[data-carrier="SF"] .ship`),
		chromedp.Click(`#up-lines li[data-carrier="SF"] .ship`))
	waitFor(t, func() bool { return strings.Count(text(t, ctx, "#up-queued"), "待同步") == 2 }, "two queued acceptances listed")
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#queue-count"), "待同步 4") }, "four queued in all")
	shot(t, ctx, "station-offline-queue")
	if l := text(t, ctx, "#last-sync"); !strings.Contains(l, "上次同步") {
		t.Errorf("the last sync shows %q", l)
	}
	queuedTNs := must(chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#up-queued li")].map(li => li.dataset.tn)`)))(t)
	if len(queuedTNs) != 2 || !strings.HasPrefix(queuedTNs[0], "TPX") {
		t.Fatalf("queued acceptances %v", queuedTNs)
	}
	if p := a.parcel(t, tns[0]); p.State != stations.StationArrival {
		t.Fatalf("an offline handover reached the server: %s", p.State)
	}
	if up := a.upParcels(t, "accepted"); len(up) != 0 {
		t.Fatalf("an offline acceptance reached the server: %v", up)
	}
	saved := must(chromedp.Run(ctx, chromedp.Evaluate[string](idbDump, chromedp.EvalAwaitPromise)))(t)

	// Meanwhile the county centre records the third parcel as damaged.
	problem := scanJSON(tns[2], "problem", "V1")
	problem["note"] = "damaged"
	expect(t, a.do("POST", "/v1/scans", a.admin, map[string]any{"scans": []any{problem}}), http.StatusOK)

	// The signal returns: everything leaves the queue on its own.
	steps(t, ctx, offline(false))
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#queue-count"), "待同步 0") }, "the queue to drain")
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#up-queued"), "已揽收") }, "the walk-in's box accepted")
	check := func(when string) {
		t.Helper()
		if p := a.parcel(t, tns[0]); p.State != stations.PickedUp || countKind(p, "picked_up") != 1 {
			t.Errorf("%s: the handover by phone: %s with %d pickups", when, p.State, countKind(p, "picked_up"))
		}
		if p := a.parcel(t, tns[2]); p.State != stations.Problem || countKind(p, "picked_up") != 0 {
			t.Errorf("%s: the problem parcel: %s with %d pickups", when, p.State, countKind(p, "picked_up"))
		}
		up := a.upParcels(t, "accepted")
		if len(up) != 1 || up[0].TrackingNo != queuedTNs[0] {
			t.Fatalf("%s: accepted up parcels %+v, want only %s", when, up, queuedTNs[0])
		}
		full := a.parcelOf(t, up[0].Carrier, up[0].TrackingNo)
		if countKind(full, "accepted") != 1 || full.QuoteID == "" || full.DeclaredValueFen != 8800 || full.Packaging != stations.BrandedBox ||
			full.Sender == nil || full.Sender.Name != "张三" || full.WeightG != 3200 || full.Destination.Province != "上海" {
			t.Errorf("%s: the box accepted offline: %+v with %d acceptances", when, full, countKind(full, "accepted"))
		}
		if n := len(a.upParcels(t, "registered")); n != 0 {
			t.Errorf("%s: %d up parcels registered and not accepted", when, n)
		}
	}
	check("after sync")
	waitFor(t, func() bool {
		l := text(t, ctx, "#attention-list")
		return strings.Contains(l, tns[2]) && strings.Contains(l, queuedTNs[1])
	}, "both refusals in needs attention")
	l := text(t, ctx, "#attention-list")
	if !strings.Contains(l, "取件 "+tns[2]+": ") || !strings.Contains(l, "揽收 "+queuedTNs[1]+": ") {
		t.Errorf("needs attention shows %q", l)
	}
	if n := must(chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#attention-list li").length`)))(t); n != 2 {
		t.Errorf("%d items need attention, want 2", n)
	}
	shot(t, ctx, "station-offline-synced")
	// The label of the box accepted offline prints once it is through.
	steps(t, ctx, chromedp.Click(fmt.Sprintf(`#up-queued li[data-tn=%q] button`, queuedTNs[0])))
	waitFor(t, func() bool {
		return must(chromedp.Run(ctx, chromedp.Evaluate[int](`window.printed || 0`)))(t) == 2
	}, "the offline box's label to print")

	// The answers were lost on the way: the phone sends the whole queue again.
	steps(t, ctx, chromedp.Evaluate[chromedp.Void](idbRestore(saved), chromedp.EvalAwaitPromise),
		chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event("online"))`))
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#queue-count"), "待同步 0") }, "the replayed queue to drain")
	check("after the replay")
	if n := must(chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#attention-list li").length`)))(t); n != 2 {
		t.Errorf("after the replay %d items need attention, want 2", n)
	}
}

// TestStationCamera: headless Chromium on Linux has no BarcodeDetector, so
// the camera button stays hidden and the scan field works as ever. With a
// BarcodeDetector and a camera (both stood in for by the test) the button
// shows, a read waybill checks the parcel in, and a refused camera says so.
func TestStationCamera(t *testing.T) {
	t.Parallel()
	a := newCustodyAPI(t)
	tns := a.loadedParcels(t, "84", 1)
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)

	secret := a.linkSecret(t, "keeper", "V1", "李四")
	ctx := browser(t)
	steps(t, ctx, chromedp.EmulateViewport(360, 640), chromedp.Navigate(srv.URL+"/login#"+secret), chromedp.WaitVisible("body[data-ready]"))
	waitFor(t, func() bool {
		return must(chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("camera-box").dataset.usable || ""`)))(t) == "no"
	}, "the camera check")
	if hidden := must(chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("camera-box").hidden`)))(t); !hidden {
		t.Fatalf("without BarcodeDetector the camera button shows")
	}

	// A browser that has both: the detector reads the parcel's number off
	// a stand-in camera (a canvas stream); a second browser's camera is refused.
	fake := fmt.Sprintf(`
window.BarcodeDetector = class { static async getSupportedFormats() { return ["code_128", "qr_code"]; }
  async detect() { return [{ rawValue: %q, format: "code_128" }]; } };
navigator.mediaDevices.getUserMedia = async () => {
  if (window.name === "no-camera") throw new DOMException("denied", "NotAllowedError");
  const c = document.createElement("canvas"); c.width = 64; c.height = 48; c.getContext("2d").fillRect(0, 0, 8, 8);
  return c.captureStream(5); };`, tns[0])
	ctx2 := browser(t)
	secret = a.linkSecret(t, "keeper", "V1", "李四")
	steps(t, ctx2, onNewDocument(fake), chromedp.EmulateViewport(360, 640), chromedp.Navigate(srv.URL+"/login#"+secret), chromedp.WaitVisible("body[data-ready]"),
		chromedp.WaitVisible("#camera"), chromedp.Click("#camera"))
	waitFor(t, func() bool {
		return text(t, ctx2, "#last-tn") == tns[0] && pickupCode.MatchString(text(t, ctx2, "#last-code"))
	}, "the camera's check-in")
	if p := a.parcel(t, tns[0]); p.State != stations.StationArrival || p.PickupCode != text(t, ctx2, "#last-code") {
		t.Errorf("after the camera scan the parcel is %s with %q", p.State, p.PickupCode)
	}
	steps(t, ctx2, chromedp.Evaluate[chromedp.Void](`window.name = "no-camera"`), chromedp.Click("#camera"))
	waitFor(t, func() bool { return strings.Contains(text(t, ctx2, "#camera-msg"), "无法打开摄像头") }, "the refused camera's note")
}

// TestStationSpeaksEveryRefusal: every code a scan result, a registration
// or an HTTP problem may carry reads in the keeper's language, in Chinese
// and in English, never as the bare code.
func TestStationSpeaksEveryRefusal(t *testing.T) {
	t.Parallel()
	a := newCustodyAPI(t)
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	secret := a.linkSecret(t, "keeper", "V1", "李四")
	ctx := browser(t)
	steps(t, ctx, chromedp.EmulateViewport(360, 640), chromedp.Navigate(srv.URL+"/login#"+secret), chromedp.WaitVisible("body[data-ready]"))
	scanCodes := []string{stations.CodeInvalid, stations.CodeUnknownParcel, stations.CodeAmbiguousParcel, stations.CodeUnknownStation,
		stations.CodeTransition, stations.CodeWrongStation, stations.CodeWrongPickupCode, stations.CodeIDReused, stations.CodeImplausibleTime,
		stations.CodeForbiddenStation, stations.CodeForbiddenCarrier, stations.CodeShelfFull,
		stations.CodeForbidden, stations.CodeUnknownCarrier, stations.CodeUnknownMerchant, "no_quote"}
	var problemCodes []string
	for _, c := range []errs.Code{errs.Invalid, errs.NotFound, errs.Conflict, errs.Forbidden, errs.Unauthorized, errs.Unavailable, errs.RateLimited, errs.Internal} {
		problemCodes = append(problemCodes, string(c))
	}
	problemCodes = append(problemCodes, "method_not_allowed", "network")
	for _, lang := range []string{"zh", "en"} {
		got := must(chromedp.Run(ctx, chromedp.Evaluate[map[string]string](fmt.Sprintf(`(async () => {
  const i18n = await import("/console/shell/i18n.js");
  const words = await import("/console/station/words.js");
  localStorage.setItem("tongpei.lang", %q);
  const out = {};
  for (const c of %s) out["scan:" + c] = words.scanText(c, "");
  for (const c of %s) out["problem:" + c] = words.scanText(c, "", "problem");
  localStorage.setItem("tongpei.lang", "zh");
  return out; })()`, lang, mustJSON(t, scanCodes), mustJSON(t, problemCodes)), chromedp.EvalAwaitPromise)))(t)
		if len(got) != len(scanCodes)+len(problemCodes) {
			t.Fatalf("%s: %d answers", lang, len(got))
		}
		for k, v := range got {
			_, code, _ := strings.Cut(k, ":")
			cjk := strings.IndexFunc(v, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) >= 0
			if v == code || (lang == "zh") != cjk {
				t.Errorf("%s: %s reads %q", lang, k, v)
			}
		}
	}
}
