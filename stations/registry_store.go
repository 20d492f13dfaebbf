package stations

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/auth"
)

// scopeQueries ask whether the thing a token of each role is bound to exists.
var scopeQueries = map[auth.Role]string{
	auth.Keeper:   `SELECT EXISTS (SELECT 1 FROM stations WHERE code = $1)`,
	auth.Carrier:  `SELECT EXISTS (SELECT 1 FROM carriers WHERE code = $1)`,
	auth.Merchant: `SELECT EXISTS (SELECT 1 FROM merchants WHERE id = $1)`,
}

// scopeExists reports whether the station, carrier or merchant a token of
// role would be bound to is registered.
func (r *Registry) scopeExists(ctx context.Context, role auth.Role, scope string) (bool, error) {
	var ok bool
	err := r.pool.QueryRow(ctx, scopeQueries[role], scope).Scan(&ok)
	return ok, err
}

// Registry keeps stations, carriers and merchants. Writes check the whole
// record after a change and write nothing when any field is bad; reads
// take the viewer, because what a token may see depends on its role.
type Registry struct {
	pool *pgxpool.Pool
}

// NewRegistry wraps a pool.
func NewRegistry(pool *pgxpool.Pool) *Registry { return &Registry{pool: pool} }
