package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/tongpei/tongpei/pricing"
)

// fillForm clears and types each field of a registry form (by its input
// id) and presses Enter in the last one, as a clerk would.
func fillForm(t *testing.T, ctx context.Context, values [][2]string) {
	t.Helper()
	for i, kv := range values {
		// A date input takes typing in the browser's locale order; its
		// value is set as a date picker would set it.
		typed := js[bool](t, ctx, `(() => { const e = document.querySelector(`+strconvQuote(kv[0])+`);
			e.value = e.type === "date" ? `+strconvQuote(kv[1])+` : ""; return e.type !== "date" })()`)
		if typed {
			run(t, ctx, chromedp.SendKeys(kv[0], kv[1]))
		}
		if i == len(values)-1 {
			run(t, ctx, chromedp.SendKeys(kv[0], kb.Enter))
		}
	}
}

// choose picks an option of a select, as a tap would.
func choose(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	ok := js[bool](t, ctx, `(() => { const e = document.querySelector(`+strconvQuote(sel)+`); e.value = `+strconvQuote(value)+
		`; e.dispatchEvent(new Event("change", {bubbles: true})); return e.value === `+strconvQuote(value)+` })()`)
	if !ok {
		t.Fatalf("%s has no option %q", sel, value)
	}
}

// waitText waits until the element's text is not empty and answers it.
func waitText(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := js[string](t, ctx, `(document.querySelector(`+strconvQuote(sel)+`) || {}).textContent || ""`)
		if s != "" {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s stayed empty", sel)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestRegistryPage: the county centre adds a station (placed on the map),
// a carrier, a merchant and a van from the forms on a phone and a desktop.
// Each form first gets a bad value: the API's 422 shows beside the field it
// names and nothing is added; fixed and sent again with Enter, the new row
// is in the list. A carrier's NATS login downloads as a file, and a
// deactivation shows in the list.
func TestRegistryPage(t *testing.T) {
	t.Parallel()
	a, pool := newDispatchAPI(t)
	a.pool = pool
	smallDay(t, a, pool)
	a.deps.Pricing = pricing.NewService(pool)
	withNATSCreds(t, a)
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	for i, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			n := string(rune('1' + i))
			ctx := browser(t)
			run(t, ctx, chromedp.EmulateViewport(sc.w, sc.h))
			signInBrowser(t, ctx, a, srv.URL, "admin", "", "王主任")
			run(t, ctx, chromedp.Navigate(srv.URL+"/ops/registry#stations"), chromedp.WaitVisible(`#stations-table tr[data-key="HUB"]`))
			if h := text(t, ctx, "h1"); !strings.Contains(h, "档案") {
				t.Errorf("heading %q, want Chinese", h)
			}
			js[bool](t, ctx, `(window.confirm = () => true, true)`)

			// A station: a bad mobile number first, placed by a tap on the map.
			code := "XP-T-90" + n
			choose(t, ctx, `#station-form-tier`, "township")
			choose(t, ctx, `#station-form-parent`, "HUB")
			run(t, ctx, chromedp.Click(`#place-map`))
			if lon := js[string](t, ctx, `document.getElementById("station-form-location-lon").value`); lon == "" {
				t.Fatal("a tap on the map filled no longitude")
			}
			fillForm(t, ctx, [][2]string{{`#station-form-code`, code}, {`#station-form-township`, "漠沙镇"},
				{`#station-form-keeper-name`, "李站长"}, {`#station-form-keeper-phone`, "12345"}, {`#station-form-name`, "漠沙镇站" + n}})
			if e := waitText(t, ctx, `#station-form-keeper-phone-err`); !strings.Contains(e, "11 位手机号码") {
				t.Fatalf("the phone's error: %q", e)
			}
			if title := js[string](t, ctx, `document.getElementById("station-form-keeper-phone-err").title`); !strings.Contains(title, "11-digit") {
				t.Errorf("the server's own words are not kept: %q", title)
			}
			if js[int](t, ctx, `document.querySelectorAll('#stations-table tr[data-key="`+code+`"]').length`) != 0 {
				t.Fatal("a refused station is in the list")
			}
			shot(t, ctx, "registry-error-"+sc.name)
			fillForm(t, ctx, [][2]string{{`#station-form-keeper-phone`, "13812345678"}})
			run(t, ctx, chromedp.WaitVisible(`#stations-table tr[data-key="`+code+`"]`))
			if e := text(t, ctx, `#station-form-keeper-phone-err`); e != "" {
				t.Errorf("the error stayed: %q", e)
			}
			shot(t, ctx, "registry-"+sc.name)
			// Edited: the code stays, the new name is in the list.
			run(t, ctx, chromedp.Click(`#stations-table tr[data-key="`+code+`"] button[data-action="reg.edit"]`),
				chromedp.WaitVisible(`#station-form[data-mode="edit"]`))
			if !js[bool](t, ctx, `document.getElementById("station-form-code").disabled`) {
				t.Error("the code can be edited")
			}
			fillForm(t, ctx, [][2]string{{`#station-form-name`, "漠沙镇中心站" + n}})
			run(t, ctx, chromedp.Poll[chromedp.Void](`(document.querySelector('#stations-table tr[data-key="`+code+`"]') || {}).textContent.includes("漠沙镇中心站")`,
				chromedp.WithPollingTimeout(10*time.Second)))

			// A carrier: a bad code, then a good one; its NATS login as a file.
			carrier := "JT" + n
			run(t, ctx, chromedp.Click(`#tabbtn-carriers`), chromedp.WaitVisible(`#carriers-table tr[data-key="ZTO"]`))
			fillForm(t, ctx, [][2]string{{`#carrier-form-code`, "j t"}, {`#carrier-form-name`, "极兔速递"}})
			if e := waitText(t, ctx, `#carrier-form-code-err`); !strings.Contains(e, "大写字母") {
				t.Fatalf("the code's error: %q", e)
			}
			fillForm(t, ctx, [][2]string{{`#carrier-form-code`, carrier}})
			run(t, ctx, chromedp.WaitVisible(`#carriers-table tr[data-key="`+carrier+`"]`),
				chromedp.Click(`#carriers-table tr[data-key="`+carrier+`"] button[data-action="reg.nats"]`), chromedp.WaitVisible(`#nats-file`))
			var cred struct{ Carrier, User, Password, URL string }
			body := read(t, ctx, chromedp.Evaluate[string](`fetch(document.getElementById("nats-file").href).then(r => r.text())`, chromedp.EvalAwaitPromise))
			if err := json.Unmarshal([]byte(body), &cred); err != nil || cred.Carrier != carrier || cred.Password == "" || cred.URL == "" {
				t.Fatalf("the file %q (%v)", body, err)
			}
			if f := js[string](t, ctx, `document.getElementById("nats-file").download`); !strings.HasPrefix(f, "tongpei-nats-"+carrier) {
				t.Errorf("the file is named %q", f)
			}
			// The login is listed, and revoked from the list.
			run(t, ctx, chromedp.WaitVisible(`#nats-table tbody tr`),
				chromedp.Click(`#nats-table tbody tr button[data-action="reg.revoke"]`), chromedp.WaitVisible(`#nats-table tbody tr.inactive`))
			run(t, ctx, chromedp.Click(`#carriers-table tr[data-key="`+carrier+`"] button[data-action="reg.deactivate"]`),
				chromedp.WaitVisible(`#carriers-table tr.inactive[data-key="`+carrier+`"]`))

			// A merchant: a credit code with a wrong check character.
			run(t, ctx, chromedp.Click(`#tabbtn-merchants`), chromedp.WaitVisible(`#merchant-form-name`))
			good := []string{"9144030071526726XG", "91330100716105852F"}[i]
			fillForm(t, ctx, [][2]string{{`#merchant-form-credit_code`, good[:17] + "0"}, {`#merchant-form-name`, "新平果业" + n}})
			if e := waitText(t, ctx, `#merchant-form-credit_code-err`); e == "" {
				t.Fatal("no error beside the credit code")
			}
			fillForm(t, ctx, [][2]string{{`#merchant-form-credit_code`, good}})
			listed := `[...document.querySelectorAll("#merchants-table tbody tr td:nth-child(3)")].map(td => td.textContent).join(" ")`
			if got := waitText(t, ctx, `#merchants-table`); !strings.Contains(got, good) {
				run(t, ctx, chromedp.Poll[chromedp.Void](listed+`.includes(`+strconvQuote(good)+`)`, chromedp.WithPollingTimeout(10*time.Second)))
			}

			// Its farm-produce certificate: an end before the start first.
			js[bool](t, ctx, `([...document.querySelectorAll("#merchants-table tbody tr")].find(r => r.textContent.includes(`+strconvQuote(good)+`))
				.querySelector('button[data-action="reg.certify"]').click(), true)`)
			run(t, ctx, chromedp.WaitVisible(`#cert-form-valid_from`))
			fillForm(t, ctx, [][2]string{{`#cert-form-valid_from`, "2026-12-01"}, {`#cert-form-valid_until`, "2026-01-01"}})
			if e := js[string](t, ctx, `document.getElementById("cert-form-valid_until-err").textContent + document.getElementById("cert-form-error").textContent`); e == "" {
				run(t, ctx, chromedp.Poll[chromedp.Void](`document.getElementById("cert-form-valid_until-err").textContent || document.getElementById("cert-form-error").textContent`, chromedp.WithPollingTimeout(10*time.Second)))
			}
			fillForm(t, ctx, [][2]string{{`#cert-form-valid_from`, "2026-12-01"}, {`#cert-form-valid_until`, "2027-11-30"}})
			if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`[...document.querySelectorAll("#certs-table tbody tr")].some(r => r.textContent.includes("certified"))`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
				t.Fatalf("no certificate listed: %v; the form says %q", err, text(t, ctx, `#cert-form-error`))
			}
			if ok := text(t, ctx, `#cert-form-ok`); !strings.Contains(ok, "已认证") {
				t.Errorf("the certificate's line %q", ok)
			}

			// A van with no type chosen, then with one.
			plate := "云F5000" + n
			run(t, ctx, chromedp.Click(`#tabbtn-fleet`), chromedp.WaitVisible(`#vehicles-table tr[data-key="云F12345"]`))
			fillForm(t, ctx, [][2]string{{`#vehicle-form-plate`, plate}})
			if e := waitText(t, ctx, `#vehicle-form-type-err`); e == "" {
				t.Fatal("no error beside the van type")
			}
			choose(t, ctx, `#vehicle-form-type`, "minivan")
			choose(t, ctx, `#vehicle-form-operator`, "XPJD")
			fillForm(t, ctx, [][2]string{{`#vehicle-form-plate`, plate}})
			run(t, ctx, chromedp.WaitVisible(`#vehicles-table tr[data-key="`+plate+`"]`))
			shot(t, ctx, "registry-fleet-"+sc.name)

			// The English switch relabels the forms.
			run(t, ctx, chromedp.Click(`#lang`))
			if l := text(t, ctx, `#vehicle-form-submit`); l != "Add van" {
				t.Errorf("the English button reads %q", l)
			}
			run(t, ctx, chromedp.Click(`#lang`))
			overflow := js[bool](t, ctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`)
			if overflow {
				wide := js[[]string](t, ctx, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 8).map(e => e.tagName + "#" + e.id + "." + e.className)`)
				t.Errorf("the page is wider than the %d px screen: %v", sc.w, wide)
			}
		})
	}
	if _, err := exec.LookPath("chromium"); err != nil {
		return // the pages were skipped, so they made no station
	}
	w := a.do("GET", "/v1/stations/XP-T-901", a.admin, nil)
	expect(t, w, http.StatusOK)
}
