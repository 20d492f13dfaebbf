package kpi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/kpi"
)

func TestRoundReviewNoticePayable(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rows, _, _ := kpi.ParseCSV(strings.NewReader(edgeCSV))
	if _, err := f.svc.ImportSales(f.ctx, "admin:test", "csv", "edges.csv", rows, nil); err != nil {
		t.Fatal(err)
	}
	r, err := f.svc.OpenRound(f.ctx, "admin:ops", "2026-01")
	if err != nil || len(r.Candidates) != 7 || r.Candidates[0].Station != "V8" {
		t.Fatalf("open %+v %v", r, err)
	}
	if _, err := f.svc.StartNotice(f.ctx, r.ID, "admin:ops", "2026-02-13"); !errs.Is(err, errs.Conflict) {
		t.Fatalf("notice before review: %v, want conflict", err)
	}
	if _, err := f.svc.Review(f.ctx, r.ID, "V2", "reject", "", "张伟"); !errs.Is(err, errs.Invalid) {
		t.Fatalf("reject without reason: %v", err)
	}
	if _, err := f.svc.Review(f.ctx, r.ID, "V2", "approve", "", ""); !errs.Is(err, errs.Invalid) {
		t.Fatalf("review without a reviewer: %v", err)
	}
	for _, c := range r.Candidates {
		d, reason := "approve", ""
		if c.Station == "V3" {
			d, reason = "reject", "销售额含非本站点数据"
		}
		if _, err := f.svc.Review(f.ctx, r.ID, c.Station, d, reason, "张伟 (县商务局)"); err != nil {
			t.Fatal(err)
		}
	}
	r, err = f.svc.StartNotice(f.ctx, r.ID, "admin:ops", "2026-02-13")
	if err != nil || r.NoticeStart != "2026-02-13" || r.NoticeEnd != "2026-02-26" {
		t.Fatalf("notice %s..%s %v", r.NoticeStart, r.NoticeEnd, err)
	}
	if _, err := f.svc.Review(f.ctx, r.ID, "V3", "approve", "", "李四"); !errs.Is(err, errs.Conflict) {
		t.Fatalf("review after notice: %v", err)
	}
	status := func(at string) map[string]string {
		day, _ := time.Parse(time.RFC3339, at)
		f.svc.Now = func() time.Time { return day }
		r, err := f.svc.Round(f.ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, c := range r.Candidates {
			m[c.Station] = c.Status
		}
		return m
	}
	if s := status("2026-02-26T15:00:00Z"); s["V8"] != kpi.StatusOnNotice || s["V3"] != kpi.StatusRejected {
		t.Fatalf("on the last notice day (23:00 in the county): %v", s)
	}
	if s := status("2026-02-26T16:00:00Z"); s["V8"] != kpi.StatusPayable {
		t.Fatalf("the day after the notice: %v", s)
	}
	notices, err := f.svc.Notices(f.ctx)
	if err != nil || len(notices) != 1 || len(notices[0].Stations) != 6 {
		t.Fatalf("public notices %+v %v", notices, err)
	}
	log, err := f.svc.Audit(f.ctx, "round:"+itoa(r.ID))
	if err != nil || len(log) != 1+7+1 || log[0].Action != "round.open" || log[8].Action != "round.notice" {
		t.Fatalf("audit %d entries %v", len(log), err)
	}
	if _, err := f.pool.Exec(f.ctx, `UPDATE kpi_audit SET actor = 'x'`); err == nil {
		t.Fatal("the audit log accepted an update")
	}
	if _, err := f.pool.Exec(f.ctx, `DELETE FROM kpi_audit`); err == nil {
		t.Fatal("the audit log accepted a delete")
	}
}

// Rounds lists every round newest first, each with its candidates' status.
func TestRoundsNewestFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if rs, err := f.svc.Rounds(f.ctx); err != nil || len(rs) != 0 {
		t.Fatalf("no rounds yet: %v %v", rs, err)
	}
	rows, _, _ := kpi.ParseCSV(strings.NewReader(edgeCSV))
	if _, err := f.svc.ImportSales(f.ctx, "admin:test", "csv", "edges.csv", rows, nil); err != nil {
		t.Fatal(err)
	}
	first, err := f.svc.OpenRound(f.ctx, "admin:ops", "2026-01")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Review(f.ctx, first.ID, first.Candidates[0].Station, "approve", "", "张伟"); err != nil {
		t.Fatal(err)
	}
	second, err := f.svc.OpenRound(f.ctx, "admin:ops", "2026-01")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := f.svc.Rounds(f.ctx)
	if err != nil || len(rs) != 2 || rs[0].ID != second.ID || rs[1].ID != first.ID {
		t.Fatalf("rounds %+v %v", rs, err)
	}
	if rs[1].Candidates[0].Status != kpi.StatusApproved || rs[0].Candidates[0].Status != kpi.StatusCandidate {
		t.Errorf("statuses: first %s, second %s", rs[1].Candidates[0].Status, rs[0].Candidates[0].Status)
	}
}
