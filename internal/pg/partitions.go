package pg

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/tenant"
)

// The tables range-partitioned by month (migration 00160) and the column
// that places a row: the server's clock when the row was written.
var partitioned = []struct{ table, key string }{
	{"parcel_events", "recorded_at"},
	{"outbox", "created_at"},
}

// PartitionsAhead is how many months after the current one EnsurePartitions
// makes: a server left without maintenance for that long still stores.
const PartitionsAhead = 3

// beijing is the zone the month boundaries are drawn in (UTC+8, no DST).
var beijing = time.FixedZone("CST", 8*3600)

// Partition is one month of a partitioned table.
type Partition struct {
	Table    string    // parcel_events or outbox
	Name     string    // e.g. parcel_events_y2026m12
	Month    time.Time // first instant of the month, Beijing time
	Rows     int64     // exact count (partitions are read with count(*))
	Unsent   int64     // outbox rows not yet published; 0 for the timeline
	Detached bool      // a table of that name that is no longer a partition
}

// EnsurePartitions makes the month partitions of every partitioned table
// from the month before now's to PartitionsAhead months after it, those
// missing only, and returns the names it made. The month before is for a
// new database: a transaction begun before midnight on the last day of a
// month stores rows of that month (now() is when it began), and tests and
// tools write rows of past days. Cheap when nothing is missing (one catalog
// look-up per month), so every Open calls it and serve once a day.
//
// Several processes opening one database at once (API nodes, a tool beside
// serve) take turns on an advisory lock, so two never create one month.
func EnsurePartitions(ctx context.Context, pool *pgxpool.Pool, now time.Time) ([]string, error) {
	first := monthOf(now)
	var made []string
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		made = nil
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('tongpei.partitions', 0))`); err != nil {
			return fmt.Errorf("making partitions: %w", err)
		}
		for _, p := range partitioned {
			for i := -1; i <= PartitionsAhead; i++ {
				var name *string
				if err := tx.QueryRow(ctx, `SELECT tongpei_month_partition($1, $2::date)`,
					p.table, first.AddDate(0, i, 0).Format(time.DateOnly)).Scan(&name); err != nil {
					return fmt.Errorf("making the %s partition for %s: %w", p.table, first.AddDate(0, i, 0).Format("2006-01"), err)
				}
				if name != nil {
					made = append(made, *name)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return made, nil
}

// ListPartitions names every month of the partitioned tables, attached or
// detached (a detached month keeps its table until an operator drops it),
// oldest first, with its rows counted.
func ListPartitions(ctx context.Context, pool *pgxpool.Pool) ([]Partition, error) {
	ctx = tenant.WithProvince(ctx) // every county's rows
	var out []Partition
	for _, p := range partitioned {
		rows, err := pool.Query(ctx, `
			SELECT c.relname, EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)
			FROM pg_class c
			WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
			  AND c.relname ~ ('^' || $1 || '_y[0-9]{4}m[0-9]{2}$')
			ORDER BY c.relname`, p.table)
		if err != nil {
			return nil, fmt.Errorf("listing the partitions of %s: %w", p.table, err)
		}
		parts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Partition, error) {
			var x Partition
			var attached bool
			err := r.Scan(&x.Name, &attached)
			x.Table, x.Detached = p.table, !attached
			return x, err
		})
		if err != nil {
			return nil, fmt.Errorf("listing the partitions of %s: %w", p.table, err)
		}
		for i := range parts {
			x := &parts[i]
			if x.Month, err = partitionMonth(p.table, x.Name); err != nil {
				return nil, err
			}
			unsent := "0"
			if p.table == "outbox" {
				unsent = "count(*) FILTER (WHERE sent_at IS NULL)"
			}
			if err := pool.QueryRow(ctx, `SELECT count(*), `+unsent+` FROM `+pgx.Identifier{x.Name}.Sanitize()).
				Scan(&x.Rows, &x.Unsent); err != nil {
				return nil, fmt.Errorf("counting %s: %w", x.Name, err)
			}
		}
		out = append(out, parts...)
	}
	return out, nil
}

// ErrUnsent is why DetachOlderThan keeps an outbox month: it still holds
// events the relay has not published, which a detach would lose.
var ErrUnsent = errors.New("the month still holds unpublished outbox rows")

// Detached is what DetachOlderThan did with one month.
type Detached struct {
	Partition
	Err error // nil: detached; ErrUnsent (wrapped): kept
}

// DetachOlderThan detaches every attached month that ended more than
// months whole months before the month of now (months = 12 in December
// 2026 detaches November 2025 and older), each in its own transaction.
// The detached table stays, under its name, for an operator to archive
// (pg_dump -t) and drop; the keys of its rows leave the key tables, so the
// ids of scans older than the timeline keeps are forgotten with them.
// An outbox month with unsent rows is never detached (ErrUnsent).
func DetachOlderThan(ctx context.Context, pool *pgxpool.Pool, now time.Time, months int) ([]Detached, error) {
	if months < 1 {
		return nil, fmt.Errorf("keep at least the current month and one before it, not %d months", months)
	}
	ctx = tenant.WithProvince(ctx) // a month holds every county's rows
	cut := monthOf(now).AddDate(0, -months, 0)
	parts, err := ListPartitions(ctx, pool)
	if err != nil {
		return nil, err
	}
	var out []Detached
	for _, p := range parts {
		if p.Detached || !p.Month.Before(cut) {
			continue
		}
		d := Detached{Partition: p}
		if err := detach(ctx, pool, p); err != nil {
			if !errors.Is(err, ErrUnsent) {
				return out, err
			}
			d.Err = err
		}
		out = append(out, d)
	}
	return out, nil
}

// detach takes one month out of its table, then its keys. The parent is
// locked first (briefly: writers wait milliseconds), so that no relay marks
// or claims a row between the check for unsent rows and the detach, and
// so that lock order is parent then partition, as every writer's is.
func detach(ctx context.Context, pool *pgxpool.Pool, p Partition) error {
	keys := "parcel_event_ids"
	if p.Table == "outbox" {
		keys = "outbox_ids"
	}
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		parent, part := pgx.Identifier{p.Table}.Sanitize(), pgx.Identifier{p.Name}.Sanitize()
		if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '5s'`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `LOCK TABLE `+parent+` IN ACCESS EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("locking %s to detach %s: %w", p.Table, p.Name, err)
		}
		if p.Table == "outbox" {
			var unsent int64
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+part+` WHERE sent_at IS NULL`).Scan(&unsent); err != nil {
				return fmt.Errorf("checking %s for unsent rows: %w", p.Name, err)
			}
			if unsent > 0 {
				return fmt.Errorf("%s kept: %d rows unsent: %w", p.Name, unsent, ErrUnsent)
			}
		}
		// the app role owns no table: the function detaches as the owner
		if _, err := tx.Exec(ctx, `SELECT tongpei_detach_partition($1, $2)`, p.Table, p.Name); err != nil {
			return fmt.Errorf("detaching %s: %w", p.Name, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The keys go after the lock is released: a month of keys takes a
	// while to delete, and deleting them blocks no writer (new rows have
	// other ids).
	if _, err := pool.Exec(ctx, `DELETE FROM `+keys+` k USING `+pgx.Identifier{p.Name}.Sanitize()+` d WHERE k.id = d.id`); err != nil {
		return fmt.Errorf("%s is detached but the keys of its rows are still in %s (%w); delete them with DELETE FROM %s k USING %s d WHERE k.id = d.id",
			p.Name, keys, err, keys, p.Name)
	}
	return nil
}

// monthOf is the first instant of t's month in Beijing time.
func monthOf(t time.Time) time.Time {
	b := t.In(beijing)
	return time.Date(b.Year(), b.Month(), 1, 0, 0, 0, 0, beijing)
}

// partitionMonth reads the month back from a partition's name.
func partitionMonth(table, name string) (time.Time, error) {
	var y, m int
	if _, err := fmt.Sscanf(name[len(table):], "_y%04dm%02d", &y, &m); err != nil || m < 1 || m > 12 {
		return time.Time{}, fmt.Errorf("partition %s: the name does not say its month", name)
	}
	return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, beijing), nil
}
