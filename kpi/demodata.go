package kpi

import (
	"context"
	"fmt"
	"hash/fnv"
	"sort"
)

// DemoSource marks the demonstration sales; the workbook and the report
// say when any figure is demonstration data.
const DemoSource = "演示数据"

// DemoYear is the year the demonstration sales cover.
const DemoYear = 2026

// demoShape is how many stations the demonstration puts in each tier, so
// that the scorecard shows targets met (tiers 1, 3, 4) and missed (tier 2)
// on day one, within the budget.
var demoShape = []struct {
	n        int
	min, max int64 // annual volume range, fen
}{
	{5, 5_200_000_00, 7_800_000_00},
	{6, 1_100_000_00, 4_600_000_00},
	{14, 520_000_00, 960_000_00},
	{3, 210_000_00, 470_000_00},
}

// seasonality weighs the months: citrus (新平橙) in winter, mangoes and
// lychees in summer.
var seasonality = [12]int64{14, 9, 6, 5, 6, 11, 13, 10, 6, 7, 12, 16}

// LoadDemo writes a year of plausible monthly sales for the registered
// stations, marked as demonstration data; existing figures are kept.
func (s *Service) LoadDemo(ctx context.Context) error {
	idx, err := s.stationIndex(ctx)
	if err != nil {
		return err
	}
	var codes []string
	for code, st := range idx {
		if st.Tier != "county_hub" && st.Active {
			codes = append(codes, code)
		}
	}
	sort.Slice(codes, func(i, j int) bool { return hash(codes[i]) < hash(codes[j]) })
	var rows []SaleRow
	for i, code := range codes {
		annual := demoAnnual(i, code)
		rows = append(rows, spread(code, annual)...)
	}
	if len(rows) == 0 {
		return nil
	}
	return s.st.writeDemoSales(ctx, rows)
}

// demoAnnual is the i-th station's annual volume: the tiers of demoShape
// first, then small stations below CNY 200,000.
func demoAnnual(i int, code string) int64 {
	h := int64(hash(code) % 1000)
	for _, t := range demoShape {
		if i < t.n {
			return t.min + (t.max-t.min)*h/1000
		}
		i -= t.n
	}
	return 8_000_00 + 180_000_00*h/1000
}

// spread splits an annual volume over the months by seasonality, exactly.
func spread(code string, annual int64) []SaleRow {
	var total int64
	for _, w := range seasonality {
		total += w
	}
	rows := make([]SaleRow, 12)
	var given int64
	for m := range 12 {
		v := annual * seasonality[m] / total
		if m == 11 {
			v = annual - given
		}
		given += v
		rows[m] = SaleRow{Station: code, Month: fmt.Sprintf("%d-%02d", DemoYear, m+1), SalesFen: v, Source: DemoSource}
	}
	return rows
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}
