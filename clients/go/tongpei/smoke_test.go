package tongpei_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/clients/go/tongpei"
	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/bus/bustest"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/pricing"
	"github.com/tongpei/tongpei/stations"
)

// TestSmoke drives the real server (api.New over a fresh PostgreSQL database
// with the demonstration county and its prices, and an embedded NATS) through the generated
// client only: the proof that the OpenAPI document is usable by a generator.
func TestSmoke(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t)
	b := bustest.Open(t)
	// The demonstration county's stations, carriers and firms, and its
	// tariff: what the public price board shows.
	reg, prices := stations.NewRegistry(pool), pricing.NewService(pool)
	if err := demo.LoadRegistry(ctx, reg); err != nil {
		t.Fatal(err)
	}
	if err := pricing.LoadDemo(ctx, prices); err != nil {
		t.Fatal(err)
	}
	tokens := auth.NewStore(pool)
	srv := httptest.NewServer(api.New(api.Deps{
		Tokens:   tokens,
		Registry: reg,
		Pricing:  prices,
		Ready: func(ctx context.Context) error {
			if err := pool.Ping(ctx); err != nil {
				return err
			}
			return b.Ping(ctx)
		},
	}))
	t.Cleanup(srv.Close)
	admin, _, err := tokens.Create(ctx, auth.Admin, "", "client smoke test")
	if err != nil {
		t.Fatal(err)
	}

	anon := newClient(t, srv, "")
	signedIn := newClient(t, srv, admin)

	t.Run("healthz", func(t *testing.T) {
		// /healthz and /readyz are for probes and are not in the document
		// (it describes /v1), so the client has no method for them; read
		// them through the same HTTP client and server URL it uses.
		for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready"} {
			resp, err := srv.Client().Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			var body struct{ Status string }
			err = json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK || body.Status != want {
				t.Fatalf("%s: %d %+v (%v), want 200 %q", path, resp.StatusCode, body, err, want)
			}
		}
	})

	t.Run("public prices", func(t *testing.T) {
		board, err := anon.GetPricingBoardWithResponse(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if board.StatusCode() != http.StatusOK || board.JSON200 == nil {
			t.Fatalf("board: %d %s", board.StatusCode(), board.Body)
		}
		if len(board.JSON200.Zones) == 0 || len(board.JSON200.Carriers) == 0 || len(board.JSON200.Zones[0].Prices) == 0 {
			t.Fatalf("the demonstration board is empty: %s", board.Body)
		}
		bands, err := anon.GetPricingBandsWithResponse(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if bands.StatusCode() != http.StatusOK || bands.JSON200 == nil || len(bands.JSON200.Bands) == 0 {
			t.Fatalf("bands: %d %s", bands.StatusCode(), bands.Body)
		}
	})

	t.Run("create and read a station", func(t *testing.T) {
		parent, township := "XP-HUB", "桂山街道"
		services := []tongpei.NewStationServices{"parcel_pickup"}
		in := tongpei.NewStation{
			Code: "XP-T-SMOKE", Name: "客户端冒烟测试站", Tier: "township",
			Parent: &parent, Township: &township, Services: &services,
		}
		in.Location.Lon, in.Location.Lat = 101.987654, 24.061234
		created, err := signedIn.CreateStationsWithResponse(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if created.StatusCode() != http.StatusCreated || created.JSON201 == nil {
			t.Fatalf("create: %d %s", created.StatusCode(), created.Body)
		}
		got, err := signedIn.GetStationsByCodeWithResponse(ctx, in.Code)
		if err != nil {
			t.Fatal(err)
		}
		if got.StatusCode() != http.StatusOK || got.JSON200 == nil {
			t.Fatalf("read: %d %s", got.StatusCode(), got.Body)
		}
		s := *got.JSON200
		if s.Code != in.Code || s.Name != in.Name || s.Tier != "township" || s.Parent == nil || *s.Parent != parent ||
			s.Township != township || s.Location.Lon != in.Location.Lon || s.Location.Lat != in.Location.Lat {
			t.Fatalf("read back %+v, want what was created: %+v", s, in)
		}
	})

	t.Run("list stations a page at a time", func(t *testing.T) {
		// Query parameters and the {items, next} cursor, as the client sends
		// and reads them: every township, three to a page.
		tier, limit := tongpei.ListStationsParamsTier("township"), tongpei.Limit(3)
		params := &tongpei.ListStationsParams{Tier: &tier, Limit: &limit}
		seen := map[string]bool{}
		for pages := 0; ; pages++ {
			if pages > 100 {
				t.Fatal("the cursor never ends")
			}
			page, err := signedIn.ListStationsWithResponse(ctx, params)
			if err != nil {
				t.Fatal(err)
			}
			if page.StatusCode() != http.StatusOK || page.JSON200 == nil || len(page.JSON200.Items) > 3 {
				t.Fatalf("page %d: %d %s", pages, page.StatusCode(), page.Body)
			}
			for _, s := range page.JSON200.Items {
				if s.Tier != "township" || seen[s.Code] {
					t.Fatalf("page %d: %s (%s) is not a township seen once", pages, s.Code, s.Tier)
				}
				seen[s.Code] = true
			}
			if page.JSON200.Next == nil {
				break
			}
			params.Cursor = page.JSON200.Next
		}
		if len(seen) < 4 || !seen["XP-T-SMOKE"] {
			t.Fatalf("%d townships over the pages, want the county's and XP-T-SMOKE: %v", len(seen), seen)
		}
	})

	t.Run("New is needed", func(t *testing.T) {
		// The generated constructor alone misses the JSON answer of an
		// operation with two JSON media types (client.go). When this fails,
		// the generator or the server changed: New may go.
		raw, err := tongpei.NewClientWithResponses(srv.URL, tongpei.WithHTTPClient(srv.Client()),
			tongpei.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
				r.Header.Set("Authorization", "Bearer "+admin)
				return nil
			}))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := raw.ListStationsWithResponse(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode() != http.StatusOK || resp.JSON200 != nil {
			t.Fatalf("%d, JSON200 %v: NewClientWithResponses now reads it; is New still needed?", resp.StatusCode(), resp.JSON200 != nil)
		}
	})

	t.Run("a bad station is a 422 problem", func(t *testing.T) {
		bad := tongpei.NewStation{Code: "not a code", Name: "坏站", Tier: "village"}
		resp, err := signedIn.CreateStationsWithResponse(ctx, bad)
		if err != nil {
			t.Fatal(err)
		}
		p := resp.ApplicationproblemJSON422
		if resp.StatusCode() != http.StatusUnprocessableEntity || p == nil {
			t.Fatalf("%d %s, want a 422 problem", resp.StatusCode(), resp.Body)
		}
		if p.Status != http.StatusUnprocessableEntity || p.Code == "" || p.Fields == nil || len(*p.Fields) == 0 {
			t.Fatalf("problem %+v: want its status, code and the fields at fault", p)
		}
	})

	t.Run("no token is a 401 problem", func(t *testing.T) {
		resp, err := anon.CreateStationsWithResponse(ctx, tongpei.NewStation{Code: "XP-T-NOAUTH", Name: "无令牌", Tier: "township"})
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode() != http.StatusUnauthorized || resp.ApplicationproblemJSON401 == nil || resp.ApplicationproblemJSON401.Code == "" {
			t.Fatalf("%d %s, want a 401 problem", resp.StatusCode(), resp.Body)
		}
		list, err := anon.ListStationsWithResponse(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if list.StatusCode() != http.StatusUnauthorized || list.ApplicationproblemJSON401 == nil {
			t.Fatalf("list: %d %s, want a 401 problem", list.StatusCode(), list.Body)
		}
	})
}

// newClient is the generated client (through New) for srv, sending token as a bearer
// token when there is one.
func newClient(t *testing.T, srv *httptest.Server, token string) *tongpei.ClientWithResponses {
	t.Helper()
	opts := []tongpei.ClientOption{tongpei.WithHTTPClient(srv.Client())}
	if token != "" {
		opts = append(opts, tongpei.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+token)
			return nil
		}))
	}
	c, err := tongpei.New(srv.URL, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
