#!/usr/bin/env bash
# Creates .venv and installs requirements.lock into it. Quick when nothing changed:
# the lock file's hash is stamped into .venv after a successful install.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv with $(python3 --version)"
    python3 -m venv .venv
fi

stamp=.venv/requirements.lock.sha256
wanted=$(.venv/bin/python -c \
    'import hashlib; print(hashlib.sha256(open("requirements.lock", "rb").read()).hexdigest())')
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "Installing requirements.lock into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
    echo "$wanted" >"$stamp"
fi
