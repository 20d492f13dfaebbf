package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/dispatch/vrp"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

// Solves share two cores with everything else; more than two at once only
// makes each worse, so later requests wait their turn.
var solveSlots = make(chan struct{}, 2)

const (
	defaultSolveTime = 5 * time.Second
	maxSolveTime     = 120 * time.Second
)

func (s *Server) optimizeRoutes(g *gin.RouterGroup) {
	g.POST("/optimize", allow(auth.Admin), s.optimize)
}

// optimize takes a problem in VROOM's JSON format and answers in VROOM's
// output format, so a county already on VROOM switches by changing a URL.
func (s *Server) optimize(c *gin.Context) {
	opt, err := solveOptions(c)
	if err != nil {
		fail(c, err)
		return
	}
	body, err := readBody(c, maxBody)
	if err == nil {
		err = checkJSON(body, 0)
	}
	if err != nil {
		fail(c, err)
		return
	}
	select {
	case solveSlots <- struct{}{}:
		defer func() { <-solveSlots }()
	case <-c.Request.Context().Done():
		fail(c, errs.E(errs.Unavailable, "the request ended while waiting for a free optimiser"))
		return
	}
	out, err := dispatch.SolveVROOM(c.Request.Context(), body, opt)
	reply(c, http.StatusOK, out, err)
}

// solveOptions reads time_limit (a Go duration such as 5s), seed and threads
// from the query.
func solveOptions(c *gin.Context) (vrp.Options, error) {
	opt := vrp.Options{TimeLimit: defaultSolveTime, Seed: 1, Threads: 1}
	var f errs.Fields
	if v := c.Query("time_limit"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 || d > maxSolveTime {
			f.Add("time_limit", "must be a duration from 1ms to %v, such as 5s, not %q", maxSolveTime, v)
		}
		opt.TimeLimit = d
	}
	if v := c.Query("seed"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			f.Add("seed", "must be an integer, not %q", v)
		}
		opt.Seed = n
	}
	if v := c.Query("threads"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 8 {
			f.Add("threads", "must be an integer from 1 to 8, not %q", v)
		}
		opt.Threads = n
	}
	return opt, f.Err()
}
