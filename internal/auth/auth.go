// Package auth issues and checks API tokens. A token is shown once, when it is
// made; only its SHA-256 is stored. Each token has a role and, for every role
// but admin, the one station, carrier or merchant it is bound to.
package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/tenant"
)

// Role is what a token may do.
type Role string

// The four roles of DESIGN.md.
const (
	Admin    Role = "admin"    // county centre operator
	Keeper   Role = "keeper"   // bound to one station
	Carrier  Role = "carrier"  // bound to one express company
	Merchant Role = "merchant" // bound to one e-commerce firm
)

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Admin, Keeper, Carrier, Merchant:
		return r, nil
	}
	return "", errs.E(errs.Invalid, "role %q is not one of admin, keeper, carrier, merchant", s)
}

// Principal is who is calling: the role and the scope the token is bound to
// (a station code, a carrier code or a merchant id; empty for admin).
type Principal struct {
	TokenID int64
	Role    Role
	Scope   string
	Name    string
	// SessionID and Person are set for a person signed in by a link: the
	// session, and the name of the person, which events record.
	SessionID int64
	Person    string
	// County is the county the token or session works for (a GB/T 2260
	// code), or tenant.Province for a province administrator.
	County string
}

// IsProvince reports a province administrator, who reads every county.
func (p Principal) IsProvince() bool { return p.County == tenant.Province }

// IsAdmin reports the county operator.
func (p Principal) IsAdmin() bool { return p.Role == Admin }

// Is reports whether p has role r bound to scope.
func (p Principal) Is(r Role, scope string) bool { return p.Role == r && p.Scope == scope }

// Token is a stored token as an admin sees it: never the secret itself.
type Token struct {
	ID        int64      `json:"id"`
	Prefix    string     `json:"prefix"`
	Role      Role       `json:"role"`
	Scope     string     `json:"scope"`
	Name      string     `json:"name"`
	County    string     `json:"county"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at"`
}

// tokenPrefix makes tokens recognisable in logs and secret scanners.
const tokenPrefix = "tp_"

// credentialCounty is the county a new token or link is bound to: that of
// ctx, the install's own when ctx names none. Only an admin may work for
// the whole province.
func credentialCounty(ctx context.Context, role Role) (string, error) {
	county := tenant.From(ctx)
	if county == "" {
		county = tenant.Default()
	}
	if county == tenant.Province && role != Admin {
		return "", errs.Field("county", "a %s works in one county: name it (--county CODE, or the Tongpei-County header)", role)
	}
	return county, nil
}

// Create makes a new token and returns its secret, the only time it is seen.
// The token works for the county of ctx (tenant.From; the install's own
// when none), or the whole province for an admin made with tenant.Province.
// Scope checks (does the station exist?) are the caller's: auth does not
// know the registry.
func (s *Store) Create(ctx context.Context, role Role, scope, name string) (string, Token, error) {
	if _, err := ParseRole(string(role)); err != nil {
		return "", Token{}, err
	}
	if (role == Admin) != (scope == "") {
		if role == Admin {
			return "", Token{}, errs.E(errs.Invalid, "an admin token is not bound to a station, carrier or merchant")
		}
		return "", Token{}, errs.E(errs.Invalid, "a %s token must be bound to its %s", role, scopeNoun(role))
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", Token{}, errs.Wrap(err, "cannot make a token")
	}
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	county, err := credentialCounty(ctx, role)
	if err != nil {
		return "", Token{}, err
	}
	t := Token{Prefix: secret[:9], Role: role, Scope: scope, Name: name, County: county}
	if err := s.insert(ctx, hash(secret), &t); err != nil {
		return "", Token{}, pg.Err(err, "the token")
	}
	return secret, t, nil
}

// DeriveSecret makes a token secret from a key and a label, the same every
// time: for the demonstration county, whose tokens must survive restarts
// without being stored anywhere but as hashes.
func DeriveSecret(key []byte, label string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(label))
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:24])
}

// Ensure stores a token with a secret the caller made (DeriveSecret) unless
// it is stored already; a revoked one is left revoked. It answers the
// stored token either way.
func (s *Store) Ensure(ctx context.Context, secret string, role Role, scope, name string) (Token, error) {
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) < 20 {
		return Token{}, errs.E(errs.Invalid, "a token secret starts with %s and is at least 20 characters", tokenPrefix)
	}
	if (role == Admin) != (scope == "") {
		return Token{}, errs.E(errs.Invalid, "a %s token must be bound to its %s", role, scopeNoun(role))
	}
	county, err := credentialCounty(ctx, role)
	if err != nil {
		return Token{}, err
	}
	t := Token{Prefix: secret[:9], Role: role, Scope: scope, Name: name, County: county}
	if err := s.ensure(ctx, hash(secret), &t); err != nil {
		return Token{}, pg.Err(err, "the token")
	}
	return t, nil
}

// Authenticate finds the principal of a presented secret.
func (s *Store) Authenticate(ctx context.Context, secret string) (Principal, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return Principal{}, errs.E(errs.Unauthorized, "the bearer token is not a tongpei token")
	}
	h := hash(secret)
	if p, ok := s.cache.get(h); ok {
		return p, nil
	}
	// the token says its county: look it up in every county
	p, err := s.principal(tenant.WithProvince(ctx), h)
	if pg.NoRows(err) {
		return Principal{}, errs.E(errs.Unauthorized, "the bearer token is unknown or revoked; ask the county centre for a new one")
	}
	if err != nil {
		return Principal{}, pg.Err(err, "the token")
	}
	s.cache.put(h, p)
	return p, nil
}

// List returns every token, newest first.
func (s *Store) List(ctx context.Context) ([]Token, error) {
	list, err := s.list(ctx)
	return list, pg.Err(err, "the tokens")
}

// Revoke ends a token; revoking twice is harmless.
func (s *Store) Revoke(ctx context.Context, id int64) error {
	found, err := s.revoke(ctx, id)
	s.cache.clear() // this process sees the revocation at once
	if err != nil {
		return pg.Err(err, fmt.Sprintf("token %d", id))
	}
	if !found {
		return errs.E(errs.NotFound, "token %d does not exist", id)
	}
	return nil
}

func hash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

func scopeNoun(r Role) string {
	switch r {
	case Keeper:
		return "station (--station CODE)"
	case Carrier:
		return "carrier (--carrier CODE)"
	case Merchant:
		return "merchant (--merchant ID)"
	}
	return fmt.Sprint(r)
}
