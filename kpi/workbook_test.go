package kpi_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tongpei/tongpei/kpi"
)

func TestWorkbookReadsBack(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rows, _, _ := kpi.ParseCSV(strings.NewReader(edgeCSV))
	if _, err := f.svc.ImportSales(f.ctx, "admin:test", "csv", "edges.csv", rows, nil); err != nil {
		t.Fatal(err)
	}
	sc, err := f.svc.Scorecard(f.ctx, "2026-01-01", "2026-12-31")
	if err != nil {
		t.Fatal(err)
	}
	wb, err := sc.Workbook()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := wb.Write(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	want := []string{kpi.SheetAbout, kpi.SheetSummary, kpi.SheetTiers, kpi.SheetRewards, kpi.SheetVolumes,
		kpi.SheetTenants, kpi.SheetPrice, kpi.SheetJoint, kpi.SheetFlows, kpi.SheetBoxes}
	if got := back.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	// 1×80,000 + 2×50,000 + 2×30,000 + 2×20,000 = 280,000 CNY.
	reward, _ := back.GetRows(kpi.SheetRewards)
	total := reward[len(reward)-3]
	if total[0] != "合计" || total[6] != "280000" || len(reward) != 1+7+3 {
		t.Fatalf("reward sheet total row %v (%d rows)", total, len(reward))
	}
	period, _ := back.GetCellValue(kpi.SheetAbout, "B3")
	if period != "2026-01-01 至 2026-12-31" {
		t.Fatalf("period %q", period)
	}
	tiers, _ := back.GetRows(kpi.SheetTiers)
	if tiers[1][5] != "1" || tiers[4][6] != "7" {
		t.Fatalf("tiers sheet %v", tiers)
	}
	var csv bytes.Buffer
	if err := sc.WriteCSV(&csv); err != nil || !strings.Contains(csv.String(), "年交易额500万元以上站点,≥4,1,未达标") {
		t.Fatalf("csv %q %v", csv.String(), err)
	}
}
