package api_test

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPricesPage opens /prices without signing in, on a phone and a
// desktop: the board, the calculator's prices equal to the quote API's for
// the same firm, weight and province, a field error beside its field, the
// certified list, a certificate lookup and the English switch.
func TestPricesPage(t *testing.T) {
	t.Parallel()
	a, _ := newPricingAPI(t)
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	merchant := a.token("merchant", "M00001")
	stored := decodeBody[quoteAnswer](t, a.do("POST", "/v1/pricing/quotes", merchant, map[string]any{"weight_g": 3200,
		"destination": map[string]string{"province": "440000"}, "category": "farm_produce"}))
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			ctx := browser(t)
			run(t, ctx, chromedp.EmulateViewport(sc.w, sc.h), chromedp.Navigate(srv.URL+"/prices"), chromedp.WaitVisible(`#calc-result table`))
			cards := js[int](t, ctx, `document.querySelectorAll("#cards .card").length`)
			rows := js[int](t, ctx, `document.querySelectorAll("#matrix tbody tr").length`)
			certNo := js[string](t, ctx, `document.querySelector('#firms tr[data-merchant="M00001"] td:nth-child(2)').textContent`)
			if cards != 5 || rows != 5 || !strings.HasPrefix(certNo, "TP-") {
				t.Fatalf("%d cards, %d matrix rows, certificate %q", cards, rows, certNo)
			}
			shot(t, ctx, "prices-"+sc.name)

			// The certified firm's price for 3.2 kg to 广东 equals its stored quote.
			run(t, ctx,
				chromedp.SetValue(`#firm`, "M00001"),
				chromedp.SetValue(`#province`, "440000"),
				chromedp.SetValue(`#weight`, "3.2"),
				chromedp.Click(`#calc button[type=submit]`),
				chromedp.WaitVisible(`#calc-result[data-for="M00001/440000/3200"] table`),
			)
			prices := js[map[string]string](t, ctx, `Object.fromEntries([...document.querySelectorAll("#calc-result tr[data-carrier]")].map(r => [r.dataset.carrier, r.dataset.priceFen]))`)
			if len(prices) != len(stored.Lines) {
				t.Fatalf("page shows %v, the quote has %d lines", prices, len(stored.Lines))
			}
			for _, l := range stored.Lines {
				if prices[l.Carrier] != strconv.FormatInt(l.PriceFen, 10) {
					t.Errorf("%s: page %s fen, quote %d fen", l.Carrier, prices[l.Carrier], l.PriceFen)
				}
			}

			// A weight of nothing: the API's reason beside the field.
			run(t, ctx,
				chromedp.SetValue(`#weight`, "0"),
				chromedp.Click(`#calc button[type=submit]`),
				chromedp.WaitVisible(`#calc .field-error[data-field="weight_g"]:not(:empty)`),
			)
			run(t, ctx,
				chromedp.SetValue(`#cert-no`, certNo),
				chromedp.Click(`#lookup button`),
				chromedp.WaitVisible(`#cert-state`),
			)
			state := read(t, ctx, chromedp.Text(`#cert-state`))
			run(t, ctx,
				chromedp.SetValue(`#cert-no`, "TP-530427-1999-9999"),
				chromedp.Click(`#lookup button`),
				chromedp.WaitVisible(`#lookup-result .error`),
				chromedp.Click(`#lang`),
			)
			title := read(t, ctx, chromedp.Text(`h1`))
			if state != "有效" || !strings.Contains(title, "public prices") {
				t.Errorf("certificate %q, English title %q", state, title)
			}
			shot(t, ctx, "prices-"+sc.name+"-en")
		})
	}
}
