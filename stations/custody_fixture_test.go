package stations_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/stations"
)

// The principals of the custody tests: a county with hub HUB, township T1
// and villages V1 and V2, carriers SF and YTO, merchant M00001.
var (
	opsAdmin  = auth.Principal{Role: auth.Admin, Name: "ops"}
	hubKeeper = auth.Principal{Role: auth.Keeper, Scope: "HUB"}
	keeperV1  = auth.Principal{Role: auth.Keeper, Scope: "V1"}
	keeperV2  = auth.Principal{Role: auth.Keeper, Scope: "V2"}
	carrierSF = auth.Principal{Role: auth.Carrier, Scope: "SF"}
	carrierYT = auth.Principal{Role: auth.Carrier, Scope: "YTO"}
	farmCo    = auth.Principal{Role: auth.Merchant, Scope: "M00001"}
)

// custodyFixture is a fresh database with the test county in it.
type custodyFixture struct {
	t    testing.TB
	ctx  context.Context
	pool *pgxpool.Pool
	c    *stations.Custody
}

// countySQL inserts the registry rows directly, so custody tests do not
// depend on the registry's API.
const countySQL = `
	INSERT INTO stations (code, name, tier, parent, township, lon, lat) VALUES
	    ('HUB', 'County hub', 'county_hub', NULL, '', 101.98, 24.06),
	    ('T1', 'Township 1', 'township', 'HUB', 'T1', 101.80, 23.88),
	    ('V1', 'Village 1', 'village', 'T1', 'T1', 101.82, 23.90),
	    ('V2', 'Village 2', 'village', 'T1', 'T1', 101.83, 23.91);
	INSERT INTO carriers (code, name, kind) VALUES ('SF', 'SF Express', 'express'), ('YTO', 'YTO Express', 'express');
	INSERT INTO merchants (id, name, credit_code) VALUES ('M00001', 'Farm co', '91530427MA6K000001');`

func newCustody(t testing.TB) *custodyFixture {
	t.Helper()
	pool := pgtest.Pool(t)
	if _, err := pool.Exec(context.Background(), countySQL); err != nil {
		t.Fatalf("county: %v", err)
	}
	return &custodyFixture{t: t, ctx: context.Background(), pool: pool, c: stations.NewCustody(pool)}
}

// downParcel is a down parcel of carrier for station.
func downParcel(carrier, trackingNo, station, phone string) stations.Parcel {
	return stations.Parcel{Carrier: carrier, TrackingNo: trackingNo, Direction: stations.Down, Station: station,
		Recipient: &stations.Person{Name: "王芳", Phone: phone}, WeightG: 1200, SizeCM: &stations.Size{L: 30, W: 20, H: 10}}
}

// register registers parcels as admin and fails the test unless all are new.
func (f *custodyFixture) register(ps ...stations.Parcel) {
	f.t.Helper()
	for len(ps) > 0 {
		n := min(len(ps), stations.MaxParcels)
		res, err := f.c.Register(f.ctx, opsAdmin, ps[:n])
		if err != nil {
			f.t.Fatalf("register: %v", err)
		}
		for _, r := range res {
			if r.Status != stations.StatusCreated {
				f.t.Fatalf("register %s: %s %s %s", r.TrackingNo, r.Status, r.Code, r.Detail)
			}
		}
		ps = ps[n:]
	}
}

// downParcels registers n SF parcels for V1 and V2 in turn, named prefix-i.
func (f *custodyFixture) downParcels(prefix string, n int) []string {
	f.t.Helper()
	ps := make([]stations.Parcel, n)
	tns := make([]string, n)
	for i := range ps {
		tns[i] = fmt.Sprintf("%s-%05d", prefix, i)
		ps[i] = downParcel("SF", tns[i], []string{"V1", "V2"}[i%2], fmt.Sprintf("138%08d", i))
	}
	f.register(ps...)
	return tns
}

// scan sends scans as who and fails the test on an error of the batch.
func (f *custodyFixture) scan(who auth.Principal, scans ...stations.Scan) []stations.Result {
	f.t.Helper()
	res, err := f.c.Scan(f.ctx, who, scans)
	if err != nil {
		f.t.Fatalf("scan: %v", err)
	}
	return res
}

// mustAccept sends scans and fails unless every one is accepted.
func (f *custodyFixture) mustAccept(who auth.Principal, scans ...stations.Scan) []stations.Result {
	f.t.Helper()
	res := f.scan(who, scans...)
	for i, r := range res {
		if r.Status != stations.StatusAccepted {
			f.t.Fatalf("scan %d (%s %s at %s): %s %s: %s", i, scans[i].TrackingNo, scans[i].Kind, scans[i].Station, r.Status, r.Code, r.Detail)
		}
	}
	return res
}

// count runs a count query.
func (f *custodyFixture) count(sql string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.pool.QueryRow(f.ctx, sql, args...).Scan(&n); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// sc is an SF scan made now.
func sc(trackingNo, kind, station string) stations.Scan {
	return stations.Scan{ID: uuid.New(), Carrier: "SF", TrackingNo: trackingNo, Kind: kind, Station: station,
		At: time.Now().UTC().Truncate(time.Millisecond)}
}

// toShelf walks a down parcel from the hub to its station's shelf and
// returns its pickup code.
func (f *custodyFixture) toShelf(trackingNo, station string) string {
	f.t.Helper()
	f.mustAccept(opsAdmin, sc(trackingNo, stations.HubInbound, "HUB"), sc(trackingNo, stations.Sorted, "HUB"),
		sc(trackingNo, stations.Loaded, "HUB"))
	res := f.mustAccept(opsAdmin, sc(trackingNo, stations.StationArrival, station))
	return res[0].PickupCode
}
