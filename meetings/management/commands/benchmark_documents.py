"""python manage.py benchmark_documents: render time and peak memory of the PDF documents.

Measures the DAG029 Minutes and Actions of the demo (target <= 1.5 s) and a synthetic
Minutes and Actions of 16 pages with 150 actions and 40 decisions (targets <= 2.5 s and
<= 150 MB). Everything it writes (the demo, if missing, and the synthetic meeting) is
rolled back at the end; no file is stored.

Time is the render as the worker does it: read the data and render the HTML in this
process, then lay it out and write the PDF in the renderer process (render_pdf), after
what each worker process does when it starts (documents.tasks.warm_up_renderer: its
renderer started, WeasyPrint, Pango and the fonts loaded there). Shown: the first, best
and median wall time of --runs renders, and the median CPU time of both processes, which
a machine busy with other work inflates less. Memory, read from /proc (Linux), in each
process: the peak resident set size of the renderer's child that laid the document out
(VmHWM: the process holding WeasyPrint alone), and this process's peak during the render
(VmHWM after resetting it) with how far it rose above its size before. With --only, one
document is measured in a process that has rendered nothing else, as a fresh worker
process would.
"""

import datetime
import os
import platform
import statistics
import time
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from actions.services import action_create
from core.models import GovernanceGroup, GroupLevel, Person
from decisions.services import decision_create
from documents.models import Document
from documents.pdf_renderer import renderer
from documents.rendering import build_source, render_html
from documents.tasks import warm_up_renderer
from meetings.documents import MINUTES
from meetings.models import AgendaItem, Attendance, Meeting

PARAGRAPH = (
    "The group discussed the proposal in detail, including its impact on the design "
    "baseline, the testing timetable and the readiness of participants. Members asked for "
    "clarity on the dependencies with CR032 and on the assurance approach, and the Programme "
    "agreed to set out the options with their costs and risks before the next meeting."
)


class Rollback(Exception):
    pass


def _memory_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def render_measured(kind: str, meeting: Meeting) -> dict:
    """One render of the meeting's document as the worker does it, measured in both
    processes: the worker's (this one: the data read, the HTML written, the PDF received)
    and the renderer's child (the layout and the PDF written)."""
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    before = _memory_kb("VmRSS")
    started, started_cpu = time.perf_counter(), time.process_time()
    source = build_source(Document(kind=kind, meeting=meeting))
    rendered = renderer.render(render_html(source, version=1, issued=meeting.date))
    worker_cpu = time.process_time() - started_cpu
    seconds = time.perf_counter() - started
    worker_peak = _memory_kb("VmHWM")
    return {
        "pages": rendered.pages,
        "kb": len(rendered.pdf) // 1024,
        "seconds": seconds,
        "cpu_seconds": worker_cpu + rendered.cpu_seconds,
        "worker_cpu_seconds": worker_cpu,
        "renderer_cpu_seconds": rendered.cpu_seconds,
        "peak_mb": rendered.peak_rss_kb / 1024,
        "worker_peak_mb": worker_peak / 1024,
        "worker_rise_mb": (worker_peak - before) / 1024,
        "renderer_idle_mb": renderer.idle_rss_kb / 1024,
    }


