package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/auth"
)

// fleetRoutes are the joint fleet's operator, vehicle types and vans; only
// the county centre manages them.
func (s *Server) fleetRoutes(g *gin.RouterGroup) {
	a := g.Group("/fleet", allow(auth.Admin))
	a.GET("/operators", s.listOperators)
	a.POST("/operators", s.createOperator)
	a.GET("/vehicle-types", s.listVehicleTypes)
	a.POST("/vehicle-types", s.createVehicleType)
	a.GET("/vehicles", s.listVehicles)
	a.POST("/vehicles", s.createVehicle)
	a.PATCH("/vehicles/:plate", s.setVehicleRange)
	a.DELETE("/vehicles/:plate", s.retireVehicle)
}

func (s *Server) createOperator(c *gin.Context) {
	var o dispatch.Operator
	if err := decode(c, &o); err != nil {
		fail(c, err)
		return
	}
	o, err := s.d.Dispatch.CreateOperator(c.Request.Context(), o)
	reply(c, http.StatusCreated, o, err)
}

func (s *Server) listOperators(c *gin.Context) {
	out, err := s.d.Dispatch.Operators(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(out, ""))
}

func (s *Server) createVehicleType(c *gin.Context) {
	var t dispatch.VehicleType
	if err := decode(c, &t); err != nil {
		fail(c, err)
		return
	}
	t, err := s.d.Dispatch.CreateVehicleType(c.Request.Context(), t)
	reply(c, http.StatusCreated, t, err)
}

func (s *Server) listVehicleTypes(c *gin.Context) {
	out, err := s.d.Dispatch.VehicleTypes(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(out, ""))
}

func (s *Server) createVehicle(c *gin.Context) {
	var v dispatch.Vehicle
	if err := decode(c, &v); err != nil {
		fail(c, err)
		return
	}
	v, err := s.d.Dispatch.CreateVehicle(c.Request.Context(), v)
	reply(c, http.StatusCreated, v, err)
}

func (s *Server) listVehicles(c *gin.Context) {
	out, err := s.d.Dispatch.Vehicles(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(out, ""))
}

// retireVehicle takes a van out of planning; it stays in the record.
func (s *Server) retireVehicle(c *gin.Context) {
	if err := s.d.Dispatch.SetVehicleActive(c.Request.Context(), c.Param("plate"), false); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
