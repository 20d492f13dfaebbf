package demo

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/pricing"
)

// Pricing comes after the registry: rate cards need the express carriers and
// certificates need the county's merchants.
func init() { Register(Loader{Name: "pricing", Order: 20, Load: loadPricing}) }

func loadPricing(ctx context.Context, pool *pgxpool.Pool) error {
	return pricing.LoadDemo(ctx, pricing.NewService(pool))
}
