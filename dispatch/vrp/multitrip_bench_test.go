package vrp_test

import "testing"

// BenchmarkMTVRPTWR: the multi-trip set with time windows and release
// times (Yang 2023), gap to the proven optima, n/10 s, one thread, seed 1.
//
//	go test -run XXX -bench MTVRPTWR -benchtime 1x ./dispatch/vrp/
func BenchmarkMTVRPTWR(b *testing.B) {
	benchSet(b, "mtvrptwr/*.vrp", solBKS)
}
