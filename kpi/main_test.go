package kpi_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/kpi"
	"github.com/tongpei/tongpei/pricing"
	"github.com/tongpei/tongpei/stations"
)

// fixture is a fresh database with a small test county: hub HUB, township
// T1, villages V1..V8, carriers of every kind.
type fixture struct {
	t    *testing.T
	ctx  context.Context
	pool *pgxpool.Pool
	svc  *kpi.Service
	cust *stations.Custody
}

// countySQL sets up the registry directly, so these tests do not depend on
// the registry's validation rules.
const countySQL = `
	INSERT INTO stations (code, name, tier, parent, township, lon, lat) VALUES
	    ('HUB', '县级物流仓储配送中心', 'county_hub', NULL, '', 101.98, 24.06),
	    ('T1', '漠沙镇站', 'township', 'HUB', '漠沙镇', 101.80, 23.88);
	INSERT INTO stations (code, name, tier, parent, township, lon, lat)
	    SELECT 'V' || i, '村站' || i, 'village', 'T1', CASE WHEN i <= 4 THEN '漠沙镇' ELSE '戛洒镇' END, 101.8, 23.9
	    FROM generate_series(1, 8) i;
	INSERT INTO carriers (code, name, kind, stationed_since) VALUES
	    ('SF', '顺丰', 'express', '2021-06-01'), ('YTO', '圆通', 'express', '2021-06-01'),
	    ('ZTO', '中通', 'express', NULL), ('DB', '德邦', 'bulk', '2022-01-01'), ('TR', '供销社', 'trade', NULL);
	INSERT INTO merchants (id, name, credit_code) VALUES ('M00001', '新平果业', '91530427MA6K000001');`

func newFixture(t *testing.T) *fixture {
	t.Helper()
	pool := pgtest.Pool(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, countySQL); err != nil {
		t.Fatalf("county: %v", err)
	}
	cust := stations.NewCustody(pool)
	svc := kpi.NewService(pool, stations.NewRegistry(pool), cust, pricing.NewService(pool), dispatch.NewService(pool))
	return &fixture{t: t, ctx: ctx, pool: pool, svc: svc, cust: cust}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
