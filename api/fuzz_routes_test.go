package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestFuzzEveryRoute sends every operation of /openapi.json requests made
// from its own schemas and then mutated as a hostile or broken client
// would: NUL and invalid UTF-8 in any string, huge numbers, wrong types,
// duplicate members, cut or empty bodies, non-JSON media types, poisoned
// queries and paths. No answer may be a 5xx, and a refused request (4xx)
// may change nothing in the database. It is seeded and bounded so that CI
// runs it in seconds: TONGPEI_FUZZ_SEED and TONGPEI_FUZZ_N (mutations per
// operation, default 12) widen it by hand.
func TestFuzzEveryRoute(t *testing.T) {
	t.Parallel()
	seed, n := envInt("TONGPEI_FUZZ_SEED", 1), envInt("TONGPEI_FUZZ_N", 12)
	a := newMatrixAPI(t)
	doc := openapiDoc(t)
	var spec map[string]any
	if err := json.Unmarshal(doc.raw, &spec); err != nil {
		t.Fatal(err)
	}
	concrete := map[string]string{} // template → a path that names real records
	valid := map[string]any{}       // template → a body the matrix sends, valid for the admin
	for _, r := range authzMatrix(a) {
		tmpl := matchPath(doc, strings.SplitN(r.path, "?", 2)[0])
		key := strings.ToLower(r.method) + " " + tmpl
		concrete[key] = strings.SplitN(r.path, "?", 2)[0]
		switch b := r.body.(type) {
		case func() any:
			valid[key] = b
		case func(string) any:
			valid[key] = func() any { return b("admin") }
		case nil:
		default:
			valid[key] = b
		}
	}
	callers := []string{"admin", "admin", "keeperA", "carrierX", "merchantM"}
	fp := newFingerprint(t, a)
	// The fingerprint must see a write, or its silence below proves nothing.
	before := fp.take()
	expect(t, a.do("POST", "/v1/fleet/operators", a.admin, map[string]string{"code": "fpcheck", "name": "指纹检查"}), http.StatusCreated)
	if fp.take() == before {
		t.Fatal("the database fingerprint does not see a new row")
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x7f4a7c15))
	g := &gen{spec: spec, rng: rng}
	start := time.Now()
	sent, refused := 0, 0
	ops := sortedOps(doc)
	for _, key := range ops {
		method, tmpl, _ := strings.Cut(key, " ")
		if method == "delete" && (tmpl == "/v1/session" || tmpl == "/v1/tokens/{id}") {
			continue // would end the fuzzer's own sign-in; covered by the matrix
		}
		var op map[string]any
		_ = json.Unmarshal(doc.Paths[tmpl][method], &op)
		path := concrete[key]
		if path == "" {
			path = tmpl
		}
		for i := 0; i < n; i++ {
			var base any // half the mutations start from a valid body, to reach the domain
			if v, ok := valid[key]; ok && i%2 == 1 {
				base = copyJSON(v)
			}
			req := g.request(strings.ToUpper(method), path, op, i, base)
			before := fp.take()
			w := httptest.NewRecorder()
			caller := callers[i%len(callers)]
			a.handler.ServeHTTP(w, req.http(a.tokens[caller]))
			req.what += " as " + caller
			sent++
			if w.Code >= 500 {
				t.Errorf("%s %s (%s): %d %s", req.method, req.target, req.what, w.Code, w.Body.String())
				continue
			}
			if w.Code >= 400 {
				refused++
				if after := fp.take(); after != before {
					t.Errorf("%s %s (%s) was refused %d but changed the database:\n  %s", req.method, req.target, req.what, w.Code, fp.diff(before, after))
				}
			}
		}
	}
	t.Logf("seed %d: %d requests over %d operations, %d refused, in %v", seed, sent, len(ops), refused, time.Since(start).Round(time.Millisecond))
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func sortedOps(doc openapiDocument) []string {
	var keys []string
	for path, ops := range doc.Paths {
		for m := range ops {
			switch m {
			case "get", "post", "put", "patch", "delete":
				keys = append(keys, m+" "+path)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// fuzzRequest is one generated request, with what was done to it.
type fuzzRequest struct {
	method, target, what, contentType string
	body                              []byte
}

func (r fuzzRequest) http(token string) *http.Request {
	var body *bytes.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	} else {
		body = bytes.NewReader(nil)
	}
	req := httptest.NewRequest(r.method, "/", body)
	req.URL.Path, req.URL.RawPath = "", ""
	req.RequestURI = r.target
	u, _ := req.URL.Parse(r.target)
	if u != nil {
		req.URL = u
	} else { // a target net/url refuses is sent as raw as it came
		req.URL.Path, req.URL.RawQuery = strings.SplitN(r.target, "?", 2)[0], ""
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("X-Tongpei-Csrf", "1")
	return req
}

// fingerprint sums, per table, the row count and a hash of every row: a
// cheap, order-free picture of the database to compare around a request.
type fingerprint struct {
	t     *testing.T
	a     *matrixAPI
	query string
}

func newFingerprint(t *testing.T, a *matrixAPI) *fingerprint {
	rows, err := a.pool.Query(context.Background(), `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fmt.Sprintf(`SELECT '%s' || ':' || count(*) || ':' || coalesce(sum(hashtext(x::text)::bigint), 0) FROM %q x`, name, name))
	}
	if rows.Err() != nil || len(parts) == 0 {
		t.Fatalf("no tables: %v", rows.Err())
	}
	return &fingerprint{t: t, a: a, query: `SELECT string_agg(f, ' ') FROM (` + strings.Join(parts, " UNION ALL ") + `) t(f)`}
}

func (f *fingerprint) take() string {
	var s string
	if err := f.a.pool.QueryRow(context.Background(), f.query).Scan(&s); err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *fingerprint) diff(before, after string) string {
	b, a := strings.Fields(before), strings.Fields(after)
	var out []string
	for i := range a {
		if i < len(b) && a[i] != b[i] {
			out = append(out, b[i]+" → "+a[i])
		}
	}
	return strings.Join(out, ", ")
}

// copyJSON is a deep copy of a body (made fresh when it is a maker), so
// that a mutation never changes the matrix's own.
func copyJSON(v any) any {
	if f, ok := v.(func() any); ok {
		v = f()
	}
	b, _ := json.Marshal(v)
	var out any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	_ = dec.Decode(&out)
	return out
}
