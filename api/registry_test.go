package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tongpei/tongpei/internal/auth"
)

// expectField fails unless w is a 422 problem naming field.
func expectField(t *testing.T, w *httptest.ResponseRecorder, field string) {
	t.Helper()
	expect(t, w, http.StatusUnprocessableEntity)
	p := decodeBody[struct {
		Code   string `json:"code"`
		Fields []struct {
			Field string `json:"field"`
		} `json:"fields"`
	}](t, w)
	for _, f := range p.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("422 does not name field %q: %s", field, w.Body.String())
}

// count is the number of rows of a registry table.
func (a *testAPI) count(table string) int {
	a.t.Helper()
	var n int
	if err := a.pool.QueryRow(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		a.t.Fatal(err)
	}
	return n
}

const newVillage = `{"code":"XP-V-0499","name":"测试村服务站","tier":"village","parent":"XP-T-04",
	"location":{"lon":101.81,"lat":23.9},"services":["parcel_pickup"],"keeper":{"name":"李四","phone":"13900001111"}}`

func TestRegistryNeedsTokenAndAdminForWrites(t *testing.T) {
	t.Parallel()
	a := demoAPI(t)
	keeper := a.token(auth.Keeper, "XP-V-0401")
	carrier := a.token(auth.Carrier, "EMS")
	for _, path := range []string{"/v1/stations", "/v1/carriers", "/v1/merchants", "/v1/stations/XP-HUB"} {
		expect(t, a.do("GET", path, "", nil), http.StatusUnauthorized)
	}
	before := a.count("stations")
	expect(t, a.do("POST", "/v1/stations", keeper, newVillage), http.StatusForbidden)
	expect(t, a.do("PATCH", "/v1/stations/XP-V-0401", keeper, `{"name":"x"}`), http.StatusForbidden)
	expect(t, a.do("DELETE", "/v1/stations/XP-V-0401", keeper, nil), http.StatusForbidden)
	expect(t, a.do("POST", "/v1/carriers", carrier, `{"code":"ABC","name":"x","kind":"express"}`), http.StatusForbidden)
	if a.count("stations") != before {
		t.Fatal("a refused write was written")
	}
	for _, tok := range []string{keeper, carrier} {
		expect(t, a.do("GET", "/v1/stations", tok, nil), http.StatusOK)
		expect(t, a.do("GET", "/v1/carriers?kind=express", tok, nil), http.StatusOK)
		expect(t, a.do("GET", "/v1/merchants", tok, nil), http.StatusForbidden)
	}

	w := a.do("GET", "/v1/merchants", a.admin, nil)
	expect(t, w, http.StatusOK)
	all := decodeBody[struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}](t, w)
	if len(all.Items) < 5 {
		t.Fatalf("%d demonstration merchants", len(all.Items))
	}
	me, other := all.Items[0].ID, all.Items[1].ID
	merchant := a.token(auth.Merchant, me)
	w = a.do("GET", "/v1/merchants", merchant, nil)
	expect(t, w, http.StatusOK)
	if n := len(decodeBody[struct{ Items []any }](t, w).Items); n != 1 {
		t.Fatalf("a merchant lists %d merchants, want only itself", n)
	}
	expect(t, a.do("GET", "/v1/merchants/"+me, merchant, nil), http.StatusOK)
	expect(t, a.do("GET", "/v1/merchants/"+other, merchant, nil), http.StatusForbidden)
	expect(t, a.do("GET", "/v1/merchants/M99999", a.admin, nil), http.StatusNotFound)
}

