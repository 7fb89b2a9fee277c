# The two commands: `make run` and `make test`. Both set up everything first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test setup deps assets services browser messages lint typecheck imports check clean

run: setup
	bash infra/scripts/run.sh

test: setup browser check
	DJANGO_SETTINGS_MODULE=rathaus.config.settings.test $(VENV)/bin/pytest

setup: deps assets services messages

deps: $(VENV)/.deps-installed

$(VENV)/.deps-installed: uv.lock pyproject.toml infra/scripts/install-python-deps.sh
	bash infra/scripts/install-python-deps.sh
	touch $@

# KERN UX and axe-core from package-lock.json, again whenever the lock file changes.
assets: node_modules/.installed

node_modules/.installed: package-lock.json infra/scripts/install-frontend.sh
	bash infra/scripts/install-frontend.sh
	touch $@

services:
	bash infra/scripts/ensure-services.sh

browser: deps
	bash infra/scripts/ensure-browser.sh

messages: deps
	$(PY) manage.py compilemessages --ignore=.venv -v 0

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: deps
	$(VENV)/bin/mypy rathaus tests infra/lint $(wildcard bench/*.py)

# The layers and the modules' independence (.importlinter; contract types in infra/lint).
imports: deps
	PYTHONPATH=infra/lint $(VENV)/bin/lint-imports

check: lint typecheck imports

clean:
	rm -rf $(VENV) node_modules .run var .mypy_cache .pytest_cache .ruff_cache
