package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tongpei/tongpei/internal/auth"
)

const smallVROOM = `{"vehicles":[{"id":1,"start":[101.989,24.069],"end":[101.989,24.069],"capacity":[100]}],
 "jobs":[{"id":10,"location":[101.93,24.13],"delivery":[30]},{"id":11,"location":[101.78,24.10],"pickup":[20]},
         {"id":12,"location":[102.12,24.20],"delivery":[10],"pickup":[5]}]}`

func TestOptimizeSolvesVROOMProblems(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t)
	w := a.do("POST", "/v1/optimize?time_limit=300ms", a.admin, smallVROOM)
	expect(t, w, http.StatusOK)
	out := decodeBody[struct {
		Code    int `json:"code"`
		Summary struct {
			Cost     int64 `json:"cost"`
			Distance int64 `json:"distance"`
		} `json:"summary"`
		Routes []struct {
			Steps    []map[string]any `json:"steps"`
			Geometry map[string]any   `json:"geometry"`
		} `json:"routes"`
	}](t, w)
	if out.Code != 0 || len(out.Routes) != 1 || len(out.Routes[0].Steps) != 5 || out.Summary.Distance <= 0 {
		t.Fatalf("unexpected answer: %s", w.Body.String())
	}
	if out.Routes[0].Geometry["type"] != "LineString" {
		t.Errorf("route geometry is not a GeoJSON LineString: %v", out.Routes[0].Geometry)
	}
}

func TestOptimizeRefusesBadProblems(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t)
	var many strings.Builder
	many.WriteString(`{"vehicles":[{"id":1,"start":[101.9,24.0]}],"jobs":[`)
	for i := 0; i < 2001; i++ {
		if i > 0 {
			many.WriteString(",")
		}
		many.WriteString(`{"id":` + itoa(int64(i)) + `,"location":[101.9,24.1]}`)
	}
	many.WriteString("]}")
	for name, body := range map[string]string{
		"malformed":      `{"vehicles":[`,
		"no location":    `{"vehicles":[{"id":1,"start":[1,1]}],"jobs":[{"id":1}]}`,
		"over 2000 jobs": many.String(),
	} {
		w := a.do("POST", "/v1/optimize?time_limit=100ms", a.admin, body)
		if w.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d: %.300s", name, w.Code, w.Body.String())
		}
	}
	expect(t, a.do("POST", "/v1/optimize?time_limit=forever", a.admin, smallVROOM), http.StatusUnprocessableEntity)
	keeper := a.token(auth.Keeper, "XP-V-0001")
	expect(t, a.do("POST", "/v1/optimize", keeper, smallVROOM), http.StatusForbidden)
}
