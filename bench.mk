# Optimiser benchmarks (included by the Makefile).
BENCH_VRP_DIR  ?= testdata/benchmarks/cvrp-x
BENCH_VRP_ARGS ?= --time-limit-per-node 0.1s --threads 1 --seed 1

## bench-vrp: gap to the best-known solutions on the CVRP X instances (n/10 s each, one thread)
bench-vrp: build
	$(BIN) bench $(BENCH_VRP_ARGS) $(BENCH_VRP_DIR)

## bench-mtvrptwr: gap to the proven optima of the multi-trip VRP with time windows and release times (19 × 10.1 s, one thread, seed 1)
bench-mtvrptwr: build
	$(BIN) bench --time-limit-per-node 0.1s --threads 1 --seed 1 testdata/benchmarks/mtvrptwr

## bench-vrptw: gap to the best-known Gehring & Homberger VRPTW solutions, 1,000 customers (DIMACS convention, read from the set; 100.1 s each, one thread, seed 1)
bench-vrptw: build
	$(BIN) bench --time-limit-per-node 0.1s --threads 1 --seed 1 testdata/benchmarks/vrptw-gh1000

## bench-converge: answer time and gap to a 10 s search without a time limit, 5 to 200 stops (one thread, seed 1; about 8 minutes)
bench-converge:
	go test -run XXX -bench UntilConverged -benchtime 1x -timeout 30m ./dispatch/vrp/
