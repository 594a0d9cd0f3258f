# Kiln's entry points. `make demo` and `make test` work on a fresh Debian 12
# machine: each installs what is missing, configures and builds first.
BUILD_DIR ?= build
SANITIZE_DIR ?= build-sanitize
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps interop configure build test test-sanitize demo bench clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: deps $(BUILD_DIR)/build.ninja

# DuckDB and Polars (pinned in tools/interop) for the Parquet interop tests.
interop: tools/interop/node_modules/.package-lock.json

tools/interop/node_modules/.package-lock.json: tools/interop/package-lock.json | deps
	cd tools/interop && npm ci --no-audit --no-fund --loglevel=error

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build interop
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The test suites under AddressSanitizer and UndefinedBehaviorSanitizer.
test-sanitize: deps interop
	cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKILN_SANITIZE=ON -DKILN_BUILD_BENCH=OFF
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	cd $(SANITIZE_DIR) && ctest --output-on-failure -j $(JOBS)

demo: build
	bash scripts/demo.sh $(BUILD_DIR)/kiln

bench: build
	bash bench/run_all.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR)
