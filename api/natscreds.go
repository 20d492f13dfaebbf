package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

// natsCredsRoutes let the county centre give each carrier a login to the
// embedded NATS, confined to that carrier's own subjects. A carrier may
// list and issue its own (the /carrier page's download: the password is in
// the issue's answer only); revoking stays with the county centre.
func (s *Server) natsCredsRoutes(g *gin.RouterGroup) {
	creds := g.Group("/carriers/:code/nats-credentials")
	own := []gin.HandlerFunc{allow(auth.Admin, auth.Carrier), ownCarrier}
	creds.GET("", append(own, s.listNATSCreds)...)
	creds.POST("", append(own, s.issueNATSCreds)...)
	creds.DELETE("/:id", allow(auth.Admin), s.revokeNATSCreds)
}

// ownCarrier lets a carrier's session act only on its own code.
func ownCarrier(c *gin.Context) {
	if p := principal(c); p.Role == auth.Carrier && p.Scope != c.Param("code") {
		fail(c, errs.E(errs.Forbidden, "a carrier signed in for %s may act only for itself", p.Scope))
	}
}

type natsCredsRequest struct {
	Name string `json:"name"`
}

// natsCarrier checks that NATS logins can be issued here and that the
// carrier exists, answering the problem when not.
func (s *Server) natsCarrier(c *gin.Context, mustBeActive bool) (string, bool) {
	if s.d.NATSCreds == nil {
		fail(c, errs.E(errs.Conflict, "this deployment uses an external NATS (TONGPEI_NATS_URL): give carriers users in that server's configuration, see docs/nats-permissions.md"))
		return "", false
	}
	code := c.Param("code")
	cr, err := s.d.Registry.Carrier(c.Request.Context(), code)
	if err != nil {
		fail(c, err)
		return "", false
	}
	if mustBeActive && !cr.Active {
		fail(c, errs.E(errs.Conflict, "carrier %s is deactivated; reactivate it before issuing NATS credentials", code))
		return "", false
	}
	return code, true
}

func (s *Server) issueNATSCreds(c *gin.Context) {
	var req natsCredsRequest
	if c.Request.ContentLength != 0 {
		if err := decode(c, &req); err != nil {
			fail(c, err)
			return
		}
	}
	code, ok := s.natsCarrier(c, true)
	if !ok {
		return
	}
	cred, err := s.d.NATSCreds.Issue(c.Request.Context(), code, req.Name)
	reply(c, http.StatusCreated, cred, err)
}

func (s *Server) listNATSCreds(c *gin.Context) {
	code, ok := s.natsCarrier(c, false)
	if !ok {
		return
	}
	list, err := s.d.NATSCreds.List(c.Request.Context(), code)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(list, ""))
}

func (s *Server) revokeNATSCreds(c *gin.Context) {
	code, ok := s.natsCarrier(c, false)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errs.E(errs.NotFound, "carrier %s has no NATS credentials %q", code, c.Param("id")))
		return
	}
	if err := s.d.NATSCreds.Revoke(c.Request.Context(), code, id); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
