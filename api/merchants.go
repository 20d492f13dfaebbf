package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/stations"
)

func (s *Server) listMerchants(c *gin.Context) {
	var f stations.MerchantFilter
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
	items, next, err := s.d.Registry.Merchants(c.Request.Context(), principal(c), f, p)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(items, next))
}

func (s *Server) getMerchant(c *gin.Context) {
	m, err := s.d.Registry.Merchant(c.Request.Context(), principal(c), c.Param("id"))
	reply(c, http.StatusOK, m, err)
}

func (s *Server) createMerchant(c *gin.Context) {
	var req stations.MerchantChange
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	m, err := s.d.Registry.CreateMerchant(c.Request.Context(), req)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", "/v1/merchants/"+m.ID)
	c.JSON(http.StatusCreated, m)
}

func (s *Server) updateMerchant(c *gin.Context) {
	var req stations.MerchantChange
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	m, err := s.d.Registry.UpdateMerchant(c.Request.Context(), c.Param("id"), req)
	reply(c, http.StatusOK, m, err)
}

func (s *Server) deactivateMerchant(c *gin.Context) {
	m, err := s.d.Registry.DeactivateMerchant(c.Request.Context(), c.Param("id"))
	reply(c, http.StatusOK, m, err)
}
