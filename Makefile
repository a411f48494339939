# The project's verbs. `make run` and `make test` set everything up on a fresh Debian 12.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
APT_PACKAGES := fonts-noto-cjk fonts-wqy-microhei libharfbuzz-subset0 gettext libpango-1.0-0 libpangoft2-1.0-0 poppler-utils
PYTEST_ARGS ?=

.PHONY: run test bench lint format rules system-packages venv messages migrate demo check-deploy clean

run: venv messages migrate demo ## set up what is missing and serve on http://127.0.0.1:8000
	$(MANAGE) runserver 127.0.0.1:8000

test: venv messages ## the import contract, then the whole suite (PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set)
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest $(PYTEST_ARGS)

bench: venv messages ## benchmarks against PostgreSQL (DATABASE_URL, default local postgres)
	$(PY) bench/run.py

lint: venv
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

rules: ## regenerate docs/rules.md from cqcportal/rulebook/rules.py and the code's citations
	$(PY) -m cqcportal.rulebook

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

system-packages: ## Debian packages: a CJK font, libharfbuzz-subset0, gettext (installs as root)
	@missing=$$(for p in $(APT_PACKAGES) $(EXTRA_APT); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done; \
	  $(PYTHON) -c "import venv, ensurepip" 2>/dev/null || echo python3-venv); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages. Run:  sudo apt-get install -y $$missing"; exit 1; \
	  fi; \
	fi

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(MAKE) --no-print-directory system-packages
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

messages: venv ## compile locale/ (gettext)
	@cd locale && ../$(PY) ../manage.py compilemessages -v 0

migrate: venv
	$(MANAGE) migrate --no-input -v 0

demo: venv
	$(MANAGE) seed_demo

check-deploy: venv
	DJANGO_SETTINGS_MODULE=cqcportal.settings.production DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	DJANGO_ALLOWED_HOSTS=portal.example.cn DATABASE_URL=sqlite:///tmp/x.sqlite3 \
	$(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm artifacts
