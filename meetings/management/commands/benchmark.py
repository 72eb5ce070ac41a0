"""python manage.py benchmark: every list and detail page and every API list and detail
endpoint (meetings/benchmark_pages.py) at a programme's scale, in one run (issue 20).

    DJANGO_SETTINGS_MODULE=mhhs_gov.settings_test \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mhhs_bench \\
    .venv/bin/python manage.py benchmark [--scale 1] [--requests 40] [--load-seconds 8]

The first run creates and migrates the database if missing and builds the dataset of
meetings/benchmark_data.py (at --scale 1: 40 groups, 500 people, 3,000 meetings, 100,000
actions with 300,000 updates, 20,000 decisions, 10,000 RAID items, 2,000 CRs and 5,000
documents); later runs at the same scale reuse it. Each run adds what the pages need
beyond the registers if an earlier build lacked it (benchmark_data.complete: registers of
interests, published minutes). Then, as a user who runs and chairs every group and is a
programme administrator (so sees every record and every form):

- in this process, through Django's test Client (every middleware, the view, its SQL and
  the template; no network): p50 and p95 of --requests requests per page, and the number
  of SQL queries of one more;
- through gunicorn with 2 workers, with wrk at 8 concurrent connections for
  --load-seconds each: requests per second of each page, beside the trivial page (the
  base layout, no records) measured at the start and end of the same run;
- in a process of its own, as a fresh worker: the headline report of a meeting whose group
  has 1,000 open actions and a 16-page Minutes and Actions PDF, time and peak memory;
- importing a past paper (meetings/benchmark_import.py): the app's own 16-page minutes
  PDF read as the worker reads it, its preview page, and the commit.
  `--only import` runs this part alone, without the programme's dataset.

It writes the table, the machine and the date to docs/benchmarks.md (the sections "Every
page" and "Importing past papers"), replacing the previous run's. Targets: p95 <= 50 ms;
at least 15% of the trivial page's requests per second; documents <= 2.0 s and 150 MB;
a 16-page minutes PDF's preview reached in <= 5 s and committed in <= 2 s.
"""

import datetime
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
from argparse import SUPPRESS
from pathlib import Path

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client
from django.test.utils import override_settings

from meetings import benchmark_data, benchmark_import, benchmark_pages
from meetings.benchmark_documents_at_scale import measure_document
from meetings.benchmark_pages import TRIVIAL, Case, p50, percentile

from .benchmark_documents import _cpu_model

SECTION = "## Every page"
IMPORT_SECTION = "## Importing past papers"
P95_TARGET_MS, SHARE_TARGET = 50, 0.15


