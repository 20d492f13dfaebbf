package api_test

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tongpei/tongpei/api"
)

// TestOpenAPIListsEveryRoute fails when a /v1 route of the router is missing
// from /openapi.json, or the document lists a route the router lacks.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	t.Parallel()
	doc := openapiDoc(t)
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			switch method {
			case "get", "post", "put", "patch", "delete":
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	engine := api.New(api.Deps{}).(*gin.Engine)
	routed := map[string]bool{}
	param := regexp.MustCompile(`[:*]([A-Za-z_]+)`)
	for _, r := range engine.Routes() {
		if !strings.HasPrefix(r.Path, "/v1/") {
			continue
		}
		routed[r.Method+" "+param.ReplaceAllString(r.Path, "{$1}")] = true
	}
	var missing, extra []string
	for k := range routed {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !routed[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes missing from the OpenAPI document:\n  %s", strings.Join(missing, "\n  "))
	}
	if len(extra) > 0 {
		t.Errorf("OpenAPI lists routes the router does not have:\n  %s", strings.Join(extra, "\n  "))
	}
	if len(routed) == 0 {
		t.Fatal("the router has no /v1 routes")
	}
}

type openapiDocument struct {
	Paths map[string]map[string]json.RawMessage `json:"paths"`
	raw   []byte
}

var (
	docOnce   sync.Once
	docParsed openapiDocument
	docErr    error
	schemas   sync.Map // pointer -> *jsonschema.Schema
	compiler  *jsonschema.Compiler
	compileMu sync.Mutex
)

func openapiDoc(t testing.TB) openapiDocument {
	t.Helper()
	docOnce.Do(func() {
		var raw []byte
		raw, docErr = api.OpenAPI()
		if docErr != nil {
			return
		}
		docParsed.raw = raw
		if docErr = json.Unmarshal(raw, &docParsed); docErr != nil {
			return
		}
		var v any
		v, docErr = jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if docErr != nil {
			return
		}
		compiler = jsonschema.NewCompiler()
		docErr = compiler.AddResource("https://tongpei.dev/openapi.json", v)
	})
	if docErr != nil {
		t.Fatalf("openapi document: %v", docErr)
	}
	return docParsed
}

// validateResponse checks a /v1 response against the schema the document
// gives for its route, status and content type. An undocumented status or
// content type fails the test too.
func validateResponse(t testing.TB, req *http.Request, w *httptest.ResponseRecorder) {
	t.Helper()
	if !strings.HasPrefix(req.URL.Path, "/v1/") || w.Code == http.StatusMethodNotAllowed {
		return
	}
	doc := openapiDoc(t)
	tmpl := matchPath(doc, req.URL.Path)
	if tmpl == "" {
		if w.Code != http.StatusNotFound {
			t.Errorf("%s %s answered %d but is not in the OpenAPI document", req.Method, req.URL.Path, w.Code)
		}
		return
	}
	method := strings.ToLower(req.Method)
	if _, ok := doc.Paths[tmpl][method]; !ok {
		return
	}
	status := strconv.Itoa(w.Code)
	base := "/paths/" + escape(tmpl) + "/" + method + "/responses/"
	respPtr := base + status
	if !exists(doc.raw, respPtr) {
		if w.Code == 401 || w.Code == 429 || w.Code == 500 || w.Code == 503 { // every authenticated route may answer these (503, 429: admission, api/admission.go)
			return
		}
		t.Errorf("%s %s answered %d, which the OpenAPI document does not list: %s", req.Method, tmpl, w.Code, w.Body.String())
		return
	}
	respPtr = followRef(doc.raw, respPtr)
	ct, _, _ := mime.ParseMediaType(w.Header().Get("Content-Type"))
	if w.Body.Len() == 0 {
		return
	}
	schemaPtr := respPtr + "/content/" + escape(ct) + "/schema"
	if !exists(doc.raw, schemaPtr) {
		t.Errorf("%s %s answered %d as %s, which the OpenAPI document does not describe", req.Method, tmpl, w.Code, ct)
		return
	}
	if ct != "application/json" && !strings.HasSuffix(ct, "+json") {
		return // an image, a page or a file (CSV, XLSX): its schema describes no JSON
	}
	sch := compile(t, schemaPtr)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Errorf("%s %s: response is not JSON: %v", req.Method, tmpl, err)
		return
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s %s %d: response does not match its schema: %v\nbody: %s", req.Method, tmpl, w.Code, err, w.Body.String())
	}
}

func compile(t testing.TB, ptr string) *jsonschema.Schema {
	if s, ok := schemas.Load(ptr); ok {
		return s.(*jsonschema.Schema)
	}
	compileMu.Lock()
	defer compileMu.Unlock()
	s, err := compiler.Compile("https://tongpei.dev/openapi.json#" + ptr)
	if err != nil {
		t.Fatalf("openapi schema at %s does not compile: %v", ptr, err)
	}
	schemas.Store(ptr, s)
	return s
}

func matchPath(doc openapiDocument, path string) string {
	segs := strings.Split(path, "/")
	best := ""
	for tmpl := range doc.Paths {
		ts := strings.Split(tmpl, "/")
		if len(ts) != len(segs) {
			continue
		}
		ok := true
		for i := range ts {
			if !strings.HasPrefix(ts[i], "{") && ts[i] != segs[i] {
				ok = false
				break
			}
		}
		// Prefer the template with the most literal segments.
		if ok && (best == "" || strings.Count(tmpl, "{") < strings.Count(best, "{")) {
			best = tmpl
		}
	}
	return best
}

func escape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func lookup(raw []byte, ptr string) (any, bool) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, false
	}
	for _, p := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		p = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[p]; !ok {
			return nil, false
		}
	}
	return v, true
}

func exists(raw []byte, ptr string) bool {
	_, ok := lookup(raw, ptr)
	return ok
}

// followRef resolves a response object's $ref to components.
func followRef(raw []byte, ptr string) string {
	v, _ := lookup(raw, ptr)
	if m, ok := v.(map[string]any); ok {
		if ref, ok := m["$ref"].(string); ok {
			return strings.TrimPrefix(ref, "#")
		}
	}
	return ptr
}
