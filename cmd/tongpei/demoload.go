package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/kpi"
	"github.com/tongpei/tongpei/pricing"
	"github.com/tongpei/tongpei/stations"
)

// loadDemoCounty fills the demonstration county into the database behind
// pool, one domain after another in the order their records refer to each
// other: the registry first (stations, carriers, firms), then the rate
// cards and certificates over its carriers and firms, the joint fleet, and
// a year of sales per station for the scorecard. Every part is
// insert-if-missing, so serve --demo runs it on every start.
func loadDemoCounty(ctx context.Context, pool *pgxpool.Pool) error {
	reg := stations.NewRegistry(pool)
	parts := []struct {
		name string
		load func(context.Context) error
	}{
		{"registry", func(ctx context.Context) error { return demo.LoadRegistry(ctx, reg) }},
		{"pricing", func(ctx context.Context) error { return pricing.LoadDemo(ctx, pricing.NewService(pool)) }},
		{"fleet", dispatch.NewService(pool).LoadDemoFleet},
		{"kpi sales", kpi.NewService(pool, reg, nil, nil, nil).LoadDemo},
	}
	for _, p := range parts {
		if err := p.load(ctx); err != nil {
			return fmt.Errorf("demonstration data (%s): %w", p.name, err)
		}
	}
	return nil
}
