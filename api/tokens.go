package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

func (s *Server) tokenRoutes(g *gin.RouterGroup) {
	g.GET("/me", s.me)
	admin := g.Group("", allow(auth.Admin))
	admin.GET("/tokens", s.listTokens)
	admin.POST("/tokens", s.createToken)
	admin.DELETE("/tokens/:id", s.revokeToken)
}

type tokenRequest struct {
	Role  string `json:"role"`
	Scope string `json:"scope"`
	Name  string `json:"name"`
}

type createdToken struct {
	auth.Token
	Secret string `json:"token"`
}

func (s *Server) createToken(c *gin.Context) {
	var req tokenRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	role, err := auth.ParseRole(req.Role)
	if err != nil {
		fail(c, invalidField("role", err.Error()))
		return
	}
	if err := s.d.Registry.CheckScope(c.Request.Context(), role, req.Scope); err != nil {
		fail(c, err)
		return
	}
	secret, t, err := s.d.Tokens.Create(c.Request.Context(), role, req.Scope, req.Name)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, createdToken{Token: t, Secret: secret})
}

func (s *Server) listTokens(c *gin.Context) {
	ts, err := s.d.Tokens.List(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(ts, ""))
}

func (s *Server) revokeToken(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errs.E(errs.NotFound, "token %q does not exist", c.Param("id")))
		return
	}
	if err := s.d.Tokens.Revoke(c.Request.Context(), id); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// me tells a client who its token is, so the console can preset the
// keeper's station.
func (s *Server) me(c *gin.Context) {
	p := principal(c)
	c.JSON(http.StatusOK, gin.H{"role": p.Role, "scope": p.Scope, "name": p.Name})
}
