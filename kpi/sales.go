package kpi

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tongpei/tongpei/internal/errs"
)

// SaleRow is one imported sales record: a station's online sales in one
// month as one source reports them (an e-commerce platform, the county's
// statistics, the station's own books).
type SaleRow struct {
	Station  string `json:"station"`
	Month    string `json:"month"` // YYYY-MM
	SalesFen int64  `json:"sales_fen"`
	Source   string `json:"source"`
}

// RowError names a bad row of an upload (1-based, counting the header line
// of a file) and the field that is wrong.
type RowError struct {
	Row    int    `json:"row"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// ImportError is an upload refused because of bad rows; none of it was
// written. It is an invalid-input error whose fields name row and field.
type ImportError struct {
	Rows []RowError
}

func (e *ImportError) Error() string {
	return fmt.Sprintf("%d bad row(s) in the upload; nothing was written", len(e.Rows))
}

// asErr turns the row errors into the shared invalid error, with one field
// per bad cell ("rows[3].sales_fen"), so the API answers them as a 422.
func (e *ImportError) asErr() error {
	var f errs.Fields
	for _, r := range e.Rows {
		f.Add(fmt.Sprintf("rows[%d].%s", r.Row, r.Field), "%s", r.Reason)
	}
	out := f.Err().(*errs.Error)
	out.Message = e.Error()
	return out
}

// MaxSaleRows bounds one upload: a year of every station many times over.
const MaxSaleRows = 50_000

// MaxSaleFen bounds one month's figure (CNY 100 million) to catch a value
// typed in the wrong unit.
const MaxSaleFen int64 = 10_000_000_000

var (
	monthPattern  = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)
	sourcePattern = regexp.MustCompile(`^[\p{L}\p{N}_.\- ]{1,64}$`)
)

// headers maps the column names an upload may use, English or Chinese, to
// the fields.
var headers = map[string]string{
	"station": "station", "站点": "station", "站点编码": "station",
	"month": "month", "月份": "month",
	"sales_fen": "sales_fen", "网络销售额(分)": "sales_fen", "网络销售额（分）": "sales_fen", "销售额(分)": "sales_fen",
	"source": "source", "来源": "source", "数据来源": "source",
}

// ParseCSV reads sales rows from CSV with a header line (UTF-8, an optional
// byte-order mark). Cells it cannot read are reported per row.
func ParseCSV(r io.Reader) ([]SaleRow, []RowError, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	records, err := cr.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, []RowError{{Row: pe.Line, Field: "csv", Reason: pe.Err.Error()}}, nil
		}
		return nil, nil, errs.E(errs.Invalid, "cannot read the CSV: %v", err)
	}
	return parseTable(records)
}

// ParseXLSX reads sales rows from the first sheet of a workbook, header in
// the first row.
func ParseXLSX(r io.Reader) ([]SaleRow, []RowError, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, nil, errs.E(errs.Invalid, "the file is not an XLSX workbook: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, errs.E(errs.Invalid, "the workbook has no sheet")
	}
	records, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, nil, errs.E(errs.Invalid, "cannot read sheet %q: %v", sheets[0], err)
	}
	return parseTable(records)
}

// parseTable maps a header row and data rows to sales rows; row numbers
// count the header as row 1, as a spreadsheet shows them.
func parseTable(records [][]string) ([]SaleRow, []RowError, error) {
	if len(records) == 0 {
		return nil, nil, errs.E(errs.Invalid, "the file is empty; give a header row: station,month,sales_fen,source")
	}
	col := map[string]int{}
	for i, h := range records[0] {
		h = strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")
		if f, ok := headers[strings.ToLower(h)]; ok {
			col[f] = i
		}
	}
	var missing []string
	for _, f := range []string{"station", "month", "sales_fen", "source"} {
		if _, ok := col[f]; !ok {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, nil, errs.E(errs.Invalid, "the header row lacks %s; give station,month,sales_fen,source", strings.Join(missing, ", "))
	}
	if len(records)-1 > MaxSaleRows {
		return nil, nil, errs.E(errs.Invalid, "at most %d rows per upload, not %d; split the file", MaxSaleRows, len(records)-1)
	}
	cell := func(rec []string, f string) string {
		if i := col[f]; i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var rows []SaleRow
	var bad []RowError
	for n, rec := range records[1:] {
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue // blank lines at the end of a sheet
		}
		row := SaleRow{Station: cell(rec, "station"), Month: cell(rec, "month"), Source: cell(rec, "source")}
		raw := cell(rec, "sales_fen")
		v, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			bad = append(bad, RowError{Row: n + 2, Field: "sales_fen", Reason: fmt.Sprintf("%q is not a whole number of fen", raw)})
			v = 0
		}
		row.SalesFen = v
		for _, e := range checkRow(row) {
			if e.Field == "sales_fen" && err != nil {
				continue
			}
			e.Row = n + 2
			bad = append(bad, e)
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 && len(bad) == 0 {
		return nil, nil, errs.E(errs.Invalid, "the file has a header but no rows")
	}
	return rows, bad, nil
}

// checkRow checks one row's own fields (not whether its station exists).
func checkRow(r SaleRow) []RowError {
	var bad []RowError
	add := func(field, format string, args ...any) {
		bad = append(bad, RowError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if r.Station == "" {
		add("station", "give the station's code")
	}
	if !monthPattern.MatchString(r.Month) {
		add("month", "must be YYYY-MM, e.g. 2026-03, not %q", r.Month)
	} else if m, _ := time.Parse("2006-01", r.Month); m.Year() < 2020 || m.Year() > 2100 {
		add("month", "must be a month from 2020 on, not %s", r.Month)
	}
	if r.SalesFen < 0 || r.SalesFen > MaxSaleFen {
		add("sales_fen", "must be fen from 0 to %d, not %d; give fen, not yuan", MaxSaleFen, r.SalesFen)
	}
	if !sourcePattern.MatchString(r.Source) {
		add("source", "name the source in 1 to 64 letters, digits, spaces or _.-, e.g. taobao or 县商务局统计")
	}
	if r.Source == SourceParcels {
		add("source", "%q is reserved for the declared value of parcels accepted at the station", SourceParcels)
	}
	return bad
}

// DetectFormat tells an upload's format from its name or content type.
func DetectFormat(filename, contentType string, head []byte) string {
	n := strings.ToLower(filename)
	switch {
	case strings.HasSuffix(n, ".xlsx"), strings.Contains(contentType, "spreadsheetml"), bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "xlsx"
	}
	return "csv"
}
