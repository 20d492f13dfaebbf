package dispatch

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// randomGame is a cost game of n players: each player has a stand-alone
// cost, and a coalition saves a random share of the sum (a subadditive,
// mostly realistic game), fixed per coalition by the seed.
func randomGame(n int, seed uint64) valueFunc {
	rng := rand.New(rand.NewPCG(seed, 1))
	alone := make([]int64, n)
	for i := range alone {
		alone[i] = 1000 + rng.Int64N(100_000)
	}
	v := make([]int64, 1<<n)
	for s := coalition(1); s < 1<<n; s++ {
		sum := int64(0)
		for i := range n {
			if s.has(i) {
				sum += alone[i]
			}
		}
		if s.size() == 1 {
			v[s] = sum
		} else {
			v[s] = sum - rng.Int64N(sum/3)
		}
	}
	return func(s coalition) int64 { return v[s] }
}

// bruteShapley averages marginal costs over all n! orders: the definition,
// with nothing of the production formula in it.
func bruteShapley(n int, v valueFunc) []*big.Rat {
	sum := make([]*big.Int, n)
	for i := range sum {
		sum[i] = new(big.Int)
	}
	orders := 0
	var permute func(order []int, k int)
	permute = func(order []int, k int) {
		if k == n {
			orders++
			var s coalition
			for _, i := range order {
				sum[i].Add(sum[i], big.NewInt(v(s|1<<i)-v(s)))
				s |= 1 << i
			}
			return
		}
		for j := k; j < n; j++ {
			order[k], order[j] = order[j], order[k]
			permute(order, k+1)
			order[k], order[j] = order[j], order[k]
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	permute(order, 0)
	out := make([]*big.Rat, n)
	for i := range out {
		out[i] = new(big.Rat).SetFrac(sum[i], big.NewInt(int64(orders)))
	}
	return out
}

// TestExactShapleyMatchesBruteForce: on generated games of 2 to 5 players
// the production formula gives exactly the brute-force average, and the fen
// sum to the grand coalition's cost.
func TestExactShapleyMatchesBruteForce(t *testing.T) {
	t.Parallel()
	for n := 2; n <= 5; n++ {
		for seed := uint64(1); seed <= 20; seed++ {
			v := randomGame(n, seed)
			got := exactShapley(n, v)
			want := bruteShapley(n, v)
			for i := range n {
				if r := new(big.Rat).SetFrac(got.Num[i], got.Den); r.Cmp(want[i]) != 0 {
					t.Fatalf("n=%d seed=%d player %d: %s, brute force %s", n, seed, i, r.RatString(), want[i].RatString())
				}
			}
			total := v(coalition(1<<n - 1))
			fen := apportion(got, total)
			sum := int64(0)
			for i, f := range fen {
				sum += f
				exact, _ := want[i].Float64()
				if d := float64(f) - exact; d <= -1 || d >= 1 {
					t.Errorf("n=%d seed=%d player %d: %d fen, exact %.3f", n, seed, i, f, exact)
				}
			}
			if sum != total {
				t.Errorf("n=%d seed=%d: shares sum to %d fen, cost %d", n, seed, sum, total)
			}
		}
	}
}

// TestShapleySymmetryAndNullPlayer builds games where two players are
// interchangeable and one adds nothing: the symmetric pair gets the same
// exact share and the null player exactly nothing.
func TestShapleySymmetryAndNullPlayer(t *testing.T) {
	t.Parallel()
	for n := 3; n <= 5; n++ {
		base := randomGame(n-1, uint64(n))
		// Player n−1 is null: v(S) = base(S without n−1).
		null := func(s coalition) int64 { return base(s &^ (1 << (n - 1))) }
		// Players 0 and 1 are symmetric: v depends only on how many of them
		// are in and on the others.
		sym := func(s coalition) int64 {
			if s.has(0) != s.has(1) {
				s = s&^3 | 1 // either one alone counts as player 0
			}
			return null(s)
		}
		f := exactShapley(n, sym)
		r0, r1 := new(big.Rat).SetFrac(f.Num[0], f.Den), new(big.Rat).SetFrac(f.Num[1], f.Den)
		if r0.Cmp(r1) != 0 {
			t.Errorf("n=%d: symmetric players get %s and %s", n, r0.RatString(), r1.RatString())
		}
		if f.Num[n-1].Sign() != 0 {
			t.Errorf("n=%d: the null player gets %s/%s", n, f.Num[n-1], f.Den)
		}
		fen := apportion(f, sym(coalition(1<<n-1)))
		if fen[n-1] != 0 {
			t.Errorf("n=%d: the null player pays %d fen", n, fen[n-1])
		}
		if d := fen[0] - fen[1]; d < -1 || d > 1 {
			t.Errorf("n=%d: symmetric players pay %d and %d fen", n, fen[0], fen[1])
		}
	}
}

// TestSampledShapleyWithinInterval: sampled orders land within their stated
// 95 % interval of the exact value (a 4-σ margin keeps the fixed seed from
// being lucky), and sum to the cost exactly.
func TestSampledShapleyWithinInterval(t *testing.T) {
	t.Parallel()
	n := 6
	v := randomGame(n, 42)
	exact := exactShapley(n, v)
	smp := sampledShapley(n, v, 4000, 7, func() bool { return true })
	if smp.Orders != 4000 {
		t.Fatalf("%d orders, want 4000", smp.Orders)
	}
	total := v(coalition(1<<n - 1))
	fen := apportion(smp.fraction, total)
	sum := int64(0)
	for i := range n {
		sum += fen[i]
		want, _ := new(big.Rat).SetFrac(exact.Num[i], exact.Den).Float64()
		if d := float64(fen[i]) - want; d > 2*smp.HalfWidth[i]+1 || -d > 2*smp.HalfWidth[i]+1 {
			t.Errorf("player %d: sampled %d fen, exact %.1f, half-width %.1f", i, fen[i], want, smp.HalfWidth[i])
		}
		if smp.HalfWidth[i] <= 0 {
			t.Errorf("player %d: no confidence interval", i)
		}
	}
	if sum != total {
		t.Errorf("sampled shares sum to %d, cost %d", sum, total)
	}
}

// TestApportionLargestRemainder: a worked example of the rounding rule.
func TestApportionLargestRemainder(t *testing.T) {
	t.Parallel()
	// 100 fen in thirds: 33.33 each, the first fen left over to player 0.
	f := fraction{Num: []*big.Int{big.NewInt(100), big.NewInt(100), big.NewInt(100)}, Den: big.NewInt(3)}
	got := apportion(f, 100)
	if got[0] != 34 || got[1] != 33 || got[2] != 33 {
		t.Errorf("thirds of 100: %v, want [34 33 33]", got)
	}
	// 10 fen as 1.6, 4.7, 3.7: floors 1, 4, 3; remainders .6 .7 .7 take the two fen.
	f = fraction{Num: []*big.Int{big.NewInt(16), big.NewInt(47), big.NewInt(37)}, Den: big.NewInt(10)}
	if got := apportion(f, 10); got[0] != 1 || got[1] != 5 || got[2] != 4 {
		t.Errorf("1.6/4.7/3.7: %v, want [1 5 4]", got)
	}
	// A negative share (a player that lowers the cost) is floored, not truncated.
	f = fraction{Num: []*big.Int{big.NewInt(-5), big.NewInt(25)}, Den: big.NewInt(2)}
	if got := apportion(f, 10); got[0] != -2 || got[1] != 12 {
		t.Errorf("−2.5/12.5: %v, want [-2 12]", got)
	}
}
