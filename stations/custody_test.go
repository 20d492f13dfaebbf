package stations_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/stations"
)

// TestPickupCodesUnique arrives 300 parcels at one station from three
// concurrent senders: every code is distinct, the database agrees, and a
// code frees up once its parcel is picked up.
func TestPickupCodesUnique(t *testing.T) {
	t.Parallel()
	f := newCustody(t)
	tns := f.downParcels("PC", 600)
	var v1 []string
	for i, tn := range tns {
		if i%2 == 0 {
			v1 = append(v1, tn)
		}
	}
	var ready []stations.Scan
	for _, kind := range []string{stations.HubInbound, stations.Sorted, stations.Loaded} {
		for _, tn := range v1 {
			ready = append(ready, sc(tn, kind, "HUB"))
		}
	}
	f.mustAccept(opsAdmin, ready[:900]...)
	var wg sync.WaitGroup
	codes := make([][]string, 3)
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var scans []stations.Scan
			for _, tn := range v1[g*100 : (g+1)*100] {
				s := sc(tn, stations.StationArrival, "V1")
				s.PickupCode = fmt.Sprintf("%d-2", g+1) // the keeper's shelf and layer
				scans = append(scans, s)
			}
			for lo := 0; lo < 100; lo += 25 {
				res, err := f.c.Scan(f.ctx, keeperV1, scans[lo:lo+25])
				if err != nil {
					t.Error(err)
					return
				}
				for _, r := range res {
					codes[g] = append(codes[g], r.PickupCode)
				}
			}
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for g, cs := range codes {
		for _, c := range cs {
			number := c[strings.LastIndexByte(c, '-')+1:]
			if !strings.HasPrefix(c, fmt.Sprintf("%d-2-", g+1)) || seen[number] {
				t.Fatalf("code %q: wrong shelf or number issued twice", c)
			}
			seen[number] = true
		}
	}
	if len(seen) != 300 || f.count(`SELECT count(DISTINCT pickup_code) FROM parcels WHERE state = 'station_arrival' AND station = 'V1'`) != 300 {
		t.Fatalf("%d distinct codes, want 300", len(seen))
	}
	_, err := f.pool.Exec(f.ctx, `UPDATE parcels SET pickup_code = (SELECT pickup_code FROM parcels WHERE tracking_no = $1)
		WHERE tracking_no = $2`, v1[0], v1[1])
	if err == nil {
		t.Error("the database accepted two waiting parcels with one pickup code")
	}
}

func TestAdminOverridesPickupCode(t *testing.T) {
	t.Parallel()
	f := newCustody(t)
	f.register(downParcel("SF", "SFOVR1", "V1", "13812345678"))
	f.toShelf("SFOVR1", "V1")
	noReason := sc("SFOVR1", stations.PickedUp, "V1")
	if r := f.scan(opsAdmin, noReason)[0]; r.Code != stations.CodeWrongPickupCode {
		t.Fatalf("override without a reason: %+v", r)
	}
	withReason := sc("SFOVR1", stations.PickedUp, "V1")
	withReason.Note = "recipient lost the SMS, ID card checked"
	f.mustAccept(opsAdmin, withReason)
	p, err := f.c.Parcel(f.ctx, opsAdmin, "SF", "SFOVR1")
	if err != nil {
		t.Fatal(err)
	}
	if last := p.Events[len(p.Events)-1]; !strings.Contains(last.Note, "overridden: recipient lost") || last.By != "admin:ops" {
		t.Errorf("the override is not recorded: %+v", last)
	}
}

func TestParcelReadScopeAndMasking(t *testing.T) {
	t.Parallel()
	f := newCustody(t)
	f.register(downParcel("SF", "SFMASK1", "V1", "13812345678"))
	for _, c := range []struct {
		name  string
		who   auth.Principal
		code  errs.Code
		phone string
	}{
		{"admin", opsAdmin, "", "13812345678"},
		{"own keeper", keeperV1, "", "13812345678"},
		{"hub keeper", hubKeeper, "", "138****5678"},
		{"carrier", carrierSF, "", "138****5678"},
		{"other keeper", keeperV2, errs.NotFound, ""},
		{"other carrier", carrierYT, errs.Forbidden, ""},
		{"merchant", farmCo, errs.NotFound, ""},
	} {
		p, err := f.c.Parcel(f.ctx, c.who, "SF", "SFMASK1")
		if errs.CodeOf(err) != c.code && !(err == nil && c.code == "") {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
			continue
		}
		if err == nil && p.Recipient.Phone != c.phone {
			t.Errorf("%s sees phone %q, want %q", c.name, p.Recipient.Phone, c.phone)
		}
	}
	if got := stations.MaskPhone("13812345678"); got != "138****5678" {
		t.Errorf("MaskPhone: %q", got)
	}
}

