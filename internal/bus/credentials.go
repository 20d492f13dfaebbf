package bus

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/tenant"
)

// CarrierCredential is one NATS login of a carrier. Password is set only in
// the answer to Issue: afterwards only its hash exists.
type CarrierCredential struct {
	ID      int64  `json:"id"`
	Carrier string `json:"carrier"`
	// County is the county the login works for, or "*" for a
	// province-wide login that reaches every county the carrier serves.
	County    string     `json:"county"`
	User      string     `json:"user"`
	Password  string     `json:"password,omitempty"`
	Prefix    string     `json:"prefix"`
	Name      string     `json:"name"`
	URL       string     `json:"url"`
	Subjects  Subjects   `json:"subjects"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at"`
}

// CarrierCredentials issues, lists, revokes and verifies carriers' NATS
// logins, kept in PostgreSQL.
type CarrierCredentials struct {
	pool *pgxpool.Pool

	mu       sync.Mutex
	url      string
	onRevoke func(carrier string)
	layout   Layout
	served   func(ctx context.Context, carrier string) ([]string, error)
}

// NewCarrierCredentials wraps a pool. Set the URL carriers connect to with
// SetURL once the server is up.
func NewCarrierCredentials(pool *pgxpool.Pool) *CarrierCredentials {
	return &CarrierCredentials{pool: pool}
}

// SetURL records where carriers connect (the embedded server's client URL).
func (s *CarrierCredentials) SetURL(url string) {
	s.mu.Lock()
	s.url = url
	s.mu.Unlock()
}

// OnRevoke sets what to do after a revocation, e.g. Bus.DisconnectUser, so
// a revoked login does not stay connected.
func (s *CarrierCredentials) OnRevoke(f func(carrier string)) {
	s.mu.Lock()
	s.onRevoke = f
	s.mu.Unlock()
}

// PerCounty makes logins work with per-county subjects (issue 18): served
// names the counties a carrier serves (where it is registered and active).
// A login issued for one county reaches the carrier's own subjects in that
// county; a login issued province-wide reaches them in every county it
// serves, so a carrier working in several counties needs one login. Call
// it before the bus opens.
func (s *CarrierCredentials) PerCounty(l Layout, served func(ctx context.Context, carrier string) ([]string, error)) {
	s.mu.Lock()
	s.layout, s.served = l, served
	s.mu.Unlock()
}

// reach is the layout and the counties a login of carrier issued for
// county reaches: nil in the single-county layout.
func (s *CarrierCredentials) reach(ctx context.Context, carrier, county string) (Layout, []string, error) {
	s.mu.Lock()
	l, served := s.layout, s.served
	s.mu.Unlock()
	if !l.PerCounty {
		return l, nil, nil
	}
	if served == nil {
		return l, nil, errors.New("per-county subjects without the counties carriers serve")
	}
	all, err := served(tenant.WithProvince(ctx), carrier)
	if err != nil {
		return l, nil, err
	}
	var counties []string
	for _, c := range all {
		if (county == tenant.Province || c == county) && tenant.Check(c) == nil {
			counties = append(counties, c)
		}
	}
	slices.Sort(counties)
	return l, slices.Compact(counties), nil
}

// subjects are what a login of carrier issued for county may do.
func (s *CarrierCredentials) subjects(ctx context.Context, carrier, county string) (Subjects, error) {
	l, counties, err := s.reach(ctx, carrier, county)
	if err != nil {
		return Subjects{}, errs.Wrap(err, "cannot tell the counties carrier %s serves", carrier)
	}
	return CarrierSubjectsIn(l, carrier, counties), nil
}

func (s *CarrierCredentials) where() (string, func(string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url, s.onRevoke
}

const natsSecretPrefix = "tpn_"

// Issue makes a new login for carrier, bound to the county ctx works for
// (province-wide for a province context); the answer is the only time the
// password is seen. Whether the carrier exists is the caller's check: bus
// does not know the registry.
func (s *CarrierCredentials) Issue(ctx context.Context, carrier, name string) (CarrierCredential, error) {
	if !ValidCarrierCode(carrier) {
		return CarrierCredential{}, errs.E(errs.Invalid, "carrier code %q cannot name NATS subjects; use letters, digits, '_' or '-'", carrier)
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return CarrierCredential{}, errs.Wrap(err, "cannot make a password")
	}
	secret := natsSecretPrefix + base64.RawURLEncoding.EncodeToString(raw)
	c := CarrierCredential{Carrier: carrier, User: carrier, Password: secret, Prefix: secret[:9], Name: name}
	if err := s.insert(ctx, secretHash(secret), &c); err != nil {
		return CarrierCredential{}, pg.Err(err, "the NATS credentials")
	}
	c.URL, _ = s.where()
	var err error
	if c.Subjects, err = s.subjects(ctx, carrier, c.County); err != nil {
		return CarrierCredential{}, err
	}
	return c, nil
}

// List returns a carrier's logins, newest first, without passwords.
func (s *CarrierCredentials) List(ctx context.Context, carrier string) ([]CarrierCredential, error) {
	url, _ := s.where()
	list, err := s.list(ctx, carrier)
	if err != nil {
		return nil, pg.Err(err, "the NATS credentials")
	}
	for i := range list {
		list[i].User, list[i].URL = list[i].Carrier, url
		if list[i].Subjects, err = s.subjects(ctx, list[i].Carrier, list[i].County); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// Revoke ends one login of carrier; revoking twice is harmless. The
// carrier's open connections are dropped (see OnRevoke) and reconnect only
// with a login that is still valid.
func (s *CarrierCredentials) Revoke(ctx context.Context, carrier string, id int64) error {
	n, err := s.revoke(ctx, carrier, id)
	if err != nil {
		return pg.Err(err, fmt.Sprintf("NATS credentials %d", id))
	}
	if n == 0 {
		return errs.E(errs.NotFound, "carrier %s has no NATS credentials %d", carrier, id)
	}
	if _, kick := s.where(); kick != nil {
		kick(carrier)
	}
	return nil
}

// RevokeAll ends every login of carrier, e.g. when the carrier is
// deactivated, and drops its connections; it answers how many it revoked.
func (s *CarrierCredentials) RevokeAll(ctx context.Context, carrier string) (int64, error) {
	n, err := s.revokeAll(ctx, carrier)
	if err != nil {
		return 0, pg.Err(err, "the NATS credentials of "+carrier)
	}
	if _, kick := s.where(); kick != nil {
		kick(carrier)
	}
	return n, nil
}

// Verify reports whether user and password are a valid, unrevoked login.
func (s *CarrierCredentials) Verify(ctx context.Context, user, password string) (bool, error) {
	_, ok, err := s.login(ctx, user, password)
	return ok, err
}

// login is Verify that also answers the county the login works for.
func (s *CarrierCredentials) login(ctx context.Context, user, password string) (county string, ok bool, err error) {
	if !ValidCarrierCode(user) || !strings.HasPrefix(password, natsSecretPrefix) {
		return "", false, nil
	}
	// a login is found in whichever county issued it (each row keeps its county)
	county, err = s.valid(tenant.WithProvince(ctx), secretHash(password), user)
	if pg.NoRows(err) {
		return "", false, nil
	}
	return county, err == nil, err
}

// secretHash is SHA-256: the secrets are 192 random bits, so a slow
// password hash would add nothing but latency to every connect.
func secretHash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}
