#!/usr/bin/env bash
# README command (b): checks everything CI checks. Sets up .venv, makes sure PostgreSQL and
# Redis run on localhost (starting them if installed but stopped), installs the Debian packages
# the tests need when run as root, then runs ruff, the missing-migrations check, the app
# layers (lint-imports, contracts in pyproject.toml) and the test suite in two processes.
# Extra arguments go to pytest, e.g. scripts/test.sh tests/core/test_x.py -n 0
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
py=.venv/bin/python

postgres_ready() {
    "$py" -c 'import psycopg2; psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres", connect_timeout=2).close()' 2>/dev/null
}
redis_ready() {
    "$py" -c 'import redis; redis.Redis(host="127.0.0.1", socket_connect_timeout=2).ping()' 2>/dev/null
}
wait_for() {  # wait_for NAME CHECK: up to 30 seconds
    for _ in $(seq 60); do
        "$2" && return 0
        sleep 0.5
    done
    echo "$1 is not answering on 127.0.0.1" >&2
    return 1
}

if ! postgres_ready; then
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
        echo "Starting PostgreSQL"
        for version in /etc/postgresql/*/; do
            pg_ctlcluster --skip-systemctl-redirect "$(basename "$version")" main start || true
        done
    fi
    wait_for PostgreSQL postgres_ready
fi
if ! redis_ready; then
    if command -v redis-server >/dev/null; then
        echo "Starting Redis"
        mkdir -p /var/lib/redis /var/log/redis
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
            --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
    fi
    wait_for Redis redis_ready
fi

# Chromium for the end-to-end tests (Playwright drives /usr/bin/chromium; it cannot download
# its own browser here), Pango and a font for WeasyPrint, poppler for reading PDFs back.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "Missing Debian packages (install them as root): ${missing[*]}" >&2
    fi
fi

failed=0
echo "== ruff check"
.venv/bin/ruff check . || failed=1
echo "== ruff format --check"
.venv/bin/ruff format --check . || failed=1
echo "== makemigrations --check"
# An empty in-memory database: the check compares models with migration files only.
DATABASE_URL=sqlite://:memory: DJANGO_SETTINGS_MODULE=mhhs_gov.settings_test \
    "$py" manage.py makemigrations --check --dry-run \
    || failed=1
echo "== lint-imports"
# The app layers of docs/architecture.md, as contracts in pyproject.toml.
.venv/bin/lint-imports || failed=1

echo "== pytest"
status=0
"$py" -m pytest -n 2 --dist worksteal "$@" || status=$?
if [ "$status" -ne 0 ]; then
    exit "$status"
fi
if [ "$failed" -ne 0 ]; then
    echo "Checks failed: see the ruff, makemigrations and lint-imports output above." >&2
fi
exit "$failed"
