package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

// countyRoutes are the province's registry of counties (issue 18): a
// province administrator lists and registers them; a county's admin sees
// its own county only (row-level security).
func (s *Server) countyRoutes(g *gin.RouterGroup) {
	g.GET("/counties", allow(auth.Admin), s.withCounties, s.listCounties)
	g.POST("/counties", provinceOnly, s.withCounties, s.addCounty)
}

// withCounties refuses the registry's routes on a server built without it.
func (s *Server) withCounties(c *gin.Context) {
	if s.d.Counties == nil {
		fail(c, errs.E(errs.NotFound, "this server keeps no registry of counties"))
		return
	}
	c.Next()
}

// provinceOnly lets only a province administrator through.
func provinceOnly(c *gin.Context) {
	if p := principal(c); !p.IsAdmin() || !p.IsProvince() {
		fail(c, errs.E(errs.Forbidden, "only a province administrator registers counties"))
		return
	}
	c.Next()
}

type countyRequest struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func (s *Server) addCounty(c *gin.Context) {
	var req countyRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	county, err := s.d.Counties.Add(c.Request.Context(), req.Code, req.Name)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, county)
}

func (s *Server) listCounties(c *gin.Context) {
	list, err := s.d.Counties.List(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": list})
}
