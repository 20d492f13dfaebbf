package api

import (
	"encoding/base64"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

// sessionRoutes are the one-time sign-in links and the sessions they open.
func (s *Server) sessionRoutes(public, v1 *gin.RouterGroup) {
	public.POST("/sessions", s.openSession)
	v1.GET("/session", s.currentSession)
	v1.DELETE("/session", s.endSession)
	v1.POST("/login-links", allow(auth.Admin), s.issueLink)
}

type linkRequest struct {
	Role  string `json:"role"`
	Scope string `json:"scope"`
	Name  string `json:"name"`
	// TTLS shortens the link's life below 24 hours, in seconds.
	TTLS int `json:"ttl_s"`
}

type issuedLink struct {
	auth.Link
	URL string `json:"url"`
	// QRPNG is the URL as a QR code, a data: URL an <img> shows as is.
	QRPNG string `json:"qr_png"`
}

// issueLink makes a one-time sign-in link for a person (admin only).
func (s *Server) issueLink(c *gin.Context) {
	var req linkRequest
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
	if req.Name == "" {
		req.Name = s.d.Registry.PersonOf(c.Request.Context(), role, req.Scope)
	}
	who := principal(c)
	l, err := s.d.Tokens.IssueLink(c.Request.Context(), auth.LinkRequest{
		Role: role, Scope: req.Scope, Name: req.Name, IssuedBy: issuer(who), TTL: time.Duration(req.TTLS) * time.Second,
	})
	if err != nil {
		fail(c, err)
		return
	}
	url := l.URL(baseURL(c))
	png, err := qrcode.Encode(url, qrcode.Medium, 256)
	if err != nil {
		fail(c, errs.Wrap(err, "cannot draw the QR code"))
		return
	}
	c.JSON(http.StatusCreated, issuedLink{Link: l, URL: url, QRPNG: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)})
}

type sessionRequest struct {
	Link string `json:"link"`
}

// sessionView is who a session is, for the page's sign-in state.
type sessionView struct {
	Role      auth.Role  `json:"role"`
	Scope     string     `json:"scope"`
	Name      string     `json:"name"`
	Session   bool       `json:"session"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// openSession redeems a sign-in link and sets the session cookie. It wants
// the CSRF header too, so a cross-site form cannot sign a victim's browser
// into someone else's session.
func (s *Server) openSession(c *gin.Context) {
	if c.GetHeader(csrfHeader) != "1" {
		fail(c, errs.E(errs.Forbidden, "signing in needs the header %s: 1 (the sign-in page sends it)", csrfHeader))
		return
	}
	var req sessionRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	secret, ses, err := s.d.Tokens.Redeem(c.Request.Context(), req.Link)
	if err != nil {
		fail(c, err)
		return
	}
	setSessionCookie(c, secret, int(auth.SessionTTL/time.Second))
	c.JSON(http.StatusCreated, sessionView{Role: ses.Role, Scope: ses.Scope, Name: ses.Name, Session: true, ExpiresAt: &ses.ExpiresAt})
}

func (s *Server) currentSession(c *gin.Context) {
	p := principal(c)
	c.JSON(http.StatusOK, sessionView{Role: p.Role, Scope: p.Scope, Name: p.Name, Session: p.SessionID != 0})
}

// endSession signs out on the server: the cookie is useless afterwards even
// if it was copied.
func (s *Server) endSession(c *gin.Context) {
	p := principal(c)
	if p.SessionID == 0 {
		fail(c, errs.E(errs.Invalid, "this request carries a bearer token, not a session; revoke tokens with DELETE /v1/tokens/{id}"))
		return
	}
	if err := s.d.Tokens.EndSession(c.Request.Context(), p.SessionID); err != nil {
		fail(c, err)
		return
	}
	setSessionCookie(c, "", -1)
	c.Status(http.StatusNoContent)
}

// setSessionCookie sets (or, with maxAge < 0, clears) the session cookie:
// HttpOnly so no script reads it, SameSite=Strict so no other site's page
// sends it, Secure when the request came over TLS.
func setSessionCookie(c *gin.Context, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: isTLS(c),
	})
}

func isTLS(c *gin.Context) bool {
	return c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https"
}

// baseURL is the server as the caller reached it, for links it will open
// on a phone on the same network.
func baseURL(c *gin.Context) string {
	scheme := "http"
	if isTLS(c) {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

// issuer names who issued a link, for the audit trail.
func issuer(p auth.Principal) string {
	if p.Person != "" {
		return string(p.Role) + ":" + p.Person
	}
	if p.Name != "" {
		return string(p.Role) + ":" + p.Name
	}
	return string(p.Role)
}
