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

func (s *Server) getCostShares(c *gin.Context) {
	plan, ok := s.planParam(c)
	if !ok {
		return
	}
	cs, err := s.d.Dispatch.CostShares(c.Request.Context(), plan.ID, dispatch.ShareOptions{})
	if err != nil {
		fail(c, err)
		return
	}
	if p := principal(c); p.Role == auth.Carrier {
		cs = cs.ForCarrier(p.Scope)
	}
	c.JSON(http.StatusOK, cs)
}