class Command(BaseCommand):
    help = "Benchmark every page and API list at a programme's scale (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = the programme's size")
        parser.add_argument("--requests", type=int, default=40, help="Timed requests per page")
        parser.add_argument("--load-seconds", type=int, default=8, help="wrk run per page; 0: none")
        parser.add_argument("--no-documents", action="store_true")
        parser.add_argument("--no-import", action="store_true", help="Leave out importing")
        parser.add_argument("--only", choices=["import"], help="Run one part alone")
        parser.add_argument("--runs", type=int, default=3, help="Imports timed")
        parser.add_argument("--build-only", action="store_true", help="Build the data and stop")
        parser.add_argument("--no-write", action="store_true", help="Print, not docs/benchmarks.md")
        parser.add_argument("--force", action="store_true", help="A database not named *bench*")
        # The child process measuring one document.
        parser.add_argument("--document", choices=["headline", "minutes"], help=SUPPRESS)

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark needs PostgreSQL: set DATABASE_URL.")
        if options["document"]:
            self.stdout.write(json.dumps(measure_document(options["document"])))
            return
        name = connection.settings_dict["NAME"]
        if "bench" not in name and not options["force"]:
            raise CommandError(
                f"This writes a programme's records into {name}; point DATABASE_URL at a "
                "database of its own (e.g. mhhs_bench) or pass --force."
            )
        self.create_database(name)
        call_command("migrate", verbosity=0)
        docs = Path(settings.BASE_DIR) / "docs" / "benchmarks.md"
        if options["only"] == "import":
            self.importing(options["runs"], None if options["no_write"] else docs)
            return
        scale = options["scale"]
        if not benchmark_data.is_built():
            self.stdout.write(f"Building the dataset at scale {scale}...")
            started = time.perf_counter()
            benchmark_data.build(scale, say=self.stdout.write)
            self.stdout.write(f"Built in {time.perf_counter() - started:.0f} s.")
        benchmark_data.complete(benchmark_pages.largest_meetings(), say=self.stdout.write)
        if options["build_only"]:
            return
        load_before = _load()
        user = get_user_model().objects.get(username=benchmark_data.USERNAME)
        cases = self.in_process(user, options["requests"])
        trivial_rps = None
        if options["load_seconds"]:
            trivial_rps = self.through_gunicorn(user, cases, options["load_seconds"])
        documents = None if options["no_documents"] else self.documents()
        text = self.report(scale, cases, trivial_rps, documents, load_before)
        self.stdout.write(text)
        if not options["no_write"]:
            _write_section(docs, text)
            self.stdout.write("Written to docs/benchmarks.md.")
        if not options["no_import"]:
            self.importing(options["runs"], None if options["no_write"] else docs)

    def importing(self, runs, docs):
        """Importing a 16-page minutes PDF: read, preview, commit (benchmark_import)."""
        self.stdout.write("Importing a 16-page minutes PDF...")
        load_before = _load()
        result = benchmark_import.measure_import(runs)
        counts = result["counts"]
        lines = [
            IMPORT_SECTION,
            "",
            f"**Run** {datetime.datetime.now(datetime.UTC):%d %B %Y %H:%M} UTC by "
            f"`manage.py benchmark --only import --runs {runs}`. **Machine:** "
            f"{os.cpu_count()} cores ({_cpu_model()}), Python {platform.python_version()}, "
            f"PostgreSQL on the same machine; load average {load_before} at the start, "
            f"{_load()} at the end.",
            "",
            f"**Paper:** the app's own Minutes and Actions PDF of a synthetic meeting, "
            f"{result['pages']} pages, read back as {counts.get('attendees', 0)} attendees, "
            f"{counts.get('items', 0)} agenda items, {counts.get('actions', 0)} actions and "
            f"{counts.get('decisions', 0)} decisions. Targets: the preview reached (read + "
            f"preview page) in <= {benchmark_import.PREVIEW_TARGET_S:.0f} s, the commit in "
            f"<= {benchmark_import.COMMIT_TARGET_S:.0f} s.",
            "",
            "| Run | Read (worker) | Preview page | Preview reached | Commit | Commit queries |",
            "| ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for n, run in enumerate(result["runs"], start=1):
            reached = "" if run["reached"] <= benchmark_import.PREVIEW_TARGET_S else " ✗"
            commit = "" if run["commit"] <= benchmark_import.COMMIT_TARGET_S else " ✗"
            lines.append(
                f"| {n} | {run['read']:.2f} s (CPU {run['read_cpu']:.2f}) | "
                f"{run['preview']:.2f} s (CPU {run['preview_cpu']:.2f}) | "
                f"**{run['reached']:.2f} s**{reached} | "
                f"**{run['commit']:.2f} s**{commit} (CPU {run['commit_cpu']:.2f}) | "
                f"{run['commit_queries']:,} |"
            )
        lines.append("")
        text = "\n".join(lines)
        self.stdout.write(text)
        if docs is not None:
            _write_section(docs, text, IMPORT_SECTION)
            self.stdout.write(f"Written to {docs.name}.")

    def create_database(self, name):
        try:
            connection.ensure_connection()
        except OperationalError:
            self.stdout.write(f"Creating database {name}...")
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')

    # In this process -----------------------------------------------------------------------

    def in_process(self, user, requests):
        client = Client()
        client.force_login(user)
        cases = [
            Case("Trivial page", [TRIVIAL]),
            *benchmark_pages.list_cases(),
            *benchmark_pages.detail_cases(),
            *benchmark_pages.query_cases(),
        ]
        with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
            for case in cases:
                if case.urls:
                    benchmark_pages.measure(client, case, requests)
                    shown = (
                        f"{p50(case.times):.0f} / {percentile(case.times, 95):.0f} ms"
                        if (case.times)
                        else f"status {case.status}"
                    )
                    self.stdout.write(f"  {case.label}: {shown}, {case.queries} queries")
        failed = [f"{case.label} ({case.status})" for case in cases if case.status != 200]
        if failed:
            self.stderr.write(f"Not measured, not answering 200: {', '.join(failed)}.")
        # A case without records (none of its kind in the data) has nothing to measure.
        return [case for case in cases if case.urls]

    # Through gunicorn ----------------------------------------------------------------------

    def through_gunicorn(self, user, cases, seconds):
        wrk = shutil.which("wrk")
        if wrk is None:
            raise CommandError("wrk is missing: apt-get install wrk (or --load-seconds 0).")
        client = Client()
        client.force_login(user)
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        port = _free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "mhhs_gov.settings_test"
            ),
            # The API's rate per user (1,200 an hour) is what a token may ask; the load
            # generator asks thousands a minute as one user, which measures the throttle.
            "API_RATE": "1000000/second",
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "mhhs_gov.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                # A page slower than gunicorn's default 30 s under load is measured, not
                # its worker killed and restarted (which wrecks every later page's figure).
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=settings.BASE_DIR,
        )
        try:
            _wait_for(port)
            base = f"http://127.0.0.1:{port}"
            # Each worker loads the app on its first request (seconds on a busy machine):
            # done before anything is timed, on both workers and every page.
            warm_up = [wrk, "-t2", "-c8", "-d3s", "--timeout", "60s", "-H", f"Cookie: {cookie}"]
            subprocess.run([*warm_up, base + TRIVIAL], capture_output=True, check=True)

            def rate(url):
                subprocess.run([*warm_up, base + url], capture_output=True, check=True)
                out = subprocess.run(
                    [wrk, "-t2", "-c8", f"-d{seconds}s", "--timeout", "30s"]
                    + ["-H", f"Cookie: {cookie}", base + url],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                if "Non-2xx" in out:
                    raise CommandError(f"{url} answered errors under load:\n{out}")
                return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

            trivial = [rate(TRIVIAL)]
            for case in (case for case in cases if case.times):
                case.requests_per_second = rate(case.urls[0])
                self.stdout.write(f"  {case.label}: {case.requests_per_second:.0f} req/s")
            trivial.append(rate(TRIVIAL))
        finally:
            server.terminate()
            server.wait(timeout=30)
        return sum(trivial) / len(trivial)

    # Documents -----------------------------------------------------------------------------

    def documents(self):
        """In a process of its own, as a fresh worker process renders."""
        rows = []
        for which in ("headline", "minutes"):
            out = subprocess.run(
                [sys.executable, "manage.py", "benchmark", "--document", which, "--force"],
                capture_output=True,
                text=True,
                check=True,
                cwd=settings.BASE_DIR,
            ).stdout
            rows.append(json.loads(out.strip().splitlines()[-1]))
            self.stdout.write(f"  {rows[-1]}")
        return rows

    # The report ----------------------------------------------------------------------------

    def report(self, scale, cases, trivial_rps, documents, load_before):
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg = cursor.fetchone()[0]
        sizes = benchmark_data.sizes(scale)
        lines = [
            SECTION,
            "",
            f"**Run** {datetime.datetime.now(datetime.UTC):%d %B %Y %H:%M} UTC by "
            f"`manage.py benchmark --scale {scale:g}` (see the README). **Machine:** "
            f"{os.cpu_count()} cores ({_cpu_model()}), Python {platform.python_version()}, "
            f"Django {django.get_version()}, PostgreSQL {pg} on the same machine; load average "
            f"{load_before} at the start, {_load()} at the end.",
            "",
            "**Data:** "
            + ", ".join(f"{count:,} {name}" for name, count in sizes.items())
            + f"; {benchmark_data.ITEMS_PER_MEETING} agenda items a meeting, "
            f"{benchmark_data.UPDATES_PER_ACTION} updates an action. Requests by a user who "
            "runs and chairs every group and is a programme administrator.",
            "",
            f"Targets: p95 <= {P95_TARGET_MS} ms in-process; through gunicorn (2 workers, wrk "
            f"at 8 connections) at least {SHARE_TARGET:.0%} of the trivial page's requests/s"
            + (
                f" ({trivial_rps:.0f} req/s in this run, so {trivial_rps * SHARE_TARGET:.0f})."
                if trivial_rps
                else "."
            ),
            "",
            "| Page | First URL | p50 ms | p95 ms | CPU p50 ms | Queries | Req/s | Of trivial |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for case in cases:
            if not case.times:
                lines.append(
                    f"| {case.label} | `{case.urls[0]}` | status {case.status} ✗ | | | | | |"
                )
                continue
            p95 = percentile(case.times, 95)
            rps = case.requests_per_second
            share = f"{rps / trivial_rps:.0%}" if rps and trivial_rps else "—"
            mark = "" if p95 <= P95_TARGET_MS else " ✗"
            share_mark = "" if not rps or rps >= trivial_rps * SHARE_TARGET else " ✗"
            lines.append(
                f"| {case.label} | `{case.urls[0]}` | {p50(case.times):.1f} | "
                f"**{p95:.1f}**{mark} | {p50(case.cpu):.1f} | {case.queries} | "
                f"{f'{rps:.0f}' if rps else '—'} | {share}{share_mark} |"
            )
        if documents:
            lines += [
                "",
                "Documents, each in a fresh worker process: the worker reads the data and "
                "writes the HTML; its renderer process (WeasyPrint alone) lays the document "
                "out in a child forked for it. Targets: <= 2.0 s and <= 150 MB. CPU time is "
                "the worker's and the renderer's added; memory is the peak resident set size "
                "of the child that laid the document out, and the worker process's own peak "
                "and how far the render raised it (the renderer waiting between documents: "
                f"{documents[0]['renderer_idle_mb']:.0f} MB).",
                "",
                "| Document | Pages | Wall time (best of 3) | CPU time (worker + renderer) | "
                "Peak RSS, laying out | Worker process: peak (rise) |",
                "| --- | ---: | ---: | ---: | ---: | ---: |",
            ]
            for row in documents:
                lines.append(
                    f"| {row['label']} | {row['pages']} | **{row['seconds']:.2f} s** | "
                    f"{row['cpu_seconds']:.2f} s ({row['worker_cpu_seconds']:.2f} + "
                    f"{row['renderer_cpu_seconds']:.2f}) | **{row['peak_mb']:.0f} MB** | "
                    f"{row['worker_peak_mb']:.0f} MB (+{row['worker_rise_mb']:.0f}) |"
                )
        lines.append("")
        return "\n".join(lines)


def _write_section(path, text, section=SECTION):
    """Replace the section of the previous run (up to the next "## "), or append it."""
    current = path.read_text()
    start = current.find(section + "\n")
    if start == -1:
        path.write_text(current.rstrip("\n") + "\n\n" + text)
        return
    end = current.find("\n## ", start + len(section))
    rest = "\n" + current[end + 1 :] if end != -1 else ""  # a blank line before the next
    path.write_text(current[:start] + text.rstrip("\n") + "\n" + rest)


def _load():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise CommandError("gunicorn did not start.")
