package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

const ctxPrincipal = "principal"

// Machines present a bearer token; people's browsers present the session
// cookie a sign-in link gave them (sessions.go).
const (
	sessionCookie = "tongpei_session"
	// csrfHeader must come with every state-changing request made with the
	// cookie: a cross-site form cannot set a header, and a cross-site fetch
	// that sets one needs a CORS preflight this server never grants.
	csrfHeader = "X-Tongpei-Csrf"
)

// authenticate resolves the bearer token, or else the session cookie, into
// a principal, or answers 401.
func (s *Server) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		if h := c.GetHeader("Authorization"); h != "" {
			s.authenticateBearer(c, h)
			return
		}
		if cookie, err := c.Cookie(sessionCookie); err == nil && cookie != "" {
			s.authenticateCookie(c, cookie)
			return
		}
		fail(c, errs.E(errs.Unauthorized, "sign in with a link from the county centre, or send Authorization: Bearer <token> (tokens come from `tongpei token create`)"))
	}
}

func (s *Server) authenticateBearer(c *gin.Context, h string) {
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

func (s *Server) authenticateCookie(c *gin.Context, cookie string) {
	if changesState(c.Request.Method) && c.GetHeader(csrfHeader) != "1" {
		fail(c, errs.E(errs.Forbidden, "a request made with the session cookie that changes something must carry the header %s: 1", csrfHeader))
		return
	}
	ses, err := s.d.Tokens.AuthenticateSession(c.Request.Context(), cookie)
	if err != nil {
		fail(c, err)
		return
	}
	c.Set(ctxPrincipal, ses.Principal)
	c.Next()
}

// changesState is every method but the safe ones of RFC 9110 §9.2.1.
func changesState(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
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
