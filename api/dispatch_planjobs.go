package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

func (s *Server) planJobRoutes(g *gin.RouterGroup) {
	a := g.Group("/dispatch/plan-jobs", allow(auth.Admin))
	a.GET("", s.listPlanJobs)
	a.GET("/:id", s.getPlanJob)
	a.GET("/:id/events", s.planJobEvents)
	a.DELETE("/:id", s.cancelPlanJob)
	g.GET("/dispatch/day-board", allow(auth.Admin), s.getDayBoard)
	s.dayProgressRoutes(g.Group("", allow(auth.Admin)))
}

// getDayBoard is the morning's board of ?date= (default: today in the county).
func (s *Server) getDayBoard(c *gin.Context) {
	date := c.DefaultQuery("date", time.Now().In(dispatch.County).Format(time.DateOnly))
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		fail(c, invalidField("date", "must be YYYY-MM-DD"))
		return
	}
	b, err := s.d.Dispatch.DayBoard(c.Request.Context(), s.d.Plans, date)
	reply(c, http.StatusOK, b, err)
}

func planJobURL(id int64) string { return "/v1/dispatch/plan-jobs/" + strconv.FormatInt(id, 10) }

// createPlan queues the request and answers 202 at once with where to
// follow it; the solve runs in the background whether or not the client
// stays.
func (s *Server) createPlan(c *gin.Context) {
	var req planRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	limit, err := req.timeLimit()
	if err != nil {
		fail(c, err)
		return
	}
	p := principal(c)
	job, err := s.d.Plans.Submit(c.Request.Context(), dispatch.PlanRequest{
		ServiceDate: req.ServiceDate, TimeLimit: limit, Seed: req.Seed, RequestedBy: p.Name,
		MaxTrips: req.MaxTrips, ReloadTime: time.Duration(req.ReloadMinutes) * time.Minute, ByWave: req.ByWave,
		PlanModel: req.PlanModel})
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", planJobURL(job.ID))
	c.JSON(http.StatusAccepted, job)
}

func (s *Server) listPlanJobs(c *gin.Context) {
	date := c.Query("date")
	if date != "" {
		if _, err := time.Parse(time.DateOnly, date); err != nil {
			fail(c, invalidField("date", "must be YYYY-MM-DD"))
			return
		}
	}
	out, err := s.d.Plans.Jobs(c.Request.Context(), date)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(out, ""))
}

func planJobID(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errs.E(errs.NotFound, "plan job %q does not exist", c.Param("id")))
		return 0, false
	}
	return id, true
}

func (s *Server) getPlanJob(c *gin.Context) {
	id, ok := planJobID(c)
	if !ok {
		return
	}
	job, err := s.d.Plans.Job(c.Request.Context(), id)
	reply(c, http.StatusOK, job, err)
}

// cancelPlanJob stops a queued or running job; it answers the job as it
// ended (cancelled), or 409 when it had already finished.
func (s *Server) cancelPlanJob(c *gin.Context) {
	id, ok := planJobID(c)
	if !ok {
		return
	}
	job, err := s.d.Plans.Cancel(c.Request.Context(), id)
	reply(c, http.StatusOK, job, err)
}

// sseTick is how often a watcher hears a running job even without an
// improvement, so that the bar and the time left move.
const sseTick = time.Second

// planJobEvents pushes the job as server-sent events ("job", data: the
// job's JSON) whenever it changes and about once a second while it runs,
// and ends the stream after the job finishes. A browser's EventSource
// reconnects on its own; the page closes it at the last event.
func (s *Server) planJobEvents(c *gin.Context) {
	id, ok := planJobID(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	job, err := s.d.Plans.Job(ctx, id)
	if err != nil {
		fail(c, err)
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	c.Status(http.StatusOK)
	for {
		changed := s.d.Plans.Changed()
		b, _ := json.Marshal(job)
		if _, err := fmt.Fprintf(c.Writer, "event: job\nid: %d\ndata: %s\n\n", time.Now().UnixMilli(), b); err != nil {
			return
		}
		c.Writer.Flush()
		if job.Finished() {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-changed:
			// many improvements come in a burst; let them gather
			select {
			case <-ctx.Done():
				return
			case <-time.After(200 * time.Millisecond):
			}
		case <-time.After(sseTick):
		}
		if job, err = s.d.Plans.Job(ctx, id); err != nil {
			return
		}
	}
}
