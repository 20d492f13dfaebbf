package auth

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
)

// People do not type tokens. An admin issues a one-time sign-in link for a
// person, a role and a scope; opening it (or scanning its QR code) on the
// person's phone redeems it once for a session, which the browser keeps as
// an HttpOnly cookie. A link forwarded after use, or opened after a day, is
// refused, so a photo of the QR code on a notice board is worth nothing.

// LinkTTL is how long a sign-in link may wait to be opened.
const LinkTTL = 24 * time.Hour

// SessionTTL is how long a session lasts without signing in again: a
// keeper's phone should not ask every morning.
const SessionTTL = 30 * 24 * time.Hour

const (
	linkPrefix    = "tl_"
	sessionPrefix = "ts_"
)

// Link is an issued sign-in link as its issuer sees it; Secret is shown
// only when it is issued, the one time it exists outside the link.
type Link struct {
	ID        int64      `json:"id"`
	Role      Role       `json:"role"`
	Scope     string     `json:"scope"`
	Name      string     `json:"name"`
	IssuedBy  string     `json:"issued_by"`
	County    string     `json:"county"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	UsedAt    *time.Time `json:"used_at"`
	Secret    string     `json:"-"`
}

// LinkRequest asks for a sign-in link.
type LinkRequest struct {
	Role  Role
	Scope string
	// Name is the person who will sign in; events they cause carry it.
	Name string
	// IssuedBy names the issuer, for the audit trail.
	IssuedBy string
	// TTL shortens the link's life below LinkTTL; zero means LinkTTL.
	TTL time.Duration
}

// check validates a link request; scope existence is the caller's check,
// as auth does not know the registry.
func (r *LinkRequest) check() error {
	var f errs.Fields
	if _, err := ParseRole(string(r.Role)); err != nil {
		f.Add("role", "must be admin, keeper, carrier or merchant")
	}
	r.Name = strings.TrimSpace(r.Name)
	if r.Name == "" || len([]rune(r.Name)) > 60 {
		f.Add("name", "give the name of the person who will sign in (1 to 60 characters), e.g. 李四")
	}
	if r.Role == Admin && r.Scope != "" {
		f.Add("scope", "an admin is not bound to a station, carrier or merchant; leave it empty")
	}
	if r.Role != Admin && r.Scope == "" && r.Role != "" {
		f.Add("scope", "a %s must be bound to its %s", r.Role, scopeNoun(r.Role))
	}
	if r.TTL == 0 {
		r.TTL = LinkTTL
	}
	if r.TTL < time.Minute || r.TTL > LinkTTL {
		f.Add("ttl", "a sign-in link lives from one minute to 24 hours")
	}
	return f.Err()
}

// Session is a signed-in browser, as the person sees it.
type Session struct {
	Principal
	ExpiresAt time.Time `json:"expires_at"`
}

// newSecret makes a random secret with a recognisable prefix.
func newSecret(prefix string) (string, error) {
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", errs.Wrap(err, "cannot make a secret")
	}
	return prefix + base64.RawURLEncoding.EncodeToString(raw), nil
}

// looksLike keeps obviously foreign strings away from the database.
func looksLike(secret, prefix string) bool {
	return strings.HasPrefix(secret, prefix) && len(secret) >= 20 && len(secret) <= 100
}

// URL is the link a person opens, on the server at base (scheme and host,
// e.g. http://192.168.1.10:8080). The secret rides in the fragment, which
// browsers never send to a server, so it reaches no access log or proxy;
// the sign-in page posts it once, and a chat app's link preview, which
// loads the page without running it, cannot use the link up.
func (l Link) URL(base string) string {
	return strings.TrimRight(base, "/") + "/login#" + l.Secret
}
