package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/auth"
)

// costShareRoutes: who pays what of a published plan; a carrier sees its own.
func (s *Server) costShareRoutes(g *gin.RouterGroup) {
	g.GET("/dispatch/plans/:id/cost-shares", allow(auth.Admin, auth.Carrier), s.getCostShares)
}

// costSharesPending is the 202 answer: the progress of the background
// computation, marked pending so a client can tell it from a split.
type costSharesPending struct {
	*dispatch.ShareProgress
	Pending bool `json:"pending"`
}

func (s *Server) getCostShares(c *gin.Context) {
	plan, ok := s.planParam(c)
	if !ok {
		return
	}
	cs, progress, err := s.d.Dispatch.CostSharesNow(c.Request.Context(), plan.ID)
	if err != nil {
		fail(c, err)
		return
	}
	if cs == nil {
		// Still being computed in the background: where it stands, and
		// when to ask again.
		c.Header("Retry-After", "2")
		c.JSON(http.StatusAccepted, costSharesPending{ShareProgress: progress, Pending: true})
		return
	}
	if p := principal(c); p.Role == auth.Carrier {
		cs = cs.ForCarrier(p.Scope)
	}
	c.JSON(http.StatusOK, cs)
}
