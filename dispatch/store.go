package dispatch

import (
	"errors"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/dispatch/geo"
	"github.com/tongpei/tongpei/internal/errs"
)

// Store is the dispatch domain's access to PostgreSQL: the fleet, road
// networks, plans and jobs. Only the store code imports pgx.
type Store struct {
	pool     *pgxpool.Pool
	matrices *geo.MatrixCache
	net      networkCache
}

// NewStore wraps a pool. Matrices are cached in the store, so one Store
// should serve a process.
func NewStore(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool, matrices: geo.NewMatrixCache(64)}
}

// dbErr translates a database error at the storage edge: no rows becomes
// not_found, a unique violation conflict, a foreign-key violation invalid;
// anything else is internal and its text never reaches a client.
func dbErr(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return errs.E(errs.NotFound, "%s does not exist", what)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return errs.E(errs.Conflict, "%s already exists", what)
		case "23503":
			return errs.E(errs.Invalid, "%s refers to something that does not exist (%s)", what, pgErr.ConstraintName)
		case "23514":
			return errs.E(errs.Invalid, "%s breaks a rule (%s)", what, pgErr.ConstraintName)
		}
	}
	var e *errs.Error
	if errors.As(err, &e) {
		return e
	}
	return errs.Wrap(err, "cannot store or read %s", what)
}

// prefixCols qualifies a comma-separated column list with a table alias.
func prefixCols(prefix, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = prefix + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

func sortByCode(sts []Station) {
	slices.SortFunc(sts, func(a, b Station) int { return strings.Compare(a.Code, b.Code) })
}
