package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/tenant"
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
	s.enter(c, p)
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
	s.enter(c, ses.Principal)
}

// countyHeader lets a province administrator act for one county.
const countyHeader = "Tongpei-County"

// enter lets the principal in, working for its county: the request's
// context carries it to the stores and the database pool, whose row-level
// security then shows only that county's rows (docs/authorization.md).
// A county's credential works for its county alone, and may name no
// other. A province administrator reads every county, and names the
// county it acts for with the Tongpei-County header; without one, it may
// change only what belongs to the whole province (counties, tokens).
func (s *Server) enter(c *gin.Context, p auth.Principal) {
	county := p.County
	if county == "" { // a principal from before counties: the install's own
		county = tenant.Default()
	}
	if h := strings.TrimSpace(c.GetHeader(countyHeader)); h != "" {
		if err := tenant.Check(h); err != nil {
			fail(c, err)
			return
		}
		if county != tenant.Province && h != county {
			fail(c, errs.E(errs.Forbidden, "this credential works for county %s, not %s", county, h))
			return
		}
		county = h
	}
	if county == tenant.Province && changesState(c.Request.Method) && !provinceWide(c.Request.URL.Path) {
		fail(c, errs.Field("county", "a province administrator names the county it changes with the header %s: <code>", countyHeader))
		return
	}
	p.County = county
	c.Set(ctxPrincipal, p)
	c.Request = c.Request.WithContext(tenant.With(c.Request.Context(), county))
	c.Next()
}

// provinceWide are the paths a province administrator changes for the
// whole province; a carrier's NATS login issued there reaches the
// carrier's subjects in every county it serves (docs/nats-permissions.md).
func provinceWide(path string) bool {
	return strings.HasPrefix(path, "/v1/counties") || strings.HasPrefix(path, "/v1/tokens") ||
		strings.HasPrefix(path, "/v1/login-links") || path == "/v1/session" ||
		strings.HasPrefix(path, "/v1/carriers/") && strings.Contains(path, "/nats-credentials")
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
