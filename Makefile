# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKBENCH_QUEUE ?= celery
export WORKBENCH_QUEUE
# `make run` and `make test` are the demo and the developer's machine: a development key
# unless one is set. Production sets its own (the workbench refuses to start without).
SECRET_KEY ?= dev-only-insecure-key-make-run
export SECRET_KEY
# `make run DEMO=empty` starts the demo projects afresh, with no work in them.
DEMO ?=
REPLAY_PORT ?= 8911

# No model endpoint configured: `make run` also starts the demo replay model on loopback
# (workbench/demo/replay_model.py), which answers the agents from the demo's recorded
# answers, and points the agents at it like at any other endpoint.
NO_MODEL := $(if $(strip $(OPENAI_BASE_URL)$(WORKBENCH_ENDPOINTS)$(WORKBENCH_ENDPOINTS_FILE)),,1)
ifeq ($(NO_MODEL),1)
run: export OPENAI_BASE_URL = http://127.0.0.1:$(REPLAY_PORT)/v1
run: export OPENAI_MODEL = demo-replay
run: export OPENAI_ENDPOINT_LABEL = Demo replay model, recorded answers for the demo judgments only
endif
NO_MODEL_NOTE = No model configured: the demo replay model answers the agents, on the demo judgments only. To connect yours, see “Connecting a model” in the README.

.PHONY: install setup run web worker test lint format bench

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -c requirements.lock -e '.[dev]'
	touch $@

setup: install
	$(PY) manage.py ensure_database
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	WORKBENCH_DEMO=1 WORKBENCH_URL=http://$(HOST):$(PORT) $(PY) manage.py seed_demo $(if $(filter empty,$(DEMO)),--empty)

# Web server and one worker in the foreground (and the demo replay model when no model
# is configured); Ctrl+C stops them all.
run: setup
	@echo "Workbench: http://$(HOST):$(PORT)/   (queue: $(WORKBENCH_QUEUE); Ctrl+C stops web and worker)"
	@$(if $(NO_MODEL),echo "$(NO_MODEL_NOTE)")
	@trap 'kill 0' INT TERM EXIT; \
	$(if $(NO_MODEL),$(PY) -m workbench.demo.replay_model --port $(REPLAY_PORT) &) \
	$(MAKE) --no-print-directory worker & \
	$(MAKE) --no-print-directory web

web: install
	$(VENV)/bin/gunicorn workbench.wsgi -b $(HOST):$(PORT) -w 3 --timeout 120 --access-logfile -

worker: install
ifeq ($(WORKBENCH_QUEUE),rq)
	$(PY) manage.py rqworker default
else
	$(VENV)/bin/celery -A workbench worker -l info --concurrency 2
endif

# Style, and the one-way layers of DESIGN.md (import-linter's contracts in pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint
	$(PY) -m pytest

# Every benchmark runs; the exit status says whether any missed its target.
bench: install
	@failed=0; for b in bench/*_bench.py; do echo "== $$b"; $(PY) $$b || failed=1; done; exit $$failed
