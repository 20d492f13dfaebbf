package stations

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
)

const stationColumns = `code, name, tier, coalesce(parent, ''), township, lon, lat,
	services, keeper_name, keeper_phone, active`

func scanStation(row pgx.Row) (Station, error) {
	var s Station
	err := row.Scan(&s.Code, &s.Name, &s.Tier, &s.Parent, &s.Township, &s.Location.Lon, &s.Location.Lat,
		&s.Services, &s.Keeper.Name, &s.Keeper.Phone, &s.Active)
	if s.Services == nil {
		s.Services = []string{}
	}
	return s, err
}

// StationFilter narrows a station list; zero fields do not filter.
type StationFilter struct {
	Tier     Tier
	Township string
	Active   *bool
}

// CreateStation registers a station. Every bad field is reported at once
// and nothing is written; a code already taken, or a second hub, is a
// conflict. A village left without a township takes its parent's.
func (r *Registry) CreateStation(ctx context.Context, ch StationChange) (Station, error) {
	var bad errs.Fields
	s := ch.newStation(&bad)
	err := pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		if err := checkParent(ctx, tx, &s, &bad); err != nil {
			return err
		}
		if err := bad.Err(); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO stations (code, name, tier, parent, township, lon, lat, services, keeper_name, keeper_phone, active)
			VALUES ($1, $2, $3, nullif($4, ''), $5, $6, $7, $8, $9, $10, $11)`,
			s.Code, s.Name, s.Tier, s.Parent, s.Township, s.Location.Lon, s.Location.Lat,
			s.Services, s.Keeper.Name, s.Keeper.Phone, s.Active)
		return stationWriteErr(err, s)
	})
	if err != nil {
		return Station{}, pg.Err(err, fmt.Sprintf("station %s", s.Code))
	}
	return s, nil
}

// UpdateStation changes the fields ch holds and checks the merged station
// as a whole. Moving a village to another parent without naming a
// township moves it to the new parent's township; renaming a township
// station's township renames it for the villages under it.
func (r *Registry) UpdateStation(ctx context.Context, code string, ch StationChange) (Station, error) {
	var s Station
	err := pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		var err error
		s, err = scanStation(tx.QueryRow(ctx, `SELECT `+stationColumns+` FROM stations WHERE code = $1 FOR UPDATE`, code))
		if err != nil {
			return pg.Err(err, fmt.Sprintf("station %q", code))
		}
		oldTier, oldTownship := s.Tier, s.Township
		var bad errs.Fields
		ch.apply(&s, &bad)
		if ch.Parent != nil && ch.Township == nil && s.Tier == Village {
			s.Township = "" // re-derived from the new parent by checkParent
		}
		s.validate(&bad)
		if err := checkParent(ctx, tx, &s, &bad); err != nil {
			return err
		}
		if s.Tier != oldTier {
			var children int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM stations WHERE parent = $1`, code).Scan(&children); err != nil {
				return err
			}
			if children > 0 {
				bad.Add("tier", "cannot change: %d stations hang under %s; move them to another parent first", children, code)
			}
		}
		if err := bad.Err(); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			UPDATE stations SET name = $2, tier = $3, parent = nullif($4, ''), township = $5, lon = $6, lat = $7,
				services = $8, keeper_name = $9, keeper_phone = $10, active = $11, updated_at = now()
			WHERE code = $1`,
			s.Code, s.Name, s.Tier, s.Parent, s.Township, s.Location.Lon, s.Location.Lat,
			s.Services, s.Keeper.Name, s.Keeper.Phone, s.Active)
		if err != nil || s.Tier != Township || s.Township == oldTownship {
			return stationWriteErr(err, s)
		}
		// A renamed township renames it for its villages too.
		_, err = tx.Exec(ctx, `UPDATE stations SET township = $2, updated_at = now() WHERE parent = $1`, code, s.Township)
		return err
	})
	if err != nil {
		return Station{}, pg.Err(err, fmt.Sprintf("station %s", code))
	}
	return s, nil
}

// checkParent makes sure a station's parent exists and has the tier above
// it, and gives a village its parent's township when it names none.
func checkParent(ctx context.Context, q pgx.Tx, s *Station, bad *errs.Fields) error {
	want, ok := s.Tier.parentTier()
	if !ok || s.Parent == "" || s.Parent == s.Code {
		return nil
	}
	var tier Tier
	var township string
	err := q.QueryRow(ctx, `SELECT tier, township FROM stations WHERE code = $1`, s.Parent).Scan(&tier, &township)
	switch {
	case pg.NoRows(err):
		bad.Add("parent", "station %q does not exist; register the %s station first", s.Parent, want)
		return nil
	case err != nil:
		return err
	case tier != want:
		bad.Add("parent", "must be a %s station for a %s station; %s is a %s station", want, s.Tier, s.Parent, tier)
		return nil
	}
	if s.Tier == Village {
		switch s.Township {
		case "":
			s.Township = township
		case township:
		default:
			bad.Add("township", "must be %s, the township of parent %s, or be left out", township, s.Parent)
		}
	}
	return nil
}

func stationWriteErr(err error, s Station) error {
	switch c, ok := pg.UniqueViolation(err); {
	case ok && c == "stations_one_hub":
		return errs.E(errs.Conflict, "the county already has a hub; a county has one, so make %s a township station or change the existing hub", s.Code)
	case ok:
		return errs.E(errs.Conflict, "station %s already exists; choose another code or PATCH /v1/stations/%s", s.Code, s.Code)
	}
	return err
}

// Station returns one station as viewer may see it.
func (r *Registry) Station(ctx context.Context, viewer auth.Principal, code string) (Station, error) {
	s, err := scanStation(r.pool.QueryRow(ctx, `SELECT `+stationColumns+` FROM stations WHERE code = $1`, code))
	if err != nil {
		return Station{}, pg.Err(err, fmt.Sprintf("station %q", code))
	}
	return s.ForViewer(viewer), nil
}

// Stations lists stations by code, as viewer may see them.
func (r *Registry) Stations(ctx context.Context, viewer auth.Principal, f StationFilter, p Page) ([]Station, string, error) {
	var bad errs.Fields
	if _, ok := f.Tier.parentTier(); f.Tier != "" && !ok {
		bad.Add("tier", "must be county_hub, township or village, not %q", f.Tier)
	}
	after, err := decodeCursor(stationCursor, p.Cursor)
	if err != nil {
		return nil, "", err
	}
	if err := bad.Err(); err != nil {
		return nil, "", err
	}
	rows, err := r.pool.Query(ctx, `
		SELECT `+stationColumns+` FROM stations
		WHERE ($1 = '' OR tier = $1) AND ($2 = '' OR township = $2)
			AND ($3::boolean IS NULL OR active = $3) AND code > $4
		ORDER BY code LIMIT $5`,
		string(f.Tier), f.Township, f.Active, after, pageLimit(p))
	if err != nil {
		return nil, "", errs.Wrap(err, "cannot list stations")
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Station, error) { return scanStation(row) })
	if err != nil {
		return nil, "", errs.Wrap(err, "cannot list stations")
	}
	for i := range items {
		items[i] = items[i].ForViewer(viewer)
	}
	items, next := cutPage(items, p, stationCursor, func(s Station) string { return s.Code })
	return items, next, nil
}

// DeactivateStation marks a station inactive and returns it; stations are
// never deleted, because parcels and reports refer to them. Deactivating
// twice is harmless.
func (r *Registry) DeactivateStation(ctx context.Context, code string) (Station, error) {
	s, err := scanStation(r.pool.QueryRow(ctx, `
		UPDATE stations SET active = false, updated_at = CASE WHEN active THEN now() ELSE updated_at END
		WHERE code = $1 RETURNING `+stationColumns, code))
	if err != nil {
		return Station{}, pg.Err(err, fmt.Sprintf("station %q", code))
	}
	return s, nil
}
