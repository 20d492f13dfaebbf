package pricing_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/pricing"
)

// fixture is a pricing service over its own database with the demonstration
// tariff, three express carriers, a bulk one and three merchants.
type fixture struct {
	t    testing.TB
	pool *pgxpool.Pool
	svc  *pricing.Service
	now  time.Time
}

var expressCarriers = []string{"sf", "yto", "zto"}

// Merchants of the fixture.
const (
	certifiedM  = "M00001" // registered in the county, certified by LoadDemo
	outsiderM   = "M00002" // registered elsewhere: never certified
	lapsingM    = "M00003" // certified for a short time in some tests
	unknownM    = "M99999"
	fixtureTime = "2026-06-01T02:00:00Z"
)

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.Pool(t)
	now, _ := time.Parse(time.RFC3339, fixtureTime)
	f := &fixture{t: t, pool: pool, svc: pricing.NewService(pool), now: now}
	f.svc.Now = func() time.Time { return f.now }
	f.exec(`INSERT INTO carriers (code, name, kind) VALUES
		('sf', '顺丰速运', 'express'), ('yto', '圆通速递', 'express'), ('zto', '中通快递', 'express'),
		('dbl', '德邦物流', 'bulk')`)
	f.exec(`INSERT INTO merchants (id, name, credit_code, registered_in_county) VALUES
		('M00001', '新平褚橙合作社', '91530427MA000001', true),
		('M00002', '昆明果品贸易', '91530100MA000002', false)`)
	if err := pricing.LoadDemo(ctx, f.svc); err != nil {
		t.Fatalf("LoadDemo: %v", err)
	}
	return f
}

func (f *fixture) exec(sql string, args ...any) {
	f.t.Helper()
	if _, err := f.pool.Exec(context.Background(), sql, args...); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
}

func (f *fixture) snap() *pricing.Snapshot {
	f.t.Helper()
	s, err := f.svc.Reload(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// wantInvalid fails unless err is a field-level Invalid naming field.
func wantInvalid(t testing.TB, err error, field string) *errs.Error {
	t.Helper()
	e, ok := err.(*errs.Error)
	if !ok || e.Code != errs.Invalid {
		t.Fatalf("got %v, want an invalid error naming %s", err, field)
	}
	for _, fe := range e.Fields {
		if fe.Field == field {
			return e
		}
	}
	t.Fatalf("error %v does not name field %s", err, field)
	return nil
}
