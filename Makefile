# The two commands: `make run` and `make test`. Both set up everything first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test setup deps tools assets services browser bytecode messages lint typecheck imports check clean

run: setup
	bash infra/scripts/run.sh

test: setup tools browser check
	DJANGO_SETTINGS_MODULE=rathaus.config.settings.test $(VENV)/bin/pytest

setup: deps assets services messages bytecode

deps: $(VENV)/.deps-installed

$(VENV)/.deps-installed: uv.lock pyproject.toml infra/scripts/install-python-deps.sh
	bash infra/scripts/install-python-deps.sh
	touch $@

# checkov in its own environment (its pins conflict with uv.lock): tests/infra/test_terraform.py.
tools: .venv-tools/.installed

.venv-tools/.installed: infra/scripts/install-tools.sh
	bash infra/scripts/install-tools.sh
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

# The project's own .pyc files (the libraries' come with `deps`): processes start fast
# even where PYTHONDONTWRITEBYTECODE is set.
bytecode: deps
	$(PY) -m compileall -q -j 0 rathaus tests bench infra/lint

messages: deps
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.venv-tools -v 0

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
	rm -rf $(VENV) .venv-tools node_modules .run var .mypy_cache .pytest_cache .ruff_cache
