package api_test

import (
	"net/http"
	"testing"

	"github.com/tongpei/tongpei/stations"
)

func TestScansOverHTTP(t *testing.T) {
	t.Parallel()
	a := newCustodyAPI(t)
	expect(t, a.do("POST", "/v1/parcels", a.sf, downJSON("SF300001", "V1", "13812345678")), http.StatusCreated)

	// A single scan answers a list of one result.
	first := scanJSON("SF300001", "hub_inbound", "HUB")
	w := a.do("POST", "/v1/scans", a.hub, first)
	expect(t, w, http.StatusOK)
	if r := decodeBody[scanResults](t, w).Results; len(r) != 1 || r[0].Status != "accepted" || r[0].State != "hub_inbound" {
		t.Fatalf("single scan: %+v", r)
	}

	// A batch: a resend, a malformed scan, a refusal and good scans.
	malformed := map[string]any{"id": "not-a-uuid", "tracking_no": "SF300001", "kind": "sorted", "at": "yesterday"}
	arrival := scanJSON("SF300001", "station_arrival", "V1")
	batch := []any{first, malformed, scanJSON("SF300001", "sorted", "HUB"), scanJSON("SF300001", "loaded", "HUB"),
		scanJSON("SF300001", "picked_up", "HUB"), arrival}
	w = a.do("POST", "/v1/scans", a.admin, map[string]any{"scans": batch})
	expect(t, w, http.StatusOK)
	r := decodeBody[scanResults](t, w).Results
	got := []string{r[0].Status, r[1].Code, r[2].Status, r[3].Status, r[4].Code, r[5].Status}
	want := []string{"duplicate", "invalid", "accepted", "accepted", "transition_not_allowed", "accepted"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("batch results %v, want %v (%+v)", got, want, r)
		}
	}
	code := r[5].PickupCode

	// Keepers scan only at their own station; the station defaults to theirs.
	elsewhere := scanJSON("SF300001", "picked_up", "V1")
	elsewhere["pickup_code"] = code
	w = a.do("POST", "/v1/scans", a.v2, elsewhere)
	if r := decodeBody[scanResults](t, w).Results; r[0].Code != stations.CodeForbiddenStation {
		t.Errorf("keeper of V2: %+v", r)
	}
	pick := scanJSON("SF300001", "picked_up", "")
	delete(pick, "station")
	pick["pickup_code"] = code
	w = a.do("POST", "/v1/scans", a.v1, pick)
	if r := decodeBody[scanResults](t, w).Results; r[0].Status != "accepted" {
		t.Errorf("keeper of V1 with the code: %+v", r)
	}

	// Whole-request problems.
	expect(t, a.do("POST", "/v1/scans", a.farmCo, first), http.StatusForbidden)
	expect(t, a.do("POST", "/v1/scans", a.admin, malformed), http.StatusUnprocessableEntity)
	expect(t, a.do("POST", "/v1/scans", a.admin, map[string]any{"scans": []any{}}), http.StatusUnprocessableEntity)
	expect(t, a.do("POST", "/v1/scans", a.admin, `{"scans": [`), http.StatusUnprocessableEntity)
	expect(t, a.do("POST", "/v1/scans", "", first), http.StatusUnauthorized)

	// The timeline shows every accepted scan in order.
	p := decodeBody[stations.Parcel](t, a.do("GET", "/v1/parcels/SF/SF300001", a.admin, nil))
	var kinds []string
	for _, e := range p.Events {
		kinds = append(kinds, e.Kind)
	}
	wantKinds := []string{"hub_inbound", "sorted", "loaded", "station_arrival", "picked_up"}
	if len(kinds) != len(wantKinds) {
		t.Fatalf("timeline %v, want %v", kinds, wantKinds)
	}
	for i := range kinds {
		if kinds[i] != wantKinds[i] {
			t.Fatalf("timeline %v, want %v", kinds, wantKinds)
		}
	}
}
