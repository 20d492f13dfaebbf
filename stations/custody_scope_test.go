package stations_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/stations"
)

// TestKeeperScansOnlyParcelsOnItsPath is the hole the outside campaign
// found: the keeper of V1 marking a parcel on V2's shelf as a problem. Every
// kind of scan of another station's parcel, in every state, is refused as
// if the parcel did not exist, and changes nothing.
func TestKeeperScansOnlyParcelsOnItsPath(t *testing.T) {
	t.Parallel()
	f := newCustody(t)
	f.register(downParcel("SF", "SF-OWN", "V1", "13800000001"), downParcel("SF", "SF-SHELF2", "V2", "13800000002"),
		downParcel("SF", "SF-LOADED2", "V2", "13800000003"), downParcel("SF", "SF-NEW2", "V2", "13800000004"))
	f.toShelf("SF-OWN", "V1")
	f.toShelf("SF-SHELF2", "V2")
	f.mustAccept(opsAdmin, sc("SF-LOADED2", stations.HubInbound, "HUB"), sc("SF-LOADED2", stations.Sorted, "HUB"),
		sc("SF-LOADED2", stations.Loaded, "HUB"))
	res, err := f.c.Register(f.ctx, keeperV2, []stations.Parcel{{Carrier: "YTO", Direction: stations.Up, WeightG: 900,
		Sender: &stations.Person{Name: "李四", Phone: "13955556666"}, Destination: &stations.Destination{Province: "上海"}}})
	if err != nil || res[0].Status != stations.StatusCreated {
		t.Fatal(err, res)
	}
	upFromV2 := res[0].TrackingNo
	events := func() int { return f.count(`SELECT count(*) FROM parcel_events`) }
	before := events()

	// The answer for a parcel that does not exist, per kind and carrier form.
	nothing := func(kind, carrier string) stations.Result {
		s := sc("SF-NO-SUCH", kind, "V1")
		s.Carrier = carrier
		return f.scan(keeperV1, s)[0]
	}
	for _, tn := range []string{"SF-SHELF2", "SF-LOADED2", "SF-NEW2", upFromV2} {
		for _, kind := range stations.ScanKinds {
			for _, carrier := range []string{"SF", "YTO", ""} {
				for _, station := range []string{"V1", ""} { // its own station, or left for the token to fill
					s := sc(tn, kind, station)
					s.Carrier = carrier
					got := f.scan(keeperV1, s)[0]
					want := nothing(kind, carrier)
					want.ID = got.ID
					if got.Status != stations.StatusRejected || got.Code != stations.CodeUnknownParcel ||
						got.Detail != "no parcel "+tn+" is registered; check the number or register the parcel first" &&
							got.Detail != "carrier "+carrier+" has no parcel "+tn+"; check the number or register the parcel first" {
						t.Errorf("keeper of V1, %s of %s (carrier %q): %+v", kind, tn, carrier, got)
					}
					if want.Code != got.Code || len(want.Detail)-len("SF-NO-SUCH") != len(got.Detail)-len(tn) {
						t.Errorf("%s of %s answers %+v, a missing parcel %+v", kind, tn, got, want)
					}
				}
			}
		}
	}
	if n := events(); n != before {
		t.Fatalf("refused scans wrote %d events", n-before)
	}
	p, err := f.c.Parcel(f.ctx, opsAdmin, "SF", "SF-SHELF2")
	if err != nil || p.State != stations.StationArrival {
		t.Fatalf("V2's shelf parcel after V1's attempts: %v %s", err, p.State)
	}

	// What the keepers may do: V1 its own parcel, the township the parcels of
	// its villages, the hub any parcel.
	f.mustAccept(keeperV1, sc("SF-OWN", stations.Problem, "V1"))
	keeperT1 := auth.Principal{Role: auth.Keeper, Scope: "T1"}
	f.mustAccept(keeperT1, sc("SF-LOADED2", stations.Problem, "T1"))
	f.mustAccept(hubKeeper, sc("SF-NEW2", stations.HubInbound, "HUB"))
	f.mustAccept(keeperV2, sc("SF-SHELF2", stations.Problem, "V2"))
}

// TestPoisonCarrierEventsAreInvalid: a carrier's NATS event holding text
// PostgreSQL cannot store is refused as invalid (dead-lettered), never an
// error the consumer would retry for ever.
func TestPoisonCarrierEventsAreInvalid(t *testing.T) {
	t.Parallel()
	f := newCustody(t)
	for _, payload := range []string{
		`{"at":"2026-06-01T08:00:00Z","station":"HUB\u0000","tracking_nos":["SF1"]}`,
		`{"at":"2026-06-01T08:00:00Z","tracking_nos":["SF\u00001"]}`,
		`{"at":"2026-06-01T08:00:00Z","tracking_nos":["` + strings.Repeat("9", 5000) + `"]}`,
	} {
		err := f.c.ApplyCarrierEvent(f.ctx, "SF", uuid.New(), stations.CarrierCollected, json.RawMessage(payload))
		if !errs.Is(err, errs.Invalid) {
			t.Errorf("collected %.60s: %v, want invalid", payload, err)
		}
	}
	manifest := `{"at":"2026-06-01T08:00:00Z","parcels":[{"tracking_no":"SF77001","direction":"down","station":"V1",
		"recipient":{"name":"王\u0000芳","phone":"13812345678"},"weight_g":800}]}`
	if err := f.c.ApplyCarrierEvent(f.ctx, "SF", uuid.New(), stations.CarrierManifest, json.RawMessage(manifest)); !errs.Is(err, errs.Invalid) {
		t.Errorf("manifest with a NUL: %v, want invalid", err)
	}
	if n := f.count(`SELECT count(*) FROM parcels`); n != 0 {
		t.Errorf("poison events registered %d parcels", n)
	}
}