func TestCarrierEvents(t *testing.T) {
	t.Parallel()
	f := newCustody(t)
	manifest, _ := json.Marshal(stations.Manifest{At: time.Now().UTC(), Parcels: []stations.Parcel{
		downParcel("", "SFM0001", "V1", "13811112222"), downParcel("", "SFM0002", "V2", "13833334444")}})
	id := uuid.New()
	for range 2 { // a redelivery applies nothing more
		if err := f.c.ApplyCarrierEvent(f.ctx, "SF", id, stations.CarrierManifest, manifest); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.count(`SELECT count(*) FROM parcels WHERE state = 'hub_inbound' AND carrier = 'SF'`); n != 2 {
		t.Fatalf("%d parcels hub_inbound, want 2", n)
	}
	if n := f.count(`SELECT count(*) FROM outbox WHERE subject = 'tongpei.parcel.SF.hub_inbound'`); n != 2 {
		t.Errorf("outbox holds %d hub_inbound events, want 2", n)
	}
	// The same parcels in a second manifest: registered already, inbound already.
	if err := f.c.ApplyCarrierEvent(f.ctx, "SF", uuid.New(), stations.CarrierManifest, manifest); err != nil {
		t.Errorf("a manifest repeated under a new id: %v", err)
	}

	res, err := f.c.Register(f.ctx, keeperV1, []stations.Parcel{{Carrier: "YTO", Direction: stations.Up, WeightG: 900,
		Sender: &stations.Person{Name: "李四", Phone: "13955556666"}, Destination: &stations.Destination{Province: "上海"}}})
	if err != nil || res[0].Status != stations.StatusCreated {
		t.Fatal(err, res)
	}
	up := res[0].TrackingNo
	collected, _ := json.Marshal(stations.Collection{At: time.Now().UTC(), TrackingNos: []string{up}})
	if err := f.c.ApplyCarrierEvent(f.ctx, "YTO", uuid.New(), stations.CarrierCollected, collected); !errs.Is(err, errs.Invalid) {
		t.Errorf("collecting a parcel not yet at the hub: %v, want invalid", err)
	}
	for _, kind := range []string{stations.Accepted, stations.Loaded} {
		s := sc(up, kind, "V1")
		s.Carrier = "YTO"
		f.mustAccept(keeperV1, s)
	}
	s := sc(up, stations.HubInbound, "HUB")
	s.Carrier = "YTO"
	f.mustAccept(hubKeeper, s)
	if err := f.c.ApplyCarrierEvent(f.ctx, "SF", uuid.New(), stations.CarrierCollected, collected); !errs.Is(err, errs.Forbidden) {
		t.Errorf("SF collecting YTO's parcel: %v, want forbidden", err)
	}
	if err := f.c.ApplyCarrierEvent(f.ctx, "YTO", uuid.New(), stations.CarrierCollected, collected); err != nil {
		t.Errorf("YTO collecting its parcel: %v", err)
	}
	yto, _ := json.Marshal(stations.Manifest{At: time.Now().UTC(), Parcels: []stations.Parcel{downParcel("YTO", "YTM0001", "V1", "13811112222")}})
	if err := f.c.ApplyCarrierEvent(f.ctx, "SF", uuid.New(), stations.CarrierManifest, yto); !errs.Is(err, errs.Forbidden) {
		t.Errorf("SF's manifest with a YTO parcel: %v, want forbidden", err)
	}
	for _, bad := range []struct{ kind, payload string }{
		{stations.CarrierManifest, `{"at": "2026-01-01T00:00:00Z", "parcels": [{"tracking_no": "x"}]}`},
		{stations.CarrierManifest, `not json`},
		{stations.CarrierManifest, `{"at": "2026-01-01T00:00:00Z", "parcels": [], "extra": 1}`},
		{"lost", `{}`},
	} {
		if err := f.c.ApplyCarrierEvent(f.ctx, "SF", uuid.New(), bad.kind, json.RawMessage(bad.payload)); !errs.Is(err, errs.Invalid) {
			t.Errorf("%s %s: %v, want invalid", bad.kind, bad.payload, err)
		}
	}
}
