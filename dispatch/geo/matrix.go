// Package geo turns places into travel: distance and duration matrices for
// the optimiser and GeoJSON for maps. Until the county's road network is
// imported, travel is the great-circle distance × a circuity factor, driven
// at a fixed speed.
package geo

import (
	"errors"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/tongpei/tongpei/dispatch/vrp/vrpio"
)

// Defaults for mountain counties: roads wind, vans are slow.
const (
	DefaultCircuity = 1.5  // road distance / great-circle distance
	DefaultSpeedKmh = 35.0 // average van speed
)

// Travel says how great-circle distance becomes road distance and time.
// The zero value uses the defaults.
type Travel struct {
	Circuity float64 // ≥ 1; 0 means DefaultCircuity
	SpeedKmh float64 // > 0; 0 means DefaultSpeedKmh
}

func (t Travel) params() (circuity, metresPerSecond float64, err error) {
	circuity, speed := t.Circuity, t.SpeedKmh
	if circuity == 0 {
		circuity = DefaultCircuity
	}
	if speed == 0 {
		speed = DefaultSpeedKmh
	}
	if !(circuity >= 1 && circuity <= 10) || !(speed > 0 && speed <= 200) {
		return 0, 0, errors.New("circuity must be in 1..10 and speed in (0, 200] km/h")
	}
	return circuity, speed / 3.6, nil
}

// Matrices returns N×N row-major matrices between points (lon, lat): road
// distance in metres = great-circle distance (haversine, orb/geo) ×
// circuity, rounded; duration in seconds = road distance / speed, rounded.
func (t Travel) Matrices(points []orb.Point) (distances, durations []int64, err error) {
	circuity, mps, err := t.params()
	if err != nil {
		return nil, nil, err
	}
	n := len(points)
	for _, p := range points {
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.Abs(p[0]) > 180 || math.Abs(p[1]) > 90 {
			return nil, nil, errors.New("a point is not a valid [lon, lat]")
		}
	}
	distances, durations = make([]int64, n*n), make([]int64, n*n)
	for i := range n {
		for j := i + 1; j < n; j++ {
			road := geo.DistanceHaversine(points[i], points[j]) * circuity
			d, s := int64(math.Round(road)), int64(math.Round(road/mps))
			distances[i*n+j], distances[j*n+i] = d, d
			durations[i*n+j], durations[j*n+i] = s, s
		}
	}
	return distances, durations, nil
}

// MatrixFunc adapts Matrices to what vrpio.ReadVROOM takes.
func (t Travel) MatrixFunc() vrpio.MatrixFunc {
	return func(locs []vrpio.Coordinates) ([]int64, []int64, error) {
		points := make([]orb.Point, len(locs))
		for i, c := range locs {
			points[i] = orb.Point(c)
		}
		return t.Matrices(points)
	}
}
