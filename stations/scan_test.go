package stations_test

import (
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/stations"
)

func TestStateMachine(t *testing.T) {
	t.Parallel()
	S := stations.ScanKinds
	// allowed lists every (state → kind) the machine permits; every other
	// pair of a state and a scan kind must be refused.
	allowed := map[string]map[string][]string{
		stations.Down: {
			stations.Registered:     {stations.HubInbound, stations.Problem},
			stations.HubInbound:     {stations.Sorted, stations.Problem},
			stations.Sorted:         {stations.Loaded, stations.Problem},
			stations.Loaded:         {stations.StationArrival, stations.Problem},
			stations.StationArrival: {stations.PickedUp, stations.Returned, stations.Problem},
			stations.Problem:        {stations.HubInbound, stations.Returned},
		},
		stations.Up: {
			stations.Registered: {stations.Accepted, stations.Problem},
			stations.Accepted:   {stations.Loaded, stations.Problem},
			stations.Loaded:     {stations.HubInbound, stations.Problem},
			stations.HubInbound: {stations.HandedToCarrier, stations.Problem},
			stations.Problem:    {stations.Accepted, stations.HubInbound, stations.Returned},
		},
	}
	for dir, table := range allowed {
		for _, state := range stations.States {
			for _, kind := range S {
				want := slices.Contains(table[state], kind)
				if got := stations.Allowed(dir, state, kind); got != want {
					t.Errorf("%s: %s after %s: allowed %v, want %v", dir, kind, state, got, want)
				}
			}
		}
	}
}

func TestDownParcelLife(t *testing.T) {
	t.Parallel()
	f := newCustody(t)
	f.register(downParcel("SF", "SF0001", "V1", "13812345678"))
	f.mustAccept(hubKeeper, sc("SF0001", stations.HubInbound, "HUB"), sc("SF0001", stations.Sorted, "HUB"))
	f.mustAccept(carrierSF, sc("SF0001", stations.Loaded, "HUB"))
	arrival := f.mustAccept(keeperV1, sc("SF0001", stations.StationArrival, "V1"))[0]
	if !regexp.MustCompile(`^1-1-[0-9]{4}$`).MatchString(arrival.PickupCode) {
		t.Fatalf("pickup code %q, want shelf-layer-number", arrival.PickupCode)
	}
	wrong := sc("SF0001", stations.PickedUp, "V1")
	wrong.PickupCode = "1-1-0000"
	if r := f.scan(keeperV1, wrong)[0]; r.Code != stations.CodeWrongPickupCode {
		t.Fatalf("wrong code: %+v", r)
	}
	noCode := sc("SF0001", stations.PickedUp, "V1")
	if r := f.scan(keeperV1, noCode)[0]; r.Code != stations.CodeWrongPickupCode {
		t.Fatalf("no code: %+v", r)
	}
	right := sc("SF0001", stations.PickedUp, "V1")
	right.PickupCode = arrival.PickupCode[4:] // the number alone will do
	f.mustAccept(keeperV1, right)

	p, err := f.c.Parcel(f.ctx, opsAdmin, "SF", "SF0001")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range p.Events {
		kinds = append(kinds, e.Kind)
	}
	want := []string{"hub_inbound", "sorted", "loaded", "station_arrival", "picked_up"}
	if !slices.Equal(kinds, want) || p.State != stations.PickedUp {
		t.Fatalf("timeline %v (state %s), want %v", kinds, p.State, want)
	}
	if p.Events[3].By != "keeper:V1" || p.Events[2].By != "carrier:SF" || p.Events[3].PickupCode != arrival.PickupCode {
		t.Errorf("by or code: %+v, %+v", p.Events[3], p.Events[2])
	}
	if n := f.count(`SELECT count(*) FROM outbox WHERE subject LIKE 'tongpei.parcel.SF.%'`); n != len(want) {
		t.Errorf("outbox holds %d parcel events, want one per accepted scan: %d", n, len(want))
	}
	if n := f.count(`SELECT count(*) FROM outbox WHERE subject = 'tongpei.notify.V1.notified' AND payload->'recipient'->>'phone' = '13812345678'`); n != 1 {
		t.Errorf("%d notifications with the recipient's phone, want 1", n)
	}
}

func TestUpParcelLife(t *testing.T) {
	t.Parallel()
	f := newCustody(t)
	order := stations.Parcel{Carrier: "YTO", Direction: stations.Up, Sender: &stations.Person{Name: "张三", Phone: "13900001111"},
		WeightG: 5000, Category: stations.FarmProduce, Destination: &stations.Destination{Province: "广东", City: "广州"}}
	res, err := f.c.Register(f.ctx, keeperV1, []stations.Parcel{order})
	if err != nil || res[0].Status != stations.StatusCreated {
		t.Fatalf("order: %v %+v", err, res)
	}
	tn := res[0].TrackingNo
	up := func(kind, station string) stations.Scan { s := sc(tn, kind, station); s.Carrier = "YTO"; return s }
	f.mustAccept(keeperV1, up(stations.Accepted, "V1"), up(stations.Loaded, "V1"))
	f.mustAccept(hubKeeper, up(stations.HubInbound, "HUB"))
	r := f.scan(hubKeeper, up(stations.PickedUp, "HUB"))[0]
	if r.Code != stations.CodeTransition || r.State != stations.HubInbound {
		t.Fatalf("picked_up of an up parcel: %+v", r)
	}
	f.mustAccept(carrierYT, up(stations.HandedToCarrier, "HUB"))
	// The merchant path: the sender is the merchant of the token.
	byMerchant := order
	byMerchant.Sender, byMerchant.Station = nil, "V2"
	res, err = f.c.Register(f.ctx, farmCo, []stations.Parcel{byMerchant})
	if err != nil || res[0].Status != stations.StatusCreated {
		t.Fatalf("merchant order: %v %+v", err, res)
	}
}

