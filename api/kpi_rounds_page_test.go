package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestKPIRoundsPage walks §四 on /kpi at phone and desktop size: open a
// round (a bad month first: its error beside the field), review the two
// candidates (no reviewer, then a rejection without a reason: each error
// beside its field), start the notice, and read it on the public page; the
// statuses equal the API's.
func TestKPIRoundsPage(t *testing.T) {
	t.Parallel()
	a := newKPIAPI(t)
	year := time.Now().Year()
	csv := fmt.Sprintf("station,month,sales_fen,source\nV1,%d-03,60000000,taobao\nT1,%d-04,25000000,taobao\n", year, year)
	expect(t, a.do("POST", "/v1/kpi/sales", a.admin, csv, "Content-Type", "text/csv"), http.StatusCreated)
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			ctx := browser(t)
			run(t, ctx, chromedp.EmulateViewport(sc.w, sc.h))
			signInBrowser(t, ctx, a, srv.URL, "admin", "", "王主任")
			run(t, ctx, chromedp.Navigate(srv.URL+"/kpi"), chromedp.WaitVisible(`#round-form-first_month`))

			fillForm(t, ctx, [][2]string{{`#round-form-first_month`, fmt.Sprintf("%d-13", year)}})
			if e := waitText(t, ctx, `#round-form-first_month-err`); !strings.Contains(e, "YYYY-MM") {
				t.Fatalf("the month's error: %q", e)
			}
			fillForm(t, ctx, [][2]string{{`#round-form-first_month`, fmt.Sprintf("%d-01", year)}})
			run(t, ctx, chromedp.WaitVisible(`#candidates-table tr[data-station="V1"]`))
			id := js[string](t, ctx, `document.getElementById("round-view").dataset.round`)

			choose(t, ctx, `#review-form-station`, "V1")
			fillForm(t, ctx, [][2]string{{`#review-form-reason`, " "}})
			if e := waitText(t, ctx, `#review-form-reviewer-err`); e == "" {
				t.Fatal("no error beside the reviewer")
			}
			choose(t, ctx, `#review-form-station`, "V1")
			fillForm(t, ctx, [][2]string{{`#review-form-reviewer`, "张伟 (县商务局)"}})
			run(t, ctx, chromedp.WaitVisible(`#candidates-table tr[data-station="V1"][data-status="approved"]`))

			choose(t, ctx, `#review-form-station`, "T1")
			choose(t, ctx, `#review-form-decision`, "reject")
			fillForm(t, ctx, [][2]string{{`#review-form-reviewer`, "张伟 (县商务局)"}})
			if e := waitText(t, ctx, `#review-form-reason-err`); !strings.Contains(e, "理由") {
				t.Fatalf("the reason's error: %q", e)
			}
			choose(t, ctx, `#review-form-station`, "T1")
			choose(t, ctx, `#review-form-decision`, "reject")
			fillForm(t, ctx, [][2]string{{`#review-form-reviewer`, "张伟 (县商务局)"}, {`#review-form-reason`, "销售记录来源待核实"}})
			run(t, ctx, chromedp.WaitVisible(`#candidates-table tr[data-station="T1"][data-status="rejected"]`), chromedp.WaitVisible(`#notice-form`))
			shot(t, ctx, "kpi-review-"+sc.name)

			fillForm(t, ctx, [][2]string{{`#notice-form-start`, "2026-12-07"}})
			if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`document.getElementById("see-notice")`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
				t.Fatalf("no notice: %v; the form says %q %q", err, text(t, ctx, `#notice-form-error`), text(t, ctx, `#notice-form-start-err`))
			}
			r := decodeBody[struct {
				NoticeEnd  string `json:"notice_end"`
				Candidates []struct{ Station, Status string }
			}](t, a.do("GET", "/v1/kpi/rounds/"+id, a.admin, nil))
			if !strings.Contains(text(t, ctx, `#round-notice`), r.NoticeEnd) || r.NoticeEnd == "" {
				t.Errorf("the page's notice line %q, the API's end %q", text(t, ctx, `#round-notice`), r.NoticeEnd)
			}
			for _, c := range r.Candidates {
				got := js[string](t, ctx, `document.querySelector('#candidates-table tr[data-station="`+c.Station+`"]').dataset.status`)
				if got != c.Status {
					t.Errorf("%s: page %s, API %s", c.Station, got, c.Status)
				}
			}
			if n := js[int](t, ctx, `document.querySelectorAll("#rounds-table tbody tr").length`); n < 1 {
				t.Error("the round is not listed")
			}
			if n := js[int](t, ctx, `document.querySelectorAll("#round-audit tbody tr").length`); n < 3 {
				run(t, ctx, chromedp.Poll[chromedp.Void](`document.querySelectorAll("#round-audit tbody tr").length >= 4`, chromedp.WithPollingTimeout(10*time.Second)))
			}
			// The working calendar: a day off added from the form, then removed.
			run(t, ctx, chromedp.Click(`#cal-box summary`), chromedp.WaitVisible(`#cal-form-day`))
			fillForm(t, ctx, [][2]string{{`#cal-form-day`, "2026-12-24"}, {`#cal-form-name`, "县庆"}})
			run(t, ctx, chromedp.WaitVisible(`#cal-table tr[data-day="2026-12-24"]`))
			type calDay struct {
				Day, Name string
				Working   bool
			}
			days := decodeBody[struct{ Items []calDay }](t, a.do("GET", "/v1/kpi/calendar?year=2026", a.admin, nil))
			found := false
			for _, d := range days.Items {
				found = found || (d.Day == "2026-12-24" && d.Name == "县庆" && !d.Working)
			}
			if !found {
				t.Errorf("the API's calendar lacks the day off: %+v", days.Items)
			}
			shot(t, ctx, "kpi-rounds-"+sc.name)
			run(t, ctx, chromedp.Click(`#cal-table tr[data-day="2026-12-24"] button`))
			run(t, ctx, chromedp.Poll[chromedp.Void](`!document.querySelector('#cal-table tr[data-day="2026-12-24"]')`, chromedp.WithPollingTimeout(10*time.Second)))
			run(t, ctx, chromedp.Click(`#see-notice`), chromedp.WaitVisible(`body[data-loaded]`))
			if got := text(t, ctx, `section[data-round="`+id+`"] td.reward`); got != "¥30000.00" {
				t.Errorf("the public notice's reward %q, want ¥30000.00", got)
			}
			if overflow := js[bool](t, ctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`); overflow {
				t.Errorf("the notice is wider than the screen")
			}
		})
	}
}
