package api_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/internal/auth"
)

type stationOut struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Tier     string `json:"tier"`
	Township string `json:"township"`
	Keeper   struct {
		Name  string `json:"name"`
		Phone string `json:"phone"`
	} `json:"keeper"`
	Active bool `json:"active"`
}

type stationList struct {
	Items []stationOut `json:"items"`
	Next  string       `json:"next"`
}

// demoAPI is the test API over the loaded demonstration county.
func demoAPI(t *testing.T) *testAPI {
	t.Helper()
	a := newTestAPI(t)
	if err := demo.LoadRegistry(context.Background(), a.deps.Registry); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestDemoStationsAsJSONAndGeoJSON(t *testing.T) {
	t.Parallel()
	a := demoAPI(t)
	w := a.do("GET", "/v1/stations?limit=1000", a.admin, nil)
	expect(t, w, http.StatusOK)
	list := decodeBody[stationList](t, w)
	if len(list.Items) < 113 || list.Next != "" {
		t.Fatalf("%d stations, next %q; want every one of ≥ 113 on one page", len(list.Items), list.Next)
	}

	w = a.do("GET", "/v1/stations", a.admin, nil, "Accept", "application/geo+json")
	expect(t, w, http.StatusOK)
	if ct := w.Header().Get("Content-Type"); ct != "application/geo+json" {
		t.Fatalf("content type %q", ct)
	}
	fc, err := geojson.UnmarshalFeatureCollection(w.Body.Bytes())
	if err != nil {
		t.Fatalf("not a FeatureCollection: %v", err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != len(list.Items) {
		t.Fatalf("%s with %d features; want every one of %d stations", fc.Type, len(fc.Features), len(list.Items))
	}
	for _, f := range fc.Features {
		p, ok := f.Geometry.(orb.Point)
		if !ok || p.Lon() < 101.4 || p.Lon() > 102.3 || p.Lat() < 23.6 || p.Lat() > 24.4 {
			t.Fatalf("feature %v: geometry %v is not a Point inside the county", f.ID, f.Geometry)
		}
		if f.Properties.MustString("code") != f.ID {
			t.Fatalf("feature %v: properties %v", f.ID, f.Properties)
		}
	}

	for query, want := range map[string]int{
		"tier=township":   12,
		"tier=county_hub": 1,
		"township=" + url.QueryEscape("漠沙镇"):              19,
		"tier=village&township=" + url.QueryEscape("漠沙镇"): 18,
		"active=false": 0,
	} {
		w := a.do("GET", "/v1/stations?limit=1000&"+query, a.admin, nil)
		expect(t, w, http.StatusOK)
		if n := len(decodeBody[stationList](t, w).Items); n != want {
			t.Errorf("%s: %d stations, want %d", query, n, want)
		}
	}
	for query, field := range map[string]string{"tier=hamlet": "tier", "active=maybe": "active", "limit=0": "limit", "cursor=zz": "cursor"} {
		w := a.do("GET", "/v1/stations?"+query, a.admin, nil)
		expectField(t, w, field)
	}
}

func TestPagingVisitsEveryStationOnce(t *testing.T) {
	t.Parallel()
	a := demoAPI(t)
	seen := map[string]int{}
	path := "/v1/stations?limit=7"
	for pages := 0; ; pages++ {
		if pages > 30 {
			t.Fatal("paging does not end")
		}
		w := a.do("GET", path, a.admin, nil)
		expect(t, w, http.StatusOK)
		page := decodeBody[stationList](t, w)
		if len(page.Items) > 7 {
			t.Fatalf("page of %d", len(page.Items))
		}
		for _, s := range page.Items {
			seen[s.Code]++
		}
		if page.Next == "" {
			break
		}
		path = "/v1/stations?limit=7&cursor=" + url.QueryEscape(page.Next)
	}
	if len(seen) != 137 {
		t.Fatalf("paging saw %d stations, want 137", len(seen))
	}
	for code, n := range seen {
		if n != 1 {
			t.Errorf("%s seen %d times", code, n)
		}
	}
}

func TestKeeperPhonesAreMaskedForOthers(t *testing.T) {
	t.Parallel()
	a := demoAPI(t)
	own := a.token(auth.Keeper, "XP-V-0401")
	carrier := a.token(auth.Carrier, "EMS")
	phone := func(token, code string) string {
		w := a.do("GET", "/v1/stations/"+code, token, nil)
		expect(t, w, http.StatusOK)
		return decodeBody[stationOut](t, w).Keeper.Phone
	}
	full := phone(a.admin, "XP-V-0402")
	masked := full[:3] + "****" + full[7:]
	if len(full) != 11 || phone(own, "XP-V-0402") != masked || phone(carrier, "XP-V-0402") != masked {
		t.Fatalf("another station's keeper phone is not masked as %s", masked)
	}
	if p := phone(own, "XP-V-0401"); len(p) != 11 || p != phone(a.admin, "XP-V-0401") {
		t.Fatalf("a keeper sees their own phone as %q", p)
	}
	w := a.do("GET", "/v1/stations?limit=1000&tier=village", carrier, nil)
	expect(t, w, http.StatusOK)
	for _, s := range decodeBody[stationList](t, w).Items {
		if s.Keeper.Phone != "" && s.Keeper.Phone[3:7] != "****" {
			t.Fatalf("%s: a carrier sees keeper phone %s", s.Code, s.Keeper.Phone)
		}
	}
	w = a.do("GET", "/v1/stations?tier=village", own, nil, "Accept", "application/geo+json")
	expect(t, w, http.StatusOK)
	fc, err := geojson.UnmarshalFeatureCollection(w.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fc.Features {
		keeper, _ := f.Properties["keeper"].(map[string]any)
		p, _ := keeper["phone"].(string)
		if (f.ID == "XP-V-0401") == (len(p) == 11 && p[3:7] == "****") {
			t.Fatalf("GeoJSON %v: keeper phone %q", f.ID, p)
		}
	}
}
