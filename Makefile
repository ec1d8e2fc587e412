# integriteit: `make run` starts everything with demo data, `make test` runs every check.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
UV := $(PY) -m uv
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
# The API Design Rules ruleset is reference material outside the repo (../shared).
ADR_RULESET ?= $(firstword $(wildcard ../shared/standards/adr-linter.yaml /work/shared/standards/adr-linter.yaml))
SPECTRAL := npx --yes @stoplight/spectral-cli@6
SERVICES := meldpunt vertrouwenspersonen klachten rapportage

.PHONY: install run test lint deadcode typecheck adr-lint compose-check pytest openapi clean bench

$(VENV)/.installed: pyproject.toml uv.lock shared/pyproject.toml dev/pyproject.toml $(wildcard services/*/pyproject.toml)
	@$(UV) --version >/dev/null 2>&1 || $(PY) -m pip install --quiet uv
	$(UV) sync --frozen --quiet --python $(PY)
	@touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/integriteit run

test: install lint typecheck adr-lint compose-check pytest

lint: install deadcode
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Unused code; paths, confidence and ignored decorators in [tool.vulture], names only a
# framework reads in vulture_whitelist.py
deadcode: install
	$(BIN)/vulture

typecheck: install
	$(BIN)/mypy

openapi: install
	@mkdir -p build/openapi
	@for s in $(SERVICES); do $(BIN)/integriteit openapi $$s > build/openapi/$$s.json || exit 1; done

adr-lint: openapi
	@if [ -z "$(ADR_RULESET)" ]; then \
	  echo "adr-lint: ruleset ../shared/standards/adr-linter.yaml not found; skipped" >&2; \
	else \
	  for s in $(SERVICES); do \
	    echo "spectral: $$s"; \
	    $(SPECTRAL) lint --quiet --fail-severity error -r $(ADR_RULESET) build/openapi/$$s.json || exit 1; \
	  done; \
	fi

# The production stack must parse (Debian's docker-compose reads it without an engine).
compose-check:
	@if command -v docker-compose >/dev/null 2>&1; then \
	  docker-compose --env-file deploy/example.env config -q && echo "docker-compose config: ok"; \
	else echo "compose-check: docker-compose not installed; skipped (apt-get install docker-compose)" >&2; fi

pytest: install
	$(BIN)/pytest

# Speed, freshness, scale and memory on this machine (needs wrk and PostgreSQL; BENCH_ARGS
# passes options, e.g. BENCH_ARGS="--scale-events 200000"): bench/results/<date>.json and
# docs/benchmarks.md.
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
