package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/stations"
)

// newDispatchAPI is newTestAPI with the dispatch store wired in, and the pool
// for tests that set up parcels directly.
func newDispatchAPI(t testing.TB) (*testAPI, *pgxpool.Pool) {
	t.Helper()
	pool := pgtest.Pool(t)
	store := dispatch.NewService(pool)
	plans := dispatch.NewPlanQueue(store, 2)
	if err := plans.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(plans.Stop)
	deps := api.Deps{
		Tokens:   auth.NewStore(pool),
		Registry: stations.NewRegistry(pool),
		Custody:  stations.NewCustody(pool),
		Dispatch: store,
		Plans:    plans,
		Ready:    func(ctx context.Context) error { return pool.Ping(ctx) },
	}
	a := &testAPI{t: t, handler: api.New(deps), deps: deps}
	a.admin = a.token(auth.Admin, "")
	return a, pool
}

func TestFleetAdmin(t *testing.T) {
	t.Parallel()
	a, _ := newDispatchAPI(t)
	expect(t, a.do("POST", "/v1/fleet/operators", a.admin, map[string]any{"code": "xpjd", "name": "新平县共同配送有限公司", "phone": "0877-7011234"}), http.StatusCreated)
	expect(t, a.do("POST", "/v1/fleet/operators", a.admin, map[string]any{"code": "xpjd", "name": "again"}), http.StatusConflict)
	expect(t, a.do("POST", "/v1/fleet/operators", a.admin, map[string]any{"code": "Bad Code", "name": "x"}), http.StatusUnprocessableEntity)

	van := map[string]any{"code": "minivan", "name": "五菱微型面包车", "capacity_kg": 1000, "capacity_l": 5000,
		"capacity_parcels": 300, "fixed_cost_fen": 25000, "cost_per_km_fen": 120, "cost_per_hour_fen": 3000,
		"shift": map[string]string{"start": "07:00", "end": "19:00"}}
	expect(t, a.do("POST", "/v1/fleet/vehicle-types", a.admin, van), http.StatusCreated)
	van["code"], van["shift"] = "late", map[string]string{"start": "19:00", "end": "07:00"}
	w := a.do("POST", "/v1/fleet/vehicle-types", a.admin, van)
	expect(t, w, http.StatusUnprocessableEntity)

	expect(t, a.do("POST", "/v1/fleet/vehicles", a.admin, map[string]any{"plate": "云F12345", "type": "minivan", "operator": "xpjd"}), http.StatusCreated)
	expect(t, a.do("POST", "/v1/fleet/vehicles", a.admin, map[string]any{"plate": "云F99999", "type": "truck", "operator": "xpjd"}), http.StatusUnprocessableEntity)
	list := decodeBody[struct{ Items []dispatch.Vehicle }](t, a.do("GET", "/v1/fleet/vehicles", a.admin, nil))
	if len(list.Items) != 1 || !list.Items[0].Active {
		t.Fatalf("vehicles = %+v", list.Items)
	}
	expect(t, a.do("DELETE", "/v1/fleet/vehicles/云F12345", a.admin, nil), http.StatusNoContent)
	expect(t, a.do("DELETE", "/v1/fleet/vehicles/云F00000", a.admin, nil), http.StatusNotFound)
	types := decodeBody[struct{ Items []dispatch.VehicleType }](t, a.do("GET", "/v1/fleet/vehicle-types", a.admin, nil))
	if len(types.Items) != 1 || types.Items[0].Shift.End != "19:00" {
		t.Fatalf("types = %+v", types.Items)
	}
	expect(t, a.do("GET", "/v1/fleet/operators", a.admin, nil), http.StatusOK)

	keeper := a.token(auth.Carrier, "sf")
	expect(t, a.do("GET", "/v1/fleet/vehicles", keeper, nil), http.StatusForbidden)
}
