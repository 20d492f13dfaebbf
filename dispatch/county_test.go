package dispatch

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/dispatch/geo"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

// testCounty is the demonstration county in a database of its own: its
// stations and carriers written straight into the registry's tables (the
// registry's API is not what these tests are about), the joint fleet made
// through this package's own functions.
type testCounty struct {
	store *Service
	pool  *pgxpool.Pool
}

func newTestCounty(t testing.TB) *testCounty {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.Pool(t)
	for _, s := range DemoCounty() {
		var parent any
		if s.Parent != "" {
			parent = s.Parent
		}
		if _, err := pool.Exec(ctx, `INSERT INTO stations (code, name, tier, parent, township, lon, lat, keeper_name, keeper_phone)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, s.Code, s.Name, s.Tier, parent, s.Township, s.Lon, s.Lat, s.KeeperName, s.KeeperPhone); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range DemoCarriers {
		if _, err := pool.Exec(ctx, `INSERT INTO carriers (code, name, kind) VALUES ($1, $2, 'express')`, c.Code, c.Name); err != nil {
			t.Fatal(err)
		}
	}
	tc := &testCounty{store: NewService(pool), pool: pool}
	tc.fleet(t)
	return tc
}

// fleet is the joint fleet of the demonstration, loaded twice to show
// that loading is idempotent.
func (tc *testCounty) fleet(t testing.TB) {
	t.Helper()
	for range 2 {
		if err := tc.store.LoadDemoFleet(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// loadDay writes a generated day straight into custody's parcels table, in
// the states a morning finds them: down parcels at the hub, up parcels
// accepted at their stations.
func (tc *testCounty) loadDay(t testing.TB, day []DemoParcel) {
	t.Helper()
	rows := make([][]any, len(day))
	for i, p := range day {
		state := "hub_inbound"
		if p.Direction == "up" {
			state = "accepted"
		} else if i%3 == 0 {
			state = "sorted"
		}
		rows[i] = []any{p.Carrier, p.TrackingNo, p.Direction, p.Station, state, p.WeightG,
			p.SizeCM["l"], p.SizeCM["w"], p.SizeCM["h"], p.Category}
	}
	_, err := tc.pool.CopyFrom(context.Background(), pgx.Identifier{"parcels"},
		[]string{"carrier", "tracking_no", "direction", "station", "state", "weight_g", "size_l", "size_w", "size_h", "category"},
		pgx.CopyFromRows(rows))
	if err != nil {
		t.Fatal(err)
	}
}

var testDate = time.Date(2026, 12, 1, 0, 0, 0, 0, County)

func must(t testing.TB, f func() error) {
	t.Helper()
	if err := f(); err != nil {
		t.Fatal(err)
	}
}

// NetworkOptionsForTest snaps stations to the star network's end points.
func NetworkOptionsForTest() geo.NetworkOptions { return geo.NetworkOptions{MaxSnapM: 500} }
