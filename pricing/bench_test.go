package pricing_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/tongpei/tongpei/pricing"
)

// requests is a fixed mix of parcels: mostly certified farm produce, some
// other firms, a third with sizes.
func requests(n int) []pricing.QuoteRequest {
	rng := rand.New(rand.NewPCG(1, 2))
	merchants := []string{certifiedM, certifiedM, certifiedM, outsiderM, ""}
	out := make([]pricing.QuoteRequest, n)
	for i := range out {
		out[i] = pricing.QuoteRequest{
			MerchantID:  merchants[rng.IntN(len(merchants))],
			WeightG:     10 + rng.Int64N(29_991),
			Destination: pricing.Destination{Province: pricing.Provinces[rng.IntN(31)].Code},
			Category:    pricing.Categories[rng.IntN(2)],
		}
		if i%3 == 0 {
			out[i].Size = &pricing.Size{L: 40, W: 30, H: 1 + rng.Int64N(40)}
		}
	}
	return out
}

// BenchmarkQuote is the pure computation on the in-memory snapshot: every
// line for three carriers, without storing the quote.
func BenchmarkQuote(b *testing.B) {
	f := newFixture(b)
	snap, reqs, at := f.snap(), requests(1024), f.now
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := snap.Quote(reqs[i%len(reqs)], at); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "quotes/s")
}

// BenchmarkQuoteParallel is BenchmarkQuote from every core at once.
func BenchmarkQuoteParallel(b *testing.B) {
	f := newFixture(b)
	snap, reqs, at := f.snap(), requests(1024), f.now
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			if _, err := snap.Quote(reqs[i%len(reqs)], at); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "quotes/s")
}

// BenchmarkServiceQuote is a quote as the API makes it: computed and stored.
func BenchmarkServiceQuote(b *testing.B) {
	f := newFixture(b)
	f.svc.Now = time.Now
	reqs, ctx := requests(1024), context.Background()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			if _, err := f.svc.Quote(ctx, reqs[i%len(reqs)]); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "quotes/s")
}
