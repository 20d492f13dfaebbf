// Package stations is the county's registry (stations, carriers, merchants)
// and the custody of parcels at them: parcels, scans and the state machine
// that decides which scan may follow which.
package stations

import (
	"context"
	"encoding/base64"
	"strings"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
)

// Page asks for one page of a list: at most Limit items (0 or less: all of
// them) after the opaque Cursor a previous page returned.
type Page struct {
	Limit  int
	Cursor string
}

// CheckScope makes sure a token's scope names something that exists: the
// station of a keeper, the carrier of a carrier, the merchant of a merchant.
func (r *Registry) CheckScope(ctx context.Context, role auth.Role, scope string) error {
	var bad errs.Fields
	var noun string
	switch role {
	case auth.Admin:
		if scope != "" {
			bad.Add("scope", "must be empty: an admin token is not bound to a station, carrier or merchant")
		}
		return bad.Err()
	case auth.Keeper:
		noun = "station code"
	case auth.Carrier:
		noun = "carrier code"
	case auth.Merchant:
		noun = "merchant id"
	default:
		bad.Add("role", "must be admin, keeper, carrier or merchant, not %q", role)
		return bad.Err()
	}
	if scope == "" {
		bad.Add("scope", "is required: a %s token is bound to one %s", role, noun)
		return bad.Err()
	}
	ok, err := r.scopeExists(ctx, role, scope)
	if err != nil {
		return pg.Err(err, "the token's scope")
	}
	if !ok {
		bad.Add("scope", "no %s %q is registered; register it first or check the spelling", noun, scope)
	}
	return bad.Err()
}

// cursor kinds keep a cursor of one list from being used on another.
const (
	stationCursor  = "s:"
	carrierCursor  = "c:"
	merchantCursor = "m:"
)

// encodeCursor makes the opaque "next" of a keyset page: the last key seen.
func encodeCursor(kind, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + key))
}

// decodeCursor returns the key a cursor holds ("" for no cursor).
func decodeCursor(kind, cursor string) (string, error) {
	if cursor == "" {
		return "", nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	key, ok := strings.CutPrefix(string(raw), kind)
	if err != nil || !ok {
		var bad errs.Fields
		bad.Add("cursor", "is not a cursor of this list; pass the \"next\" of the previous page unchanged, or leave it out for the first page")
		return "", bad.Err()
	}
	return key, nil
}

// pageLimit is the LIMIT of a page query: one more than asked, to learn
// whether another page follows.
func pageLimit(p Page) any {
	if p.Limit <= 0 {
		return nil // LIMIT NULL: everything
	}
	return p.Limit + 1
}

// cutPage trims the look-ahead row and gives the cursor of the next page.
func cutPage[T any](items []T, p Page, kind string, key func(T) string) ([]T, string) {
	if p.Limit <= 0 || len(items) <= p.Limit {
		return items, ""
	}
	items = items[:p.Limit]
	return items, encodeCursor(kind, key(items[len(items)-1]))
}
