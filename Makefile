# Everyday commands; see the README. Every target first makes sure .venv is up to date.
# check-deploy sets DEBUG=0: manage.py would otherwise take DEBUG=1 from var/quickstart.env.
PY := .venv/bin/python
DEV_ENV := . scripts/dev-env.sh &&

.PHONY: setup run test lint format migrations-check lock demo worker check-deploy

setup:
	@scripts/setup.sh

run:
	scripts/run.sh

test:
	scripts/test.sh

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

format: setup
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

migrations-check: setup
	DATABASE_URL=sqlite://:memory: DJANGO_SETTINGS_MODULE=mhhs_gov.settings_test \
		$(PY) manage.py makemigrations --check --dry-run

# uv is a tool for maintainers only, so it is not in the lock file itself.
lock: setup
	test -x .venv/bin/uv || $(PY) -m pip install --quiet uv
	.venv/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

demo: setup
	$(DEV_ENV) $(PY) manage.py migrate --noinput && $(PY) manage.py load_demo

worker: setup
	$(DEV_ENV) .venv/bin/celery -A mhhs_gov worker -B --concurrency 1 -l info

check-deploy: setup
	env DEBUG=0 SECRET_KEY="$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
		$(PY) manage.py check --deploy --fail-level WARNING
