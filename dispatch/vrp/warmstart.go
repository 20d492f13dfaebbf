package vrp

// Warm start: a caller that already holds a good solution of a closely
// related problem (the cost-sharing game solves every coalition of carriers,
// each a subset of the stops the grand coalition's routes serve) hands its
// routes to the search, which educates them first and keeps them in the
// population. Removing stops from feasible routes keeps them feasible when
// travel times obey the triangle inequality, so the search starts from a
// feasible solution instead of a random tour.

// warmRoutes maps routes over in's stops to the sub-instance's client nodes
// (keep[k] is sub-instance client k+1), dropping stops presolve left out and
// routes left empty. A route's reloads become reload copies firstR, firstR+1,
// … while fewer than copies are used.
func warmRoutes(in *Instance, keep []int, initial []Route, firstR, copies int) (routes [][]int, types []int) {
	if len(initial) == 0 {
		return nil, nil
	}
	node := make([]int, len(in.Stops))
	for k, s := range keep {
		node[s] = k + 1
	}
	seen := make([]bool, len(in.Stops))
	for _, r := range initial {
		if r.VehicleType < 0 || r.VehicleType >= len(in.VehicleTypes) {
			continue
		}
		var route []int
		reload := 0
		for k, s := range r.Stops {
			for reload < len(r.Reloads) && r.Reloads[reload] <= k {
				if reload++; len(route) > 0 && copies > 0 {
					route = append(route, firstR)
					firstR, copies = firstR+1, copies-1
				}
			}
			if s >= 0 && s < len(in.Stops) && node[s] > 0 && !seen[s] {
				seen[s] = true
				route = append(route, node[s])
			}
		}
		if len(route) > 0 {
			routes, types = append(routes, route), append(types, r.VehicleType)
		}
	}
	return routes, types
}

// warmStart educates the caller's routes and adds them to the population.
// Stops the routes miss are appended to the giant tour and left to Split on
// the next generation; the routes themselves go to the local search as given.
func (s *search) warmStart() {
	if len(s.initial) == 0 || s.stopped() {
		return
	}
	ind := s.child
	ind.setRoutes(s.initial, s.initialTypes)
	clear(s.seen)
	for _, c := range ind.giantTour {
		s.seen[c] = true
	}
	for c := 1; c <= s.p.nbClients; c++ {
		if !s.seen[c] {
			ind.giantTour = append(ind.giantTour, c)
			ind.routes = append(ind.routes, []int{c})
			ind.types = append(ind.types, s.initialTypes[0])
		}
	}
	ind.evaluateCompleteCost(s.p, &s.w)
	s.educate(ind)
}
