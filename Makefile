# durable-export: the two commands a new user needs are `make demo` and `make test`.
# Each installs what it needs (npm ci from package-lock.json) on a machine with Node 20+ and npm.

NODE_MODULES := node_modules/.package-lock.json

.PHONY: demo test lint typecheck unit build bench clean fixtures redis-server

# apt-get through sudo unless already root (empty when neither: apt-get then fails, saying why).
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

$(NODE_MODULES): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $(NODE_MODULES)

build: $(NODE_MODULES)
	npm run build

## demo: local durable-execution service + local S3, an export, then a DuckDB query over the result
demo: build
	node --import tsx scripts/demo.ts

## redis-server: the Debian package, when missing; the shared-limiter tests start their own on a free port
redis-server:
	@command -v redis-server >/dev/null || ($(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server)

## test: lint, typecheck and every vitest test
test: $(NODE_MODULES) redis-server
	npm run lint
	npm run typecheck
	npm run build
	npx vitest run

## bench: speed and memory figures (see docs/PERFORMANCE.md)
bench: build
	npm run bench

## fixtures: re-record test/fixtures/sdk-*.json: real durable handlers run in AWS's local test runner
## (its own Node process, not vitest: skipTime installs fake timers process-wide)
fixtures: $(NODE_MODULES)
	node --import tsx --import ./scripts/record-fixtures/worker-clock.mjs scripts/record-fixtures/record-fixtures.ts

clean:
	rm -rf dist .tmp
