"""The import part of `manage.py benchmark` (`--only import` runs it alone): a 16-page
Minutes and Actions PDF (the app's own, of benchmark_documents' synthetic meeting: 24
attendees, 12 agenda items with their minutes, 150 actions, 40 decisions) imported as the
secretariat does it, timed stage by stage:

- read: the worker's read of the file (`read_in_worker`: the checks, then pdfplumber and
  the parser in a bounded child process, as the worker does it; its CPU time counted with
  the child's);
- preview: the preview page of the pending import, through Django's test Client as the
  secretariat opens it (the tracker compared row by row, every cell's form, the template);
- commit: `import_commit`, the whole meeting written in one transaction.

"Reaches preview" is read + preview. The meeting is rendered first and rolled back; the
import then runs into a group holding only the meeting's people (as a tracker would),
each commit rolled back, so nothing the benchmark writes is kept. Targets: preview
reached in <= 5 s, commit in <= 2 s.
"""

import resource
import time

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from core.models import GovernanceGroup, GroupLevel, Person
from documents.models import Document
from documents.rendering import build_source, lay_out, render_html

from .documents import MINUTES
from .management.commands.benchmark_documents import _synthetic_meeting
from .paper_import.commit import import_commit
from .paper_import.draft import PaperImport, PaperImportStatus
from .paper_import.read import read_in_worker

PREVIEW_TARGET_S, COMMIT_TARGET_S = 5.0, 2.0
FILENAME = "BENCH016 Minutes and Actions.pdf"
# Names as papers print them (the synthetic meeting's "Member 07" is no person's name).
FIRST = ["Alice", "Bryn", "Chloe", "Dev", "Erin", "Femi", "Gwen", "Hamid"]
LAST = ["Ashworth", "Bello", "Carver"]


class _Rollback(Exception):
    pass


def synthetic_minutes_pdf() -> tuple[bytes, int, list[str]]:
    """(the PDF, its pages, the names of its people) of the synthetic meeting, rolled back."""
    try:
        with transaction.atomic():
            meeting = _synthetic_meeting()
            names = []
            for n, line in enumerate(meeting.attendances.select_related("person")):
                line.person.name = f"{FIRST[n % 8]} {LAST[n // 8]}"
                line.person.save(update_fields=["name"])
                names.append(line.person.name)
            rendered = lay_out(
                render_html(
                    build_source(Document(kind=MINUTES, meeting=meeting)),
                    version=1,
                    issued=meeting.minutes_issue_date,
                )
            )
            pdf = rendered.write_pdf(), len(rendered.pages), names
            raise _Rollback
    except _Rollback:
        pass
    return pdf


def measure_import(runs: int = 3) -> dict:
    """{pages, counts, runs}: per run, the wall and CPU seconds of each stage and the
    commit's SQL queries."""
    pdf, pages, names = synthetic_minutes_pdf()
    results, counts = [], {}
    try:
        with transaction.atomic():
            group = GovernanceGroup.objects.create(
                code="BENCH", name="Benchmark Advisory Group", level=GroupLevel.ADVISORY
            )
            Person.objects.bulk_create(Person(name=name) for name in names)
            user = get_user_model().objects.create_superuser("import-bench", password=None)
            client = Client()
            client.force_login(user)
            for _ in range(runs):
                results.append(_one_run(client, group, user, pdf, counts))
            raise _Rollback
    except _Rollback:
        pass
    return {"pages": pages, "counts": counts, "runs": results}


def _counting(queries):
    """A database execute wrapper listing the SQL run (CaptureQueriesContext keeps 9,000)."""

    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def _cpu_with_children() -> float:
    """This process's CPU seconds and its ended children's: the read's bounded child."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _one_run(client, group, user, pdf, counts):
    started, cpu = time.perf_counter(), _cpu_with_children()
    paper = read_in_worker(pdf, FILENAME)
    read, read_cpu = time.perf_counter() - started, _cpu_with_children() - cpu
    counts.update(
        attendees=len(paper.attendance),
        items=len(paper.agenda),
        actions=len(paper.actions),
        decisions=len(paper.decisions),
    )
    draft = PaperImport.objects.create(
        group=group,
        created_by=user,
        filename=FILENAME,
        paper=paper.to_json(),
        status=PaperImportStatus.PENDING,
    )
    url = reverse("meetings:paper_import_preview", args=[draft.pk])
    with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        preview, preview_cpu = time.perf_counter() - started, time.process_time() - cpu
    if response.status_code != 200:
        raise RuntimeError(f"The preview answered {response.status_code}.")
    try:
        with transaction.atomic():
            queries = []
            with connection.execute_wrapper(_counting(queries)):
                started, cpu = time.perf_counter(), time.process_time()
                meeting = import_commit(paper_import=draft, user=user, content=pdf)
                commit, commit_cpu = time.perf_counter() - started, time.process_time() - cpu
            stored = meeting.source_file
            raise _Rollback
    except _Rollback:
        stored.storage.delete(stored.name)  # the copy of the paper the commit kept
    return {
        "read": read,
        "read_cpu": read_cpu,
        "preview": preview,
        "preview_cpu": preview_cpu,
        "reached": read + preview,
        "commit": commit,
        "commit_cpu": commit_cpu,
        "commit_queries": len(queries),
    }
