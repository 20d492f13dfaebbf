package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/tongpei/tongpei/stations"
)

type issuedLink struct {
	URL   string `json:"url"`
	QRPNG string `json:"qr_png"`
	Name  string `json:"name"`
}

// signIn issues a link for role/scope/name as the admin and redeems it,
// answering the session cookie ("tongpei_session=…").
func (a *custodyAPI) signIn(t *testing.T, role, scope, name string) string {
	t.Helper()
	w := a.do("POST", "/v1/login-links", a.admin, map[string]any{"role": role, "scope": scope, "name": name})
	expect(t, w, http.StatusCreated)
	l := decodeBody[issuedLink](t, w)
	_, secret, ok := strings.Cut(l.URL, "/login#")
	if !ok || !strings.HasPrefix(l.QRPNG, "data:image/png;base64,") {
		t.Fatalf("link %q, qr %.40q", l.URL, l.QRPNG)
	}
	w = a.do("POST", "/v1/sessions", "", map[string]any{"link": secret}, "X-Tongpei-Csrf", "1")
	expect(t, w, http.StatusCreated)
	return sessionCookieOf(t, w.Result())
}

func sessionCookieOf(t *testing.T, resp *http.Response) string {
	t.Helper()
	for _, c := range resp.Cookies() {
		if c.Name == "tongpei_session" {
			if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Value == "" {
				t.Fatalf("session cookie %+v is not HttpOnly and SameSite=Strict", c)
			}
			return c.Name + "=" + c.Value
		}
	}
	t.Fatalf("no session cookie in %v", resp.Header["Set-Cookie"])
	return ""
}

func TestSignInLinkOpensOneSession(t *testing.T) {
	t.Parallel()
	a := newCustodyAPI(t)
	w := a.do("POST", "/v1/login-links", a.admin, map[string]any{"role": "keeper", "scope": "V1", "name": "李四"})
	expect(t, w, http.StatusCreated)
	_, secret, _ := strings.Cut(decodeBody[issuedLink](t, w).URL, "#")

	// Without the CSRF header nothing is redeemed; with it, once.
	expect(t, a.do("POST", "/v1/sessions", "", map[string]any{"link": secret}), http.StatusForbidden)
	w = a.do("POST", "/v1/sessions", "", map[string]any{"link": secret}, "X-Tongpei-Csrf", "1")
	expect(t, w, http.StatusCreated)
	cookie := sessionCookieOf(t, w.Result())
	w = a.do("POST", "/v1/sessions", "", map[string]any{"link": secret}, "X-Tongpei-Csrf", "1")
	expect(t, w, http.StatusUnauthorized)
	if !strings.Contains(w.Body.String(), "used already") {
		t.Errorf("second use: %s", w.Body.String())
	}

	me := decodeBody[map[string]any](t, a.do("GET", "/v1/session", "", nil, "Cookie", cookie))
	if me["role"] != "keeper" || me["scope"] != "V1" || me["name"] != "李四" || me["session"] != true {
		t.Fatalf("session: %v", me)
	}
}

