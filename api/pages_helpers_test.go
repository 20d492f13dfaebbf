package api_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// The two screens the county centre's and the firms' pages are tested on,
// as issue 10 names them: a phone (390 × 844) and an office desktop. The
// station app is tested on the keeper's cheaper 360 × 640 phone.
var screens = []struct {
	name string
	w, h int64
}{{"phone", 390, 844}, {"desktop", 1280, 800}}

// shot saves a full-page screenshot as <name>.png in $TONGPEI_SCREENSHOTS
// (docs/screenshots from `make screenshots`) when it is set.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("TONGPEI_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// run does the steps in the page, failing t on the first error.
func run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// read answers an action's value, failing t on an error.
func read[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// js evaluates an expression in the page.
func js[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	return read(t, ctx, chromedp.Evaluate[T](expr))
}
