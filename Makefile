# Bulwark: the two commands of the README, and their parts.
#   make demo   builds real images, registers a base, scans two apps (exit 0 and exit 4)
#   make test   runs the whole test suite (unit, integration on real images, fuzz smoke)
#   make bench  times scans against Trivy and the floors (bench/run.sh, docs/benchmarks.md)
#   make bench-server  50 clients scanning through one server for a minute (bench/server-load.sh)

BUILD     ?= build
FUZZBUILD ?= build-fuzz
FIXTURES  ?= /var/cache/bulwark/fixtures
JOBS      ?= $(shell nproc)
FUZZ_SECONDS ?= 20
TRIVY_CACHE ?= /var/cache/bulwark/trivy
RUNS      ?= 5

export BULWARK_FIXTURES := $(FIXTURES)

.PHONY: all deps build fixtures demo test unit fuzz fuzz-build bench bench-server clean

all: build

deps:
	scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

fixtures: deps
	tests/fixtures/make-images.sh $(FIXTURES)
	tests/fixtures/make-rpmdb.sh $(FIXTURES)/rpmdb

demo: build fixtures
	scripts/demo.sh $(BUILD)/bulwark $(FIXTURES)

unit: build fixtures
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

fuzz-build: deps
	cmake -S . -B $(FUZZBUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
	  -DBULWARK_FUZZ=ON -DBULWARK_TESTS=OFF -DBULWARK_BENCH=OFF >/dev/null
	cmake --build $(FUZZBUILD) -j $(JOBS) --target fuzzers

fuzz: fuzz-build
	scripts/fuzz-smoke.sh $(FUZZBUILD) $(FUZZ_SECONDS)

test: fuzz unit

bench: build fixtures
	BULWARK=$(BUILD)/bulwark FIXTURES=$(FIXTURES) TRIVY_CACHE=$(TRIVY_CACHE) RUNS=$(RUNS) \
	  bench/run.sh

bench-server: build
	bench/server-load.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(FUZZBUILD) out
