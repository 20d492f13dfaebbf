package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// stationRoutes are what the station app reads beyond the shelf.
func (s *Server) stationRoutes(g *gin.RouterGroup) {
	g.GET("/stations/:code/summary", s.custodyWired, s.stationSummary)
	s.qrRoutes(g)
	s.barcodeRoutes(g)
}

// stationSummary is the station's day: ?overdue_days (default 3).
func (s *Server) stationSummary(c *gin.Context) {
	days := 0
	if v := c.Query("overdue_days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 365 {
			fail(c, invalidField("overdue_days", "must be a whole number of days from 1 to 365, not "+strconv.Quote(v)))
			return
		}
		days = n
	}
	sum, err := s.d.Custody.DaySummary(c.Request.Context(), principal(c), c.Param("code"), days)
	reply(c, http.StatusOK, sum, err)
}
