package settlement

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/xuri/excelize/v2"
	"go.uber.org/goleak"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/stations"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("github.com/jackc/puddle/v2.(*Pool).backgroundHealthCheck"),
		goleak.IgnoreAnyFunction("github.com/jackc/pgx/v5/pgxpool.(*Pool).backgroundHealthCheck"))
}

var carriers = []string{"ZTO", "YTO", "SF"}

// county is the demonstration county with three carriers and the joint
// fleet, in a database of its own; the registry rows are written directly
// (the registry is not what these tests are about).
func county(t *testing.T) (*pgxpool.Pool, *dispatch.Service, *Ledger) {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.Pool(t)
	for _, s := range demo.Stations() {
		var parent any
		if s.Parent != "" {
			parent = s.Parent
		}
		if _, err := pool.Exec(ctx, `INSERT INTO stations (code, name, tier, parent, township, lon, lat, keeper_name, keeper_phone)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, s.Code, s.Name, s.Tier, parent, s.Township, s.Lon, s.Lat, s.KeeperName, s.KeeperPhone); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range carriers {
		if _, err := pool.Exec(ctx, `INSERT INTO carriers (code, name, kind) VALUES ($1, $1, 'express')`, c); err != nil {
			t.Fatal(err)
		}
	}
	d := dispatch.NewService(pool)
	if err := d.LoadDemoFleet(ctx); err != nil {
		t.Fatal(err)
	}
	l := NewLedger(pool, d, stations.NewCustody(pool))
	l.Shares = dispatch.ShareOptions{Budget: 300 * time.Millisecond, MinSolve: 10 * time.Millisecond, Seed: 1}
	return pool, d, l
}

// runDay brings a small generated day through the county: parcels at the
// hub and at the stations, a plan, its publication, then every parcel
// handed over or accepted at its station during the day (custody's rows
// written directly, as the morning and evening scans would leave them).
func runDay(t *testing.T, pool *pgxpool.Pool, d *dispatch.Service, day time.Time, seed uint64) *dispatch.Plan {
	t.Helper()
	ctx := context.Background()
	parcels := demo.GenerateDay(demo.DayOptions{Date: day, Seed: seed, Down: 30, Up: 6, Carriers: carriers})
	rows := make([][]any, len(parcels))
	for i, p := range parcels {
		state := "hub_inbound"
		if p.Direction == "up" {
			state = "accepted"
		}
		rows[i] = []any{p.Carrier, p.TrackingNo, p.Direction, p.Station, state, p.WeightG, p.SizeCM["l"], p.SizeCM["w"], p.SizeCM["h"], p.Category}
	}
	if _, err := pgtest.CopyFrom(t, ctx, pool, pgx.Identifier{"parcels"},
		[]string{"carrier", "tracking_no", "direction", "station", "state", "weight_g", "size_l", "size_w", "size_h", "category"},
		pgx.CopyFromRows(rows)); err != nil {
		t.Fatal(err)
	}
	plan, err := d.CreatePlan(ctx, dispatch.PlanOptions{ServiceDate: day.Format(time.DateOnly), TimeLimit: 150 * time.Millisecond, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Publish(ctx, plan.ID); err != nil {
		t.Fatal(err)
	}
	noon := day.Add(12 * time.Hour)
	if _, err := pool.Exec(ctx, `
		INSERT INTO parcel_events (id, parcel_id, kind, station, at, by)
		SELECT gen_random_uuid(), id, CASE direction WHEN 'down' THEN 'picked_up' ELSE 'accepted' END, station, $1, 'test'
		FROM parcels WHERE state IN ('hub_inbound', 'accepted')`, noon); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE parcels SET state = CASE direction WHEN 'down' THEN 'picked_up' ELSE 'handed_to_carrier' END
		WHERE state IN ('hub_inbound', 'accepted')`); err != nil {
		t.Fatal(err)
	}
	return plan
}

// TestMonthOfDemoDays posts a month of demonstration days and checks the
// ledger a county would audit: balances sum to zero, each carrier's
// statement closes at the sum of its cost shares and fees, posting again
// changes nothing, a late scan is corrected by reversal, a reversal leaves
// the history intact, and entries cannot be edited.
func TestMonthOfDemoDays(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, d, l := county(t)
	owed := map[string]int64{}
	var plans []*dispatch.Plan
	first := time.Date(2026, 11, 1, 0, 0, 0, 0, County)
	for k := range 30 {
		day := first.AddDate(0, 0, k)
		plan := runDay(t, pool, d, day, uint64(k+1))
		plans = append(plans, plan)
		if _, err := l.PostDay(ctx, day.Format(time.DateOnly)); err != nil {
			t.Fatalf("day %d: %v", k+1, err)
		}
		cs, err := d.CostShares(ctx, plan.ID, l.Shares)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range cs.Shares {
			owed[s.Carrier] += s.ShareFen
		}
	}
	var fees int64
	if err := pool.QueryRow(ctx, `SELECT coalesce(sum(CASE WHEN direction = 'down' THEN 50 ELSE 100 END), 0)::bigint
		FROM parcels p JOIN stations s ON s.code = p.station WHERE s.tier = 'village'`).Scan(&fees); err != nil {
		t.Fatal(err)
	}
	tb, err := l.Balances(ctx)
	if err != nil || !tb.Balanced || tb.SumFen != 0 {
		t.Fatalf("trial balance %+v: %v", tb, err)
	}
	sts, err := l.Statements(ctx, StatementFilter{Month: "2026-11", Kind: KindCarrier})
	if err != nil || len(sts) != len(carriers) {
		t.Fatalf("%d carrier statements: %v", len(sts), err)
	}
	var closing int64
	for _, st := range sts {
		closing += st.ClosingFen
		if st.ClosingFen <= owed[st.Party] {
			t.Errorf("%s closes at %d fen, its fleet shares alone are %d", st.Party, st.ClosingFen, owed[st.Party])
		}
		if st.OpeningFen != 0 || st.ClosingFen != st.DebitsFen-st.CreditsFen || st.Lines[len(st.Lines)-1].BalanceFen != st.ClosingFen {
			t.Errorf("%s: opening %d, closing %d, debits %d, credits %d", st.Party, st.OpeningFen, st.ClosingFen, st.DebitsFen, st.CreditsFen)
		}
	}
	sharesTotal := int64(0)
	for _, v := range owed {
		sharesTotal += v
	}
	if closing != sharesTotal+fees {
		t.Errorf("carriers owe %d fen, want shares %d + fees %d", closing, sharesTotal, fees)
	}

	// Posting a day again changes nothing.
	again, err := l.PostDay(ctx, "2026-11-03")
	if err != nil || len(again.Posted) != 0 {
		t.Errorf("posting a day twice posted %d entries: %v", len(again.Posted), err)
	}
	// A late scan on the 5th: its fees are reversed and posted again.
	if _, err := pool.Exec(ctx, `INSERT INTO parcel_events (id, parcel_id, kind, station, at, by)
		SELECT gen_random_uuid(), id, 'accepted', station, $1, 'test' FROM parcels WHERE direction = 'up' LIMIT 1`,
		first.AddDate(0, 0, 4).Add(18*time.Hour)); err != nil {
		t.Fatal(err)
	}
	late, err := l.PostDay(ctx, "2026-11-05")
	if err != nil || len(late.Posted) != 2 || late.Posted[0].Kind != Reversal || late.Posted[1].Source != "fees:2026-11-05#2" {
		t.Fatalf("late scan posted %+v: %v", late, err)
	}
	// Texts are Chinese first, the English beside them.
	if r := late.Posted[0]; !strings.HasPrefix(r.Memo, "冲正第 ") || !strings.HasSuffix(r.Memo, "2026-11-05 驿站服务费重新计数") ||
		!strings.HasPrefix(r.MemoEn, "reverses entry ") || !strings.HasSuffix(r.MemoEn, "station fees of 2026-11-05 recounted") {
		t.Errorf("fee reversal memo %q / %q", r.Memo, r.MemoEn)
	}
	if f := late.Posted[1]; f.Memo != "2026-11-05 驿站服务费" || f.MemoEn != "station handling fees of 2026-11-05" ||
		!strings.Contains(f.Lines[0].Detail, " 件 × ") || !strings.Contains(f.Lines[0].DetailEn, " parcels × ") {
		t.Errorf("fee entry %q / %q, line %+v", f.Memo, f.MemoEn, f.Lines[0])
	}
	// Reversing a fleet share keeps the original and balances still sum to zero.
	orig, err := l.liveBySource(ctx, fmt.Sprintf("plan:%d", plans[9].ID))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(orig.Memo, "共同配送车队费用，沙普利值") || !strings.HasPrefix(orig.MemoEn, "joint fleet cost of plan ") ||
		!strings.Contains(orig.Lines[0].Detail, "单独配送") || !strings.Contains(orig.Lines[0].DetailEn, "alone") {
		t.Errorf("fleet share entry %q / %q, line %+v", orig.Memo, orig.MemoEn, orig.Lines[0])
	}
	rev, err := l.Reverse(ctx, orig.ID, "plan billed in error")
	if err != nil || rev.Reverses == nil || *rev.Reverses != orig.ID {
		t.Fatalf("reverse: %+v, %v", rev, err)
	}
	if want := fmt.Sprintf("冲正第 %d 笔分录：plan billed in error", orig.ID); rev.Memo != want || rev.MemoEn != fmt.Sprintf("reverses entry %d: plan billed in error", orig.ID) {
		t.Errorf("reversal memo %q / %q", rev.Memo, rev.MemoEn)
	}
	kept, err := l.Entry(ctx, orig.ID)
	if err != nil || kept.ReversedBy == nil || *kept.ReversedBy != rev.ID || len(kept.Lines) != len(orig.Lines) {
		t.Errorf("the reversed entry reads %+v: %v", kept, err)
	}
	for i, ln := range rev.Lines {
		if ln.AmountFen != -orig.Lines[i].AmountFen || ln.Account != orig.Lines[i].Account {
			t.Errorf("reversal line %d %+v does not negate %+v", i, ln, orig.Lines[i])
		}
	}
	if _, err := l.Reverse(ctx, orig.ID, "again"); !errs.Is(err, errs.Conflict) {
		t.Errorf("second reversal: %v, want conflict", err)
	}
	if _, err := l.Reverse(ctx, rev.ID, "undo"); !errs.Is(err, errs.Conflict) {
		t.Errorf("reversing a reversal: %v, want conflict", err)
	}
	if _, err := l.Reverse(ctx, orig.ID, ""); !errs.Is(err, errs.Invalid) {
		t.Errorf("reversal without a memo: %v, want invalid", err)
	}
	if tb, err := l.Balances(ctx); err != nil || !tb.Balanced {
		t.Errorf("after reversals the trial balance is %+v: %v", tb, err)
	}
	if _, err := pool.Exec(ctx, `UPDATE settlement_lines SET amount_fen = 1 WHERE entry_id = $1`, orig.ID); err == nil {
		t.Error("a ledger line could be edited")
	}
	if _, err := pool.Exec(ctx, `DELETE FROM settlement_entries WHERE id = $1`, orig.ID); err == nil {
		t.Error("a ledger entry could be deleted")
	}
	// An unbalanced entry is refused at commit.
	_, err = l.insert(ctx, []Entry{{BusinessDate: "2026-11-30", Kind: StationFee, Source: "bad", Memo: "x",
		Lines: []Line{{Account: "carrier:ZTO", AmountFen: 5}}}})
	if err == nil {
		t.Error("an entry whose lines do not sum to zero was posted")
	}

	// Exports re-add to the statement.
	sts, _ = l.Statements(ctx, StatementFilter{Month: "2026-11", Kind: KindCarrier, Party: "ZTO"})
	raw, err := StatementsCSV(sts)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if h := recs[0]; h[0] != "账户" || h[8] != "金额（分）" || h[len(h)-1] != "明细（英文）" {
		t.Errorf("CSV header %q", h)
	}
	if ln := recs[2]; ln[6] == ln[10] || ln[10] == "" {
		t.Errorf("CSV line memo %q, in English %q", ln[6], ln[10])
	}
	sum := int64(0)
	for _, r := range recs[2 : len(recs)-1] {
		n, _ := strconv.ParseInt(r[8], 10, 64)
		sum += n
	}
	if sum != sts[0].ClosingFen-sts[0].OpeningFen {
		t.Errorf("CSV lines add to %d, statement moved %d", sum, sts[0].ClosingFen-sts[0].OpeningFen)
	}
	xl, err := StatementsXLSX(sts)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(xl))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rowsX, err := f.GetRows(f.GetSheetList()[0])
	if err != nil || len(rowsX) != len(recs) {
		t.Errorf("workbook has %d rows, CSV %d: %v", len(rowsX), len(recs), err)
	}
	if _, err := l.Statements(ctx, StatementFilter{Month: "November"}); !errs.Is(err, errs.Invalid) {
		t.Errorf("bad month: %v, want invalid", err)
	}
}
