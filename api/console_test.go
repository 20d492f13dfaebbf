package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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
	ctx, cancelTimeout := context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// linkSecret issues a sign-in link through the API and answers its secret,
// the part after # that the sign-in page posts.
func (a *custodyAPI) linkSecret(t *testing.T, role, scope, name string) string {
	t.Helper()
	w := a.do("POST", "/v1/login-links", a.admin, map[string]any{"role": role, "scope": scope, "name": name})
	expect(t, w, http.StatusCreated)
	_, secret, _ := strings.Cut(decodeBody[issuedLink](t, w).URL, "#")
	return secret
}

// TestConsoleSignsInByLinkOnce opens an admin's sign-in link, sees the
// home page name the person and offer the link form with its QR code,
// opens the same link again (refused, in Chinese), and signs out.
func TestConsoleSignsInByLinkOnce(t *testing.T) {
	t.Parallel()
	a := newCustodyAPI(t)
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	secret := a.linkSecret(t, "admin", "", "王主任")
	ctx := browser(t)
	steps(t, ctx,
		chromedp.EmulateViewport(360, 640),
		chromedp.Navigate(srv.URL+"/login#"+secret),
		chromedp.WaitVisible("#link-form"),
	)
	if who := text(t, ctx, "#who"); !strings.Contains(who, "王主任") || !strings.Contains(who, "县中心") {
		t.Fatalf("signed in as %q", who)
	}
	if loc := must(chromedp.Run(ctx, chromedp.Location()))(t); strings.Contains(loc, secret) {
		t.Fatalf("the secret stays in the address bar: %s", loc)
	}
	// No script can read the session: the cookie is HttpOnly.
	if c := must(chromedp.Run(ctx, chromedp.Evaluate[string](`document.cookie`)))(t); strings.Contains(c, "tongpei_session") {
		t.Fatalf("document.cookie shows the session: %q", c)
	}
	// The admin issues a keeper's link and sees its QR code.
	steps(t, ctx,
		chromedp.SendKeys("#link-scope", "V1"),
		chromedp.SendKeys("#link-name", "李四"),
		chromedp.Click("#link-form button"),
		chromedp.WaitVisible("#link-qr"),
	)
	if url := must(chromedp.Run(ctx, chromedp.Value("#link-url")))(t); !strings.Contains(url, "/login#tl_") {
		t.Fatalf("issued link %q", url)
	}
	if w := must(chromedp.Run(ctx, chromedp.Evaluate[int](`document.getElementById("link-qr").naturalWidth`)))(t); w < 100 {
		t.Fatalf("the QR image is %d px wide", w)
	}
	shot(t, ctx, "home-sign-in-link")

	// The link works once.
	steps(t, ctx, chromedp.Navigate(srv.URL+"/login#"+secret), chromedp.WaitVisible("#signin-error"))
	waitFor(t, func() bool { return strings.Contains(text(t, ctx, "#signin-error"), "只能用一次") }, "the used link to be refused in Chinese")
	shot(t, ctx, "login-link-used")

	// Sign-out ends the session on the server.
	steps(t, ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#signout"), chromedp.Click("#signout"))
	// The page goes on to /login meanwhile; an evaluation cut by that
	// navigation is tried again.
	waitFor(t, func() bool {
		status, err := chromedp.Run(ctx, chromedp.Evaluate[int](`fetch("/v1/session").then(r => r.status)`, chromedp.EvalAwaitPromise))
		return err == nil && status == 401
	}, "the session to end")
}

// steps runs browser actions, failing t on the first error.
func steps(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// stepsOnFreshList runs actions on a list the page redraws when it is
// shown: a node found in the old drawing may be gone by the time it is
// clicked ("Could not find node with given id"), so the whole sequence is
// tried again on the new one, as a person would tap again.
func stepsOnFreshList(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	var err error
	for try := 0; try < 5; try++ {
		if err = chromedp.Do(ctx, actions...); err == nil || !strings.Contains(err.Error(), "Could not find node") {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// text is the visible text of the element sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return must(chromedp.Run(ctx, chromedp.Text(sel)))(t)
}

// waitFor polls cond until it holds, failing t after 15 s.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
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
