package api_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/tongpei/tongpei/internal/auth"
)

// BenchmarkPricingQuoteHTTP posts quotes over real HTTP on loopback to the
// full router (token check, JSON, computation, stored quote) and reports the
// latency percentiles beside the throughput. The target is p99 < 10 ms.
func BenchmarkPricingQuoteHTTP(b *testing.B) {
	a, _ := newPricingAPI(b)
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	client := srv.Client()
	defer client.CloseIdleConnections()
	token := a.token(auth.Merchant, "M00001")
	provinces := []string{"云南省", "440000", "浙江省", "650000", "四川"}
	bodies := make([][]byte, 64)
	for i := range bodies {
		bodies[i] = fmt.Appendf(nil, `{"weight_g": %d, "destination": {"province": %q}, "category": "farm_produce"}`,
			500+i*400, provinces[i%len(provinces)])
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		req, _ := http.NewRequest("POST", srv.URL+"/v1/pricing/quotes", bytes.NewReader(bodies[i%len(bodies)]))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		lat = append(lat, time.Since(start))
		if resp.StatusCode != http.StatusCreated {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(len(lat))/b.Elapsed().Seconds(), "quotes/s")
}
