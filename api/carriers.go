package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/stations"
)

func (s *Server) listCarriers(c *gin.Context) {
	f := stations.CarrierFilter{Kind: stations.CarrierKind(c.Query("kind"))}
	var err error
	if f.Active, err = boolQuery(c, "active"); err != nil {
		fail(c, err)
		return
	}
	p, err := registryPage(c)
	if err != nil {
		fail(c, err)
		return
	}
	items, next, err := s.d.Registry.Carriers(c.Request.Context(), f, p)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(items, next))
}

func (s *Server) getCarrier(c *gin.Context) {
	cr, err := s.d.Registry.Carrier(c.Request.Context(), c.Param("code"))
	reply(c, http.StatusOK, cr, err)
}

func (s *Server) createCarrier(c *gin.Context) {
	var req stations.CarrierChange
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	cr, err := s.d.Registry.CreateCarrier(c.Request.Context(), req)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", "/v1/carriers/"+cr.Code)
	c.JSON(http.StatusCreated, cr)
}

func (s *Server) updateCarrier(c *gin.Context) {
	var req stations.CarrierChange
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	cr, err := s.d.Registry.UpdateCarrier(c.Request.Context(), c.Param("code"), req)
	reply(c, http.StatusOK, cr, err)
}

func (s *Server) deactivateCarrier(c *gin.Context) {
	cr, err := s.d.Registry.DeactivateCarrier(c.Request.Context(), c.Param("code"))
	reply(c, http.StatusOK, cr, err)
}