func TestSignInLinkExpires(t *testing.T) {
	t.Parallel()
	a := newCustodyAPI(t)
	w := a.do("POST", "/v1/login-links", a.admin, map[string]any{"role": "admin", "name": "县中心 王"})
	expect(t, w, http.StatusCreated)
	_, secret, _ := strings.Cut(decodeBody[issuedLink](t, w).URL, "#")
	if _, err := a.pool.Exec(context.Background(), `UPDATE login_links SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	w = a.do("POST", "/v1/sessions", "", map[string]any{"link": secret}, "X-Tongpei-Csrf", "1")
	expect(t, w, http.StatusUnauthorized)
	if !strings.Contains(w.Body.String(), "expired") {
		t.Errorf("expired link: %s", w.Body.String())
	}
	expect(t, a.do("POST", "/v1/sessions", "", map[string]any{"link": "tl_forged-forged-forged-forged"}, "X-Tongpei-Csrf", "1"), http.StatusUnauthorized)
	expect(t, a.do("POST", "/v1/sessions", "", map[string]any{"link": 7}, "X-Tongpei-Csrf", "1"), http.StatusUnprocessableEntity)
}

func TestLinkRequestsAreChecked(t *testing.T) {
	t.Parallel()
	a := newCustodyAPI(t)
	for _, body := range []map[string]any{
		{"role": "keeper", "scope": "NOPE"},
		{"role": "keeper"},
		{"role": "admin", "scope": "V1"},
		{"role": "boss"},
		{"role": "keeper", "scope": "V1", "ttl_s": 90000},
	} {
		expect(t, a.do("POST", "/v1/login-links", a.admin, body), http.StatusUnprocessableEntity)
	}
	expect(t, a.do("POST", "/v1/login-links", a.v1, map[string]any{"role": "keeper", "scope": "V1"}), http.StatusForbidden)
	// Without a name the link is for the station's keeper (or says whom it is for).
	l := decodeBody[issuedLink](t, a.do("POST", "/v1/login-links", a.admin, map[string]any{"role": "keeper", "scope": "V1"}))
	if l.Name == "" {
		t.Errorf("a link without a name names nobody")
	}
}

// A request made with the cookie that changes something needs the CSRF
// header: a cross-site form cannot send it, so it gets 403.
func TestSessionCookieNeedsCSRFHeaderAndEndsOnSignOut(t *testing.T) {
	t.Parallel()
	a := newCustodyAPI(t)
	expect(t, a.do("POST", "/v1/parcels", a.sf, downJSON("SF700001", "V1", "13812345678")), http.StatusCreated)
	for _, kind := range []string{"hub_inbound", "sorted", "loaded"} {
		expect(t, a.do("POST", "/v1/scans", a.hub, scanJSON("SF700001", kind, "HUB")), http.StatusOK)
	}
	cookie := a.signIn(t, "keeper", "V1", "李四")

	arrival := scanJSON("SF700001", "station_arrival", "V1")
	w := a.do("POST", "/v1/scans", "", arrival, "Cookie", cookie)
	expect(t, w, http.StatusForbidden)
	w = a.do("POST", "/v1/scans", "", arrival, "Cookie", cookie, "X-Tongpei-Csrf", "1")
	expect(t, w, http.StatusOK)
	if r := decodeBody[scanResults](t, w).Results; r[0].Status != "accepted" || r[0].PickupCode == "" {
		t.Fatalf("arrival with the cookie: %+v", r)
	}

	// The event names the person, not only the station.
	p := decodeBody[stations.Parcel](t, a.do("GET", "/v1/parcels/SF/SF700001", "", nil, "Cookie", cookie))
	if by := p.Events[len(p.Events)-1].By; by != "keeper:V1:李四" {
		t.Errorf("arrival recorded by %q, want keeper:V1:李四", by)
	}

	// Sign-out needs the header too, then the cookie is useless.
	expect(t, a.do("DELETE", "/v1/session", "", nil, "Cookie", cookie), http.StatusForbidden)
	w = a.do("DELETE", "/v1/session", "", nil, "Cookie", cookie, "X-Tongpei-Csrf", "1")
	expect(t, w, http.StatusNoContent)
	if sc := w.Header().Get("Set-Cookie"); !strings.Contains(sc, "Max-Age=0") {
		t.Errorf("sign-out does not clear the cookie: %q", sc)
	}
	expect(t, a.do("GET", "/v1/session", "", nil, "Cookie", cookie), http.StatusUnauthorized)
	// Bearer tokens keep working, and have no session to end.
	expect(t, a.do("GET", "/v1/me", a.v1, nil), http.StatusOK)
	expect(t, a.do("DELETE", "/v1/session", a.v1, nil), http.StatusUnprocessableEntity)
}
