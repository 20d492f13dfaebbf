# Optimiser benchmarks (included by the Makefile).
BENCH_VRP_DIR  ?= ../shared/benchmarks/cvrp-x
BENCH_VRP_ARGS ?= --time-limit-per-node 0.1s --threads 1 --seed 1

## bench-vrp: gap to the best-known solutions on the CVRP X instances (n/10 s each, one thread)
bench-vrp: build
	$(BIN) bench $(BENCH_VRP_ARGS) $(BENCH_VRP_DIR)
