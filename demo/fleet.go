package demo

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/dispatch"
)

// The joint fleet (its operator, van types and vans) comes after the
// registry, so that a day can be planned as soon as parcels arrive.
func init() { Register(Loader{Name: "fleet", Order: 30, Load: loadFleet}) }

func loadFleet(ctx context.Context, pool *pgxpool.Pool) error {
	return dispatch.NewService(pool).LoadDemoFleet(ctx)
}
