package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/goleak"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/stations"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// pgx pools close their background health checks asynchronously.
		goleak.IgnoreTopFunction("github.com/jackc/puddle/v2.(*Pool).backgroundHealthCheck"),
		goleak.IgnoreAnyFunction("github.com/jackc/pgx/v5/pgxpool.(*Pool).backgroundHealthCheck"),
	)
}

// testAPI is the real router over a fresh database of its own.
type testAPI struct {
	t       testing.TB
	handler http.Handler
	deps    api.Deps
	pool    *pgxpool.Pool // the test's own database, for loading fixtures
	admin   string        // an admin token
}

func newTestAPI(t testing.TB) *testAPI {
	t.Helper()
	pool := pgtest.Pool(t)
	deps := api.Deps{
		Tokens:   auth.NewStore(pool),
		Registry: stations.NewRegistry(pool),
		Ready:    func(ctx context.Context) error { return pool.Ping(ctx) },
	}
	a := &testAPI{t: t, handler: api.New(deps), deps: deps, pool: pool}
	a.admin = a.token(auth.Admin, "")
	return a
}

// token makes a token directly in the store (the scope must exist for API
// creation, not here).
func (a *testAPI) token(role auth.Role, scope string) string {
	a.t.Helper()
	secret, _, err := a.deps.Tokens.Create(context.Background(), role, scope, "test")
	if err != nil {
		a.t.Fatal(err)
	}
	return secret
}

// do sends a request; body may be nil, a string (sent as is) or a value
// (sent as JSON).
func (a *testAPI) do(method, path, token string, body any, header ...string) *httptest.ResponseRecorder {
	a.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewBufferString(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		r = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	a.handler.ServeHTTP(w, req)
	validateResponse(a.t, req, w)
	return w
}

// decodeBody unmarshals a response body, failing the test when it is not JSON.
func decodeBody[T any](t testing.TB, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("response is not JSON (%v): %s", err, w.Body.String())
	}
	return v
}

// expect fails the test when the status is not want, showing the body.
func expect(t testing.TB, w *httptest.ResponseRecorder, want int) {
	t.Helper()
	if w.Code != want {
		t.Fatalf("status %d, want %d: %s", w.Code, want, w.Body.String())
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
