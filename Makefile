# make setup  — install everything and prepare the embedded database (idempotent)
# make run    — setup, then serve on http://127.0.0.1:8000 with a Celery worker and beat
# make test   — install, then lint and run the whole suite in parallel (DATABASE_URL / REDIS_URL
#               honoured; TEST_WORKERS=0 runs it in one process)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test install browser lint security worker clean

setup: install local.env
	@mkdir -p var/celery/queue var/celery/results var/celery/control
	$(MANAGE) migrate --noinput
	$(MANAGE) load_regions
	$(MANAGE) load_universities
	$(MANAGE) seed_demo

install: $(VENV)/.installed node_modules/.installed

# This checkout's DEBUG=1 and keys (git-ignored); without it the settings are production's.
local.env:
	$(PYTHON) fanjiaxiang/localenv.py $@

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Browser tests drive Debian's Chromium (Playwright's own browser download is not used), with
# Debian's Noto CJK font so the screenshots show Chinese, not boxes, and chromium-l10n so the
# browser's own widgets (a file input's 选择文件, a date field) speak Chinese as well.
browser:
	@mkdir -p var
	@{ command -v chromium && dpkg -s fonts-noto-cjk chromium-l10n; } >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium, chromium-l10n and fonts-noto-cjk for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-l10n fonts-noto-cjk) \
	    > var/apt-chromium.log 2>&1 \
	  || { tail -20 var/apt-chromium.log; \
	       if [ -n "$$CI" ]; then echo "chromium is required in CI" >&2; exit 1; fi; \
	       echo "Could not install chromium (not root?): the browser test will be skipped."; }; }

# The demo signs staff in with the password alone (STAFF_TWO_FACTOR=0) and says so; production
# keeps the default, on (docs/security.md "Two-factor sign-in, idle lock, separated admin duties").
run: export STAFF_TWO_FACTOR ?= 0
run: setup
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops the server and the Celery worker)"
	@if [ "$$STAFF_TWO_FACTOR" = 0 ]; then echo "演示模式：工作人员两步验证已关闭（STAFF_TWO_FACTOR=0），仅凭密码即可登录；生产环境默认开启。make run STAFF_TWO_FACTOR=1 可体验。"; fi
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/celery -A fanjiaxiang worker --beat --loglevel=INFO --concurrency=2 & \
	$(MANAGE) runserver $(HOST):$(PORT)

worker: install local.env
	$(BIN)/celery -A fanjiaxiang worker --beat --loglevel=INFO

# ruff (style), import-linter (the layers and which app may import which: pyproject.toml's
# contracts) and mypy with django-stubs.
lint: install local.env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# bandit: medium severity and up; pip-audit: known vulnerabilities in the installed packages.
security: install
	$(BIN)/bandit -q -r accounts positions students schedule ledger dashboards summary reports outcomes safety universities api filestore fanjiaxiang demo helpcentre -ll -x '*/migrations/*'
	$(BIN)/python .ci/dependency-audit

# In parallel: one xdist worker per core, at most four (tests/conftest.py), each with a test
# database and a Redis database of its own. TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto

# SKIP_CHECKS=1 leaves out lint and security: .ci/run's second pass, on the same tree.
CHECKS := $(if $(SKIP_CHECKS),,lint security)

test: install local.env browser $(CHECKS)
	$(BIN)/python -m pytest --durations=15 -n $(TEST_WORKERS) --dist loadgroup

clean:
	rm -rf var/portal.sqlite3* var/celery var/celerybeat-schedule*
