// Package demo loads the demonstration county: Xinping (新平), its county
// hub, township and village stations, the companies at the county centre
// and a few e-commerce firms, so that `tongpei serve --demo` shows a
// believable county on first start. The data is approximate and says so in
// xinping.json.
//
// Loading is insert-if-missing: a record whose code (stations, carriers) or
// credit code (merchants) is already registered is left exactly as it is,
// so a second load changes nothing and an operator's edits survive a
// restart with --demo.
package demo

import (
	"context"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Loader adds one part of the demonstration data. Each must be idempotent:
// Load runs every loader on every start with --demo.
type Loader struct {
	// Name says which part failed when one does.
	Name string
	// Order places the loader: lower runs first. The registry is 10; parts
	// that refer to stations, carriers or merchants (pricing, dispatch)
	// take a higher number.
	Order int
	Load  func(ctx context.Context, pool *pgxpool.Pool) error
}

var loaders []Loader

// Register adds a loader; other files of this package call it from init,
// so that a new part of the demonstration is one new file.
func Register(l Loader) { loaders = append(loaders, l) }

// Load fills the demonstration county into the database behind pool,
// running every registered loader in order.
func Load(ctx context.Context, pool *pgxpool.Pool) error {
	ordered := append([]Loader(nil), loaders...)
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].Order < ordered[j].Order })
	for _, l := range ordered {
		if err := l.Load(ctx, pool); err != nil {
			return fmt.Errorf("demonstration data (%s): %w", l.Name, err)
		}
	}
	return nil
}
