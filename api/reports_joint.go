package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/auth"
)

func (s *Server) jointReportRoutes(g *gin.RouterGroup) {
	g.GET("/reports/joint-delivery", allow(auth.Admin), s.jointDeliveryReport)
}

func (s *Server) jointDeliveryReport(c *gin.Context) {
	rep, err := s.d.Dispatch.JointDelivery(c.Request.Context(), c.Query("from"), c.Query("to"))
	reply(c, http.StatusOK, rep, err)
}
