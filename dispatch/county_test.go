package dispatch

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/dispatch/geo"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/stations"
)

// testCounty is the demonstration county in a database of its own: its
// stations, carriers and firms loaded through the registry as
// `serve --demo` loads them, the joint fleet made through this package's
// own functions.
type testCounty struct {
	store *Service
	pool  *pgxpool.Pool
}

func newTestCounty(t testing.TB) *testCounty {
	t.Helper()
	pool := pgtest.Pool(t)
	if err := demo.LoadRegistry(context.Background(), stations.NewRegistry(pool)); err != nil {
		t.Fatal(err)
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
func (tc *testCounty) loadDay(t testing.TB, day []demo.Parcel) {
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
	_, err := pgtest.CopyFrom(t, context.Background(), tc.pool, pgx.Identifier{"parcels"},
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
