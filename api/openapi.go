package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"sync"

	"github.com/gin-gonic/gin"
)

// The OpenAPI document is kept as one fragment per resource
// (openapi/<resource>.json, each with "paths" and "components") on top of
// openapi/base.json, and merged once at start; a test checks that it and
// the router list the same routes.
//
//go:embed openapi/*.json
var openapiFiles embed.FS

var (
	openapiOnce sync.Once
	openapiDoc  []byte
	openapiErr  error
)

// OpenAPI returns the merged OpenAPI 3.1 document.
func OpenAPI() ([]byte, error) {
	openapiOnce.Do(func() { openapiDoc, openapiErr = mergeOpenAPI(openapiFiles) })
	return openapiDoc, openapiErr
}

func (s *Server) openapi(c *gin.Context) {
	doc, err := OpenAPI()
	if err != nil {
		fail(c, err)
		return
	}
	c.Data(http.StatusOK, "application/json", doc)
}

func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	var doc map[string]any
	if err := readJSON(fsys, "openapi/base.json", &doc); err != nil {
		return nil, err
	}
	paths := map[string]any{}
	components, _ := doc["components"].(map[string]any)
	if components == nil {
		components = map[string]any{}
	}
	names, _ := fs.Glob(fsys, "openapi/*.json")
	sort.Strings(names)
	for _, name := range names {
		if name == "openapi/base.json" {
			continue
		}
		var frag struct {
			Paths      map[string]map[string]any `json:"paths"`
			Components map[string]map[string]any `json:"components"`
			// Tags a fragment brings of its own, beside base.json's.
			Tags []any `json:"tags"`
		}
		if err := readJSON(fsys, name, &frag); err != nil {
			return nil, err
		}
		if len(frag.Tags) > 0 {
			tags, _ := doc["tags"].([]any)
			doc["tags"] = append(tags, frag.Tags...)
		}
		for p, ops := range frag.Paths {
			merged, _ := paths[p].(map[string]any)
			if merged == nil {
				merged = map[string]any{}
			}
			for method, op := range ops {
				if _, dup := merged[method]; dup {
					return nil, fmt.Errorf("openapi: %s %s is described twice (second time in %s)", method, p, name)
				}
				merged[method] = op
			}
			paths[p] = merged
		}
		for kind, items := range frag.Components {
			section, _ := components[kind].(map[string]any)
			if section == nil {
				section = map[string]any{}
			}
			for k, v := range items {
				if _, dup := section[k]; dup {
					return nil, fmt.Errorf("openapi: components.%s.%s is defined twice (second time in %s)", kind, k, name)
				}
				section[k] = v
			}
			components[kind] = section
		}
	}
	addCommonResponses(paths)
	doc["paths"] = paths
	doc["components"] = components
	return json.MarshalIndent(doc, "", "  ")
}

func readJSON(fsys fs.FS, name string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("openapi: %s: %w", name, err)
	}
	return nil
}

// addCommonResponses lists on every operation the answers any route may
// give, so that no fragment must repeat them: 422 for a query or path that
// is not storable text (checkInput), 503 while PostgreSQL or NATS is out,
// and 415 for a body that is not JSON where the operation takes one.
func addCommonResponses(paths map[string]any) {
	problem := map[string]any{"$ref": "#/components/responses/Problem"}
	for _, ops := range paths {
		for _, op := range ops.(map[string]any) {
			o, ok := op.(map[string]any)
			if !ok {
				continue
			}
			responses, _ := o["responses"].(map[string]any)
			if responses == nil {
				responses = map[string]any{}
				o["responses"] = responses
			}
			common := []string{"422", "503"}
			if _, body := o["requestBody"]; body {
				common = append(common, "415")
			}
			for _, status := range common {
				if _, listed := responses[status]; !listed {
					responses[status] = problem
				}
			}
		}
	}
}
