package dispatch

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"

	"github.com/tongpei/tongpei/internal/errs"
)

// Station is what planning needs of a registry station. It is read here
// over the registry's stations table (owned by package stations, migration
// 00010) rather than through its Go API, so that dispatch depends on the
// schema only and the registry never needs to know about plans.
type Station struct {
	Code        string
	Name        string
	Tier        string
	Township    string
	Location    orb.Point
	KeeperName  string
	KeeperPhone string
}

// stationSet is the hub and the active stations a route may stop at, by code.
type stationSet struct {
	hub    Station
	byCode map[string]Station
}

// loadStations reads the active stations. A county without a hub cannot be
// planned, and the error says how to fix it.
func (s *Store) loadStations(ctx context.Context) (*stationSet, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT code, name, tier, township, lon, lat, keeper_name, keeper_phone
		FROM stations WHERE active ORDER BY code`)
	if err != nil {
		return nil, dbErr(err, "stations")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Station, error) {
		var st Station
		err := r.Scan(&st.Code, &st.Name, &st.Tier, &st.Township, &st.Location[0], &st.Location[1], &st.KeeperName, &st.KeeperPhone)
		return st, err
	})
	if err != nil {
		return nil, dbErr(err, "stations")
	}
	set := &stationSet{byCode: make(map[string]Station, len(list))}
	found := false
	for _, st := range list {
		set.byCode[st.Code] = st
		if st.Tier == "county_hub" {
			set.hub, found = st, true
		}
	}
	if !found {
		return nil, errs.E(errs.Conflict, "the county has no active hub station (tier county_hub); register the county warehouse first")
	}
	return set, nil
}
