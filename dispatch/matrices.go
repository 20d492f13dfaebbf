package dispatch

import (
	"context"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"github.com/tongpei/tongpei/dispatch/geo"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/tenant"
)

// MatrixUpload is a distance and duration matrix the county computed
// elsewhere (another routing engine, a survey), over the stations named in
// the same order as the rows.
type MatrixUpload struct {
	Stations   []string  `json:"stations"`
	DistancesM [][]int64 `json:"distances_m"`
	DurationsS [][]int64 `json:"durations_s"`
}

// MatrixInfo is what an upload answers.
type MatrixInfo struct {
	ID        int64     `json:"id"`
	Stations  int       `json:"stations"`
	CreatedAt time.Time `json:"created_at"`
}

// UploadMatrix stores a matrix; plans use the newest one covering their
// stations when no road network was imported.
func (s *Service) UploadMatrix(ctx context.Context, m MatrixUpload) (MatrixInfo, error) {
	n := len(m.Stations)
	var f errs.Fields
	if n < 2 || n > 2000 {
		f.Add("stations", "must list 2..2000 station codes")
	}
	seen := map[string]bool{}
	for _, c := range m.Stations {
		if seen[c] {
			f.Add("stations", "%s is listed twice", c)
		}
		seen[c] = true
	}
	flat := func(field string, rows [][]int64) []int64 {
		if len(rows) != n {
			f.Add(field, "must have %d rows, one per station", n)
			return nil
		}
		out := make([]int64, 0, n*n)
		for i, r := range rows {
			if len(r) != n {
				f.Add(field, "row %d has %d entries, want %d", i, len(r), n)
				return nil
			}
			for j, v := range r {
				if v < 0 || (i == j && v != 0) || v > 10_000_000 {
					f.Add(field, "entry [%d][%d] = %d: must be 0 on the diagonal and 0..10000000 elsewhere", i, j, v)
					return nil
				}
			}
			out = append(out, r...)
		}
		return out
	}
	dist, dur := flat("distances_m", m.DistancesM), flat("durations_s", m.DurationsS)
	if err := f.Err(); err != nil {
		return MatrixInfo{}, err
	}
	info, err := s.roads.insertMatrix(ctx, m.Stations, dist, dur)
	if err != nil {
		return MatrixInfo{}, err
	}
	s.matrices.Invalidate()
	return info, nil
}

// matricesFor gives the travel between sts (the hub first) from the best
// source there is: the imported road network, else the newest uploaded
// matrix covering every station, else great-circle × 1.5 at 35 km/h. Only
// the road network can leave stations unreachable.
func (s *Service) matricesFor(ctx context.Context, sts []Station) (*geo.CachedMatrix, error) {
	codes := make([]string, len(sts))
	points := make([]orb.Point, len(sts))
	for i, st := range sts {
		codes[i], points[i] = st.Code, st.Location
	}
	netID, n, err := s.network(ctx)
	if err != nil {
		return nil, err
	}
	if n != nil {
		source := describeSource("road_network", netID)
		return s.cached(ctx, source, codes, func() (*geo.CachedMatrix, error) {
			rm, err := n.Matrices(points, codes)
			if err != nil {
				return nil, caused(errs.E(errs.Conflict, "%s", err), err)
			}
			return &geo.CachedMatrix{Source: source, Distances: rm.Distances, Durations: rm.Durations, Unreachable: rm.Unreachable}, nil
		})
	}
	up, err := s.roads.covering(ctx, codes)
	if err != nil {
		return nil, err
	}
	if up != nil {
		source := describeSource("uploaded", up.ID)
		return s.cached(ctx, source, codes, func() (*geo.CachedMatrix, error) {
			return subMatrix(source, up.Stations, up.Dist, up.Duration, codes), nil
		})
	}
	return s.cached(ctx, "great_circle", codes, func() (*geo.CachedMatrix, error) {
		d, t, err := geo.Travel{}.Matrices(points)
		if err != nil {
			return nil, caused(errs.E(errs.Invalid, "station locations: %s", err), err)
		}
		return &geo.CachedMatrix{Source: "great_circle", Distances: d, Durations: t}, nil
	})
}

// cached is the matrix of source over codes, computed once per county:
// two counties may both have a station S01, in different places.
func (s *Service) cached(ctx context.Context, source string, codes []string, compute func() (*geo.CachedMatrix, error)) (*geo.CachedMatrix, error) {
	key := geo.MatrixKey(tenant.From(ctx)+"/"+source, codes)
	if m, ok := s.matrices.Get(key); ok {
		return m, nil
	}
	m, err := compute()
	if err != nil {
		return nil, err
	}
	s.matrices.Put(key, m)
	return m, nil
}

// subMatrix picks the rows and columns of codes out of an uploaded matrix.
func subMatrix(source string, all []string, dist, dur []int64, codes []string) *geo.CachedMatrix {
	n, k := len(all), len(codes)
	idx := make([]int, k)
	for i, c := range codes {
		idx[i] = slices.Index(all, c)
	}
	out := &geo.CachedMatrix{Source: source, Distances: make([]int64, k*k), Durations: make([]int64, k*k)}
	for i := range k {
		for j := range k {
			out.Distances[i*k+j] = dist[idx[i]*n+idx[j]]
			out.Durations[i*k+j] = dur[idx[i]*n+idx[j]]
		}
	}
	return out
}
