package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/tongpei/tongpei/stations"
)

// A carrier lists only its own parcels, a merchant only those it sent;
// search and paging work; a keeper is sent to its shelf.
func TestListParcels(t *testing.T) {
	t.Parallel()
	a := newCustodyAPI(t)
	for i := range 3 {
		expect(t, a.do("POST", "/v1/parcels", a.sf, downJSON(fmt.Sprintf("SF20000%d", i), "V1", "1381234567"+fmt.Sprint(i))), http.StatusCreated)
	}
	yto := downJSON("YT300001", "V2", "13900001111")
	expect(t, a.do("POST", "/v1/parcels", a.yto, yto), http.StatusCreated)
	order := map[string]any{"direction": "up", "carrier": "YTO", "sender": map[string]any{"merchant_id": "M00001"},
		"category": "farm_produce", "weight_g": 3000, "destination": map[string]any{"province": "广东", "city": "深圳"}}
	expect(t, a.do("POST", "/v1/parcels", a.v1, order), http.StatusCreated)

	list := func(token, query string) []stations.Parcel {
		t.Helper()
		w := a.do("GET", "/v1/parcels"+query, token, nil)
		expect(t, w, http.StatusOK)
		return decodeBody[struct{ Items []stations.Parcel }](t, w).Items
	}
	sf := list(a.sf, "")
	if len(sf) != 3 {
		t.Fatalf("SF sees %d parcels", len(sf))
	}
	for _, p := range sf {
		if p.Carrier != "SF" || p.Recipient.Phone[3:7] != "****" {
			t.Errorf("SF sees %+v", p)
		}
	}
	if got := list(a.yto, ""); len(got) != 2 {
		t.Errorf("YTO sees %d parcels, want its down parcel and the up order", len(got))
	}
	if got := list(a.farmCo, ""); len(got) != 1 || got[0].Sender == nil || got[0].Sender.MerchantID != "M00001" {
		t.Errorf("the merchant sees %+v", got)
	}
	if got := list(a.admin, ""); len(got) != 5 {
		t.Errorf("the admin sees %d", len(got))
	}
	if got := list(a.sf, "?q=SF200001"); len(got) != 1 {
		t.Errorf("search by tracking number: %d", len(got))
	}
	if got := list(a.sf, "?q=5672"); len(got) != 1 || got[0].TrackingNo != "SF200002" {
		t.Errorf("search by phone's last four: %+v", got)
	}
	if got := list(a.sf, "?state=picked_up"); len(got) != 0 {
		t.Errorf("state filter: %d", len(got))
	}
	w := a.do("GET", "/v1/parcels?limit=2", a.sf, nil)
	first := decodeBody[struct {
		Items []stations.Parcel
		Next  string
	}](t, w)
	if len(first.Items) != 2 || first.Next == "" {
		t.Fatalf("page 1: %d, next %q", len(first.Items), first.Next)
	}
	if rest := list(a.sf, "?limit=2&cursor="+first.Next); len(rest) != 1 {
		t.Errorf("page 2: %d", len(rest))
	}
	expect(t, a.do("GET", "/v1/parcels?state=lost", a.sf, nil), http.StatusUnprocessableEntity)
	expect(t, a.do("GET", "/v1/parcels?cursor=x", a.sf, nil), http.StatusUnprocessableEntity)
	expect(t, a.do("GET", "/v1/parcels", a.v1, nil), http.StatusForbidden)
}
