#!/usr/bin/env bash
# README command (a): runs the app on this machine with demo data, no servers needed.
# Sets up .venv, migrates the SQLite database in var/, loads the demo data, starts a Celery
# worker with beat in the background (log in var/celery.log) and the development server.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
. scripts/dev-env.sh

.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_demo

mkdir -p var
# One worker process: SQLite takes one writer at a time, so a second would only wait for the
# first (tests/documents/test_documents_quickstart.py runs this very command).
.venv/bin/celery -A mhhs_gov worker -B --concurrency 1 -l info >var/celery.log 2>&1 &
worker=$!
stop_worker() {
    kill "$worker" 2>/dev/null || true
    wait "$worker" 2>/dev/null || true
}
trap stop_worker EXIT
# Signals end the script through `exit`, so the EXIT trap always stops the worker.
trap 'exit 130' INT
trap 'exit 143' TERM

cat <<INFO

  Governance tracker: http://127.0.0.1:8000/
  Demo logins (password "demo"): secretariat, chair, member, observer, admin
  Mail is not sent: each message is written as a file to var/mail/
  Celery worker and beat log: var/celery.log
  Stop with Ctrl+C.

INFO
.venv/bin/python manage.py runserver 127.0.0.1:8000
