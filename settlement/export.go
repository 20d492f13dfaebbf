package settlement

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/tongpei/tongpei/internal/errs"
)

// csvHeader is the statement CSV's columns, named in Chinese as the
// county's other workbooks are (kpi); amounts in fen, as in JSON; the
// English texts last, so the amounts keep their columns.
var csvHeader = []string{"账户", "月份", "日期", "分录号", "类型", "来源", "摘要", "明细", "金额（分）", "余额（分）", "摘要（英文）", "明细（英文）"}

// firstAmountCol and lastAmountCol bound the columns a workbook holds as
// numbers.
const firstAmountCol, lastAmountCol = 8, 9

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
	rows := [][]string{{st.Account, st.Month, "", "", "opening", "", "期初余额", "", "", itoa(st.OpeningFen), "opening balance", ""}}
	for _, ln := range st.Lines {
		rows = append(rows, []string{st.Account, st.Month, ln.Date, itoa(ln.Entry), ln.Kind, ln.Source, ln.Memo, ln.Detail,
			itoa(ln.AmountFen), itoa(ln.BalanceFen), ln.MemoEn, ln.DetailEn})
	}
	return append(rows, []string{st.Account, st.Month, "", "", "closing", "", "期末余额", "", itoa(st.DebitsFen - st.CreditsFen), itoa(st.ClosingFen), "closing balance", ""})
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
				if n, err := strconv.ParseInt(v, 10, 64); err == nil && r > 0 && c >= firstAmountCol && c <= lastAmountCol {
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
		_ = f.SetSheetRow("Sheet1", "A1", &[]any{"本月没有对账单 no statements for this month"})
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
