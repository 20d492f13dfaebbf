package stations_test

import (
	"context"
	"testing"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/stations"
)

func ptr[T any](v T) *T { return &v }

func newStation(code, name string, tier stations.Tier, parent string, lon, lat float64) stations.StationChange {
	n := stations.StationChange{Code: ptr(code)}
	n.Name = ptr(name)
	n.Tier = ptr(tier)
	if parent != "" {
		n.Parent = ptr(parent)
	}
	n.Location = &stations.LocationInput{Lon: ptr(lon), Lat: ptr(lat)}
	return n
}

// smallCounty registers a hub, one township and one village.
func smallCounty(t *testing.T) *stations.Registry {
	t.Helper()
	ctx := context.Background()
	reg := stations.NewRegistry(pgtest.Pool(t))
	township := newStation("XP-T-04", "漠沙镇站", stations.Township, "XP-HUB", 101.80, 23.88)
	township.Township = ptr("漠沙镇")
	village := newStation("XP-V-0401", "曼竜社区服务站", stations.Village, "XP-T-04", 101.82, 23.90)
	village.Keeper = &stations.Keeper{Name: "李芳", Phone: "13812345678"}
	for _, n := range []stations.StationChange{newStation("XP-HUB", "新平县物流配送中心", stations.CountyHub, "", 101.989, 24.069), township, village} {
		if _, err := reg.CreateStation(ctx, n); err != nil {
			t.Fatalf("create %s: %v", *n.Code, err)
		}
	}
	return reg
}

func fieldsOf(err error) map[string]bool {
	e, _ := err.(*errs.Error)
	m := map[string]bool{}
	if e != nil {
		for _, f := range e.Fields {
			m[f.Field] = true
		}
	}
	return m
}

func TestStationParents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	reg := smallCounty(t)
	v, err := reg.Station(ctx, auth.Principal{Role: auth.Admin}, "XP-V-0401")
	if err != nil {
		t.Fatal(err)
	}
	if v.Township != "漠沙镇" || v.Parent != "XP-T-04" || !v.Active {
		t.Fatalf("village did not take its parent's township: %+v", v)
	}
	for name, tc := range map[string]struct {
		n     stations.StationChange
		field string
		code  errs.Code
	}{
		"village under the hub":     {newStation("XP-V-0001", "甲", stations.Village, "XP-HUB", 101.9, 24.0), "parent", errs.Invalid},
		"village under a village":   {newStation("XP-V-0002", "乙", stations.Village, "XP-V-0401", 101.9, 24.0), "parent", errs.Invalid},
		"township under a township": {withTownship(newStation("XP-T-05", "丙", stations.Township, "XP-T-04", 101.9, 24.0)), "parent", errs.Invalid},
		"missing parent":            {newStation("XP-V-0003", "丁", stations.Village, "XP-T-99", 101.9, 24.0), "parent", errs.Invalid},
		"no parent":                 {newStation("XP-V-0004", "戊", stations.Village, "", 101.9, 24.0), "parent", errs.Invalid},
		"hub with a parent":         {newStation("XP-HUB2", "己", stations.CountyHub, "XP-T-04", 101.9, 24.0), "parent", errs.Invalid},
		"wrong township":            {withTownship(newStation("XP-V-0005", "庚", stations.Village, "XP-T-04", 101.9, 24.0)), "township", errs.Invalid},
		"second hub":                {newStation("XP-HUB2", "辛", stations.CountyHub, "", 101.9, 24.0), "", errs.Conflict},
		"duplicate code":            {newStation("XP-V-0401", "壬", stations.Village, "XP-T-04", 101.9, 24.0), "", errs.Conflict},
	} {
		_, err := reg.CreateStation(ctx, tc.n)
		if errs.CodeOf(err) != tc.code || (tc.field != "" && !fieldsOf(err)[tc.field]) {
			t.Errorf("%s: got %v, want %s on %q", name, err, tc.code, tc.field)
		}
	}
	all, _, err := reg.Stations(ctx, auth.Principal{Role: auth.Admin}, stations.StationFilter{}, stations.Page{})
	if err != nil || len(all) != 3 {
		t.Fatalf("refused stations were written: %d stations, %v", len(all), err)
	}
}

func withTownship(n stations.StationChange) stations.StationChange {
	n.Township = ptr("水塘镇")
	return n
}

