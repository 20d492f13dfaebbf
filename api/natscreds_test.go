package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/bus/bustest"
	"github.com/tongpei/tongpei/internal/tenant"
)

// withNATSCreds gives the test API an embedded NATS that admits carriers
// with the logins the API issues.
func withNATSCreds(t *testing.T, a *testAPI) { t.Helper(); withNATSCredsIn(t, a, bus.Layout{}) }

// withNATSCredsIn is withNATSCreds with the subjects of layout l.
func withNATSCredsIn(t *testing.T, a *testAPI, l bus.Layout) {
	t.Helper()
	creds := bus.NewCarrierCredentials(a.pool)
	creds.PerCounty(l, a.deps.Registry.CarrierCounties)
	b := bustest.OpenWith(t, bus.Config{Auth: bus.NewAuthenticator(creds, nil)})
	creds.SetURL(b.Server.ClientURL())
	creds.OnRevoke(func(carrier string) { b.DisconnectUser(carrier) })
	a.deps.NATSCreds = creds
	a.handler = api.New(a.deps)
}

type issuedCred struct {
	ID       int64  `json:"id"`
	County   string `json:"county"`
	User     string `json:"user"`
	Password string `json:"password"`
	URL      string `json:"url"`
	Subjects struct {
		InboxPrefix string   `json:"inbox_prefix"`
		Publish     []string `json:"publish"`
	} `json:"subjects"`
}

func TestNATSCredentialsForACarrier(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t)
	withNATSCreds(t, a)
	expect(t, a.do("POST", "/v1/carriers", a.admin, map[string]any{"code": "ZTO", "name": "中通快递", "kind": "express"}), http.StatusCreated)
	path := "/v1/carriers/ZTO/nats-credentials"

	expect(t, a.do("POST", path, "", nil), http.StatusUnauthorized)
	expect(t, a.do("POST", path, a.token(auth.Carrier, "YTO"), nil), http.StatusForbidden) // another carrier's
	expect(t, a.do("GET", path, a.token(auth.Carrier, "YTO"), nil), http.StatusForbidden)
	expect(t, a.do("POST", path, a.token(auth.Keeper, "A"), nil), http.StatusForbidden)
	expect(t, a.do("POST", "/v1/carriers/NOPE/nats-credentials", a.admin, nil), http.StatusNotFound)
	expect(t, a.do("POST", path, a.admin, `{"nme":"x"}`), http.StatusUnprocessableEntity)

	w := a.do("POST", path, a.admin, map[string]any{"name": "ZTO dispatch desk"})
	expect(t, w, http.StatusCreated)
	cred := decodeBody[issuedCred](t, w)
	if cred.User != "ZTO" || cred.Password == "" || cred.URL == "" || cred.Subjects.Publish[0] != "tongpei.carrier.ZTO.>" {
		t.Fatalf("issued %+v", cred)
	}
	expect(t, a.do("POST", path, a.admin, nil), http.StatusCreated) // a body is optional

	nc, err := nats.Connect(cred.URL, nats.UserInfo(cred.User, cred.Password),
		nats.CustomInboxPrefix(cred.Subjects.InboxPrefix), nats.NoReconnect())
	if err != nil {
		t.Fatalf("the issued login does not connect: %v", err)
	}
	defer nc.Close()

	list := decodeBody[struct{ Items []issuedCred }](t, a.do("GET", path, a.admin, nil))
	if len(list.Items) != 2 || list.Items[1].Password != "" {
		t.Fatalf("list %+v", list.Items)
	}
	expect(t, a.do("DELETE", path+"/"+itoa(cred.ID), a.admin, nil), http.StatusNoContent)
	expect(t, a.do("DELETE", path+"/"+itoa(cred.ID), a.admin, nil), http.StatusNoContent)
	expect(t, a.do("DELETE", path+"/999999", a.admin, nil), http.StatusNotFound)
	expect(t, a.do("DELETE", path+"/abc", a.admin, nil), http.StatusNotFound)
	if nc2, err := nats.Connect(cred.URL, nats.UserInfo(cred.User, cred.Password), nats.NoReconnect()); err == nil {
		nc2.Close()
		t.Fatal("a revoked login connected")
	}

	// The carrier itself issues and lists its own (the /carrier page's
	// download) but does not revoke: that stays with the county centre.
	own := a.token(auth.Carrier, "ZTO")
	w = a.do("POST", path, own, nil)
	expect(t, w, http.StatusCreated)
	mine := decodeBody[issuedCred](t, w)
	if mine.Password == "" {
		t.Fatal("the carrier's own issue has no password")
	}
	expect(t, a.do("GET", path, own, nil), http.StatusOK)
	expect(t, a.do("DELETE", path+"/"+itoa(mine.ID), own, nil), http.StatusForbidden)
}

