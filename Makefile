SHELL := /bin/bash
# Fathom: `make run` serves with embedded defaults; `make test` runs the whole suite, real parts included.
SWIFT ?= swift
BUILD_LOG := .build/fathom-build.log

.PHONY: run test bench deps build release unit interop clean

deps:
	@bash scripts/install-deps.sh

# Fails on any compiler warning in Fathom's own code (dependencies' warnings are theirs).
build: deps
	@mkdir -p .build
	@$(SWIFT) build --build-tests 2>&1 | tee $(BUILD_LOG) | grep -E "error|warning:|Compiling fathom|Build complete" ; \
	  test $${PIPESTATUS[0]} -eq 0
	@bash scripts/check-warnings.sh $(BUILD_LOG)

release: deps
	$(SWIFT) build -c release

run: release
	@echo "fathom: serving MCP over HTTP on 127.0.0.1:8765 (Ctrl-C to stop); see README.md to connect a client." >&2
	.build/release/fathom serve

unit: build
	$(SWIFT) test --skip-build

interop: build
	FATHOM_BIN=$(CURDIR)/.build/debug/fathom bash scripts/interop.sh

test: unit interop

bench: release
	FATHOM_BIN=$(CURDIR)/.build/release/fathom bash bench/run.sh

clean:
	rm -rf .build .fathom
