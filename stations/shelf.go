package stations

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

// ShelfQuery asks for the parcels at one station: by default those waiting
// for their recipients (station_arrival), oldest first.
type ShelfQuery struct {
	// State is "waiting" (the default), "all", or one parcel state.
	State string
	// OverdueDays flags parcels waiting longer (default 3): the keeper
	// phones those recipients or sends the parcels back.
	OverdueDays int
	// PhoneLast4 finds a recipient's parcels by the last four digits of
	// their phone, which is what a keeper asks at the counter.
	PhoneLast4 string
	Limit      int
	Cursor     string
}

// ShelfItem is a parcel on a station's list, with how long it has waited.
type ShelfItem struct {
	Parcel
	// WaitingSince is when it arrived at the station (for parcels not yet
	// arrived: when it was registered).
	WaitingSince time.Time `json:"waiting_since"`
	WaitedS      int64     `json:"waited_s"`
	Overdue      bool      `json:"overdue"`
}

// DefaultOverdueDays is when a waiting parcel is flagged overdue.
const DefaultOverdueDays = 3

var last4 = regexp.MustCompile(`^[0-9]{4}$`)

// normalise checks the query and fills its defaults; state comes back as
// the database's state, "" for all.
func (q *ShelfQuery) normalise() (string, error) {
	var f errs.Fields
	state := q.State
	switch {
	case state == "" || state == Waiting:
		state = StationArrival
	case state == "all":
		state = ""
	case !slices.Contains(States, state):
		f.Add("state", "must be waiting, all or one of %s", strings.Join(States, ", "))
	}
	if q.OverdueDays == 0 {
		q.OverdueDays = DefaultOverdueDays
	}
	if q.OverdueDays < 1 || q.OverdueDays > 365 {
		f.Add("overdue_days", "must be 1 to 365 days")
	}
	if q.PhoneLast4 != "" && !last4.MatchString(q.PhoneLast4) {
		f.Add("phone_last4", "must be exactly 4 digits, e.g. 5678")
	}
	if q.Limit <= 0 {
		q.Limit = 50
	}
	q.Limit = min(q.Limit, 1000)
	return state, f.Err()
}

// Shelf lists the parcels at station for the county centre and that
// station's keeper; a carrier sees only its own parcels there.
func (c *Custody) Shelf(ctx context.Context, who auth.Principal, station string, q ShelfQuery) ([]ShelfItem, string, error) {
	switch who.Role {
	case auth.Admin, auth.Carrier:
	case auth.Keeper:
		if who.Scope != station {
			return nil, "", errs.E(errs.Forbidden, "the keeper of %s may list only its own station's parcels, not those of %s", who.Scope, station)
		}
	default:
		return nil, "", errs.E(errs.Forbidden, "a %s token may not list a station's parcels", who.Role)
	}
	state, err := q.normalise()
	if err != nil {
		return nil, "", err
	}
	afterT, afterID, err := parseCursor(q.Cursor)
	if err != nil {
		return nil, "", err
	}
	carrier := ""
	if who.Role == auth.Carrier {
		carrier = who.Scope
	}
	exists, err := c.stationExists(ctx, station)
	if err != nil {
		return nil, "", custodyErr(err, "read the station")
	}
	if !exists {
		return nil, "", errs.E(errs.NotFound, "station %q is not registered", station)
	}
	items, now, err := c.shelfPage(ctx, station, state, q.PhoneLast4, carrier, afterT, afterID, q.Limit+1)
	if err != nil {
		return nil, "", custodyErr(err, "list the station's parcels")
	}
	for i := range items {
		it := &items[i]
		waited := now.Sub(it.WaitingSince)
		it.WaitedS = int64(waited / time.Second)
		it.Overdue = it.Parcel.State == StationArrival && waited > time.Duration(q.OverdueDays)*24*time.Hour
		maskFor(who, &it.Parcel)
	}
	next := ""
	if len(items) > q.Limit {
		items = items[:q.Limit]
		last := items[len(items)-1]
		next = makeCursor(last.WaitingSince, last.id)
	}
	return items, next, nil
}

// A cursor is the sort key of the last item of the page before, opaque to
// clients.
func makeCursor(t time.Time, id int64) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d:%d", t.UnixMicro(), id))
}

func parseCursor(s string) (time.Time, int64, error) {
	if s == "" {
		return time.Unix(0, 0).UTC(), 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	a, z, ok := strings.Cut(string(b), ":")
	us, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(z, 10, 64)
	if err != nil || !ok || err1 != nil || err2 != nil {
		return time.Time{}, 0, errs.Field("cursor", "is not a cursor this list gave; start again without one")
	}
	return time.UnixMicro(us).UTC(), id, nil
}
