package auth

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// insert stores a new token t under the hash of its secret, filling in its
// id and creation time.
func (s *Store) insert(ctx context.Context, hash []byte, t *Token) error {
	return s.pool.QueryRow(ctx, `
		INSERT INTO api_tokens (token_hash, prefix, role, scope, name, county)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at`,
		hash, t.Prefix, string(t.Role), t.Scope, t.Name, t.County).Scan(&t.ID, &t.CreatedAt)
}

// ensure stores t unless a token with the same hash is stored, and reads
// back the stored one's id, creation and revocation.
func (s *Store) ensure(ctx context.Context, hash []byte, t *Token) error {
	return s.pool.QueryRow(ctx, `
		WITH ins AS (
			INSERT INTO api_tokens (token_hash, prefix, role, scope, name, county)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (token_hash) DO NOTHING
			RETURNING id, created_at, revoked_at)
		SELECT id, created_at, revoked_at FROM ins
		UNION ALL
		SELECT id, created_at, revoked_at FROM api_tokens WHERE token_hash = $1
		LIMIT 1`,
		hash, t.Prefix, string(t.Role), t.Scope, t.Name, t.County).Scan(&t.ID, &t.CreatedAt, &t.RevokedAt)
}

// principal is the holder of the unrevoked token with this hash;
// pgx.ErrNoRows when there is none.
func (s *Store) principal(ctx context.Context, hash []byte) (Principal, error) {
	var p Principal
	var role string
	err := s.pool.QueryRow(ctx, `
		SELECT id, role, scope, name, county FROM api_tokens
		WHERE token_hash = $1 AND revoked_at IS NULL`, hash).Scan(&p.TokenID, &role, &p.Scope, &p.Name, &p.County)
	p.Role = Role(role)
	return p, err
}

// list reads every token, newest first.
func (s *Store) list(ctx context.Context) ([]Token, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, prefix, role, scope, name, county, created_at, revoked_at
		FROM api_tokens ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Token, error) {
		var t Token
		var role string
		err := r.Scan(&t.ID, &t.Prefix, &role, &t.Scope, &t.Name, &t.County, &t.CreatedAt, &t.RevokedAt)
		t.Role = Role(role)
		return t, err
	})
}

// revoke sets a token's revocation time unless set; found is false when
// no token has the id.
func (s *Store) revoke(ctx context.Context, id int64) (found bool, err error) {
	tag, err := s.pool.Exec(ctx, `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1`, id)
	return tag.RowsAffected() > 0, err
}

// Store keeps tokens in PostgreSQL.
type Store struct {
	pool  *pgxpool.Pool
	cache *tokenCache // nil: every request asks PostgreSQL
}

// NewStore wraps a pool.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }
