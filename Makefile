# CaseLedger — set-up and checks. `make test` and `make demo` work on a fresh Debian machine.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
## The command-line tool with PostgreSQL stores; `make demo` leaves it out
## (SwiftNIO and postgres-nio are most of a clean build).
TRAITS := --traits PostgreSQL

.PHONY: deps test audit-check tsan asan fuzz demo serve build release bench docs clean

## Install the system packages the build and tests need (LMDB and PostgreSQL from Debian), if missing.
deps:
	@if ! pkg-config --exists lmdb 2>/dev/null; then \
		echo "installing liblmdb-dev"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq liblmdb-dev pkg-config; \
	fi
	@if ! command -v mdb_dump >/dev/null 2>&1; then \
		echo "installing lmdb-utils"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq lmdb-utils; \
	fi
	@if ! python3 -c 'import cryptography' >/dev/null 2>&1; then \
		echo "installing python3-cryptography (for the reference verifier)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3 python3-cryptography; \
	fi
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then \
		echo "installing postgresql"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql; \
	fi
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo "installing chromium (headless, for the city service's browser test)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; \
	fi

build: deps
	$(SWIFT) build $(TRAITS)

release: deps
	$(SWIFT) build -c release $(TRAITS)

## Run every test: conformance on every backend (a throwaway PostgreSQL
## server is started for the run), crash and multi-process tests, the CLI.
test: deps
	scripts/with-scratch-tmpdir.sh $(SWIFT) build --build-tests $(TRAITS)
	scripts/with-scratch-tmpdir.sh scripts/with-postgres.sh $(SWIFT) test --skip-build $(TRAITS)

## The reference verifier (tools/caseledger_verify.py, Python) against a
## clean store and export and 38 tampered copies, next to `caseledger verify`
## and `caseledger import`: both must give the same verdict on each.
audit-check: deps
	$(SWIFT) build --product caseledger
	scripts/with-scratch-tmpdir.sh tools/test_verifier.sh .build/debug/caseledger

## The DocC documentation of the CaseLedger module (articles in
## Sources/CaseLedger/CaseLedger.docc), with every symbol link checked.
docs: deps
	scripts/with-scratch-tmpdir.sh $(SWIFT) package --disable-sandbox generate-documentation --target CaseLedger --warnings-as-errors --output-path .build/docs
	@echo "documentation in .build/docs (open .build/docs/index.html through a web server, or use: $(SWIFT) package --disable-sandbox preview-documentation --target CaseLedger)"

## The whole suite under ThreadSanitizer (its own build folder). The locks
## are pthread mutexes, which TSan sees (see Sources/CaseLedger/Support/Locked.swift).
tsan: deps
	scripts/with-scratch-tmpdir.sh $(SWIFT) build --build-tests $(TRAITS) --sanitize=thread --scratch-path .build-tsan
	TSAN_OPTIONS="halt_on_error=1 $(TSAN_OPTIONS)" scripts/with-scratch-tmpdir.sh scripts/with-postgres.sh $(SWIFT) test --skip-build $(TRAITS) --sanitize=thread --scratch-path .build-tsan $(TEST_FILTER)

## The whole suite under AddressSanitizer. Leak detection is off: at exit it
## reports the Swift runtime's and XCTest's still-reachable allocations.
asan: deps
	scripts/with-scratch-tmpdir.sh $(SWIFT) build --build-tests $(TRAITS) --sanitize=address --scratch-path .build-asan
	ASAN_OPTIONS="detect_leaks=0 halt_on_error=1 $(ASAN_OPTIONS)" scripts/with-scratch-tmpdir.sh scripts/with-postgres.sh $(SWIFT) test --skip-build $(TRAITS) --sanitize=address --scratch-path .build-asan $(TEST_FILTER)

## libFuzzer on the record parser, the binary codec, an import line and the
## CLI's JSON input, FUZZ_SECONDS (60) each, from a corpus of a generated year.
fuzz: deps
	$(SWIFT) build --product caseledger
	scripts/with-scratch-tmpdir.sh scripts/fuzz.sh

clean:
	rm -rf .build .build-tsan .build-asan .build-bench .build-fuzz

## The main job: a small year of the city into a fresh store, rebuilt, reported, verified.
demo: deps
	$(SWIFT) build --product caseledger
	.build/debug/caseledger demo

## The city's case service (Examples/CityService): HTTP API, live dashboard
## and audit console on 127.0.0.1:8080 (PORT=9000 for another port), over
## the store in SERVE_STORE (kept between runs; seeded with a generated year
## at scale SERVE_SEED when empty). Dashboard: http://127.0.0.1:8080/#token=auditor-token
SERVE_STORE ?= .build/city-service-store
SERVE_SEED ?= 0.05
serve: deps
	$(SWIFT) build --product CityService
	.build/debug/CityService --store $(SERVE_STORE) --seed $(SERVE_SEED) $(if $(PORT),--port $(PORT))

## The side-by-side benchmark against raw LMDB; writes bench-results.json.
bench: deps
	mkdir -p .build-bench
	cc -O2 -o .build-bench/lmdb_reference Benchmarks/Reference/lmdb_reference.c -llmdb
	@command -v wrk >/dev/null 2>&1 || { echo "installing wrk (the city service's load run)"; $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk; }
	$(SWIFT) build -c release --product CityService
	$(SWIFT) build -c release --package-path Benchmarks --product SideBySide
	CASELEDGER_PG_FSYNC=on scripts/with-postgres.sh Benchmarks/.build/release/SideBySide --reference .build-bench/lmdb_reference --service .build/release/CityService --personal-scale 0.25 --out bench-results.json

## The ordo-one/benchmark suite (swift package benchmark).
benchmarks: deps
	cd Benchmarks && $(SWIFT) package benchmark
