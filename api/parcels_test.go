package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/stations"
)

// custodyAPI is the test harness's API with custody wired in, over a county
// of hub HUB, villages V1 and V2, carriers SF and YTO, merchant M00001.
type custodyAPI struct {
	*testAPI
	pool                         *pgxpool.Pool
	sf, yto, v1, v2, hub, farmCo string // tokens
}

func newCustodyAPI(t *testing.T) *custodyAPI {
	t.Helper()
	pool := pgtest.Pool(t)
	_, err := pool.Exec(context.Background(), `
		INSERT INTO stations (code, name, tier, parent, township, lon, lat) VALUES
		    ('HUB', 'County hub', 'county_hub', NULL, '', 101.98, 24.06),
		    ('T1', 'Township 1', 'township', 'HUB', 'T1', 101.80, 23.88),
		    ('V1', 'Village 1', 'village', 'T1', 'T1', 101.82, 23.90),
		    ('V2', 'Village 2', 'village', 'T1', 'T1', 101.83, 23.91);
		INSERT INTO carriers (code, name, kind) VALUES ('SF', 'SF Express', 'express'), ('YTO', 'YTO Express', 'express');
		INSERT INTO merchants (id, name, credit_code) VALUES ('M00001', 'Farm co', '91530427MA6K000001');`)
	if err != nil {
		t.Fatal(err)
	}
	deps := api.Deps{Tokens: auth.NewStore(pool), Registry: stations.NewRegistry(pool), Custody: stations.NewCustody(pool),
		Ready: func(ctx context.Context) error { return pool.Ping(ctx) }}
	a := &custodyAPI{testAPI: &testAPI{t: t, handler: api.New(deps), deps: deps}, pool: pool}
	a.admin = a.token(auth.Admin, "")
	a.sf, a.yto = a.token(auth.Carrier, "SF"), a.token(auth.Carrier, "YTO")
	a.v1, a.v2, a.hub = a.token(auth.Keeper, "V1"), a.token(auth.Keeper, "V2"), a.token(auth.Keeper, "HUB")
	a.farmCo = a.token(auth.Merchant, "M00001")
	return a
}

func downJSON(tn, station, phone string) map[string]any {
	return map[string]any{"tracking_no": tn, "direction": "down", "station": station,
		"recipient": map[string]any{"name": "王芳", "phone": phone}, "weight_g": 800, "size_cm": map[string]any{"l": 20, "w": 15, "h": 10}}
}

func scanJSON(tn, kind, station string) map[string]any {
	return map[string]any{"id": uuid.NewString(), "carrier": "SF", "tracking_no": tn, "kind": kind, "station": station,
		"at": time.Now().UTC().Format(time.RFC3339Nano)}
}

type scanResults struct {
	Results []stations.Result `json:"results"`
}

func TestRegisterAndReadParcels(t *testing.T) {
	t.Parallel()
	a := newCustodyAPI(t)
	w := a.do("POST", "/v1/parcels", a.sf, downJSON("SF100001", "V1", "13812345678"))
	expect(t, w, http.StatusCreated)
	p := decodeBody[stations.Parcel](t, w)
	if p.Carrier != "SF" || p.State != stations.Registered || p.Recipient.Phone != "138****5678" {
		t.Errorf("a carrier's new parcel: %+v %+v", p, p.Recipient)
	}
	expect(t, a.do("POST", "/v1/parcels", a.sf, downJSON("SF100001", "V1", "13812345678")), http.StatusConflict)
	expect(t, a.do("POST", "/v1/parcels", a.sf, map[string]any{"direction": "down", "weight_g": -1}), http.StatusUnprocessableEntity)
	bad := downJSON("SF100002", "V1", "13812345678")
	bad["carrier"] = "YTO"
	expect(t, a.do("POST", "/v1/parcels", a.sf, bad), http.StatusForbidden)

	batch := map[string]any{"parcels": []any{downJSON("SF100002", "V1", "13900001111"), downJSON("SF100001", "V1", "1"), downJSON("SF100003", "X9", "13900002222")}}
	w = a.do("POST", "/v1/parcels", a.sf, batch)
	expect(t, w, http.StatusOK)
	res := decodeBody[struct{ Results []stations.RegisterResult }](t, w).Results
	if len(res) != 3 || res[0].Status != "created" || res[1].Code != "invalid" || res[2].Code != "unknown_station" {
		t.Errorf("batch results: %+v", res)
	}

	// Masking and scope on the read.
	for _, c := range []struct {
		token  string
		status int
		phone  string
	}{
		{a.admin, 200, "13812345678"}, {a.v1, 200, "13812345678"}, {a.sf, 200, "138****5678"},
		{a.hub, 200, "138****5678"}, {a.v2, 404, ""}, {a.yto, 403, ""}, {a.farmCo, 404, ""},
	} {
		w := a.do("GET", "/v1/parcels/SF/SF100001", c.token, nil)
		expect(t, w, c.status)
		if c.status == 200 {
			if got := decodeBody[stations.Parcel](t, w); got.Recipient.Phone != c.phone || got.Events == nil || len(got.Events) != 0 {
				t.Errorf("phone %q, events %v; want %q, []", got.Recipient.Phone, got.Events, c.phone)
			}
		}
	}
	expect(t, a.do("GET", "/v1/parcels/SF/NOPE0000", a.admin, nil), http.StatusNotFound)

	// An up order made by a keeper gets an order number.
	order := map[string]any{"direction": "up", "carrier": "YTO", "sender": map[string]any{"merchant_id": "M00001"},
		"category": "farm_produce", "weight_g": 3000, "destination": map[string]any{"province": "广东", "city": "深圳"}}
	w = a.do("POST", "/v1/parcels", a.v1, order)
	expect(t, w, http.StatusCreated)
	if up := decodeBody[stations.Parcel](t, w); up.Station != "V1" || up.TrackingNo == "" {
		t.Errorf("up order: %+v", up)
	}
	expect(t, a.do("GET", "/v1/parcels/YTO/"+decodeBody[stations.Parcel](t, w).TrackingNo, a.farmCo, nil), http.StatusOK)
}

