package api

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

const ctxPrincipal = "principal"

// authenticate resolves the bearer token into a principal, or answers 401.
func (s *Server) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.GetHeader("Authorization")
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || strings.TrimSpace(secret) == "" {
			fail(c, errs.E(errs.Unauthorized, "send Authorization: Bearer <token>; tokens come from `tongpei token create` or an admin"))
			return
		}
		p, err := s.d.Tokens.Authenticate(c.Request.Context(), strings.TrimSpace(secret))
		if err != nil {
			fail(c, err)
			return
		}
		c.Set(ctxPrincipal, p)
		c.Next()
	}
}

// allow lets only the given roles through; scope checks are the handler's
// or the domain's, since only they know what the call concerns.
func allow(roles ...auth.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := principal(c)
		for _, r := range roles {
			if p.Role == r {
				c.Next()
				return
			}
		}
		fail(c, errs.E(errs.Forbidden, "a %s token may not do this", p.Role))
	}
}

// principal is who is calling; the zero principal outside authenticated
// routes.
func principal(c *gin.Context) auth.Principal {
	v, _ := c.Get(ctxPrincipal)
	p, _ := v.(auth.Principal)
	return p
}
