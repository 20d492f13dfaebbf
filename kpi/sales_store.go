package kpi

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/pricing"
	"github.com/tongpei/tongpei/stations"
)

type store struct {
	pool *pgxpool.Pool
}

// audit appends one entry to the audit log inside tx.
func audit(ctx context.Context, tx pgx.Tx, actor, action, subject string, detail any) error {
	b, _ := json.Marshal(detail)
	_, err := tx.Exec(ctx, `INSERT INTO kpi_audit (actor, action, subject, detail) VALUES ($1, $2, $3, $4)`,
		actor, action, subject, b)
	return err
}

// writeSales records an upload and its rows in one transaction; a figure
// of the same station, month and source is replaced.
func (st *store) writeSales(ctx context.Context, by string, im Import, rows []SaleRow) (id int64, replaced int, err error) {
	station, month, source := make([]string, len(rows)), make([]string, len(rows)), make([]string, len(rows))
	fen := make([]int64, len(rows))
	for i, r := range rows {
		station[i], month[i], source[i], fen[i] = r.Station, r.Month+"-01", r.Source, r.SalesFen
	}
	err = pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO kpi_sales_imports (format, filename, rows, uploaded_by)
			VALUES ($1, $2, $3, $4) RETURNING id`, im.Format, im.Filename, len(rows), by).Scan(&id); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM kpi_sales k
			JOIN unnest($1::text[], $2::date[], $3::text[]) u (s, m, src) ON k.station = u.s AND k.month = u.m AND k.source = u.src`,
			station, month, source).Scan(&replaced); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO kpi_sales (station, month, source, sales_fen, import_id)
			SELECT s, m, src, f, $5 FROM unnest($1::text[], $2::date[], $3::text[], $4::bigint[]) u (s, m, src, f)
			ON CONFLICT (county, station, month, source) DO UPDATE SET sales_fen = EXCLUDED.sales_fen, import_id = EXCLUDED.import_id, demo = false`,
			station, month, source, fen, id); err != nil {
			return err
		}
		return audit(ctx, tx, by, "sales.import", "import:"+itoa(id), map[string]any{"format": im.Format, "filename": im.Filename, "rows": len(rows), "replaced": replaced})
	})
	return id, replaced, pg.Err(err, "the sales records")
}

// Figure is one monthly figure of a station with where it came from.
type Figure struct {
	Station  string `json:"station"`
	Month    string `json:"month"`
	Source   string `json:"source"`
	SalesFen int64  `json:"sales_fen"`
	Demo     bool   `json:"demo,omitempty"`
	ImportID *int64 `json:"import_id,omitempty"`
}

// sales reads the imported figures of months first..last (YYYY-MM).
func (st *store) sales(ctx context.Context, first, last string) ([]Figure, error) {
	rows, err := st.pool.Query(ctx, `SELECT station, to_char(month, 'YYYY-MM'), source, sales_fen, demo, import_id
		FROM kpi_sales WHERE month BETWEEN $1::date AND $2::date ORDER BY station, month, source`, first+"-01", last+"-01")
	if err != nil {
		return nil, pg.Err(err, "the sales records")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Figure, error) {
		var f Figure
		return f, r.Scan(&f.Station, &f.Month, &f.Source, &f.SalesFen, &f.Demo, &f.ImportID)
	})
	return out, pg.Err(err, "the sales records")
}

// writeDemoSales inserts demonstration figures where none exist for that
// station, month and source, so an operator's uploads are never replaced.
func (st *store) writeDemoSales(ctx context.Context, rows []SaleRow) error {
	station, month, source := make([]string, len(rows)), make([]string, len(rows)), make([]string, len(rows))
	fen := make([]int64, len(rows))
	for i, r := range rows {
		station[i], month[i], source[i], fen[i] = r.Station, r.Month+"-01", r.Source, r.SalesFen
	}
	_, err := st.pool.Exec(ctx, `INSERT INTO kpi_sales (station, month, source, sales_fen, demo)
		SELECT s, m, src, f, true FROM unnest($1::text[], $2::date[], $3::text[], $4::bigint[]) u (s, m, src, f)
		ON CONFLICT DO NOTHING`, station, month, source, fen)
	return pg.Err(err, "the demonstration sales")
}

// NewService wires the scorecard to its tables and to the domains it reads.
func NewService(pool *pgxpool.Pool, reg *stations.Registry, cust *stations.Custody, pr *pricing.Service, disp *dispatch.Service) *Service {
	return &Service{st: &store{pool: pool}, registry: reg, custody: cust, pricing: pr, dispatch: disp, Now: time.Now}
}
