package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/stations"
)

// TestPoisonScanIsRejectedAloneAndTheRestApplied is the batch that used to
// answer 500 for ever: one scan with a NUL (or bad UTF-8) in a text field
// among good ones.
func TestPoisonScanIsRejectedAloneAndTheRestApplied(t *testing.T) {
	t.Parallel()
	a := newCustodyAPI(t)
	expect(t, a.do("POST", "/v1/parcels", a.sf, downJSON("SF400001", "V1", "13812345678")), http.StatusCreated)
	expect(t, a.do("POST", "/v1/parcels", a.sf, downJSON("SF400002", "V1", "13812345678")), http.StatusCreated)
	good1, good2 := scanJSON("SF400001", "hub_inbound", "HUB"), scanJSON("SF400002", "hub_inbound", "HUB")
	for _, field := range []string{"tracking_no", "station", "carrier", "note", "pickup_code", "kind"} {
		poison := scanJSON("SF400001", "sorted", "HUB")
		poison[field] = "SF\u0000" + field
		w := a.do("POST", "/v1/scans", a.admin, map[string]any{"scans": []any{good1, poison, good2}})
		expect(t, w, http.StatusOK)
		r := decodeBody[scanResults](t, w).Results
		if r[1].Status != "rejected" || r[1].Code != stations.CodeInvalid || !strings.Contains(r[1].Detail, field) {
			t.Fatalf("poison in %s: %+v", field, r[1])
		}
		if r[0].Status == "rejected" || r[2].Status == "rejected" {
			t.Fatalf("good scans beside poison in %s: %+v", field, r)
		}
		// Resending gets the same answers, never a 500.
		expect(t, a.do("POST", "/v1/scans", a.admin, map[string]any{"scans": []any{good1, poison, good2}}), http.StatusOK)
	}
	for _, tn := range []string{"SF400001", "SF400002"} {
		if p := decodeBody[stations.Parcel](t, a.do("GET", "/v1/parcels/SF/"+tn, a.admin, nil)); p.State != "hub_inbound" {
			t.Errorf("%s is %s, want hub_inbound", tn, p.State)
		}
	}

	// Invalid UTF-8 inside one scan of a batch is refused alone too.
	ok := scanJSON("SF400002", "sorted", "HUB")
	bad := strings.Replace(mustJSON(t, scanJSON("SF400001", "sorted", "HUB")), `"HUB"`, "\"H\xffB\"", 1)
	w := a.do("POST", "/v1/scans", a.admin, `{"scans": [`+bad+`,`+mustJSON(t, ok)+`]}`)
	expect(t, w, http.StatusOK)
	if r := decodeBody[scanResults](t, w).Results; r[0].Code != stations.CodeInvalid || r[1].Status != "accepted" {
		t.Fatalf("bad UTF-8 in a batch: %+v", r)
	}
	// A single poisoned scan is a 422 naming the field.
	one := scanJSON("SF400001", "sorted", "HUB")
	one["tracking_no"] = "SF\u0000"
	expectField(t, a.do("POST", "/v1/scans", a.admin, one), "tracking_no")
	// The envelope itself may not name "scans" twice.
	expectField(t, a.do("POST", "/v1/scans", a.admin, `{"scans": [`+mustJSON(t, ok)+`], "scans": []}`), "scans")
}

// TestTextEverywhereIsChecked sends NUL and invalid UTF-8 in bodies, queries
// and paths of other routes: each is a 422 naming the field, never a 500.
func TestTextEverywhereIsChecked(t *testing.T) {
	t.Parallel()
	a, pool := newDispatchAPI(t)
	a.pool = pool
	for _, tc := range []struct {
		method, path, body, field string
	}{
		{"POST", "/v1/fleet/operators", `{"code":"op1","name":"bad\u0000name"}`, "name"},
		{"POST", "/v1/fleet/operators", `{"code":"op1","name":"ok","phone":"0877\u0000"}`, "phone"},
		{"POST", "/v1/fleet/operators", "{\"code\":\"op1\",\"name\":\"bad\xffname\"}", "name"},
		{"POST", "/v1/fleet/operators", `{"code":"op1","name":"a","NAME":"b"}`, "NAME"},
		{"POST", "/v1/fleet/operators", `{"code":"op1","name":"a","n\u0061me":"b"}`, "name"},
		{"POST", "/v1/fleet/vehicle-types", `{"code":"van","name":"x\u0000"}`, "name"},
		{"POST", "/v1/fleet/vehicles", `{"plate":"云F12345","type":"van\u0000","operator":"op1"}`, "type"},
		{"POST", "/v1/fleet/vehicles", `{"plate":"云F12345","type":"van","operator":"op\u00001"}`, "operator"},
		{"POST", "/v1/stations", `{"code":"XP-V-1","name":"a","na\u0000me":"b"}`, "body"},
		{"POST", "/v1/tokens", `{"role":"admin","name":"a","name":"b"}`, "name"},
		{"GET", "/v1/stations?township=%FF", "", "township"},
		{"GET", "/v1/stations?township=%00", "", "township"},
		{"GET", "/v1/stations?tier=%zz", "", "query"},
		{"GET", "/v1/stations/XP%00", "", "code"},
		{"GET", "/v1/carriers/%FF", "", "code"},
	} {
		var body any
		if tc.body != "" {
			body = tc.body
		}
		w := a.do(tc.method, tc.path, a.admin, body)
		if w.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s %s %q: %d %s", tc.method, tc.path, tc.body, w.Code, w.Body.String())
			continue
		}
		expectField(t, w, tc.field)
	}
	if n := a.count("fleet_operators"); n != 0 {
		t.Errorf("refused requests stored %d operators", n)
	}
}

