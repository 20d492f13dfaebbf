package dispatch

import (
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/dispatch/geo"
)

// NewService is the dispatch domain over a pool: each store gets the pool,
// and only the store files see it.
func NewService(pool *pgxpool.Pool) *Service {
	return &Service{
		fleet:    fleetStore{pool},
		roads:    roadStore{pool},
		county:   countyStore{pool},
		plans:    planStore{pool},
		shares:   shareStore{pool},
		jobs:     jobStore{pool},
		planJobs: planJobStore{pool},
		matrices: geo.NewMatrixCache(64),
	}
}
