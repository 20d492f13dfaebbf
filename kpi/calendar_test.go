package kpi_test

import "testing"

// Notices over the seeded 2026 calendar: five working days counting the
// first, skipping holidays and counting adjusted working weekends.
func TestNoticeEndsOnTheRightWorkingDay(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cases := []struct{ start, first, last, why string }{
		{"2026-02-13", "2026-02-13", "2026-02-26", "Friday before the Spring Festival: Sat 14 Feb is worked, 15–23 Feb are off"},
		{"2026-04-03", "2026-04-03", "2026-04-10", "Friday before Qingming (4–6 Apr off)"},
		{"2026-09-18", "2026-09-18", "2026-09-23", "Friday before Mid-Autumn: Sunday 20 Sep is an adjusted working day"},
		{"2026-09-30", "2026-09-30", "2026-10-12", "eve of National Day: 1–7 Oct off, Sat 10 Oct worked"},
		{"2026-10-03", "2026-10-08", "2026-10-13", "started inside the holiday: begins on the first working day"},
		{"2026-12-28", "2026-12-28", "2027-01-04", "over New Year 2027 (provisional seed)"},
		{"2026-11-02", "2026-11-02", "2026-11-06", "an ordinary week"},
	}
	for _, c := range cases {
		first, last, err := f.svc.NoticeSpan(f.ctx, c.start)
		if err != nil || first != c.first || last != c.last {
			t.Errorf("%s (%s): %s..%s %v, want %s..%s", c.start, c.why, first, last, err, c.first, c.last)
		}
	}
}
