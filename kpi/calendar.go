package kpi

import (
	"context"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
)

// NoticeDays is how long a reward list stays on public notice (§四: 公示5个工作日).
const NoticeDays = 5

// CalendarDay is a day that differs from the weekday rule: a statutory
// holiday (working false) or an adjusted working weekend day (working true).
type CalendarDay struct {
	Day     string `json:"day"`
	Working bool   `json:"working"`
	Name    string `json:"name"`
	Source  string `json:"source,omitempty"`
}

// calendar answers whether a day is worked: the calendar's exceptions
// first, else Monday to Friday.
type calendar map[string]bool

func (c calendar) working(d time.Time) bool {
	if w, ok := c[d.Format(time.DateOnly)]; ok {
		return w
	}
	return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
}

// noticeSpan is the public notice that starts on start: it begins on the
// first working day on or after start and lasts NoticeDays working days,
// ending on the last of them; payment may follow the day after.
func (c calendar) noticeSpan(start time.Time) (first, last time.Time) {
	d := start
	for !c.working(d) {
		d = d.AddDate(0, 0, 1)
	}
	first = d
	for n := 1; n < NoticeDays; {
		d = d.AddDate(0, 0, 1)
		if c.working(d) {
			n++
		}
	}
	return first, d
}

// NoticeSpan is the notice that starts on day (YYYY-MM-DD) over the stored
// calendar.
func (s *Service) NoticeSpan(ctx context.Context, day string) (first, last string, err error) {
	d, perr := time.Parse(time.DateOnly, day)
	if perr != nil {
		return "", "", errs.Field("start", "must be a date YYYY-MM-DD, not %q", day)
	}
	cal, err := s.st.calendar(ctx, d, d.AddDate(0, 3, 0))
	if err != nil {
		return "", "", err
	}
	a, b := cal.noticeSpan(d)
	return a.Format(time.DateOnly), b.Format(time.DateOnly), nil
}

// Calendar lists the exceptions of one year.
func (s *Service) Calendar(ctx context.Context, year int) ([]CalendarDay, error) {
	if year < 2020 || year > 2100 {
		return nil, errs.Field("year", "must be from 2020 to 2100, not %d", year)
	}
	return s.st.calendarDays(ctx, year)
}

// SetCalendarDay records (or, with remove, deletes) one exception, for the
// admin entering the State Council's notice; the change is audited.
func (s *Service) SetCalendarDay(ctx context.Context, by string, d CalendarDay, remove bool) (CalendarDay, error) {
	var f errs.Fields
	if _, err := time.Parse(time.DateOnly, d.Day); err != nil {
		f.Add("day", "must be a date YYYY-MM-DD, not %q", d.Day)
	}
	if !remove && (len(d.Name) == 0 || len(d.Name) > 100) {
		f.Add("name", "name the holiday or the adjusted working day, e.g. 国庆节 or 国庆节调休上班")
	}
	if err := f.Err(); err != nil {
		return CalendarDay{}, err
	}
	if d.Source == "" {
		d.Source = "entered by " + by
	}
	return d, s.st.setCalendarDay(ctx, by, d, remove)
}
