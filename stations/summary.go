package stations

import (
	"context"
	"time"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

// Summary is a station's day as its keeper reads it at closing time: what
// arrived and left today (a business day in Asia/Shanghai), and what waits.
type Summary struct {
	Station   string    `json:"station"`
	Day       string    `json:"day"` // YYYY-MM-DD in Asia/Shanghai
	Arrived   int       `json:"arrived"`
	PickedUp  int       `json:"picked_up"`
	Waiting   int       `json:"waiting"`
	Overdue   int       `json:"overdue"`
	Problems  int       `json:"problems"`
	ShippedUp int       `json:"shipped_up"` // up parcels accepted at the station today
	At        time.Time `json:"at"`
}

// businessDay is the county's clock: a station's day starts at midnight in
// Asia/Shanghai, whatever the server's zone.
var businessDay = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600) // China has kept UTC+8 without DST since 1991
	}
	return loc
}()

// DaySummary counts the station's day for its keeper or the county centre.
func (c *Custody) DaySummary(ctx context.Context, who auth.Principal, station string, overdueDays int) (Summary, error) {
	if !who.IsAdmin() && !who.Is(auth.Keeper, station) {
		return Summary{}, errs.E(errs.Forbidden, "only the keeper of %s or the county centre may read its day", station)
	}
	if overdueDays == 0 {
		overdueDays = DefaultOverdueDays
	}
	if overdueDays < 1 || overdueDays > 365 {
		return Summary{}, errs.Field("overdue_days", "must be 1 to 365 days")
	}
	now := c.now().In(businessDay)
	start := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, businessDay)
	s, err := c.summaryCounts(ctx, station, start, start.AddDate(0, 0, 1), time.Duration(overdueDays)*24*time.Hour)
	s.Station, s.Day, s.At = station, start.Format(time.DateOnly), now.UTC()
	return s, err
}
