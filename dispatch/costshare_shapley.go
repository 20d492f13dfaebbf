package dispatch

// The Shapley value of a cost game (Shapley 1953, "A value for n-person
// games"): a player's share is its marginal cost, averaged over every order
// in which the players could join. For a few players it is computed exactly
// from the 2ⁿ coalition values; for more, by averaging the marginal costs of
// randomly sampled orders (Castro, Gómez & Tejada 2009, "Polynomial
// calculation of the Shapley value based on sampling", Computers & OR 36),
// which is unbiased, and whose standard error gives the confidence interval
// reported. Shares are integer fen: the exact value is a fraction, and the
// largest-remainder rule turns it into fen that sum to the joint cost.

import (
	"math"
	"math/big"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// coalition is a set of players as a bit set: player i is bit i.
type coalition uint32

func (c coalition) has(i int) bool { return c&(1<<i) != 0 }
func (c coalition) size() int      { return bits.OnesCount32(uint32(c)) }

// maxPlayers bounds the bit set; sampling serves everything above the exact
// limit up to it.
const maxPlayers = 30

// valueFunc is the cost of serving a coalition alone, in fen; the empty
// coalition costs 0.
type valueFunc func(coalition) int64

// fraction is a share before rounding: Num/Den fen.
type fraction struct {
	Num []*big.Int // one per player
	Den *big.Int
}

// exactShapley is φᵢ = Σ_{S ⊆ N∖{i}} |S|!(n−|S|−1)!/n! · (v(S∪{i}) − v(S)),
// kept exact over the common denominator n!.
func exactShapley(n int, v valueFunc) fraction {
	fact := make([]*big.Int, n+1)
	fact[0] = big.NewInt(1)
	for k := 1; k <= n; k++ {
		fact[k] = new(big.Int).Mul(fact[k-1], big.NewInt(int64(k)))
	}
	num := make([]*big.Int, n)
	for i := range num {
		num[i] = new(big.Int)
	}
	grand := coalition(1<<n - 1)
	w, m := new(big.Int), new(big.Int)
	for s := coalition(0); s <= grand; s++ {
		vs := v(s)
		k := s.size()
		for i := range n {
			if s.has(i) {
				continue
			}
			w.Mul(fact[k], fact[n-k-1])
			m.SetInt64(v(s|1<<i) - vs)
			num[i].Add(num[i], w.Mul(w, m))
		}
	}
	return fraction{Num: num, Den: fact[n]}
}

// sample is the outcome of sampled orders: the summed marginal costs (a
// fraction over the number of orders) and each player's 95 % confidence
// half-width in fen.
type sample struct {
	fraction
	Orders    int
	HalfWidth []float64
}

// sampledShapley averages the marginal costs over random orders until want
// orders are drawn or more() says stop (it is asked before each order, after
// the first two). Every order's marginal costs sum to v(N), so the average
// does too, exactly.
func sampledShapley(n int, v valueFunc, want int, seed uint64, more func() bool) sample {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	sum := make([]int64, n)
	sq := make([]float64, n)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	m := 0
	for m < want && (m < 2 || more()) {
		rng.Shuffle(n, func(a, b int) { order[a], order[b] = order[b], order[a] })
		var s coalition
		prev := int64(0)
		for _, i := range order {
			s |= 1 << i
			cur := v(s)
			d := cur - prev
			sum[i] += d
			sq[i] += float64(d) * float64(d)
			prev = cur
		}
		m++
	}
	out := sample{Orders: m, HalfWidth: make([]float64, n)}
	out.Den = big.NewInt(int64(m))
	for i := range n {
		out.Num = append(out.Num, big.NewInt(sum[i]))
		mean := float64(sum[i]) / float64(m)
		if m > 1 {
			variance := (sq[i] - float64(m)*mean*mean) / float64(m-1)
			out.HalfWidth[i] = 1.96 * math.Sqrt(max(variance, 0)/float64(m))
		}
	}
	return out
}

// apportion rounds the fraction to integer fen by the largest-remainder rule
// (Hamilton's method): every player gets the floor of its share, and the fen
// left over go one each to the players with the largest remainders, ties to
// the lower index. The result sums to total exactly when the fraction does.
func apportion(f fraction, total int64) []int64 {
	n := len(f.Num)
	out := make([]int64, n)
	rem := make([]*big.Int, n)
	given := int64(0)
	for i, num := range f.Num {
		q, r := new(big.Int).DivMod(num, f.Den, new(big.Int)) // Euclidean: 0 ≤ r < Den
		out[i], rem[i] = q.Int64(), r
		given += out[i]
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return rem[b].Cmp(rem[a]) })
	for k := 0; given < total && k < n; k++ {
		out[idx[k]]++
		given++
	}
	return out
}