func TestNATSCredentialsNeedTheEmbeddedServer(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t) // no NATSCreds: an external NATS
	expect(t, a.do("POST", "/v1/carriers", a.admin, map[string]any{"code": "SF", "name": "顺丰", "kind": "express"}), http.StatusCreated)
	expect(t, a.do("POST", "/v1/carriers/SF/nats-credentials", a.admin, nil), http.StatusConflict)
	expect(t, a.do("GET", "/v1/carriers/SF/nats-credentials", a.admin, nil), http.StatusConflict)
}

// With per-county subjects (issue 18) a province administrator issues a
// carrier one login for every county where it is registered; a county's
// admin issues one for that county alone.
func TestNATSCredentialsProvinceWide(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t)
	l := bus.Layout{PerCounty: true}
	withNATSCredsIn(t, a, l)
	ctx := context.Background()
	countyA, countyB := tenant.Default(), "530428"
	if countyA == countyB {
		t.Skip("TONGPEI_COUNTY is the test's second county")
	}
	if _, err := tenant.NewRegistry(a.pool).Add(ctx, countyB, "county B"); err != nil {
		t.Fatal(err)
	}
	adminB, _, err := a.deps.Tokens.Create(tenant.With(ctx, countyB), auth.Admin, "", "county B")
	if err != nil {
		t.Fatal(err)
	}
	province, _, err := a.deps.Tokens.Create(tenant.WithProvince(ctx), auth.Admin, "", "province")
	if err != nil {
		t.Fatal(err)
	}
	for _, admin := range []string{a.admin, adminB} {
		expect(t, a.do("POST", "/v1/carriers", admin, map[string]any{"code": "ZTO", "name": "中通快递", "kind": "express"}), http.StatusCreated)
	}
	path := "/v1/carriers/ZTO/nats-credentials"
	report := func(county string) string { return l.In(bus.FamilyCarrier, county).Of("ZTO") }
	for _, c := range []struct {
		token, county string
		publish       []string
	}{
		{province, tenant.Province, []string{report(countyA), report(countyB)}},
		{adminB, countyB, []string{report(countyB)}},
	} {
		w := a.do("POST", path, c.token, nil)
		expect(t, w, http.StatusCreated)
		cred := decodeBody[issuedCred](t, w)
		if cred.County != c.county || !slices.Equal(cred.Subjects.Publish[:len(c.publish)], c.publish) ||
			strings.Contains(strings.Join(cred.Subjects.Publish[len(c.publish):], " "), "carrier.ZTO") {
			t.Errorf("login of %s: county %q, publish %v, want %v", c.county, cred.County, cred.Subjects.Publish, c.publish)
		}
		nc, err := nats.Connect(cred.URL, nats.UserInfo(cred.User, cred.Password),
			nats.CustomInboxPrefix(cred.Subjects.InboxPrefix), nats.NoReconnect())
		if err != nil {
			t.Fatalf("the login of %s does not connect: %v", c.county, err)
		}
		nc.Close()
	}
	// county B's admin sees B's login, not the province's
	if list := decodeBody[struct{ Items []issuedCred }](t, a.do("GET", path, adminB, nil)); len(list.Items) != 1 || list.Items[0].County != countyB {
		t.Errorf("county B lists %+v", list.Items)
	}
}
