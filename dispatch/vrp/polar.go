package vrp

// Polar sectors: HGS orders routes by the polar angle of their barycentre
// and tests SWAP* only between routes whose circle sectors around the depot
// overlap (Vidal 2022, §4, "CircleSector"). The model carries a distance
// matrix and no coordinates, so pseudo-coordinates come from classical
// multidimensional scaling (Torgerson 1952) of the symmetrised matrix: exact
// for Euclidean instances, a faithful layout for road distances.

import (
	"math"
	"slices"
)

const circle = 65536 // angles are integers in [0, circle)

// embed computes p.x, p.y and p.angle for every node.
func (p *params) embed() {
	n := p.n
	p.x, p.y, p.angle = make([]float64, n), make([]float64, n), make([]int, n)
	if n < 3 {
		return
	}
	// B = −½ J D² J, the double-centred squared distances.
	b := make([]float64, n*n)
	rowMean := make([]float64, n)
	var all float64
	for i := range n {
		for j := range n {
			d := float64(p.dist[i*n+j]+p.dist[j*n+i]) / 2
			b[i*n+j] = d * d
			rowMean[i] += d * d
		}
		all += rowMean[i]
		rowMean[i] /= float64(n)
	}
	all /= float64(n * n)
	for i := range n {
		for j := range n {
			b[i*n+j] = -0.5 * (b[i*n+j] - rowMean[i] - rowMean[j] + all)
		}
	}
	v1, l1 := powerIteration(b, n, nil)
	v2, l2 := powerIteration(b, n, v1)
	for i := range n {
		p.x[i] = v1[i] * math.Sqrt(max(l1, 0))
		p.y[i] = v2[i] * math.Sqrt(max(l2, 0))
	}
	for i := range n {
		p.angle[i] = p.polarAngle(p.x[i], p.y[i])
	}
}

// polarAngle is the integer angle of (x, y) seen from the depot.
func (p *params) polarAngle(x, y float64) int {
	a := math.Atan2(y-p.y[0], x-p.x[0])
	k := int(float64(circle) * (a + math.Pi) / (2 * math.Pi))
	return positiveMod(k)
}

// powerIteration finds the dominant eigenpair of the symmetric n×n matrix b,
// orthogonal to deflate when it is set. Its start vector is fixed, so the
// result is deterministic.
func powerIteration(b []float64, n int, deflate []float64) ([]float64, float64) {
	v := make([]float64, n)
	w := make([]float64, n)
	for i := range v {
		v[i] = 1 + float64(i%7)/7
	}
	var lambda float64
	for range 100 {
		if deflate != nil {
			var dot float64
			for i := range v {
				dot += v[i] * deflate[i]
			}
			for i := range v {
				v[i] -= dot * deflate[i]
			}
		}
		var norm float64
		for i := range n {
			var s float64
			row := b[i*n : i*n+n]
			for j, bij := range row {
				s += bij * v[j]
			}
			w[i] = s
			norm += s * s
		}
		norm = math.Sqrt(norm)
		if norm == 0 {
			break
		}
		var vn float64
		for i := range v {
			vn += v[i] * v[i]
		}
		prev := lambda
		lambda = norm / math.Sqrt(vn)
		for i := range v {
			v[i] = w[i] / norm
		}
		if math.Abs(lambda-prev) <= 1e-9*lambda {
			break // converged
		}
	}
	return v, lambda
}

func positiveMod(i int) int {
	return ((i % circle) + circle) % circle
}

// updatePolar recomputes the sector and barycentre angle of route r.
func (ls *localSearch) updatePolar(r *lsRoute) {
	p := ls.p
	r.sectorStart, r.sectorEnd = 0, 0
	if r.nbCustomers == 0 {
		r.angle = 0
		return
	}
	var sx, sy float64
	first := true
	k := 0
	for n := r.depot.next; !n.isDepot; n = n.next {
		if p.isReload(n.cour) {
			continue // at the depot: no angle
		}
		k++
		a := p.angle[n.cour]
		sx += p.x[n.cour]
		sy += p.y[n.cour]
		if first {
			r.sectorStart, r.sectorEnd, first = a, a, false
			continue
		}
		if positiveMod(a-r.sectorStart) <= positiveMod(r.sectorEnd-r.sectorStart) {
			continue // already enclosed
		}
		if positiveMod(a-r.sectorEnd) <= positiveMod(r.sectorStart-a) {
			r.sectorEnd = a
		} else {
			r.sectorStart = a
		}
	}
	if k == 0 {
		r.angle = 0
		return
	}
	r.angle = p.polarAngle(sx/float64(k), sy/float64(k))
}

// sectorsOverlap tells whether the sectors of two routes intersect.
func sectorsOverlap(a, b *lsRoute) bool {
	return positiveMod(b.sectorStart-a.sectorStart) <= positiveMod(a.sectorEnd-a.sectorStart) ||
		positiveMod(a.sectorStart-b.sectorStart) <= positiveMod(b.sectorEnd-b.sectorStart)
}

// sortRoutesByAngle orders route indices by their barycentre angle.
func sortRoutesByAngle(order []int, routes []*lsRoute) {
	slices.SortFunc(order, func(a, b int) int {
		if d := routes[a].angle - routes[b].angle; d != 0 {
			return d
		}
		return a - b
	})
}
