#!/usr/bin/env python3
"""Fuzz the REST API against its own OpenAPI schema with schemathesis, longer than the CI
test does (tests/api/test_api_fuzz.py), and print the figures docs/benchmarks.md quotes.

    .venv/bin/python scripts/api_fuzz.py [--max-examples 50] [--seed 1]

It builds a throwaway quick-start app in a temporary folder (SQLite, the demo data), makes
an API token for the demo's secretariat and observer, starts the development server on a
free port and runs `schemathesis run` once per user: every operation of /api/schema/, with
the checks that no request gives a server error and that every response matches the
schema. The exit status is 1 if either run found a failure.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SCHEMATHESIS = str(ROOT / ".venv" / "bin" / "schemathesis")
CHECKS = "not_a_server_error,response_schema_conformance"
USERS = ("secretariat", "observer")
MINT = (
    "from django.contrib.auth import get_user_model; from api.tokens import token_create; "
    "print(token_create(user=get_user_model().objects.get(username='{user}'), "
    "name='api_fuzz', days=1)[1])"
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own loopback server
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server did not answer at {url}.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="api-fuzz-") as var_dir:
        env = {
            **os.environ,
            "DEBUG": "1",
            "VAR_DIR": var_dir,
            "DATABASE_URL": f"sqlite:///{var_dir}/db.sqlite3",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            # The run is many requests from one token: the throttle would answer 429.
            "API_RATE": "1000000/hour",
        }
        env.pop("REDIS_URL", None)
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        # The token is the command's last word (the shell may say what it imported first).
        tokens = {
            user: manage(env, "shell", "-c", MINT.format(user=user)).split()[-1] for user in USERS
        }
        port = free_port()
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/healthz")
            failed = False
            for user, token in tokens.items():
                started = time.monotonic()
                run = subprocess.run(
                    [
                        SCHEMATHESIS,
                        "--no-color",
                        "run",
                        f"http://127.0.0.1:{port}/api/schema/?format=json",
                        "--header",
                        f"Authorization: Bearer {token}",
                        "--checks",
                        CHECKS,
                        "--max-examples",
                        str(options.max_examples),
                        "--seed",
                        str(options.seed),
                        "--workers",
                        "1",
                        "--phases",
                        "examples,coverage,fuzzing",
                    ],
                    cwd=var_dir,
                    capture_output=True,
                    text=True,
                )
                seconds = time.monotonic() - started
                summary = [
                    line.strip()
                    for line in run.stdout.splitlines()
                    if re.search(r"(operations?|test cases|failures?|errors?|passed)", line)
                ]
                print(f"== {user}: exit {run.returncode} in {seconds:.0f} s")
                print("\n".join(summary[-8:]))
                if run.returncode != 0:
                    failed = True
                    print(run.stdout[-6000:], run.stderr[-2000:])
            return 1 if failed else 0
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
