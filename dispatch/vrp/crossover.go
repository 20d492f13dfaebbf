package vrp

// Crossover: the ordered crossover (OX) of HGS. Vidal (2022), §3.3; Oliver,
// Smith and Holland (1987). A random slice of the first parent's giant tour
// is kept in place; the remaining positions are filled, circularly from the
// slice's end, with the clients of the second parent in their order.

import "math/rand/v2"

// crossoverOX writes the child of p1 and p2 into child.giantTour; seen is a
// scratch array indexed by client.
func crossoverOX(child, p1, p2 *individual, rng *rand.Rand, seen []bool) {
	n := len(p1.giantTour)
	child.giantTour = child.giantTour[:n]
	if n < 2 {
		copy(child.giantTour, p1.giantTour)
		return
	}
	for i := range seen {
		seen[i] = false
	}
	start := rng.IntN(n)
	end := rng.IntN(n)
	for end == start {
		end = rng.IntN(n)
	}
	j := start
	for j%n != (end+1)%n {
		c := p1.giantTour[j%n]
		child.giantTour[j%n] = c
		seen[c] = true
		j++
	}
	for i := 1; i <= n; i++ {
		c := p2.giantTour[(end+i)%n]
		if !seen[c] {
			child.giantTour[j%n] = c
			j++
		}
	}
}
