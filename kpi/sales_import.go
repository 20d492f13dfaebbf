package kpi

import (
	"context"
	"fmt"

	"github.com/tongpei/tongpei/internal/errs"
)

// Import is what an accepted upload wrote.
type Import struct {
	ID       int64  `json:"import_id"`
	Format   string `json:"format"`
	Filename string `json:"filename,omitempty"`
	Rows     int    `json:"rows"`
	Stations int    `json:"stations"`
	// Replaced counts figures of the same station, month and source that
	// an earlier upload had given and this one replaced.
	Replaced int `json:"replaced"`
}

// ImportSales writes an upload's rows when every one is good, else nothing:
// the error lists each bad row and field (errs.Invalid, fields
// "rows[N].field"). parseErrs are what the parser already found.
func (s *Service) ImportSales(ctx context.Context, by, format, filename string, rows []SaleRow, parseErrs []RowError) (Import, error) {
	if len(rows) == 0 && len(parseErrs) == 0 {
		return Import{}, errs.E(errs.Invalid, "send at least one row: station, month, sales_fen, source")
	}
	if len(rows) > MaxSaleRows {
		return Import{}, errs.E(errs.Invalid, "at most %d rows per upload, not %d; split the file", MaxSaleRows, len(rows))
	}
	idx, err := s.stationIndex(ctx)
	if err != nil {
		return Import{}, err
	}
	bad := append([]RowError(nil), parseErrs...)
	seen := map[[3]string]int{}
	names := map[string]bool{}
	for i, r := range rows {
		n := i + 1 // a JSON upload counts rows from 1
		if format != "json" {
			n = i + 2
		}
		if format == "json" {
			for _, e := range checkRow(r) {
				e.Row = n
				bad = append(bad, e)
			}
		}
		if _, ok := idx[r.Station]; r.Station != "" && !ok {
			bad = append(bad, RowError{Row: n, Field: "station", Reason: fmt.Sprintf("station %q is not registered; check the code", r.Station)})
		}
		key := [3]string{r.Station, r.Month, r.Source}
		if first, dup := seen[key]; dup {
			bad = append(bad, RowError{Row: n, Field: "month", Reason: fmt.Sprintf("row %d already gives %s %s from %s", first, r.Station, r.Month, r.Source)})
		}
		seen[key] = n
		names[r.Station] = true
	}
	if len(bad) > 0 {
		sortRowErrors(bad)
		return Import{}, (&ImportError{Rows: bad}).asErr()
	}
	im := Import{Format: format, Filename: filename, Rows: len(rows), Stations: len(names)}
	im.ID, im.Replaced, err = s.st.writeSales(ctx, by, im, rows)
	return im, err
}

func sortRowErrors(bad []RowError) {
	for i := 1; i < len(bad); i++ { // insertion sort: stable and the lists are short
		for j := i; j > 0 && bad[j].Row < bad[j-1].Row; j-- {
			bad[j], bad[j-1] = bad[j-1], bad[j]
		}
	}
}
