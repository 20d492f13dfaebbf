package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

func (s *Server) jobRoutes(g *gin.RouterGroup) {
	j := g.Group("/dispatch/jobs", allow(auth.Admin, auth.Carrier))
	j.GET("", s.listJobs)
	j.POST("/:id/ack", s.ackJob)
}

func (s *Server) publishPlan(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errs.E(errs.NotFound, "plan %q does not exist", c.Param("id")))
		return
	}
	jobs, err := s.d.Dispatch.Publish(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(jobs, ""))
}

// listJobs shows an admin every job and a carrier only its own.
func (s *Server) listJobs(c *gin.Context) {
	pg, err := page(c)
	if err != nil {
		fail(c, err)
		return
	}
	f := dispatch.JobFilter{Limit: pg.Limit, Cursor: pg.Cursor}
	if p := principal(c); p.Role == auth.Carrier {
		f.Recipient = p.Scope
	}
	if f.Acked, err = boolQuery(c, "acked"); err != nil {
		fail(c, err)
		return
	}
	if v := c.Query("plan_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			fail(c, invalidField("plan_id", "must be a plan id"))
			return
		}
		f.PlanID = n
	}
	jobs, next, err := s.d.Dispatch.JobsPage(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(jobs, next))
}

// ackJob lets a carrier acknowledge one of its own jobs; another carrier's
// job is answered 404, as if it did not exist.
func (s *Server) ackJob(c *gin.Context) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		fail(c, errs.E(errs.NotFound, "job %q does not exist", c.Param("id")))
		return
	}
	p := principal(c)
	carrier, by := "", "admin:"+p.Name
	if p.Role == auth.Carrier {
		carrier, by = p.Scope, "carrier:"+p.Scope
	}
	job, err := s.d.Dispatch.Ack(c.Request.Context(), id, carrier, by)
	reply(c, http.StatusOK, job, err)
}
