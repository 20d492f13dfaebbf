package tenant_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/internal/tenant"
)

// Each visits every registered county, whatever county its context
// names, with a context working for that county; a county that fails
// leaves the others visited and comes back named in the error.
func TestEachVisitsEveryCounty(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	reg := tenant.NewRegistry(pool)
	ctx := context.Background()
	for _, c := range []string{"530428", "530402"} {
		if _, err := reg.Add(ctx, c, ""); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"530402", tenant.Default(), "530428"}
	slices.Sort(want)
	want = slices.Compact(want)
	var seen []string
	boom := errors.New("boom")
	err := reg.Each(tenant.With(ctx, "530428"), func(ctx context.Context, county string) error {
		var row string
		// the connection works for the county Each names: its row alone
		if err := pool.QueryRow(ctx, `SELECT string_agg(county, ',') FROM counties`).Scan(&row); err != nil {
			return err
		}
		if row != county || tenant.From(ctx) != county {
			t.Errorf("county %s: context %s sees %q", county, tenant.From(ctx), row)
		}
		seen = append(seen, county)
		if county == "530402" {
			return boom
		}
		return nil
	})
	if !slices.Equal(seen, want) {
		t.Fatalf("visited %v, want %v", seen, want)
	}
	if !errors.Is(err, boom) || err.Error() != "county 530402: boom" {
		t.Fatalf("error %v, want county 530402's", err)
	}
}
