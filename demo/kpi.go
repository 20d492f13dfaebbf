package demo

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/kpi"
	"github.com/tongpei/tongpei/stations"
)

// A year of demonstration sales per station, after the registry, so that
// the scorecard shows tiers met and missed on first start.
func init() { Register(Loader{Name: "kpi sales", Order: 40, Load: loadKPI}) }

func loadKPI(ctx context.Context, pool *pgxpool.Pool) error {
	return kpi.NewService(pool, stations.NewRegistry(pool), nil, nil, nil).LoadDemo(ctx)
}
