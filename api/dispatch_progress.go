package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/errs"
)

func (s *Server) dayProgressRoutes(g *gin.RouterGroup) {
	g.GET("/dispatch/plans/:id/progress", s.getDayProgress)
	g.GET("/dispatch/plans/:id/progress/events", s.dayProgressEvents)
}

func progressPlanID(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errs.E(errs.NotFound, "plan %q does not exist", c.Param("id")))
		return 0, false
	}
	return id, true
}

func (s *Server) getDayProgress(c *gin.Context) {
	id, ok := progressPlanID(c)
	if !ok {
		return
	}
	p, err := s.d.Dispatch.DayProgress(c.Request.Context(), id, time.Now())
	reply(c, http.StatusOK, p, err)
}

// progressTick is how often the server looks at the scans for a watcher.
const progressTick = 2 * time.Second

// dayProgressEvents pushes the day's progress as server-sent events
// ("progress") whenever a scan changed it, until the client goes.
func (s *Server) dayProgressEvents(c *gin.Context) {
	id, ok := progressPlanID(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	p, err := s.d.Dispatch.DayProgress(ctx, id, time.Now())
	if err != nil {
		fail(c, err)
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	c.Status(http.StatusOK)
	var last []byte
	for {
		p.At = time.Time{} // the instant changes every tick; the content is what counts
		b, _ := json.Marshal(p)
		if !bytes.Equal(b, last) {
			if _, err := fmt.Fprintf(c.Writer, "event: progress\ndata: %s\n\n", b); err != nil {
				return
			}
			c.Writer.Flush()
			last = b
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(progressTick):
		}
		if p, err = s.d.Dispatch.DayProgress(ctx, id, time.Now()); err != nil {
			return
		}
	}
}