func TestBadStationsAre422NamingTheFieldAndWriteNothing(t *testing.T) {
	t.Parallel()
	a := demoAPI(t)
	before := a.count("stations")
	for _, tc := range []struct{ name, body, field string }{
		{"malformed JSON", `{"code":"XP-V-0499",`, "body"},
		{"wrong type", `{"code":7,"name":"x","tier":"village","parent":"XP-T-04","location":{"lon":101.8,"lat":23.9}}`, "code"},
		{"wrong nested type", `{"code":"XP-V-0499","name":"x","tier":"village","parent":"XP-T-04","location":{"lon":"east","lat":23.9}}`, "location.lon"},
		{"unknown tier", `{"code":"XP-V-0499","name":"x","tier":"hamlet","parent":"XP-T-04","location":{"lon":101.8,"lat":23.9}}`, "tier"},
		{"longitude 200", `{"code":"XP-V-0499","name":"x","tier":"village","parent":"XP-T-04","location":{"lon":200,"lat":23.9}}`, "location.lon"},
		{"unknown field", `{"code":"XP-V-0499","name":"x","tier":"village","parent":"XP-T-04","location":{"lon":101.8,"lat":23.9},"colour":"red"}`, "colour"},
		{"missing location", `{"code":"XP-V-0499","name":"x","tier":"village","parent":"XP-T-04"}`, "location"},
		{"village under the hub", `{"code":"XP-V-0499","name":"x","tier":"village","parent":"XP-HUB","location":{"lon":101.8,"lat":23.9}}`, "parent"},
		{"unknown parent", `{"code":"XP-V-0499","name":"x","tier":"village","parent":"XP-T-99","location":{"lon":101.8,"lat":23.9}}`, "parent"},
		{"bad phone", `{"code":"XP-V-0499","name":"x","tier":"village","parent":"XP-T-04","location":{"lon":101.8,"lat":23.9},"keeper":{"name":"x","phone":"12345"}}`, "keeper.phone"},
		{"unknown service", `{"code":"XP-V-0499","name":"x","tier":"village","parent":"XP-T-04","location":{"lon":101.8,"lat":23.9},"services":["teleport"]}`, "services"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expectField(t, a.do("POST", "/v1/stations", a.admin, tc.body), tc.field)
		})
	}
	expectField(t, a.do("PATCH", "/v1/stations/XP-V-0401", a.admin, `{"location":{"lon":200,"lat":23.9}}`), "location.lon")
	expectField(t, a.do("PATCH", "/v1/stations/XP-V-0401", a.admin, `{"nickname":"x"}`), "nickname")
	if n := a.count("stations"); n != before {
		t.Fatalf("%d stations after refused writes, want %d", n, before)
	}
	expect(t, a.do("POST", "/v1/stations", a.admin, `{"code":"XP-V-0401","name":"x","tier":"village","parent":"XP-T-04","location":{"lon":101.8,"lat":23.9}}`), http.StatusConflict)
	expect(t, a.do("POST", "/v1/stations", a.admin, `{"code":"XP-HUB-2","name":"x","tier":"county_hub","location":{"lon":101.8,"lat":23.9}}`), http.StatusConflict)
}

func TestStationLifecycle(t *testing.T) {
	t.Parallel()
	a := demoAPI(t)
	w := a.do("POST", "/v1/stations", a.admin, newVillage)
	expect(t, w, http.StatusCreated)
	if s := decodeBody[stationOut](t, w); s.Township != "漠沙镇" || !s.Active {
		t.Fatalf("created %+v", s)
	}
	w = a.do("PATCH", "/v1/stations/XP-V-0499", a.admin, `{"name":"改名服务站","parent":"XP-T-05"}`)
	expect(t, w, http.StatusOK)
	if s := decodeBody[stationOut](t, w); s.Name != "改名服务站" || s.Township != "戛洒镇" || s.Keeper.Phone != "13900001111" {
		t.Fatalf("patched %+v", s)
	}
	w = a.do("DELETE", "/v1/stations/XP-V-0499", a.admin, nil)
	expect(t, w, http.StatusOK)
	if decodeBody[stationOut](t, w).Active {
		t.Fatal("deactivated station is still active")
	}
	expect(t, a.do("DELETE", "/v1/stations/XP-V-0499", a.admin, nil), http.StatusOK)
	expect(t, a.do("PATCH", "/v1/stations/XP-NONE", a.admin, `{}`), http.StatusNotFound)
	expect(t, a.do("GET", "/v1/stations/XP-NONE", a.admin, nil), http.StatusNotFound)
	expect(t, a.do("DELETE", "/v1/stations/XP-NONE", a.admin, nil), http.StatusNotFound)
}

