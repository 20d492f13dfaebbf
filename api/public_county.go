package api

import (
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/tenant"
)

// publicCounty lets a reader of the public pages pick the county they
// show (issue 18): ?county=530428 reads that county's public prices,
// certified firms and notices; without it they show the install's own
// county. A code that is not six digits is refused (422), one the
// province has not registered is not found (404).
func (s *Server) publicCounty(c *gin.Context) {
	county, ok := c.GetQuery("county")
	if !ok || c.Request.Method != "GET" { // the public pages, not signing in
		c.Next()
		return
	}
	if err := tenant.Check(county); err != nil {
		fail(c, err)
		return
	}
	if s.d.Counties == nil {
		if county != tenant.Default() {
			fail(c, errs.E(errs.NotFound, "county %s is not served here", county))
			return
		}
	} else {
		codes, err := s.d.Counties.Codes(c.Request.Context())
		if err != nil {
			fail(c, err)
			return
		}
		if !slices.Contains(codes, county) {
			fail(c, errs.E(errs.NotFound, "county %s is not served here; GET /v1/counties lists those that are", county))
			return
		}
	}
	c.Request = c.Request.WithContext(tenant.With(c.Request.Context(), county))
	c.Next()
}
