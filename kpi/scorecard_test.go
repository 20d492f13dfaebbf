package kpi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/stations"
)

var ops = auth.Principal{Role: auth.Admin, Name: "ops"}

// scan applies scans as admin and fails unless every one is accepted.
func (f *fixture) scan(scans ...stations.Scan) {
	f.t.Helper()
	res, err := f.cust.Scan(f.ctx, ops, scans)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != stations.StatusAccepted {
			f.t.Fatalf("scan %+v", r)
		}
	}
}

func (f *fixture) register(ps ...stations.Parcel) {
	f.t.Helper()
	res, err := f.cust.Register(f.ctx, ops, ps)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != stations.StatusCreated {
			f.t.Fatalf("register %+v", r)
		}
	}
}

func TestScorecardFromCustody(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	now := time.Now().UTC().Truncate(time.Second)
	// SF, YTO and DB hand parcels in; ZTO does too but is not stationed;
	// TR's goods ride the joint fleet.
	for i, c := range []string{"SF", "SF", "YTO", "ZTO", "DB", "TR"} {
		tn := fmt.Sprintf("DN%04d", i)
		f.register(stations.Parcel{Carrier: c, TrackingNo: tn, Direction: stations.Down, Station: "V1", WeightG: 500,
			Recipient: &stations.Person{Name: "王芳", Phone: "13812345678"}})
		f.scan(stations.Scan{ID: uuid.New(), Carrier: c, TrackingNo: tn, Kind: stations.HubInbound, Station: "HUB", At: now})
		if c == "TR" {
			f.scan(stations.Scan{ID: uuid.New(), Carrier: c, TrackingNo: tn, Kind: stations.Sorted, Station: "HUB", At: now},
				stations.Scan{ID: uuid.New(), Carrier: c, TrackingNo: tn, Kind: stations.Loaded, Station: "HUB", At: now})
		}
	}
	// Two up parcels at V5 with declared values, one in a branded box.
	for i, pk := range []string{stations.BrandedBox, stations.PlainBox} {
		tn := fmt.Sprintf("UP%04d", i)
		f.register(stations.Parcel{Carrier: "SF", TrackingNo: tn, Direction: stations.Up, Station: "V5", WeightG: 3000,
			Sender: &stations.Person{MerchantID: "M00001"}, Category: stations.FarmProduce,
			Destination: &stations.Destination{Province: "云南"}, DeclaredValueFen: 12_345_00, Packaging: pk})
		f.scan(stations.Scan{ID: uuid.New(), Carrier: "SF", TrackingNo: tn, Kind: stations.Accepted, Station: "V5", At: now})
	}
	day := now.In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	sc, err := f.svc.Scorecard(f.ctx, day, day)
	if err != nil {
		t.Fatal(err)
	}
	// Independent SQL over the same period.
	var express, bulk, trade int
	err = f.pool.QueryRow(f.ctx, `
		WITH act AS (
		    SELECT c.code, c.kind, c.stationed_since,
		           bool_or(e.kind = 'hub_inbound' AND p.direction = 'down') AS handed, bool_or(e.kind = 'loaded') AS loaded
		    FROM carriers c JOIN parcels p ON p.carrier = c.code JOIN parcel_events e ON e.parcel_id = p.id
		    WHERE c.active AND (e.at AT TIME ZONE 'Asia/Shanghai')::date = $1::date GROUP BY 1, 2, 3)
		SELECT count(*) FILTER (WHERE kind = 'express' AND handed AND stationed_since <= $1::date),
		       count(*) FILTER (WHERE kind = 'bulk' AND handed AND stationed_since <= $1::date),
		       count(*) FILTER (WHERE kind = 'trade' AND loaded)
		FROM act`, day).Scan(&express, &bulk, &trade)
	if err != nil {
		t.Fatal(err)
	}
	h := sc.HubTenants
	if h.Express.Actual != express || h.Bulk.Actual != bulk || h.Trade.Actual != trade || express != 2 || bulk != 1 || trade != 1 {
		t.Fatalf("tenants %d/%d/%d, SQL %d/%d/%d, want 2/1/1", h.Express.Actual, h.Bulk.Actual, h.Trade.Actual, express, bulk, trade)
	}
	if h.Express.Met || h.Bulk.Met || h.Trade.Met {
		t.Fatalf("targets 6/3/3 are not met by 2/1/1: %+v", h)
	}
	var v5 int64
	for _, v := range sc.Volumes {
		if v.Station == "V5" {
			v5 = v.VolumeFen
			if len(v.BySource) != 1 || v.BySource[0].Source != "parcels" {
				t.Fatalf("V5 sources %+v", v.BySource)
			}
		}
	}
	if v5 != 24_690_00 {
		t.Fatalf("V5 volume %d, want the two declared values 2469000", v5)
	}
	if sc.BrandedBoxes.Boxes != 1 || sc.BrandedBoxes.SubsidyFen != 0 || len(sc.BrandedBoxes.Quarters) != 1 || sc.BrandedBoxes.Quarters[0].Name != "新平果业" {
		t.Fatalf("boxes %+v: one box, under the quarterly minimum", sc.BrandedBoxes)
	}
	var down, up int
	for _, fl := range sc.Flows {
		if fl.Direction == "up" && fl.Township == "戛洒镇" {
			up += int(fl.Parcels)
		}
		if fl.Direction == "down" {
			down += int(fl.Parcels)
		}
	}
	if up != 2 || down != 0 { // no down parcel reached its station yet
		t.Fatalf("flows %+v", sc.Flows)
	}
	if len(sc.StationsByTier) != 4 || sc.PriceReduction.TargetPct != 10 || sc.JointDeliverySaving.Days != 0 {
		t.Fatalf("scorecard %+v", sc)
	}
}
