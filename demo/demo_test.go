package demo_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/stations"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("github.com/jackc/puddle/v2.(*Pool).backgroundHealthCheck"),
		goleak.IgnoreAnyFunction("github.com/jackc/pgx/v5/pgxpool.(*Pool).backgroundHealthCheck"),
	)
}

// unitsPerDivision is DIGEST.md's count of village-level units (村委会 +
// 社区) in each township-level division, in the order of its table.
var unitsPerDivision = map[string]int{
	"桂山街道": 5, "古城街道": 5, "扬武镇": 10, "漠沙镇": 18, "戛洒镇": 18, "水塘镇": 9,
	"平甸乡": 10, "新化乡": 13, "建兴乡": 7, "老厂乡": 11, "者竜乡": 8, "平掌乡": 10,
}

func TestXinpingIsAPlausibleCounty(t *testing.T) {
	t.Parallel()
	c, err := demo.Xinping()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.Note, "APPROXIMATE DEMONSTRATION DATA") {
		t.Error("xinping.json does not say that it is approximate demonstration data")
	}
	byCode := map[string]stations.StationChange{}
	villages := map[string]int{}
	tiers := map[stations.Tier]int{}
	for _, s := range c.Stations {
		code := *s.Code
		if _, dup := byCode[code]; dup {
			t.Errorf("station %s is listed twice", code)
		}
		byCode[code] = s
		tiers[*s.Tier]++
		lon, lat := *s.Location.Lon, *s.Location.Lat
		if lon < 101.4 || lon > 102.3 || lat < 23.6 || lat > 24.4 {
			t.Errorf("%s (%s) at %.4f E %.4f N is outside the county's extent", code, *s.Name, lon, lat)
		}
		if *s.Tier != stations.Village {
			continue
		}
		villages[*s.Township]++
		parent, ok := byCode[*s.Parent]
		if !ok {
			t.Errorf("%s: parent %s is not listed before it", code, *s.Parent)
			continue
		}
		if d := km(lon, lat, *parent.Location.Lon, *parent.Location.Lat); d < 0.5 || d > 16 {
			t.Errorf("%s is %.1f km from its township seat; want 0.5 to 16", code, d)
		}
	}
	if tiers[stations.CountyHub] != 1 || tiers[stations.Township] != 12 || tiers[stations.Village] != 124 {
		t.Errorf("tiers %v; want 1 hub, 12 townships, 124 villages", tiers)
	}
	for div, n := range unitsPerDivision {
		if villages[div] != n {
			t.Errorf("%s has %d village stations; DIGEST.md lists %d units", div, villages[div], n)
		}
	}
	kinds := map[stations.CarrierKind]int{}
	for _, cr := range c.Carriers {
		kinds[*cr.Kind]++
	}
	if kinds[stations.Express] < 6 || kinds[stations.Bulk] < 3 || kinds[stations.Trade] < 3 {
		t.Errorf("carriers %v; the plan wants ≥ 6 express, ≥ 3 bulk, ≥ 3 trade", kinds)
	}
	outside := 0
	for _, m := range c.Merchants {
		if !stations.ValidCreditCode(*m.CreditCode) {
			t.Errorf("merchant %s: credit code %s fails its check", *m.Name, *m.CreditCode)
		}
		if !*m.RegisteredInCounty {
			outside++
		}
	}
	if n := len(c.Merchants); n < 5 || n > 8 || outside != 1 {
		t.Errorf("%d merchants, %d registered outside the county; want 5-8 and 1", n, outside)
	}
}

func km(lon1, lat1, lon2, lat2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

// TestLoadTwiceChangesNothing loads the county twice and compares every
// registry row, timestamps included, and the merchant id sequence.
func TestLoadTwiceChangesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t)
	dump := func() string {
		var s string
		err := pool.QueryRow(ctx, `SELECT concat_ws(E'\n',
			(SELECT json_agg(t ORDER BY code)::text FROM stations t),
			(SELECT json_agg(t ORDER BY code)::text FROM carriers t),
			(SELECT json_agg(t ORDER BY id)::text FROM merchants t),
			(SELECT last_value::text FROM merchant_seq))`).Scan(&s)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	reg := stations.NewRegistry(pool)
	if err := demo.LoadRegistry(ctx, reg); err != nil {
		t.Fatal(err)
	}
	first := dump()
	if err := demo.LoadRegistry(ctx, reg); err != nil {
		t.Fatal(err)
	}
	if second := dump(); second != first {
		t.Fatalf("a second load changed the registry:\nfirst:  %.300s\nsecond: %.300s", first, second)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM stations`).Scan(&n); err != nil || n != 137 {
		t.Fatalf("%d stations (%v), want 137", n, err)
	}

	store := auth.NewStore(pool)
	key, err := demo.Key(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	toks, err := demo.Tokens(ctx, key, store, reg)
	if err != nil {
		t.Fatal(err)
	}
	// A second start prints the same tokens and stores nothing new.
	var before, after int
	pool.QueryRow(ctx, `SELECT count(*) FROM api_tokens`).Scan(&before)
	if again, err := demo.Key(ctx, pool); err != nil || string(again) != string(key) {
		t.Fatalf("the demonstration key changed (%v)", err)
	}
	again, err := demo.Tokens(ctx, key, store, reg)
	if err != nil {
		t.Fatal(err)
	}
	pool.QueryRow(ctx, `SELECT count(*) FROM api_tokens`).Scan(&after)
	if before != 4 || after != 4 || fmt.Sprint(again) != fmt.Sprint(toks) {
		t.Fatalf("tokens %d then %d rows; first %v, again %v", before, after, toks, again)
	}
	if len(toks) != 4 {
		t.Fatalf("%d tokens, want one per role", len(toks))
	}
	for _, tok := range toks {
		p, err := store.Authenticate(ctx, tok.Secret)
		if err != nil || p.Role != tok.Role || p.Scope != tok.Scope {
			t.Errorf("%s: %+v %v", tok, p, err)
		}
		if f := strings.Fields(tok.String()); len(f) != 4 || f[0] != "token" || f[3] != tok.Secret {
			t.Errorf("token line %q is not `token <role> <scope> <secret>`", tok)
		}
	}
}
