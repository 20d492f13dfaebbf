package pricing

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/pg"
)

const certColumns = `
	c.id, c.merchant_id, m.name, c.state, coalesce(c.certificate_no, ''),
	coalesce(to_char(c.valid_from, 'YYYY-MM-DD'), ''), coalesce(to_char(c.valid_until, 'YYYY-MM-DD'), ''),
	c.applied_at, c.certified_at, c.certified_by, c.ended_at, c.ended_by, c.note
	FROM certifications c JOIN merchants m ON m.id = c.merchant_id`

func scanCert(r pgx.CollectableRow) (*Certificate, error) {
	c := &Certificate{}
	err := r.Scan(&c.id, &c.MerchantID, &c.MerchantName, &c.stored, &c.CertificateNo, &c.ValidFrom, &c.ValidUntil,
		&c.AppliedAt, &c.CertifiedAt, &c.CertifiedBy, &c.EndedAt, &c.EndedBy, &c.Note)
	c.State = c.stored
	c.setDays()
	return c, err
}

func loadCertificates(ctx context.Context, q dbtx, s *Snapshot) error {
	rows, err := q.Query(ctx, `SELECT `+certColumns+` ORDER BY c.id DESC`)
	if err != nil {
		return err
	}
	list, err := pgx.CollectRows(rows, scanCert)
	for _, c := range list {
		s.certs[c.MerchantID] = append(s.certs[c.MerchantID], c)
	}
	return err
}

// certByNo reads one certificate by its number.
func (st *store) certByNo(ctx context.Context, no string) (*Certificate, error) {
	rows, err := st.pool.Query(ctx, `SELECT `+certColumns+` WHERE c.certificate_no = $1`, no)
	if err != nil {
		return nil, pg.Err(err, "certificate "+no)
	}
	c, err := pgx.CollectExactlyOneRow(rows, scanCert)
	return c, pg.Err(err, "certificate "+no)
}

// liveCert is the firm's applied, certified or suspended record, locked;
// found is false when it has none.
func liveCert(ctx context.Context, q dbtx, merchantID string) (c *Certificate, found bool, err error) {
	rows, err := q.Query(ctx, `SELECT `+certColumns+`
		WHERE c.merchant_id = $1 AND c.state IN ('applied', 'certified', 'suspended') FOR UPDATE OF c`, merchantID)
	if err != nil {
		return nil, false, err
	}
	c, err = pgx.CollectExactlyOneRow(rows, scanCert)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	return c, err == nil, err
}

// merchantOf reads whether a merchant exists and is registered in the county.
func merchantOf(ctx context.Context, q dbtx, id string) (exists, registered bool, err error) {
	err = q.QueryRow(ctx, `SELECT registered_in_county FROM merchants WHERE id = $1`, id).Scan(&registered)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, false, nil
	}
	return err == nil, registered, err
}

func insertApplication(ctx context.Context, q dbtx, merchantID, note string) error {
	_, err := q.Exec(ctx, `INSERT INTO certifications (merchant_id, state, note) VALUES ($1, 'applied', $2)`, merchantID, note)
	return err
}

// grant certifies the firm's application (or a new record when it has none)
// and gives it the next certificate number.
func grant(ctx context.Context, q dbtx, merchantID string, applied int64, from, until time.Time, by, note string, now time.Time) (string, error) {
	var n int64
	if err := q.QueryRow(ctx, `SELECT nextval('certificate_seq')`).Scan(&n); err != nil {
		return "", err
	}
	no := certificateNo(CountyCode, now.In(shanghai).Year(), n)
	var err error
	if applied != 0 {
		_, err = q.Exec(ctx, `
			UPDATE certifications SET state = 'certified', certificate_no = $2, valid_from = $3, valid_until = $4,
			       certified_at = $5, certified_by = $6, note = CASE WHEN $7 = '' THEN note ELSE $7 END
			WHERE id = $1`, applied, no, Day(from), Day(until), now, by, note)
	} else {
		_, err = q.Exec(ctx, `
			INSERT INTO certifications (merchant_id, state, certificate_no, valid_from, valid_until, applied_at, certified_at, certified_by, note)
			VALUES ($1, 'certified', $2, $3, $4, $5, $5, $6, $7)`, merchantID, no, Day(from), Day(until), now, by, note)
	}
	return no, err
}

// endCert moves a record to a new state (suspended, revoked, expired,
// certified again after a suspension), stamping who ended it.
func endCert(ctx context.Context, q dbtx, id int64, state CertState, by, note string, now time.Time) error {
	_, err := q.Exec(ctx, `
		UPDATE certifications SET state = $2, ended_at = CASE WHEN $2 = 'certified' THEN NULL ELSE $3::timestamptz END,
		       ended_by = CASE WHEN $2 = 'certified' THEN '' ELSE $4 END,
		       note = CASE WHEN $5 = '' THEN note ELSE $5 END
		WHERE id = $1`, id, string(state), now, by, note)
	return err
}
