package auth

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/tenant"
)

// IssueLink stores a new one-time sign-in link and returns it with its
// secret. Whether the scope exists is the caller's check.
func (s *Store) IssueLink(ctx context.Context, r LinkRequest) (Link, error) {
	if err := r.check(); err != nil {
		return Link{}, err
	}
	secret, err := newSecret(linkPrefix)
	if err != nil {
		return Link{}, err
	}
	county, err := credentialCounty(ctx, r.Role)
	if err != nil {
		return Link{}, err
	}
	l := Link{Role: r.Role, Scope: r.Scope, Name: r.Name, IssuedBy: r.IssuedBy, County: county, Secret: secret}
	err = s.pool.QueryRow(ctx, `
		INSERT INTO login_links (secret_hash, role, scope, name, issued_by, expires_at, county)
		VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6), $7)
		RETURNING id, created_at, expires_at`,
		hash(secret), string(r.Role), r.Scope, r.Name, r.IssuedBy, r.TTL.Seconds(), county).Scan(&l.ID, &l.CreatedAt, &l.ExpiresAt)
	if err != nil {
		return Link{}, errs.Wrap(err, "cannot store the sign-in link")
	}
	return l, nil
}

// Redeem uses a sign-in link, once, and opens a session for its person. It
// answers the session secret (for the cookie) and the session.
func (s *Store) Redeem(ctx context.Context, linkSecret string) (string, Session, error) {
	if !looksLike(linkSecret, linkPrefix) {
		return "", Session{}, errs.E(errs.Unauthorized, "this is not a tongpei sign-in link; ask the county centre for a new one")
	}
	secret, err := newSecret(sessionPrefix)
	if err != nil {
		return "", Session{}, err
	}
	var ses Session
	// the link says its county: look it up in every county
	ctx = tenant.WithProvince(ctx)
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var linkID int64
		var role string
		var used *time.Time
		var expired bool
		err := tx.QueryRow(ctx, `
			SELECT id, role, scope, name, county, used_at, expires_at <= now()
			FROM login_links WHERE secret_hash = $1 FOR UPDATE`, hash(linkSecret)).
			Scan(&linkID, &role, &ses.Scope, &ses.Name, &ses.County, &used, &expired)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return errs.E(errs.Unauthorized, "this sign-in link is unknown; ask the county centre for a new one")
		case err != nil:
			return err
		case used != nil:
			return errs.E(errs.Unauthorized, "this sign-in link was used already (%s); each link signs in once, ask for a new one", used.UTC().Format(time.RFC3339))
		case expired:
			return errs.E(errs.Unauthorized, "this sign-in link has expired (links last 24 hours); ask for a new one")
		}
		ses.Role, ses.Person = Role(role), ses.Name
		if _, err := tx.Exec(ctx, `UPDATE login_links SET used_at = now() WHERE id = $1`, linkID); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `
			INSERT INTO sessions (secret_hash, link_id, role, scope, name, expires_at, county)
			VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6), $7)
			RETURNING id, expires_at`,
			hash(secret), linkID, role, ses.Scope, ses.Name, SessionTTL.Seconds(), ses.County).Scan(&ses.SessionID, &ses.ExpiresAt)
	})
	if err != nil {
		var e *errs.Error
		if errors.As(err, &e) {
			return "", Session{}, e
		}
		return "", Session{}, errs.Wrap(err, "cannot open the session")
	}
	return secret, ses, nil
}

// AuthenticateSession finds the person behind a session cookie.
func (s *Store) AuthenticateSession(ctx context.Context, secret string) (Session, error) {
	if !looksLike(secret, sessionPrefix) {
		return Session{}, errs.E(errs.Unauthorized, "the session cookie is not a tongpei session; sign in again with a link")
	}
	var ses Session
	var role string
	err := s.pool.QueryRow(tenant.WithProvince(ctx), `
		SELECT id, role, scope, name, county, expires_at FROM sessions
		WHERE secret_hash = $1 AND ended_at IS NULL AND expires_at > now()`, hash(secret)).
		Scan(&ses.SessionID, &role, &ses.Scope, &ses.Name, &ses.County, &ses.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Session{}, errs.E(errs.Unauthorized, "the session has ended or expired; sign in again with a new link")
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return Session{}, errs.E(errs.Unavailable, "checking the session was cancelled or took too long; try again")
	}
	if err != nil {
		return Session{}, errs.Wrap(err, "cannot check the session")
	}
	ses.Role, ses.Person = Role(role), ses.Name
	return ses, nil
}

// EndSession signs a session out on the server, so a copied cookie is
// worth nothing afterwards; ending it twice is harmless.
func (s *Store) EndSession(ctx context.Context, id int64) error {
	// the id is the caller's own session, found province-wide
	_, err := s.pool.Exec(tenant.WithProvince(ctx), `UPDATE sessions SET ended_at = coalesce(ended_at, now()) WHERE id = $1`, id)
	if err != nil {
		return errs.Wrap(err, "cannot end session %d", id)
	}
	return nil
}
