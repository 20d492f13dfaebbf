package dispatch

import (
	"context"

	"github.com/paulmach/orb"

	"github.com/tongpei/tongpei/internal/errs"
)

// Station is what planning needs of a registry station, read over the
// registry's table (countyStore says why).
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
func (s *Service) loadStations(ctx context.Context) (*stationSet, error) {
	list, err := s.county.stations(ctx)
	if err != nil {
		return nil, err
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
