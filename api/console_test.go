package api_test

import (
	"context"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tongpei/tongpei/internal/auth"
)

// browser starts a headless Debian Chromium for t, or skips t when the
// machine has none (.ci/run installs it).
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (apt-get install chromium); the console test needs a real browser")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

func TestConsoleSignsInAKeeper(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t)
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	keeper := a.token(auth.Keeper, "XP-V-0001")
	ctx := browser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible("#token"),
		chromedp.SendKeys("#token", keeper),
		// A click fires the form's submit event; chromedp.Submit would not.
		chromedp.Click("#signin-form button"),
		chromedp.WaitVisible("#scan"),
	)
	if err != nil {
		t.Fatal(err)
	}
	who := must(chromedp.Run(ctx, chromedp.Text("#who")))(t)
	station := must(chromedp.Run(ctx, chromedp.Value("#station")))(t)
	if !strings.Contains(who, "keeper") || station != "XP-V-0001" {
		t.Fatalf("signed in as %q with station %q", who, station)
	}
}

// must turns a (value, error) pair into a value, failing t on the error.
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