def _synthetic_meeting() -> Meeting:
    group = GovernanceGroup.objects.create(
        code="BENCH", name="Benchmark Advisory Group", level=GroupLevel.ADVISORY
    )
    meeting = Meeting.objects.create(
        group=group,
        number=16,
        date=datetime.date(2024, 6, 12),
        start_time=datetime.time(10),
        end_time=datetime.time(13),
        minutes_issue_date=datetime.date(2024, 6, 19),
        next_meeting_date=datetime.date(2024, 7, 10),
        next_meeting_time=datetime.time(10),
    )
    people = Person.objects.bulk_create(Person(name=f"Member {n:02d}") for n in range(24))
    categories = ["chair"] + ["industry"] * 12 + ["programme"] * 8 + ["other"] * 3
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            person=person,
            category=category,
            role="Constituency Representative",
            initials=f"M{n:02d}",
            part_meeting=n % 5 == 0,
            order=n,
        )
        for n, (person, category) in enumerate(zip(people, categories, strict=True))
    )
    items = [
        AgendaItem.objects.create(
            meeting=meeting,
            number=str(n),
            order=n,
            title=f"Agenda item {n}",
            minutes=PARAGRAPH,
        )
        for n in range(1, 13)
    ]
    now = timezone.now()
    for n in range(150):
        item = items[n % len(items)]
        action_create(
            group=group,
            meeting=meeting,
            agenda_item=item,
            area=item.title,
            text=f"Programme to report back on the consultation responses on topic {n}",
            date_raised=meeting.date,
            owners=[people[n % len(people)]],
            owner_party="Programme",
            due_date=meeting.date + datetime.timedelta(days=28),
        )
    for n in range(40):
        decision_create(
            group=group,
            meeting=meeting,
            agenda_item=items[n % len(items)],
            area=items[n % len(items)].title,
            wording=f"The SRO approved the recommendation on topic {n} for publication",
            status="approved",
            decided_at=now,
        )
    return meeting


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


class Command(BaseCommand):
    help = "Render time and peak memory of the Minutes and Actions PDF (DAG029 and synthetic)."
    # The checks would import every URLconf and view, which a worker never loads, and
    # count them in the process's memory.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument(
            "--only",
            choices=["dag029", "synthetic"],
            help="measure one document, in a process that has rendered nothing else",
        )

    def machine(self):
        import weasyprint

        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        self.stdout.write(
            f"Machine: {os.cpu_count()} cores ({_cpu_model()}), load average {load}; "
            f"Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}"
        )

    def warm_up(self):
        """What each worker process does when it starts (documents.tasks.warm_up_renderer)."""
        wall = time.perf_counter()
        warm_up_renderer()
        renderer.ready()  # as a worker process that has waited for its first document
        self.stdout.write(
            f"Warm-up (worker start): {time.perf_counter() - wall:.2f} s; worker process RSS "
            f"{_memory_kb('VmRSS') / 1024:.0f} MB, its renderer "
            f"{renderer.idle_rss_kb / 1024:.0f} MB"
        )

    def measure(self, label, meeting, runs):
        results = [render_measured(MINUTES, meeting) for _ in range(runs)]
        walls = [result["seconds"] for result in results]

        def most(key):
            return max(result[key] for result in results)

        def median(key):
            return statistics.median(result[key] for result in results)

        self.stdout.write(
            f"{label}: {results[0]['pages']} pages, {results[0]['kb']} KB; {runs} renders: "
            f"first {walls[0]:.2f} s, best {min(walls):.2f} s, "
            f"median {statistics.median(walls):.2f} s, median CPU {median('cpu_seconds'):.2f} s "
            f"(worker {median('worker_cpu_seconds'):.2f} s, renderer "
            f"{median('renderer_cpu_seconds'):.2f} s); peak RSS of the process laying it out "
            f"{most('peak_mb'):.0f} MB; worker process peak {most('worker_peak_mb'):.0f} MB, "
            f"at most {most('worker_rise_mb'):.0f} MB above its size before the render"
        )

    def handle(self, *args, runs, only, **options):
        self.machine()
        try:
            with transaction.atomic():
                dag029 = synthetic = None
                if only in (None, "dag029"):
                    dag029 = Meeting.objects.filter(group__code="DAG", number=29).first()
                    if dag029 is None:
                        call_command("load_demo", stdout=StringIO())
                        dag029 = Meeting.objects.get(group__code="DAG", number=29)
                if only in (None, "synthetic"):
                    synthetic = _synthetic_meeting()
                self.warm_up()
                if dag029:
                    self.measure("DAG029 Minutes and Actions", dag029, runs)
                if synthetic:
                    self.measure("Synthetic minutes, 150 actions, 40 decisions", synthetic, runs)
                raise Rollback
        except Rollback:
            pass
