package kpi

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/pg"
)

// calendar reads the exceptions between from and to (inclusive).
func (st *store) calendar(ctx context.Context, from, to time.Time) (calendar, error) {
	rows, err := st.pool.Query(ctx, `SELECT day::text, working FROM kpi_calendar WHERE day BETWEEN $1::date AND $2::date`,
		from.Format(time.DateOnly), to.Format(time.DateOnly))
	if err != nil {
		return nil, pg.Err(err, "the calendar")
	}
	c := calendar{}
	var day string
	var working bool
	_, err = pgx.ForEachRow(rows, []any{&day, &working}, func() error { c[day] = working; return nil })
	return c, pg.Err(err, "the calendar")
}

func (st *store) calendarDays(ctx context.Context, year int) ([]CalendarDay, error) {
	rows, err := st.pool.Query(ctx, `SELECT day::text, working, name, source FROM kpi_calendar
		WHERE extract(year FROM day) = $1 ORDER BY day`, year)
	if err != nil {
		return nil, pg.Err(err, "the calendar")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CalendarDay, error) {
		var d CalendarDay
		return d, r.Scan(&d.Day, &d.Working, &d.Name, &d.Source)
	})
	return out, pg.Err(err, "the calendar")
}

func (st *store) setCalendarDay(ctx context.Context, by string, d CalendarDay, remove bool) error {
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		var err error
		if remove {
			_, err = tx.Exec(ctx, `DELETE FROM kpi_calendar WHERE day = $1::date`, d.Day)
		} else {
			_, err = tx.Exec(ctx, `INSERT INTO kpi_calendar (day, working, name, source) VALUES ($1::date, $2, $3, $4)
				ON CONFLICT (county, day) DO UPDATE SET working = EXCLUDED.working, name = EXCLUDED.name, source = EXCLUDED.source`,
				d.Day, d.Working, d.Name, d.Source)
		}
		if err != nil {
			return err
		}
		action := "calendar.set"
		if remove {
			action = "calendar.remove"
		}
		return audit(ctx, tx, by, action, "day:"+d.Day, d)
	})
	return pg.Err(err, "the calendar")
}
