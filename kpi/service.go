package kpi

import (
	"context"
	"time"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/pricing"
	"github.com/tongpei/tongpei/stations"
)

// county is the county's clock: China keeps UTC+8 all year, so a fixed
// zone is exact and needs no time-zone database.
var county = time.FixedZone("CST", 8*3600)

// Service computes the scorecard from its own tables and the other
// domains' Go APIs.
type Service struct {
	st       *store
	registry *stations.Registry
	custody  *stations.Custody
	pricing  *pricing.Service
	dispatch *dispatch.Service
	// Now is the clock, replaceable in tests.
	Now func() time.Time
}

// admin is how the scorecard reads the registry: it needs every station and
// keeper-free fields only, which the county centre may see.
var admin = auth.Principal{Role: auth.Admin, Name: "kpi"}

// stationIndex is every registered station by code.
func (s *Service) stationIndex(ctx context.Context) (map[string]stations.Station, error) {
	all, _, err := s.registry.Stations(ctx, admin, stations.StationFilter{}, stations.Page{})
	if err != nil {
		return nil, err
	}
	idx := make(map[string]stations.Station, len(all))
	for _, st := range all {
		idx[st.Code] = st
	}
	return idx, nil
}

// monthStart is the first instant of month m (YYYY-MM) in the county.
func monthStart(m string) time.Time {
	t, _ := time.ParseInLocation("2006-01", m, county)
	return t
}

// addMonths is the month n after m, as YYYY-MM.
func addMonths(m string, n int) string { return monthStart(m).AddDate(0, n, 0).Format("2006-01") }