func TestShelf(t *testing.T) {
	t.Parallel()
	a := newCustodyAPI(t)
	for i, phone := range []string{"13800005678", "13900005678", "13700001234"} {
		tn := "SF20000" + string(rune('1'+i))
		expect(t, a.do("POST", "/v1/parcels", a.sf, downJSON(tn, "V1", phone)), http.StatusCreated)
		scans := []any{scanJSON(tn, "hub_inbound", "HUB"), scanJSON(tn, "sorted", "HUB"), scanJSON(tn, "loaded", "HUB"), scanJSON(tn, "station_arrival", "V1")}
		w := a.do("POST", "/v1/scans", a.admin, map[string]any{"scans": scans})
		expect(t, w, http.StatusOK)
	}
	// The first parcel has waited five days.
	if _, err := a.pool.Exec(context.Background(), `UPDATE parcels SET arrived_at = now() - interval '5 days' WHERE tracking_no = 'SF200001'`); err != nil {
		t.Fatal(err)
	}
	type shelf struct {
		Items []stations.ShelfItem `json:"items"`
		Next  string               `json:"next"`
	}
	w := a.do("GET", "/v1/stations/V1/parcels?state=waiting&limit=2", a.v1, nil)
	expect(t, w, http.StatusOK)
	page := decodeBody[shelf](t, w)
	if len(page.Items) != 2 || page.Next == "" || page.Items[0].TrackingNo != "SF200001" || !page.Items[0].Overdue || page.Items[1].Overdue {
		t.Fatalf("first page: %+v", page)
	}
	if page.Items[0].WaitedS < 5*86400-60 || page.Items[0].PickupCode == "" || page.Items[0].Recipient.Phone != "13800005678" {
		t.Errorf("first item: %+v", page.Items[0])
	}
	w = a.do("GET", "/v1/stations/V1/parcels?limit=2&cursor="+page.Next, a.v1, nil)
	if rest := decodeBody[shelf](t, w); len(rest.Items) != 1 || rest.Next != "" {
		t.Errorf("second page: %+v", rest)
	}
	w = a.do("GET", "/v1/stations/V1/parcels?overdue_days=6", a.admin, nil)
	if all := decodeBody[shelf](t, w); len(all.Items) != 3 || all.Items[0].Overdue {
		t.Errorf("overdue_days=6: %+v", all)
	}
	w = a.do("GET", "/v1/stations/V1/parcels?phone_last4=5678", a.v1, nil)
	if found := decodeBody[shelf](t, w); len(found.Items) != 2 {
		t.Errorf("phone_last4=5678 found %d, want 2", len(found.Items))
	}
	w = a.do("GET", "/v1/stations/V1/parcels", a.sf, nil)
	if mine := decodeBody[shelf](t, w); len(mine.Items) != 3 || mine.Items[0].Recipient.Phone != "138****5678" {
		t.Errorf("carrier's view: %+v", mine)
	}
	expect(t, a.do("GET", "/v1/stations/V1/parcels", a.v2, nil), http.StatusForbidden)
	expect(t, a.do("GET", "/v1/stations/V1/parcels", a.farmCo, nil), http.StatusForbidden)
	expect(t, a.do("GET", "/v1/stations/V1/parcels?phone_last4=56", a.v1, nil), http.StatusUnprocessableEntity)
	expect(t, a.do("GET", "/v1/stations/V1/parcels?state=lost", a.v1, nil), http.StatusUnprocessableEntity)
	expect(t, a.do("GET", "/v1/stations/V1/parcels?cursor=zzz", a.v1, nil), http.StatusUnprocessableEntity)
	expect(t, a.do("GET", "/v1/stations/NOPE/parcels", a.admin, nil), http.StatusNotFound)
}
