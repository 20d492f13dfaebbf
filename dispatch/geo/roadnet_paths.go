package geo

import (
	"container/heap"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Unreachable is a place the road network cannot serve, with the reason a
// person can act on. Index is the place's position in the points given.
type Unreachable struct {
	Index  int    `json:"-"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// RoadMatrix is what the network gives the optimiser: N×N row-major
// matrices of shortest distances (metres) and fastest times (seconds), and
// the places it cannot reach, whose rows and columns are zero and which the
// caller must leave out of the problem.
type RoadMatrix struct {
	Distances   []int64
	Durations   []int64
	Unreachable []Unreachable
}

// Matrices computes shortest distances and fastest times between points,
// points[0] being the hub every route starts from. Each point is snapped to
// its nearest network vertex within MaxSnapM, and the short access from the
// point to its vertex is added at the default speed. A point with no vertex
// in range, or whose vertex is on a part of the network the hub's is not
// connected to, is reported in Unreachable with its code, never guessed.
// The hub itself being unreachable is an error.
func (n *RoadNetwork) Matrices(points []orb.Point, codes []string) (*RoadMatrix, error) {
	if len(points) != len(codes) {
		return nil, fmt.Errorf("matrices: %d points but %d codes", len(points), len(codes))
	}
	np := len(points)
	out := &RoadMatrix{Distances: make([]int64, np*np), Durations: make([]int64, np*np)}
	if np == 0 {
		return out, nil
	}
	node, access, ok, unreachable, fromHub, err := n.reach(points, codes)
	if err != nil {
		return nil, err
	}
	out.Unreachable = unreachable
	accessSpeed := n.opt.DefaultSpeedKmh / 3.6
	for i := range points {
		if !ok[i] {
			continue
		}
		metres := fromHub
		if i != 0 {
			metres = n.shortest(node[i], byMetres)
		}
		seconds := n.shortest(node[i], bySeconds)
		for j := range points {
			if !ok[j] || i == j {
				continue
			}
			acc := access[i] + access[j]
			out.Distances[i*np+j] = int64(math.Round(metres[node[j]] + acc))
			out.Durations[i*np+j] = int64(math.Round(seconds[node[j]] + acc/accessSpeed))
		}
	}
	return out, nil
}

// weight picks what a shortest path minimises.
type weight func(a *arc) float64

func byMetres(a *arc) float64  { return a.metres }
func bySeconds(a *arc) float64 { return a.seconds }

// shortest is Dijkstra's algorithm with a binary heap (container/heap) from
// node src: the least total weight to every node, +Inf where none leads.
// Stale heap entries are skipped rather than decreased in place, which
// keeps the heap simple at the cost of a few extra pops.
func (n *RoadNetwork) shortest(src int, w weight) []float64 {
	dist := make([]float64, len(n.nodes))
	for i := range dist {
		dist[i] = math.Inf(1)
	}
	dist[src] = 0
	h := &distHeap{{node: int32(src), d: 0}}
	for h.Len() > 0 {
		top := heap.Pop(h).(heapItem)
		if top.d > dist[top.node] {
			continue // stale
		}
		for k := range n.adj[top.node] {
			a := &n.adj[top.node][k]
			if d := top.d + w(a); d < dist[a.to] {
				dist[a.to] = d
				heap.Push(h, heapItem{node: a.to, d: d})
			}
		}
	}
	return dist
}

type heapItem struct {
	node int32
	d    float64
}

// distHeap is a min-heap of tentative distances for container/heap.
type distHeap []heapItem

func (h distHeap) Len() int           { return len(h) }
func (h distHeap) Less(i, j int) bool { return h[i].d < h[j].d }
func (h distHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *distHeap) Push(x any)        { *h = append(*h, x.(heapItem)) }
func (h *distHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

// Reach reports the points (points[0] being the hub) the network cannot
// serve, without computing matrices: what an import tells the county.
func (n *RoadNetwork) Reach(points []orb.Point, codes []string) ([]Unreachable, error) {
	_, _, _, u, _, err := n.reach(points, codes)
	return u, err
}

// reach snaps every point and finds which are connected to the hub: each
// point's node and access distance, whether it is served, the unreachable
// list, and the hub's shortest distances.
func (n *RoadNetwork) reach(points []orb.Point, codes []string) (node []int, access []float64, ok []bool, u []Unreachable, fromHub []float64, err error) {
	np := len(points)
	node, access, ok = make([]int, np), make([]float64, np), make([]bool, np)
	for i, p := range points {
		node[i], access[i] = n.nearest(p)
		if node[i] < 0 && i == 0 {
			return nil, nil, nil, nil, nil, fmt.Errorf("the hub %s is more than %.0f m from every road of the network; import a network that reaches it", codes[0], n.opt.MaxSnapM)
		}
	}
	fromHub = n.shortest(node[0], byMetres)
	for i := range points {
		switch {
		case node[i] < 0:
			u = append(u, Unreachable{Index: i, Code: codes[i],
				Reason: fmt.Sprintf("no road of the network within %.0f m of the station; extend the network or correct the station's location", n.opt.MaxSnapM)})
		case math.IsInf(fromHub[node[i]], 1):
			u = append(u, Unreachable{Index: i, Code: codes[i],
				Reason: "the road nearest the station is not connected to the hub's roads; add the missing link to the network"})
		default:
			ok[i] = true
		}
	}
	return node, access, ok, u, fromHub, nil
}
