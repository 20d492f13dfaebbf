package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/stations"
)

// parcelListRoutes are the list a carrier or a merchant follows its own
// parcels by (the county centre sees all).
func (s *Server) parcelListRoutes(g *gin.RouterGroup) {
	g.GET("/parcels", s.custodyWired, allow(auth.Admin, auth.Carrier, auth.Merchant), s.listParcels)
}

func (s *Server) listParcels(c *gin.Context) {
	p, err := page(c)
	if err != nil {
		fail(c, err)
		return
	}
	q := stations.ParcelQuery{State: c.Query("state"), Search: c.Query("q"), Limit: p.Limit, Cursor: p.Cursor}
	items, next, err := s.d.Custody.Parcels(c.Request.Context(), principal(c), q)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(items, next))
}