func TestStationValidationListsEveryField(t *testing.T) {
	t.Parallel()
	reg := stations.NewRegistry(pgtest.Pool(t))
	n := newStation("xp v 1", "", "hamlet", "", 200, -91)
	n.Services = &[]string{"parcel_pickup", "teleport"}
	n.Keeper = &stations.Keeper{Phone: "021-5555"}
	_, err := reg.CreateStation(context.Background(), n)
	got := fieldsOf(err)
	for _, f := range []string{"code", "name", "tier", "location.lon", "location.lat", "services", "keeper.phone"} {
		if !got[f] {
			t.Errorf("field %s not reported: %v", f, err)
		}
	}
	n = stations.StationChange{Code: ptr("XP-T-01")}
	n.Location = &stations.LocationInput{Lat: ptr(24.0)}
	got = fieldsOf(func() error { _, err := reg.CreateStation(context.Background(), n); return err }())
	for _, f := range []string{"name", "tier", "location.lon"} {
		if !got[f] {
			t.Errorf("missing %s not reported: %v", f, got)
		}
	}
}

func TestUpdateStationChecksTheMergedStation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	reg := smallCounty(t)
	if _, err := reg.UpdateStation(ctx, "XP-V-0401", stations.StationChange{Tier: ptr(stations.Township)}); !fieldsOf(err)["parent"] {
		t.Fatalf("a village turned township under a township: %v", err)
	}
	if _, err := reg.UpdateStation(ctx, "XP-T-04", stations.StationChange{Tier: ptr(stations.Village), Parent: ptr("XP-HUB")}); !fieldsOf(err)["tier"] && !fieldsOf(err)["parent"] {
		t.Fatalf("a township with villages became a village: %v", err)
	}
	s, err := reg.UpdateStation(ctx, "XP-V-0401", stations.StationChange{Name: ptr("曼竜站"), Services: &[]string{"parcel_pickup", "farm_produce"}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "曼竜站" || len(s.Services) != 2 || s.Keeper.Phone != "13812345678" || s.Location.Lon != 101.82 {
		t.Fatalf("patch changed more or less than it said: %+v", s)
	}
	if _, err := reg.UpdateStation(ctx, "XP-V-0401", stations.StationChange{Code: ptr("XP-V-0402")}); !fieldsOf(err)["code"] {
		t.Fatalf("a patch renamed a station: %v", err)
	}
	if _, err := reg.UpdateStation(ctx, "XP-T-04", stations.StationChange{Township: ptr("漠沙")}); err != nil {
		t.Fatal(err)
	}
	if v, _ := reg.Station(ctx, auth.Principal{}, "XP-V-0401"); v.Township != "漠沙" {
		t.Fatalf("renaming the township left its village in %q", v.Township)
	}
	if _, err := reg.UpdateStation(ctx, "XP-NOPE", stations.StationChange{}); !errs.Is(err, errs.NotFound) {
		t.Fatalf("update of a missing station: %v", err)
	}
	d, err := reg.DeactivateStation(ctx, "XP-V-0401")
	if err != nil || d.Active {
		t.Fatalf("deactivate: %+v %v", d, err)
	}
	inactive, _, err := reg.Stations(ctx, auth.Principal{Role: auth.Admin}, stations.StationFilter{Active: ptr(false)}, stations.Page{})
	if err != nil || len(inactive) != 1 || inactive[0].Code != "XP-V-0401" {
		t.Fatalf("inactive filter: %v %v", inactive, err)
	}
}

func TestKeeperPhonesAreMasked(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	reg := smallCounty(t)
	for _, tc := range []struct {
		viewer auth.Principal
		phone  string
	}{
		{auth.Principal{Role: auth.Admin}, "13812345678"},
		{auth.Principal{Role: auth.Keeper, Scope: "XP-V-0401"}, "13812345678"},
		{auth.Principal{Role: auth.Keeper, Scope: "XP-T-04"}, "138****5678"},
		{auth.Principal{Role: auth.Carrier, Scope: "EMS"}, "138****5678"},
		{auth.Principal{Role: auth.Merchant, Scope: "M00001"}, "138****5678"},
	} {
		s, err := reg.Station(ctx, tc.viewer, "XP-V-0401")
		if err != nil || s.Keeper.Phone != tc.phone {
			t.Errorf("%s %s sees %q (%v), want %q", tc.viewer.Role, tc.viewer.Scope, s.Keeper.Phone, err, tc.phone)
		}
	}
}

func TestPagingVisitsEachStationOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	reg := smallCounty(t)
	seen := map[string]int{}
	page := stations.Page{Limit: 2}
	for range 10 {
		items, next, err := reg.Stations(ctx, auth.Principal{Role: auth.Admin}, stations.StationFilter{}, page)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range items {
			seen[s.Code]++
		}
		if next == "" {
			break
		}
		page.Cursor = next
	}
	if len(seen) != 3 || seen["XP-HUB"] != 1 || seen["XP-T-04"] != 1 || seen["XP-V-0401"] != 1 {
		t.Fatalf("pages saw %v", seen)
	}
	if _, _, err := reg.Stations(ctx, auth.Principal{Role: auth.Admin}, stations.StationFilter{}, stations.Page{Cursor: "!!"}); !fieldsOf(err)["cursor"] {
		t.Fatalf("a bad cursor: %v", err)
	}
}