func TestCarriersAndMerchants(t *testing.T) {
	t.Parallel()
	a := demoAPI(t)
	w := a.do("GET", "/v1/carriers?kind=express", a.admin, nil)
	expect(t, w, http.StatusOK)
	if n := len(decodeBody[struct{ Items []any }](t, w).Items); n < 6 {
		t.Fatalf("%d express carriers, want ≥ 6", n)
	}
	expect(t, a.do("POST", "/v1/carriers", a.admin, `{"code":"EMS","name":"邮政","kind":"express"}`), http.StatusConflict)
	expectField(t, a.do("POST", "/v1/carriers", a.admin, `{"code":"BEST","name":"百世","kind":"airline"}`), "kind")
	expectField(t, a.do("POST", "/v1/carriers", a.admin, `{"code":"BEST","name":"百世","kind":"express","stationed_since":"2021-13-01"}`), "stationed_since")
	expect(t, a.do("POST", "/v1/carriers", a.admin, `{"code":"BEST","name":"百世快递","kind":"express","stationed_since":"2023-02-01"}`), http.StatusCreated)
	expect(t, a.do("PATCH", "/v1/carriers/BEST", a.admin, `{"active":false}`), http.StatusOK)
	expect(t, a.do("DELETE", "/v1/carriers/BEST", a.admin, nil), http.StatusOK)
	expect(t, a.do("GET", "/v1/carriers/BEST", a.token(auth.Keeper, "XP-V-0401"), nil), http.StatusOK)

	before := a.count("merchants")
	expectField(t, a.do("POST", "/v1/merchants", a.admin, `{"name":"假公司","credit_code":"9144030071526726XH"}`), "credit_code")
	expectField(t, a.do("POST", "/v1/merchants", a.admin, `{"name":"假公司","credit_code":"9144030071526726XG","registered_in_county":"yes"}`), "registered_in_county")
	expectField(t, a.do("POST", "/v1/merchants", a.admin, `{"id":"M1","name":"假公司","credit_code":"9144030071526726XG"}`), "id")
	if a.count("merchants") != before {
		t.Fatal("a refused merchant was written")
	}
	w = a.do("POST", "/v1/merchants", a.admin, `{"name":"新公司","credit_code":"9144030071526726xg","contact":{"name":"王","phone":"13912345678"},"categories":["general"]}`)
	expect(t, w, http.StatusCreated)
	m := decodeBody[struct {
		ID         string `json:"id"`
		CreditCode string `json:"credit_code"`
	}](t, w)
	if m.ID == "" || m.CreditCode != "9144030071526726XG" {
		t.Fatalf("created %+v", m)
	}
	expect(t, a.do("POST", "/v1/merchants", a.admin, `{"name":"又一家","credit_code":"9144030071526726XG"}`), http.StatusConflict)
	expect(t, a.do("PATCH", "/v1/merchants/"+m.ID, a.admin, `{"categories":["farm_produce","柑橘"]}`), http.StatusOK)
	expect(t, a.do("DELETE", "/v1/merchants/"+m.ID, a.admin, nil), http.StatusOK)

	// A token can be bound only to something registered.
	expect(t, a.do("POST", "/v1/tokens", a.admin, `{"role":"keeper","scope":"XP-V-0401"}`), http.StatusCreated)
	expectField(t, a.do("POST", "/v1/tokens", a.admin, `{"role":"keeper","scope":"XP-V-9999"}`), "scope")
	expect(t, a.do("POST", "/v1/tokens", a.admin, `{"role":"merchant","scope":"`+m.ID+`"}`), http.StatusCreated)
}
