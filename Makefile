# Culture CMS
#   make run     install, migrate, load the demo content and serve http://127.0.0.1:8000
#   make test    everything CI runs: ruff, the suite on SQLite and on PostgreSQL, browser tests
#   make prod    the production topology on loopback: nginx (TLS), gunicorn, workers, scheduler
#   make bench   signup POST latency with an instant and a 2-second ESP
#   make lint    ruff check + ruff format --check
#   make format  fix what ruff can fix, then format
#
# Needs Python 3.11 (python3). Debian packages it lacks (python3-venv, chromium,
# postgresql, gettext, npm, redis-server, nginx-light, openssl) are installed with
# apt-get when a target needs them.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

VENV := .venv
PYTHON := $(VENV)/bin/python
RUFF := $(VENV)/bin/ruff
MANAGE := $(PYTHON) manage.py
# pip runs again only when pyproject.toml is newer than this file.
INSTALLED := $(VENV)/.culture-cms-installed
# The throwaway PostgreSQL of `make test` (see .ci/postgres).
PG_PORT ?= 54329
# Extra arguments for every pytest run, e.g. `make test PYTEST_ARGS="-x -k glossary"`.
PYTEST_ARGS ?=
# Worker processes (pytest-xdist) for the two main suite runs: `logical` is one per CPU;
# `make test PYTEST_WORKERS=0` runs them in one process (for --pdb, say).
PYTEST_WORKERS ?= logical
# Read when make starts, so the wall time printed by `make test` includes installing.
START := $(shell date +%s)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