// TestStrictRequests: bodies must be JSON, flags must be true or false.
func TestStrictRequests(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t)
	op := `{"code":"XP-V-0499","name":"测试村"}`
	w := a.do("POST", "/v1/stations", a.admin, op, "Content-Type", "text/plain")
	expect(t, w, http.StatusUnsupportedMediaType)
	if p := decodeBody[api.Problem](t, w); p.Code != "unsupported_media_type" {
		t.Errorf("415 problem %+v", p)
	}
	expect(t, a.do("POST", "/v1/stations", a.admin, op, "Content-Type", "application/x-www-form-urlencoded"), http.StatusUnsupportedMediaType)
	w = a.do("PUT", "/v1/stations", a.admin, op)
	expect(t, w, http.StatusMethodNotAllowed)
	if p := decodeBody[api.Problem](t, w); p.Code != "method_not_allowed" || p.Status != http.StatusMethodNotAllowed {
		t.Errorf("405 problem %+v", p)
	}
	for _, q := range []string{"active=0", "active=1", "active=t", "active=FALSE", "active=yes"} {
		expectField(t, a.do("GET", "/v1/stations?"+q, a.admin, nil), "active")
		expectField(t, a.do("GET", "/v1/carriers?"+q, a.admin, nil), "active")
		expectField(t, a.do("GET", "/v1/merchants?"+q, a.admin, nil), "active")
	}
	expect(t, a.do("GET", "/v1/stations?active=false", a.admin, nil), http.StatusOK)
	expect(t, a.do("GET", "/v1/stations?active=true", a.admin, nil), http.StatusOK)
}

// TestDatabaseDownIs503WithRetryAfter: with PostgreSQL unreachable every
// route that needs it answers 503 unavailable and says when to retry.
func TestDatabaseDownIs503WithRetryAfter(t *testing.T) {
	t.Parallel()
	up := newTestAPI(t)
	secret := up.token(auth.Admin, "")
	// A pool to a port where nothing listens: what a stopped server looks like.
	down, err := pgxpool.New(context.Background(), "postgres://postgres@127.0.0.1:1/tongpei?sslmode=disable&connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(down.Close)
	deps := api.Deps{Tokens: auth.NewStore(down), Registry: stations.NewRegistry(down), Custody: stations.NewCustody(down)}
	a := &testAPI{t: t, handler: api.New(deps), deps: deps}
	for _, r := range [][2]string{{"GET", "/v1/stations"}, {"GET", "/v1/me"}, {"POST", "/v1/scans"}} {
		var body any
		if r[0] == "POST" {
			body = scanJSON("SF1", "hub_inbound", "HUB")
		}
		w := a.do(r[0], r[1], secret, body)
		expect(t, w, http.StatusServiceUnavailable)
		if w.Header().Get("Retry-After") == "" {
			t.Errorf("%s %s: 503 without Retry-After", r[0], r[1])
		}
		if p := decodeBody[api.Problem](t, w); p.Code != "unavailable" {
			t.Errorf("%s %s: problem %+v", r[0], r[1], p)
		}
	}
}

// TestRestartedDatabaseIs503 kills the server side of every connection the
// API holds, as a PostgreSQL restart does, and asks again at once.
func TestRestartedDatabaseIs503(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t)
	expect(t, a.do("GET", "/v1/stations", a.admin, nil), http.StatusOK)
	_, err := a.pool.Exec(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if w := a.do("GET", "/v1/stations", a.admin, nil); w.Code != http.StatusOK && w.Code != http.StatusServiceUnavailable {
			t.Fatalf("after a restart: %d %s", w.Code, w.Body.String())
		}
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestMalformedJSONEndsTheWalk: bodies the decoder refuses midway once made
// the text check loop for ever (found by TestFuzzEveryRoute).
func TestMalformedJSONEndsTheWalk(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"a":[1,}`, `[1 2]`, `{"a" 1}`, `{"a":{"b":tru}}`, `[[[[`, `{"scans":[{"id":1,]}`, `{,}`} {
		done := make(chan error, 1)
		go func() { done <- api.CheckJSONForTest([]byte(body)) }()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("checking %s does not end", body)
		}
	}
}
