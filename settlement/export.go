package settlement

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/tongpei/tongpei/internal/errs"
)

// csvHeader is the statement CSV's columns; amounts in fen, as in JSON.
var csvHeader = []string{"account", "month", "date", "entry", "kind", "source", "memo", "detail", "amount_fen", "balance_fen"}

// StatementsCSV writes statements as one CSV table: an opening row, the
// lines, and a closing row per account, so a carrier can re-add them.
func StatementsCSV(sts []Statement) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("\ufeff") // a BOM, so spreadsheet programs read the Chinese right
	w := csv.NewWriter(&b)
	_ = w.Write(csvHeader)
	for _, st := range sts {
		for _, row := range statementRows(st) {
			_ = w.Write(row)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, errs.Wrap(err, "statement CSV")
	}
	return b.Bytes(), nil
}

// statementRows is one statement as table rows.
func statementRows(st Statement) [][]string {
	rows := [][]string{{st.Account, st.Month, "", "", "opening", "", "期初余额 opening balance", "", "", itoa(st.OpeningFen)}}
	for _, ln := range st.Lines {
		rows = append(rows, []string{st.Account, st.Month, ln.Date, itoa(ln.Entry), ln.Kind, ln.Source, ln.Memo, ln.Detail,
			itoa(ln.AmountFen), itoa(ln.BalanceFen)})
	}
	return append(rows, []string{st.Account, st.Month, "", "", "closing", "", "期末余额 closing balance", "", itoa(st.DebitsFen - st.CreditsFen), itoa(st.ClosingFen)})
}

// StatementsXLSX writes one sheet per statement.
func StatementsXLSX(sts []Statement) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	for i, st := range sts {
		name := sheetName(st.Account, i)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return nil, errs.Wrap(err, "statement workbook")
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return nil, errs.Wrap(err, "statement workbook")
		}
		rows := append([][]string{csvHeader}, statementRows(st)...)
		for r, row := range rows {
			cells := make([]any, len(row))
			for c, v := range row {
				cells[c] = v
				if n, err := strconv.ParseInt(v, 10, 64); err == nil && r > 0 && c >= 8 {
					cells[c] = n // amounts as numbers, so the sheet can sum them
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &cells); err != nil {
				return nil, errs.Wrap(err, "statement workbook")
			}
		}
	}
	if len(sts) == 0 {
		_ = f.SetSheetRow("Sheet1", "A1", &[]any{"no statements for this month"})
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, errs.Wrap(err, "statement workbook")
	}
	return b.Bytes(), nil
}

// sheetName fits an account code in a sheet name (31 characters, no ':').
func sheetName(account string, i int) string {
	name := fmt.Sprintf("%d %s", i+1, account)
	out := []rune{}
	for _, r := range name {
		if r == ':' || r == '/' || r == '\\' || r == '?' || r == '*' || r == '[' || r == ']' {
			r = '-'
		}
		out = append(out, r)
	}
	if len(out) > 31 {
		out = out[:31]
	}
	return string(out)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
