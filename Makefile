# tongpei — the two commands a county office needs are `make run` and `make test`.
GO        ?= go
BIN       := bin/tongpei
PKGS      := ./...

.PHONY: all build run test test-short lint bench bench-vrp bench-mtvrptwr fault-suite bench-load clean backup-check lint-openapi screenshots client test-client

all: build

build:
	$(GO) build -o $(BIN) ./cmd/tongpei

## run: serve the demonstration county on http://127.0.0.1:8080 (embedded NATS, local PostgreSQL)
run: build
	$(BIN) serve --demo

## test: every test, against the local PostgreSQL and in-process NATS servers;
## the test databases (and their migrated template) are dropped afterwards
test:
	@status=0; $(GO) test -count=1 -timeout 20m $(PKGS) || status=$$?; \
	$(MAKE) --no-print-directory test-client || status=$$?; \
	$(GO) run ./internal/pg/pgtest/cleanup; \
	[ $$status -ne 0 ] || $(MAKE) --no-print-directory backup-check || status=$$?; exit $$status

## client: generate the Go client (clients/go, its own module) from the OpenAPI document
## the server serves, with the oapi-codegen its go.mod pins, then tidies that go.mod
## (its tests import the server, so it lists the server's dependencies too). The
## generated file is not committed: it is made fresh from the document every time.
client:
	cd clients/go && $(GO) run -mod=mod ./internal/gen && $(GO) mod tidy

## test-client: a client generated from today's document compiles, and its smoke test
## passes against the real server (part of `make test`)
test-client: client
	cd clients/go && $(GO) vet ./... && $(GO) test -count=1 -timeout 5m ./...

## backup-check: back up the demonstration county, wreck it, restore it, compare every table
backup-check: build
	scripts/backup-roundtrip.sh

test-short:
	$(GO) test -short -count=1 $(PKGS)

## lint: gofmt, go vet, and staticcheck when it can be installed
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	@if $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.7.0 -version >/dev/null 2>&1; then \
		$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.7.0 $(PKGS); \
	else echo "staticcheck could not be installed; skipped"; fi

## lint-openapi: Spectral's OpenAPI rules (npm, pinned in tools/openapi-lint) over the served document; any warning fails
lint-openapi: build
	cd tools/openapi-lint && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	mkdir -p var && $(BIN) openapi > var/openapi.json
	tools/openapi-lint/node_modules/.bin/spectral lint --ruleset tools/openapi-lint/.spectral.yaml --fail-severity warn var/openapi.json

## fault-suite: kill -9 under load, PostgreSQL connections cut, NATS stopped, the JetStream
## store deleted then reconciled; prints the figures and fails when a scan is lost or doubled
fault-suite: build
	$(BIN) fault-suite

## bench-load: the API under load (batches, single scans open and closed loop, 2× overload)
bench-load: build
	$(BIN) bench-load

## bench: the Go benchmarks of every package
bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x $(PKGS)

## screenshots: every page's screens (360 × 640 and desktop) into docs/screenshots, taken by the browser tests
screenshots:
	mkdir -p docs/screenshots
	TONGPEI_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run 'TestStation|TestConsole|Page' ./api

clean:
	rm -rf bin var

-include bench.mk

