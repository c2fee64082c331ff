# blaxel-constructs: the two commands of the README are `make demo` and `make test`.
# Each sets itself up from a fresh clone: virtual environment, pinned Python and npm packages,
# the provider installed into a project-local plugin directory, and whatever servers it needs.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The construct tests also run on CDK Terrain (cdktn, no cdktf), from their own lock file and venv.
VENV_CDKTN := .venv-cdktn
BIN_CDKTN := $(VENV_CDKTN)/bin
# `make demo CDK=cdktn` runs the demo with CDK Terrain (the cdktn CLI and .venv-cdktn); cdktf by default.
CDK ?= cdktf
BUILD := .build
PLUGIN_DIR := $(BUILD)/plugins
CLI_CONFIG := $(BUILD)/terraformrc

# Nothing may reach the network but the package registries, and no banner may hide real output.
export CHECKPOINT_DISABLE := 1
export DISABLE_VERSION_CHECK := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export TF_CLI_CONFIG_FILE := $(abspath $(CLI_CONFIG))
export PIP_DISABLE_PIP_VERSION_CHECK := 1

PY_SOURCES := $(shell find src -name '*.py' 2>/dev/null)

.PHONY: help demo test unit setup setup-cdktn prerequisites postgresql lint typecheck bench dist clean

help:
	@echo "make demo   deploy the quickstart gateway (connection, policy, model) to a local Blaxel emulator, show where the secret is not, destroy it (CDK=cdktn: with CDK Terrain)"
	@echo "make test   run the whole test suite (unit and end-to-end), then the construct tests again on CDK Terrain"
	@echo "make unit   the unit tests alone (no terraform, cdktf or emulator process), the fast loop"
	@echo "make dist   build the wheel and sdist into dist/ and check them with twine"
	@echo "make lint | typecheck | bench | clean"

prerequisites:
	@command -v terraform >/dev/null 2>&1 || { \
	  echo "error: terraform is not on PATH. Install Terraform (1.5 or later) and run make again." >&2; exit 1; }
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { \
	  echo "error: node and npm are not on PATH. Install Node.js 20 or later and run make again." >&2; exit 1; }
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "error: $(PYTHON) is not on PATH. Install Python 3.11 or later and run make again." >&2; exit 1; }

# The multi-environment tests start their own PostgreSQL server (initdb, pg_ctl): install it when missing.
postgresql:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  command -v apt-get >/dev/null 2>&1 || { \
	    echo "error: PostgreSQL (initdb, pg_ctl) is not installed and apt-get is not available. Install the PostgreSQL server and run make again." >&2; exit 1; }; \
	  sudo=$$([ "$$(id -u)" -eq 0 ] || echo "sudo "); \
	  echo "==> PostgreSQL server not found: running $${sudo}apt-get update && $${sudo}apt-get install -y postgresql"; \
	  $${sudo}apt-get update && $${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; }

$(BIN)/.installed: requirements.lock pyproject.toml
	@echo "==> creating $(VENV) and installing pinned Python packages"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

$(BIN_CDKTN)/.installed: requirements-cdktn.lock pyproject.toml
	@echo "==> creating $(VENV_CDKTN) (CDK Terrain, no cdktf) and installing pinned Python packages"
	$(PYTHON) -m venv $(VENV_CDKTN)
	$(BIN_CDKTN)/python -m pip install --quiet -r requirements-cdktn.lock
	$(BIN_CDKTN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

node_modules/.installed: package.json package-lock.json
	@echo "==> installing pinned npm packages (cdktf-cli, cdktn-cli)"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The per-user record of the provider's Python (for a package Terraform copies instead of linking) goes to
# $(BUILD)/config, not the developer's ~/.config: Terraform links $(PLUGIN_DIR)'s package and finds the record beside it.
$(BUILD)/provider.installed: $(BIN)/.installed $(PY_SOURCES)
	@echo "==> installing terraform-provider-blaxel into $(PLUGIN_DIR)"
	XDG_CONFIG_HOME=$(abspath $(BUILD))/config $(BIN)/blaxel-constructs install-provider --plugin-dir $(PLUGIN_DIR) --cli-config $(CLI_CONFIG)
	@touch $@

setup: prerequisites $(BIN)/.installed node_modules/.installed $(BUILD)/provider.installed

setup-cdktn: setup $(BIN_CDKTN)/.installed

demo: setup $(if $(filter cdktn,$(CDK)),$(BIN_CDKTN)/.installed)
	@case "$(CDK)" in cdktf|cdktn) ;; *) echo "error: CDK must be cdktf or cdktn (got '$(CDK)')" >&2; exit 1;; esac
	$(BIN)/python scripts/demo.py --cdk $(CDK)

test: setup-cdktn postgresql
	$(BIN)/ruff check src tests examples scripts benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest
	@echo "==> the construct tests again, on CDK Terrain ($(VENV_CDKTN): cdktn, no cdktf)"
	$(BIN_CDKTN)/python -m pytest tests/constructs

unit: setup
	$(BIN)/python -m pytest -q -m "not e2e and not process" --ignore=tests/e2e tests

lint: setup
	$(BIN)/ruff check src tests examples scripts benchmarks
	$(BIN)/ruff format --check src tests examples scripts benchmarks

typecheck: setup
	$(BIN)/mypy

# The benchmarks' own pinned packages (matplotlib, for the charts): never part of setup, test or demo.
$(BIN)/.bench-installed: $(BIN)/.installed requirements-bench.lock
	@echo "==> installing the benchmarks' pinned packages (requirements-bench.lock)"
	$(BIN)/python -m pip install --quiet -r requirements-bench.lock
	@touch $@

# `make bench QUICK=1`: sizes up to 100 and synth at 1,000 only (a few minutes), for checking the harness.
bench: setup setup-cdktn $(BIN)/.bench-installed
	$(BIN)/python -m benchmarks $(if $(QUICK),--quick) $(BENCH_ARGS)

# The wheel and sdist, built with the venv's pinned setuptools (no isolated build environment to download),
# the wheel from the sdist so that the sdist is known to be complete; twine checks both (metadata, README).
dist: $(BIN)/.installed
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .
	$(BIN)/twine check --strict dist/*

clean:
	rm -rf $(VENV) $(VENV_CDKTN) node_modules $(BUILD) cdktf.out dist build
