package pricing

import (
	"context"

	"github.com/tongpei/tongpei/internal/pg"
)

func (st *store) insertZoning(ctx context.Context, z *Zoning) error {
	err := st.pool.QueryRow(ctx, `
		INSERT INTO pricing_zonings (effective_from, origin, zones, created_by)
		VALUES ($1, $2, $3, $4) RETURNING version, created_at`,
		z.EffectiveFrom, z.Origin, jsonb(z.Zones), z.CreatedBy).Scan(&z.Version, &z.CreatedAt)
	return pg.Err(err, "the zoning")
}

func insertBaseline(ctx context.Context, tx dbtx, b *Baseline) error {
	return tx.QueryRow(ctx, `
		INSERT INTO pricing_baselines (carrier, effective_from, source, cells, created_by)
		VALUES ($1, $2, $3, $4, $5) RETURNING version, created_at`,
		b.Carrier, b.EffectiveFrom, b.Source, jsonb(b.Cells), b.CreatedBy).Scan(&b.Version, &b.CreatedAt)
}

func insertBands(ctx context.Context, tx dbtx, b *BandSet) error {
	return tx.QueryRow(ctx, `
		INSERT INTO pricing_band_sets (effective_from, weight_rule, bound_g, cells, created_by)
		VALUES ($1, $2, $3, $4, $5) RETURNING version, created_at`,
		b.EffectiveFrom, jsonb(b.WeightRule), b.BoundG, jsonb(b.Cells), b.CreatedBy).Scan(&b.Version, &b.CreatedAt)
}

func insertCard(ctx context.Context, tx dbtx, c *RateCard) error {
	return tx.QueryRow(ctx, `
		INSERT INTO pricing_rate_cards (carrier, version, effective_from, cells, created_by)
		VALUES ($1, $2, $3, $4, $5) RETURNING created_at`,
		c.Carrier, c.Version, c.EffectiveFrom, jsonb(c.Cells), c.CreatedBy).Scan(&c.CreatedAt)
}