func TestScanRefusals(t *testing.T) {
	t.Parallel()
	f := newCustody(t)
	f.register(downParcel("SF", "SF001", "V1", "13800000001"), downParcel("YTO", "YT001", "V1", "13800000002"),
		downParcel("SF", "TWIN", "V1", "13800000003"), downParcel("YTO", "TWIN", "V2", "13800000004"))
	applied := sc("SF001", stations.HubInbound, "HUB")
	f.mustAccept(opsAdmin, applied)
	reused := applied
	reused.Note = "other content"
	future := sc("SF001", stations.Sorted, "HUB")
	future.At = time.Now().Add(time.Hour)
	ancient := sc("SF001", stations.Sorted, "HUB")
	ancient.At = time.Now().AddDate(0, 0, -3)
	noID := sc("SF001", stations.Sorted, "HUB")
	noID.ID = uuid.Nil
	badKind := sc("SF001", "teleported", "HUB")
	twin := sc("TWIN", stations.HubInbound, "HUB")
	twin.Carrier = ""
	cases := []struct {
		name   string
		who    auth.Principal
		scan   stations.Scan
		status string
		code   string
	}{
		{"resend", opsAdmin, applied, stations.StatusDuplicate, ""},
		{"same id, other content", opsAdmin, reused, stations.StatusRejected, stations.CodeIDReused},
		{"unknown parcel", opsAdmin, sc("NOPE", stations.HubInbound, "HUB"), stations.StatusRejected, stations.CodeUnknownParcel},
		{"transition", opsAdmin, sc("SF001", stations.Loaded, "HUB"), stations.StatusRejected, stations.CodeTransition},
		{"sorted away from the hub", opsAdmin, sc("SF001", stations.Sorted, "V1"), stations.StatusRejected, stations.CodeWrongStation},
		{"unknown station", opsAdmin, sc("SF001", stations.Sorted, "X9"), stations.StatusRejected, stations.CodeUnknownStation},
		{"clock ahead", opsAdmin, future, stations.StatusRejected, stations.CodeImplausibleTime},
		{"before the parcel", opsAdmin, ancient, stations.StatusRejected, stations.CodeImplausibleTime},
		{"no id", opsAdmin, noID, stations.StatusRejected, stations.CodeInvalid},
		{"bad kind", opsAdmin, badKind, stations.StatusRejected, stations.CodeInvalid},
		{"keeper elsewhere", keeperV1, sc("SF001", stations.Sorted, "HUB"), stations.StatusRejected, stations.CodeForbiddenStation},
		{"carrier, other's parcel", carrierSF, func() stations.Scan { s := sc("YT001", stations.HubInbound, "HUB"); s.Carrier = ""; return s }(), stations.StatusRejected, stations.CodeForbiddenCarrier},
		{"carrier names another", carrierSF, func() stations.Scan { s := sc("YT001", stations.HubInbound, "HUB"); s.Carrier = "YTO"; return s }(), stations.StatusRejected, stations.CodeForbiddenCarrier},
		{"hub keeper, other's parcel by number", hubKeeper, twin, stations.StatusRejected, stations.CodeAmbiguousParcel},
		{"fine", hubKeeper, sc("SF001", stations.Sorted, "HUB"), stations.StatusAccepted, ""},
	}
	for _, c := range cases {
		r := f.scan(c.who, c.scan)[0]
		if r.Status != c.status || r.Code != c.code {
			t.Errorf("%s: %s %s (%s), want %s %s", c.name, r.Status, r.Code, r.Detail, c.status, c.code)
		}
		if r.Status == stations.StatusRejected && r.Detail == "" {
			t.Errorf("%s: a refusal without a reason", c.name)
		}
	}
	if r := f.scan(opsAdmin, sc("SF001", stations.Loaded, "V2"))[0]; r.Code != stations.CodeWrongStation {
		t.Errorf("loaded at a village: %+v", r)
	}
	// One batch: the bad scans do not block the good ones, and a parcel's
	// scans apply in order.
	res := f.scan(opsAdmin, sc("SF001", stations.Loaded, "HUB"), sc("NOPE", stations.Sorted, "HUB"),
		sc("SF001", stations.StationArrival, "V1"), sc("SF001", stations.StationArrival, "V1"))
	got := []string{res[0].Status, res[1].Code, res[2].Status, res[3].Code}
	want := []string{stations.StatusAccepted, stations.CodeUnknownParcel, stations.StatusAccepted, stations.CodeTransition}
	if !slices.Equal(got, want) {
		t.Errorf("batch: %v, want %v", got, want)
	}
	if _, err := f.c.Scan(f.ctx, farmCo, []stations.Scan{sc("SF001", stations.Sorted, "HUB")}); !errs.Is(err, errs.Forbidden) {
		t.Errorf("merchant scanning: %v, want forbidden", err)
	}
	if _, err := f.c.Scan(f.ctx, opsAdmin, make([]stations.Scan, stations.MaxScans+1)); !errs.Is(err, errs.Invalid) {
		t.Errorf("oversized batch: %v, want invalid", err)
	}
}
