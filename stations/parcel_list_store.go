package stations

import (
	"context"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

// ParcelQuery narrows a list of parcels: by state, and by a search that
// matches a tracking number's start or a recipient phone's last four.
type ParcelQuery struct {
	State  string
	Search string
	Limit  int
	Cursor string
}

// Parcels lists the parcels who may follow, newest first: a carrier its
// own, a merchant those it sent, the county centre every one. Keepers have
// their shelf (Shelf) instead. Phones are masked as in Parcel.
func (c *Custody) Parcels(ctx context.Context, who auth.Principal, q ParcelQuery) ([]Parcel, string, error) {
	var carrier, merchant string
	switch who.Role {
	case auth.Admin:
	case auth.Carrier:
		carrier = who.Scope
	case auth.Merchant:
		merchant = who.Scope
	default:
		return nil, "", errs.E(errs.Forbidden, "a %s token lists parcels through its station's shelf", who.Role)
	}
	if q.State != "" && !slices.Contains(States, q.State) {
		return nil, "", errs.E(errs.Invalid, "state %q is not a parcel state; use one of %v", q.State, States)
	}
	var after int64
	if q.Cursor != "" {
		n, err := strconv.ParseInt(q.Cursor, 10, 64)
		if err != nil || n <= 0 {
			return nil, "", errs.E(errs.Invalid, "cursor %q is not one this list gave", q.Cursor)
		}
		after = n
	}
	if q.Limit <= 0 {
		q.Limit = 50
	}
	rows, err := c.pool.Query(ctx, `SELECT `+parcelColumns+` FROM parcels p
		WHERE ($1 = '' OR p.carrier = $1) AND ($2 = '' OR p.sender_merchant = $2)
		  AND ($3 = '' OR p.state = $3)
		  AND ($4 = '' OR p.tracking_no LIKE $4 || '%' OR right(p.recipient_phone, 4) = $4)
		  AND ($5 = 0 OR p.id < $5)
		ORDER BY p.id DESC LIMIT $6`, carrier, merchant, q.State, q.Search, after, q.Limit+1)
	if err != nil {
		return nil, "", custodyErr(err, "list parcels")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Parcel, error) { return scanParcel(r) })
	if err != nil {
		return nil, "", custodyErr(err, "list parcels")
	}
	next := ""
	if len(list) > q.Limit {
		list = list[:q.Limit]
		next = strconv.FormatInt(list[len(list)-1].id, 10)
	}
	for i := range list {
		maskFor(who, &list[i])
	}
	return list, next, nil
}
