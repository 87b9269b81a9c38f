# Every target creates .venv and installs the pinned requirements first, then runs the
# invoke task of the same name (see tasks.py). `make help` lists them.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
INVOKE := $(VENV)/bin/invoke

.DEFAULT_GOAL := help
.PHONY: help setup build rebuild serve test lint format clean publish linkcheck check \
	new-session install-hooks bench bench-quick screenshots lock

help:
	@echo "make serve        build into output/ and serve http://127.0.0.1:8000 with live reload"
	@echo "make test         run every test (lint, unit, build, links, browser)"
	@echo "make build        build the site into output/"
	@echo "make clean        remove output/"
	@echo "make linkcheck    check external links live (network)"
	@echo "make check        check all content without building (errors and warnings)"
	@echo "make new-session  write a new info session file (asks, or ARGS=\"--program ...\")"
	@echo "make install-hooks  run make check before every git commit"
	@echo "make lock         remake the hashed lock files from requirements*.in (ARGS=\"--upgrade\")"

# The venv is remade when any file the install reads changes (see tools/bootstrap_venv.py).
# The info-sessions plugin is its own package (plugins/info_sessions/pyproject.toml), one of
# the local packages of requirements-local.txt, installed from its folder in editable mode
# so that edits to it apply without reinstalling.
LOCKS := requirements-bootstrap.txt requirements.txt requirements-local.txt

$(STAMP): $(LOCKS) tools/bootstrap_venv.py plugins/info_sessions/pyproject.toml
	$(PYTHON) tools/bootstrap_venv.py --venv $(VENV) --bootstrap requirements-bootstrap.txt \
		--requirements requirements.txt --local requirements-local.txt
	@touch $(STAMP)

setup: $(STAMP)

build rebuild serve test lint format clean publish linkcheck check new-session install-hooks \
bench bench-quick screenshots lock: $(STAMP)
	$(INVOKE) $@ $(ARGS)
