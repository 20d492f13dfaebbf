package kpi

import (
	"context"
	"time"

	"github.com/tongpei/tongpei/stations"
)

// HubTenants counts the companies of KPI item 11.
type HubTenants struct {
	Express Tenants `json:"express"`
	Bulk    Tenants `json:"bulk"`
	Trade   Tenants `json:"trade"`
	Rule    string  `json:"rule"`
}

// Tenants is one kind of company against its target.
type Tenants struct {
	Target    int       `json:"target"`
	Actual    int       `json:"actual"`
	Met       bool      `json:"met"`
	Companies []Company `json:"companies"`
}

// Company is one counted company with the parcels that made it active.
type Company struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	StationedSince string `json:"stationed_since,omitempty"`
	Parcels        int64  `json:"parcels"`
}

const tenantRule = "express and bulk: active, stationed at the county centre (stationed_since on or before the period's end) " +
	"and handed parcels in to the centre (hub_inbound) in the period; trade: active, with parcels the joint fleet loaded in the period"

// hubTenants counts the companies active in [from, end); lastDay is the
// period's last day (YYYY-MM-DD).
func (s *Service) hubTenants(ctx context.Context, from, end time.Time, lastDay string) (HubTenants, error) {
	carriers, _, err := s.registry.Carriers(ctx, stations.CarrierFilter{}, stations.Page{})
	if err != nil {
		return HubTenants{}, err
	}
	acts, err := s.custody.CarrierActivities(ctx, from, end)
	if err != nil {
		return HubTenants{}, err
	}
	act := map[string]stations.CarrierActivity{}
	for _, a := range acts {
		act[a.Carrier] = a
	}
	h := HubTenants{Rule: tenantRule,
		Express: Tenants{Target: 6, Companies: []Company{}}, Bulk: Tenants{Target: 3, Companies: []Company{}},
		Trade: Tenants{Target: 3, Companies: []Company{}}}
	for _, c := range carriers {
		a := act[c.Code]
		if !c.Active {
			continue
		}
		co := Company{Code: c.Code, Name: c.Name, StationedSince: c.StationedSince}
		switch c.Kind {
		case stations.Express, stations.Bulk:
			if c.StationedSince == "" || c.StationedSince > lastDay || a.HandedIn == 0 {
				continue
			}
			co.Parcels = a.HandedIn
			if c.Kind == stations.Express {
				h.Express.Companies = append(h.Express.Companies, co)
			} else {
				h.Bulk.Companies = append(h.Bulk.Companies, co)
			}
		case stations.Trade:
			if a.Loaded == 0 {
				continue
			}
			co.Parcels = a.Loaded
			h.Trade.Companies = append(h.Trade.Companies, co)
		}
	}
	for _, t := range []*Tenants{&h.Express, &h.Bulk, &h.Trade} {
		t.Actual = len(t.Companies)
		t.Met = t.Actual >= t.Target
	}
	return h, nil
}
