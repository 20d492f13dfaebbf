package kpi_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/kpi"
)

// edgeCSV puts each village exactly at, or one fen under, a tier edge; V2's
// figure is split over two months and two sources, which must add up.
const edgeCSV = "\ufeffstation,month,sales_fen,source\n" +
	"V1,2026-03,19999999,taobao\n" +
	"V2,2026-01,10000000,taobao\n" +
	"V2,2026-12,10000000,县商务局统计\n" +
	"V3,2026-05,49999999,taobao\n" +
	"V4,2026-05,50000000,taobao\n" +
	"V5,2026-05,99999999,taobao\n" +
	"V6,2026-05,100000000,taobao\n" +
	"V7,2026-05,499999999,taobao\n" +
	"V8,2026-05,500000000,taobao\n" +
	"V8,2027-01,900000000,taobao\n" // outside the window

func TestUploadedVolumesLandInTheirTiers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rows, bad, err := kpi.ParseCSV(strings.NewReader(edgeCSV))
	if err != nil || len(bad) > 0 {
		t.Fatalf("parse: %v %v", err, bad)
	}
	im, err := f.svc.ImportSales(f.ctx, "admin:test", "csv", "edges.csv", rows, bad)
	if err != nil || im.Rows != 10 || im.Stations != 8 {
		t.Fatalf("import %+v %v", im, err)
	}
	w, _ := kpi.YearFrom("2026-01")
	vols, err := f.svc.Volumes(f.ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		fen  int64
		tier int
	}{
		"V1": {19999999, 0}, "V2": {20000000, 4}, "V3": {49999999, 4}, "V4": {50000000, 3},
		"V5": {99999999, 3}, "V6": {100000000, 2}, "V7": {499999999, 2}, "V8": {500000000, 1}, "T1": {0, 0},
	}
	for _, v := range vols {
		wv, ok := want[v.Station]
		if !ok {
			t.Fatalf("unexpected station %s", v.Station)
		}
		tier := 0
		if tr := kpi.TierOf(v.VolumeFen); tr != nil {
			tier = tr.Level
		}
		if v.VolumeFen != wv.fen || tier != wv.tier {
			t.Errorf("%s: %d fen tier %d, want %d fen tier %d", v.Station, v.VolumeFen, tier, wv.fen, wv.tier)
		}
	}
	if v2 := vols[2]; v2.Station != "V2" || len(v2.BySource) != 2 || len(v2.Figures) != 2 {
		t.Errorf("V2 keeps each figure with its source: %+v", v2)
	}
}

func TestOneBadRowWritesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	csv := "station,month,sales_fen,source\nV1,2026-01,100,taobao\nV2,2026-13,100,taobao\nV3,2026-01,12.5,taobao\nV9,2026-01,1,taobao\n"
	rows, bad, err := kpi.ParseCSV(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.ImportSales(f.ctx, "admin:test", "csv", "bad.csv", rows, bad)
	e, ok := err.(*errs.Error)
	if !ok || e.Code != errs.Invalid {
		t.Fatalf("err %v, want invalid", err)
	}
	got := map[string]bool{}
	for _, fe := range e.Fields {
		got[fe.Field] = true
	}
	for _, want := range []string{"rows[3].month", "rows[4].sales_fen", "rows[5].station"} {
		if !got[want] {
			t.Errorf("missing %s in %+v", want, e.Fields)
		}
	}
	if len(e.Fields) != 3 {
		t.Errorf("fields %+v, want exactly the three bad cells", e.Fields)
	}
	var n int
	if err := f.pool.QueryRow(f.ctx, `SELECT (SELECT count(*) FROM kpi_sales) + (SELECT count(*) FROM kpi_sales_imports)`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("rows written after a refused upload: %d %v", n, err)
	}
}

func TestXLSXUploadAndReplacement(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	x := excelize.NewFile()
	for i, r := range [][]any{{"站点", "月份", "网络销售额(分)", "来源"}, {"V1", "2026-02", 3000000, "抖音"}, {"V2", "2026-02", 123, "抖音"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rows, bad, err := kpi.ParseXLSX(&buf)
	if err != nil || len(bad) > 0 || len(rows) != 2 || rows[0].SalesFen != 3000000 || rows[0].Source != "抖音" {
		t.Fatalf("parse %+v %v %v", rows, bad, err)
	}
	if _, err := f.svc.ImportSales(f.ctx, "admin:test", "xlsx", "a.xlsx", rows, nil); err != nil {
		t.Fatal(err)
	}
	again, err := f.svc.ImportSales(f.ctx, "admin:test", "json", "", []kpi.SaleRow{{Station: "V1", Month: "2026-02", SalesFen: 5, Source: "抖音"}}, nil)
	if err != nil || again.Replaced != 1 {
		t.Fatalf("replace: %+v %v", again, err)
	}
	w, _ := kpi.YearFrom("2026-01")
	vols, _ := f.svc.Volumes(f.ctx, w)
	for _, v := range vols {
		if v.Station == "V1" && v.VolumeFen != 5 {
			t.Fatalf("V1 %d fen, want the replacing 5", v.VolumeFen)
		}
	}
}
