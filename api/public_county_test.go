package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tongpei/tongpei/internal/tenant"
)

// A public reader picks the county with ?county= (issue 18): the install's
// own without it, another registered county's own rows with it, 422 for a
// code that is not six digits, 404 for one not registered; never a 5xx.
func TestPublicPagesPickTheCounty(t *testing.T) {
	t.Parallel()
	a := newMatrixAPI(t)
	const other = "530428"
	if tenant.Default() == other {
		t.Skip("TONGPEI_COUNTY is the test's second county")
	}
	if _, err := a.deps.Counties.Add(context.Background(), other, "B"); err != nil {
		t.Fatal(err)
	}
	const firms = "/v1/pricing/certified-firms"
	home := a.do("GET", firms, "", nil)
	if home.Code != 200 || !strings.Contains(home.Body.String(), "新平褚橙合作社") {
		t.Fatalf("the install's county: %d %.200s", home.Code, home.Body.String())
	}
	if same := a.do("GET", firms+"?county="+tenant.Default(), "", nil); same.Code != 200 || same.Body.String() != home.Body.String() {
		t.Fatalf("?county=<own>: %d %.200s", same.Code, same.Body.String())
	}
	if b := a.do("GET", firms+"?county="+other, "", nil); b.Code >= 500 || strings.Contains(b.Body.String(), "新平褚橙合作社") {
		t.Fatalf("county B shows A's firms: %d %.200s", b.Code, b.Body.String())
	}
	for _, c := range []struct {
		query string
		want  int
	}{{"12", 422}, {"53042x", 422}, {"", 422}, {"530499", 404}} {
		for _, path := range []string{firms, "/v1/pricing/board", "/v1/pricing/zones", "/v1/public/reward-notices"} {
			if w := a.do("GET", path+"?county="+c.query, "", nil); w.Code != c.want {
				t.Errorf("%s?county=%s: %d, want %d: %.200s", path, c.query, w.Code, c.want, w.Body.String())
			}
		}
	}
}
