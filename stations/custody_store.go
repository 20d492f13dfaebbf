package stations

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
)

// Custody keeps parcels, their scans and their timelines in PostgreSQL.
// Every accepted change writes its events to the outbox in the same
// transaction, so each one reaches the carrier's NATS subjects exactly when
// it is committed.
type Custody struct {
	pool *pgxpool.Pool
	// reports serves the county-wide report reads that tolerate a replica's
	// lag (KPI activity reports, shelf statistics); the pool itself unless
	// UseReplica names another. Everything else reads the primary, settlement
	// postings (money) and anything a keeper reads right after scanning too.
	reports *pgxpool.Pool
	now     func() time.Time
	group   *groupCommit // single scans gathered into shared transactions; nil: each alone
}

// NewCustody wraps a pool, with single scans in group commits
// (DefaultGroupWindow, DefaultGroupFlushes).
func NewCustody(pool *pgxpool.Pool) *Custody {
	c := &Custody{pool: pool, reports: pool, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
	c.SetGroupCommit(DefaultGroupWindow, DefaultGroupFlushes)
	return c
}

// UseReplica sends the report reads to replica (read-only, possibly
// seconds behind); nil sends them back to the primary.
func (c *Custody) UseReplica(replica *pgxpool.Pool) {
	if replica == nil {
		replica = c.pool
	}
	c.reports = replica
}

// attempts bounds how often a transaction is retried after losing a race
// that PostgreSQL detects (a deadlock, or a concurrent insert of the same
// scan id for another parcel); the retry then sees the winner's rows.
const attempts = 4

// inTx runs fn in a transaction, retrying lost races.
func (c *Custody) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	var err error
	for i := 0; i < attempts; i++ {
		err = pgx.BeginFunc(ctx, c.pool, fn)
		if !retryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(i+1) * 5 * time.Millisecond):
		}
	}
	return err
}

func retryable(err error) bool {
	if pg.LostRace(err) {
		return true
	}
	// A unique violation is a lost race only on the tables two transactions
	// can both insert into.
	c, ok := pg.UniqueViolation(err)
	return ok && (c == "parcel_event_ids_pkey" || c == "parcel_events_pkey" || c == "scan_rejections_pkey" || c == "parcels_pickup_code")
}

// custodyErr translates a database error at the edge: our own errors pass,
// a unique violation is a conflict, a foreign key names what is missing,
// anything else is internal.
func custodyErr(err error, doing string) error {
	if err == nil {
		return nil
	}
	var e *errs.Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return errs.E(errs.Unavailable, "%s took too long or was cancelled; try again", doing)
	}
	if c, ok := pg.UniqueViolation(err); ok {
		return errs.E(errs.Conflict, "%s: it exists already (%s)", doing, c)
	}
	if _, ok := pg.ForeignKeyViolation(err); ok {
		return errs.E(errs.Invalid, "%s: it names a station, carrier or parcel that is not registered", doing)
	}
	if pg.Busy(err) {
		return errs.E(errs.Unavailable, "%s ran into concurrent work; try again", doing)
	}
	if pg.NoRows(err) {
		return errs.E(errs.NotFound, "%s: not found", doing)
	}
	// A carrier's NATS event is retried on any error but invalid, so a
	// value PostgreSQL refuses must be named invalid here, or the event
	// would come back for ever.
	switch pg.Classify(err) {
	case errs.Invalid:
		return &errs.Error{Code: errs.Invalid, Cause: err,
			Message: fmt.Sprintf("%s: a value cannot be stored (too long, out of range or not valid text)", doing)}
	case errs.Unavailable:
		return &errs.Error{Code: errs.Unavailable, Cause: err,
			Message: fmt.Sprintf("%s: the database cannot be reached just now; try again", doing)}
	}
	return errs.Wrap(err, "cannot %s", doing)
}
