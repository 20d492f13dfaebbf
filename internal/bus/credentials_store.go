package bus

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// insert stores a new login c under the hash of its password, filling in
// its id, county (the session's, '*' for the province) and creation time.
func (s *CarrierCredentials) insert(ctx context.Context, hash []byte, c *CarrierCredential) error {
	return s.pool.QueryRow(ctx, `
		INSERT INTO nats_credentials (carrier, secret_hash, prefix, name, county)
		VALUES ($1, $2, $3, $4, coalesce(tongpei_row_county(), '*')) RETURNING id, county, created_at`,
		c.Carrier, hash, c.Prefix, c.Name).Scan(&c.ID, &c.County, &c.CreatedAt)
}

// list reads a carrier's logins, newest first.
func (s *CarrierCredentials) list(ctx context.Context, carrier string) ([]CarrierCredential, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, carrier, county, prefix, name, created_at, revoked_at
		FROM nats_credentials WHERE carrier = $1 ORDER BY id DESC`, carrier)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (CarrierCredential, error) {
		var c CarrierCredential
		err := r.Scan(&c.ID, &c.Carrier, &c.County, &c.Prefix, &c.Name, &c.CreatedAt, &c.RevokedAt)
		return c, err
	})
}

// revoke ends login id of carrier unless ended; it answers the rows
// matched (0: no such login).
func (s *CarrierCredentials) revoke(ctx context.Context, carrier string, id int64) (int64, error) {
	tag, err := s.pool.Exec(ctx, `
		UPDATE nats_credentials SET revoked_at = coalesce(revoked_at, now())
		WHERE id = $1 AND carrier = $2`, id, carrier)
	return tag.RowsAffected(), err
}

// revokeAll ends every open login of carrier and answers how many.
func (s *CarrierCredentials) revokeAll(ctx context.Context, carrier string) (int64, error) {
	tag, err := s.pool.Exec(ctx, `
		UPDATE nats_credentials SET revoked_at = now()
		WHERE carrier = $1 AND revoked_at IS NULL`, carrier)
	return tag.RowsAffected(), err
}

// valid is the county of the unrevoked login of user with this password
// hash; pgx.ErrNoRows when there is none.
func (s *CarrierCredentials) valid(ctx context.Context, hash []byte, user string) (string, error) {
	var county string
	err := s.pool.QueryRow(ctx, `
		SELECT county FROM nats_credentials
		WHERE secret_hash = $1 AND carrier = $2 AND revoked_at IS NULL`, hash, user).Scan(&county)
	return county, err
}