# apt_install PACKAGE...: install the Debian packages given (none: do nothing), one apt-get update.
APT := apt_install() { [ $$\# -gt 0 ] || return 0; echo "==> apt-get install $$*"; \
	$(SUDO) apt-get update -qq; \
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$$@" </dev/null; }

.PHONY: help install run prod test test-deps lint format bench

help:
	@sed -n '2,7s/^# //p' Makefile

$(PYTHON):
	@$(APT)
	echo "==> python3 -m venv $(VENV)"
	# Debian's python3 makes venvs only with python3-venv installed.
	python3 -m venv $(VENV) || { rm -rf $(VENV); apt_install python3-venv; python3 -m venv $(VENV); }

$(INSTALLED): pyproject.toml | $(PYTHON)
	@echo '==> pip install -e ".[site,test]"'
	$(PYTHON) -m pip install --disable-pip-version-check -q -e ".[site,test]"
	touch $@

install: $(INSTALLED)

run: install
	@$(APT)
	command -v msgfmt >/dev/null || apt_install gettext
	echo "==> manage.py compilemessages"
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules
	for command in "migrate --no-input" createcachetable load_initial_data create_demo_editor; do
		echo "==> manage.py $$command"
		$(MANAGE) $$command
	done
	# The worker and the scheduler each run in their own session (setsid), so one
	# signal to the process group stops a process and its children (the
	# autoreloader's child); Ctrl-C reaches only runserver.
	pids=()
	stop_background() {
		for pid in "$${pids[@]}"; do kill -TERM -- "-$$pid" 2>/dev/null || true; done
		for pid in "$${pids[@]}"; do
			wait "$$pid" 2>/dev/null || true
			for _ in {1..50}; do kill -0 -- "-$$pid" 2>/dev/null || break; sleep 0.2; done
			kill -KILL -- "-$$pid" 2>/dev/null || true
		done
		echo "Stopped the web server, the task worker and the scheduler."
	}
	trap stop_background EXIT
	trap 'exit 130' INT TERM HUP
	# Tasks (emails, Wagtail's reference and search index updates) queue in the database.
	setsid $(MANAGE) db_worker &
	pids+=($$!)
	# The scheduler, as in production (the Procfile's scheduler): every minute scheduled
	# publishing, reminders and due email retries; purge_signups once a day.
	setsid $(MANAGE) run_scheduled_jobs &
	pids+=($$!)
	echo "Serving http://127.0.0.1:8000/ with the task worker and the scheduler (every 60 s)."
	echo "Ctrl-C stops all three."
	$(MANAGE) runserver 127.0.0.1:8000

# The production topology on loopback until Ctrl-C (.ci/topology): nginx terminating TLS
# in front of two gunicorns, two task workers and the scheduler (the Procfile, through
# honcho), PostgreSQL, Redis and an SMTP sink that keeps every message; all with the
# production settings.
prod: install
	@$(APT)
	need=()
	command -v msgfmt >/dev/null || need+=(gettext)
	compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
	command -v redis-server >/dev/null || need+=(redis-server)
	command -v nginx >/dev/null || need+=(nginx-light)
	command -v openssl >/dev/null || need+=(openssl)
	apt_install "$${need[@]}"
	trap 'bash .ci/topology stop' EXIT
	trap 'exit 130' INT TERM HUP
	bash .ci/topology start
	state="$${CULTURE_CMS_TOPOLOGY_DIR:-$${TMPDIR:-/tmp}/culture-cms-topology}/state.env"
	value() { sed -n "s|^$$1=||p" "$$state"; }
	echo
	echo "Serving $$(value TOPOLOGY_URL) (a self-signed certificate: $$(value TOPOLOGY_CA_CERT))"
	echo "  Admin:    $$(value TOPOLOGY_URL)admin/  user $$(value TOPOLOGY_DEMO_USER), password $$(value TOPOLOGY_DEMO_PASSWORD)"
	echo "  Mail:     every message lands in $$(value TOPOLOGY_MAIL_RECORD) (one JSON line each)"
	echo "  Logs:     $$(value TOPOLOGY_LOGS)/ (web.log, worker.1.log, worker.2.log, scheduler.log, nginx-access.log)"
	echo "  Settings: $$state"
	echo "Ctrl-C stops it all."
	sleep infinity & wait $$!

# Debian packages the browser tests and the PostgreSQL run need.
test-deps:
	@$(APT)
	need=()
	[ -x /usr/bin/chromium ] || need+=(chromium)
	command -v msgfmt >/dev/null || need+=(gettext)
	compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
	command -v npm >/dev/null || need+=(npm)
	# The topology step (.ci/topology): Redis, nginx and a throwaway TLS certificate.
	command -v redis-server >/dev/null || need+=(redis-server)
	command -v nginx >/dev/null || need+=(nginx-light)
	command -v openssl >/dev/null || need+=(openssl)
	apt_install "$${need[@]}"
	# The browser tests' tools from npm (package.json): axe-core.
	if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
		echo "==> npm ci"
		npm ci --no-audit --no-fund
	fi
	if [[ " $${need[*]} " == *" postgresql "* ]] && command -v pg_lsclusters >/dev/null; then
		# Where the package started its own cluster, stop it: tests use a throwaway one.
		pg_lsclusters --no-header | awk '$$4 == "online" {print $$1, $$2}' |
			while read -r version cluster; do $(SUDO) pg_ctlcluster "$$version" "$$cluster" stop; done
	fi

test: install test-deps
	@# The suite picks its own settings (pyproject.toml) and database.
	unset DATABASE_URL DJANGO_SETTINGS_MODULE
	export CULTURE_CMS_PG_PORT=$(PG_PORT)
	failed=()
	# step NAME COMMAND...: run it, remember a failure and carry on.
	step() {
		local name=$$1 started=$$SECONDS; shift
		echo; echo "==> $$name"
		if "$$@"; then echo "--- $$name: ok ($$((SECONDS - started)) s)"; else
			local rc=$$?; echo "--- $$name: FAILED (exit $$rc, $$((SECONDS - started)) s)"
			failed+=("$$name (exit $$rc)")
		fi
	}
	trap 'bash .ci/postgres stop' EXIT
	trap 'exit 130' INT TERM HUP
	# The Welsh catalogue is compiled, as `make run` compiles it: tests read Welsh emails.
	step "compilemessages" $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules
	step "ruff check" $(RUFF) check .
	step "ruff format --check" $(RUFF) format --check .
	# The browser tests (tests/browser) run in the same pytest, last in each worker.
	step "pytest on SQLite" $(PYTHON) -m pytest --ignore=tests/topology -n $(PYTEST_WORKERS) $(PYTEST_ARGS)
	echo; echo "==> start PostgreSQL"
	if bash .ci/postgres start; then
		export DATABASE_URL=postgres://postgres@127.0.0.1:$(PG_PORT)/culture_cms
		step "pytest on PostgreSQL" $(PYTHON) -m pytest --ignore=tests/topology -n $(PYTEST_WORKERS) $(PYTEST_ARGS)
		unset DATABASE_URL
	else
		failed+=("start PostgreSQL")
	fi
	bash .ci/postgres stop
	# The production processes on loopback, tested from outside (tests/topology): nginx with
	# TLS, two gunicorns, two workers and the scheduler (the Procfile's, through honcho),
	# PostgreSQL, Redis and an SMTP sink. Not pytest-django: see tests/topology/conftest.py.
	# PYTEST_ARGS are not passed on: a -k for the main suite would select nothing here.
	topology() (
		trap 'bash .ci/topology stop' EXIT
		trap 'exit 130' INT TERM HUP
		bash .ci/topology start && $(PYTHON) -m pytest tests/topology -p no:django \
			--confcutdir=tests/topology -W ignore::pytest.PytestConfigWarning
	)
	step "topology" topology
	if [ -d tests/hostsite ]; then
		# On the plugin as a host installs it: a wheel built from here, not the source tree.
		step "pytest host site" env PYTHON="$(abspath $(PYTHON))" bash .ci/hostsite $(PYTEST_ARGS)
	fi
	elapsed=$$(( $$(date +%s) - $(START) ))
	echo
	printf 'make test: wall time %dm%02ds\n' $$((elapsed / 60)) $$((elapsed % 60))
	if [ $${#failed[@]} -gt 0 ]; then
		printf 'FAILED: %s\n' "$${failed[@]}"
		exit 1
	fi
	echo "All steps passed."

lint: install
	$(RUFF) check .
	$(RUFF) format --check .

format: install
	$(RUFF) check --fix .
	$(RUFF) format .

# Signup latency: mail is sent off the request path, so a slow ESP must not slow signups.
bench: install
	$(PYTHON) tests/bench/signup_latency.py
