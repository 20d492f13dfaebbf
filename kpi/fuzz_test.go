package kpi

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzParseCSV: any upload either parses into rows whose every cell was
// checked (a row is good or has an error naming it) or is refused; it never
// panics.
func FuzzParseCSV(f *testing.F) {
	f.Add("station,month,sales_fen,source\nV1,2026-01,100,taobao\n")
	f.Add("站点,月份,网络销售额(分),来源\nV1,2026-13,-1,\n")
	f.Add("station,month\n\"x")
	f.Fuzz(func(t *testing.T, in string) {
		rows, bad, err := ParseCSV(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, b := range bad {
			if b.Row < 1 || b.Field == "" || b.Reason == "" {
				t.Fatalf("row error without a row, field or reason: %+v", b)
			}
		}
		if len(bad) == 0 {
			for _, r := range rows {
				if errs := checkRow(r); len(errs) > 0 {
					t.Fatalf("row %+v passed with %v", r, errs)
				}
			}
		}
	})
}

// FuzzParseXLSX: arbitrary bytes are refused or parsed, never a panic.
func FuzzParseXLSX(f *testing.F) {
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, in []byte) {
		_, _, _ = ParseXLSX(bytes.NewReader(in))
	})
}
