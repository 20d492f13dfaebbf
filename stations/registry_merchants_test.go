package stations_test

import (
	"context"
	"testing"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/stations"
)

func newMerchant(name, code string) stations.MerchantChange {
	var n stations.MerchantChange
	n.Name = ptr(name)
	n.CreditCode = ptr(code)
	n.RegisteredInCounty = ptr(true)
	n.Categories = &[]string{"farm_produce", "柑橘"}
	return n
}

func TestMerchantsAndCarriers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	reg := stations.NewRegistry(pgtest.Pool(t))
	admin := auth.Principal{Role: auth.Admin}

	a, err := reg.CreateMerchant(ctx, newMerchant("甲果业", "9144030071526726XG"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := reg.CreateMerchant(ctx, newMerchant("乙糖业", "914403001922038216"))
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == "" || a.ID == b.ID || !a.Active {
		t.Fatalf("ids %q %q", a.ID, b.ID)
	}
	if _, err := reg.CreateMerchant(ctx, newMerchant("丙", "9144030071526726xg")); !errs.Is(err, errs.Conflict) {
		t.Fatalf("duplicate credit code (lower case): %v", err)
	}
	if _, err := reg.CreateMerchant(ctx, newMerchant("丁", "9144030071526726XH")); !fieldsOf(err)["credit_code"] {
		t.Fatalf("bad check character: %v", err)
	}
	if _, err := reg.UpdateMerchant(ctx, b.ID, stations.MerchantChange{CreditCode: ptr(a.CreditCode)}); !errs.Is(err, errs.Conflict) {
		t.Fatalf("update onto a taken credit code: %v", err)
	}
	got, err := reg.UpdateMerchant(ctx, b.ID, stations.MerchantChange{Contact: &stations.Contact{Name: "王", Phone: "13912345678"}})
	if err != nil || got.Contact.Phone != "13912345678" || got.Name != "乙糖业" {
		t.Fatalf("update contact: %+v %v", got, err)
	}

	all, _, err := reg.Merchants(ctx, admin, stations.MerchantFilter{}, stations.Page{})
	if err != nil || len(all) != 2 {
		t.Fatalf("admin list: %v %v", all, err)
	}
	self := auth.Principal{Role: auth.Merchant, Scope: b.ID}
	mine, _, err := reg.Merchants(ctx, self, stations.MerchantFilter{}, stations.Page{})
	if err != nil || len(mine) != 1 || mine[0].ID != b.ID {
		t.Fatalf("merchant list: %v %v", mine, err)
	}
	if _, err := reg.Merchant(ctx, self, a.ID); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a merchant read another: %v", err)
	}
	if _, _, err := reg.Merchants(ctx, auth.Principal{Role: auth.Keeper, Scope: "XP-V-0401"}, stations.MerchantFilter{}, stations.Page{}); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a keeper listed merchants: %v", err)
	}

	var c stations.CarrierChange
	c.Code, c.Name, c.Kind, c.StationedSince = ptr("EMS"), ptr("中国邮政速递物流"), ptr(stations.Express), ptr("2021-06-01")
	if _, err := reg.CreateCarrier(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.CreateCarrier(ctx, c); !errs.Is(err, errs.Conflict) {
		t.Fatalf("duplicate carrier: %v", err)
	}
	c.Code, c.Kind, c.StationedSince = ptr("ems"), ptr(stations.CarrierKind("airline")), ptr("1 June 2021")
	if got := fieldsOf(func() error { _, err := reg.CreateCarrier(ctx, c); return err }()); !got["code"] || !got["kind"] || !got["stationed_since"] {
		t.Fatalf("carrier validation: %v", got)
	}
	ems, err := reg.UpdateCarrier(ctx, "EMS", stations.CarrierChange{StationedSince: ptr("")})
	if err != nil || ems.StationedSince != "" || ems.Name != "中国邮政速递物流" {
		t.Fatalf("clear stationed_since: %+v %v", ems, err)
	}

	for _, tc := range []struct {
		role  auth.Role
		scope string
		ok    bool
	}{
		{auth.Admin, "", true}, {auth.Admin, "EMS", false},
		{auth.Keeper, "XP-V-0401", false}, {auth.Carrier, "EMS", true}, {auth.Carrier, "SF", false},
		{auth.Merchant, a.ID, true}, {auth.Merchant, "M99999", false}, {auth.Merchant, "", false},
	} {
		err := reg.CheckScope(ctx, tc.role, tc.scope)
		if (err == nil) != tc.ok || (err != nil && !fieldsOf(err)["scope"]) {
			t.Errorf("CheckScope(%s, %q) = %v", tc.role, tc.scope, err)
		}
	}
}
