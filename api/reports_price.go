package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/pricing"
)

// getPriceReduction reports the realised reduction over charges from the
// start of `from` to the end of `to` (business days in Asia/Shanghai), or
// between two RFC 3339 instants.
func (s *Server) getPriceReduction(c *gin.Context) {
	from, err := reportBound(c, "from", false)
	if err != nil {
		fail(c, err)
		return
	}
	to, err := reportBound(c, "to", true)
	if err != nil {
		fail(c, err)
		return
	}
	r, err := s.d.Pricing.PriceReduction(c.Request.Context(), from, to)
	reply(c, http.StatusOK, r, err)
}

// reportBound reads a date (the day's start, or for an end the next day's
// start) or an exact RFC 3339 instant.
func reportBound(c *gin.Context, name string, end bool) (time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return time.Time{}, invalidField(name, "give a date (2026-06-01) or an RFC 3339 time")
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if len(v) != len(time.DateOnly) {
		return time.Time{}, invalidField(name, fmt.Sprintf("%q is not a date (2026-06-01) or an RFC 3339 time", v))
	}
	d, err := pricing.ParseDay(v)
	if err != nil {
		return time.Time{}, invalidField(name, err.Error())
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}
