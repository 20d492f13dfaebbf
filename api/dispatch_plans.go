package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

func (s *Server) planRoutes(g *gin.RouterGroup) {
	a := g.Group("/dispatch/plans", allow(auth.Admin))
	a.POST("", s.createPlan)
	a.GET("", s.listPlans)
	a.GET("/:id", s.getPlan)
	a.GET("/:id/sheets/:route", s.routeSheet)
	a.POST("/:id/publish", s.publishPlan)
}

type planRequest struct {
	ServiceDate string          `json:"service_date"`
	TimeLimit   json.RawMessage `json:"time_limit"` // "30s", "2m", or a number of seconds
	Seed        int64           `json:"seed"`
	// MaxTrips and ReloadMinutes model the vans' day (absent: two runs,
	// 30 minutes at the hub between them).
	MaxTrips      int `json:"max_trips"`
	ReloadMinutes int `json:"reload_minutes"`
	// ByWave puts every overnight parcel on a morning run.
	ByWave bool `json:"by_wave"`
	// PlanModel is balance (off, longest, spread) and ev_range_km.
	dispatch.PlanModel
}

// timeLimit reads time_limit as a Go duration string or a number of
// seconds; absent means the default.
func (r planRequest) timeLimit() (time.Duration, error) {
	if len(r.TimeLimit) == 0 || string(r.TimeLimit) == "null" {
		return 0, nil
	}
	var secs float64
	if err := json.Unmarshal(r.TimeLimit, &secs); err == nil {
		return time.Duration(secs * float64(time.Second)), nil
	}
	var s string
	if err := json.Unmarshal(r.TimeLimit, &s); err == nil {
		if d, err := time.ParseDuration(s); err == nil {
			return d, nil
		}
	}
	return 0, invalidField("time_limit", "must be a duration such as \"30s\" or \"2m\", or a number of seconds, not "+string(r.TimeLimit))
}

func (s *Server) listPlans(c *gin.Context) {
	date := c.Query("date")
	if date != "" {
		if _, err := time.Parse(time.DateOnly, date); err != nil {
			fail(c, invalidField("date", "must be YYYY-MM-DD"))
			return
		}
	}
	out, err := s.d.Dispatch.Plans(c.Request.Context(), date)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(out, ""))
}

// planParam reads the plan named in the path; an id that is not a number
// names no plan.
func (s *Server) planParam(c *gin.Context) (*dispatch.Plan, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errs.E(errs.NotFound, "plan %q does not exist", c.Param("id")))
		return nil, false
	}
	plan, err := s.d.Dispatch.Plan(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return nil, false
	}
	return plan, true
}

// getPlan answers JSON, or GeoJSON for ?format=geojson or an Accept of
// application/geo+json.
func (s *Server) getPlan(c *gin.Context) {
	plan, ok := s.planParam(c)
	if !ok {
		return
	}
	if c.Query("format") == "geojson" || strings.Contains(c.GetHeader("Accept"), "application/geo+json") {
		b, err := plan.GeoJSON()
		if err != nil {
			fail(c, err)
			return
		}
		c.Data(http.StatusOK, "application/geo+json", b)
		return
	}
	c.JSON(http.StatusOK, plan)
}

// routeSheet is the driver's printable sheet: plain text, or HTML for
// ?format=html or an Accept of text/html.
func (s *Server) routeSheet(c *gin.Context) {
	plan, ok := s.planParam(c)
	if !ok {
		return
	}
	n, err := strconv.Atoi(c.Param("route"))
	if err != nil {
		fail(c, errs.E(errs.NotFound, "route %q does not exist; routes are numbered from 1", c.Param("route")))
		return
	}
	var buf bytes.Buffer
	ct := "text/plain; charset=utf-8"
	if c.Query("format") == "html" || strings.Contains(c.GetHeader("Accept"), "text/html") {
		ct = "text/html; charset=utf-8"
		err = plan.WriteSheetHTML(&buf, n)
	} else {
		err = plan.WriteSheetText(&buf, n)
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.Data(http.StatusOK, ct, buf.Bytes())
}
