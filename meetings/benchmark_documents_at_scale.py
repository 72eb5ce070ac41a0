"""The documents part of `manage.py benchmark`, run in a process of its own per document
(as a fresh worker process renders): the headline report of a meeting whose group has
1,000 open actions, and the 16-page synthetic Minutes and Actions of benchmark_documents.
Wall time of the render as the worker does it (read, render the HTML, lay out, write the
PDF) after the worker's warm-up, and the process's peak resident set size during it.
Everything written is rolled back."""

import datetime
import time
from pathlib import Path

from django.db import transaction

from actions.models import Action, ActionOwner, ActionStatus, natural_sort_key
from core.models import GovernanceGroup, GroupLevel, Person
from documents.models import Document
from documents.rendering import build_source, lay_out, render_html
from documents.tasks import warm_up_renderer

from .documents import HEADLINE, MINUTES
from .management.commands.benchmark_documents import PARAGRAPH, _memory_kb, _synthetic_meeting
from .models import AgendaItem, Meeting

OPEN_ACTIONS = 1_000


class _Rollback(Exception):
    pass


def headline_meeting():
    """A meeting of a group with OPEN_ACTIONS actions still open from its earlier meetings."""
    group = GovernanceGroup.objects.create(
        code="HEADBENCH", name="Headline benchmark group", level=GroupLevel.ADVISORY
    )
    first = datetime.date(2023, 1, 11)
    earlier = Meeting.objects.bulk_create(
        Meeting(group=group, number=n, date=first + datetime.timedelta(weeks=2 * n), status="held")
        for n in range(1, 41)
    )
    meeting = Meeting.objects.create(
        group=group, number=41, date=first + datetime.timedelta(weeks=84), status="held"
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, number=str(n), order=n, title=f"Item {n}", minutes=PARAGRAPH)
        for n in range(1, 9)
    )
    owners = Person.objects.bulk_create(Person(name=f"Owner {n:02d}") for n in range(40))
    actions = Action.objects.bulk_create(
        Action(
            reference=(reference := f"HEADBENCH{m.number}-{k:02d}"),
            sort_key=natural_sort_key(reference),
            group=group,
            meeting=m,
            area="Programme",
            text=f"Programme to report back on the consultation responses on topic {k}",
            date_raised=m.date,
            due_date=m.date + datetime.timedelta(days=28),
            status=ActionStatus.OPEN,
        )
        for m in earlier
        for k in range(1, OPEN_ACTIONS // len(earlier) + 1)
    )
    ActionOwner.objects.bulk_create(
        ActionOwner(action=action, person=owners[n % len(owners)], order=0)
        for n, action in enumerate(actions)
    )
    return meeting


def _render(kind, meeting):
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    started, started_cpu = time.perf_counter(), time.process_time()
    source = build_source(Document(kind=kind, meeting=meeting))
    rendered = lay_out(render_html(source, version=1, issued=meeting.date))
    rendered.write_pdf()
    return {
        "pages": len(rendered.pages),
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - started_cpu,
        "peak_mb": _memory_kb("VmHWM") / 1024,
    }


def measure_document(which):
    """{label, pages, seconds, peak_mb} of the best of three renders of one document."""
    try:
        with transaction.atomic():
            if which == "headline":
                label = f"Headline report, {OPEN_ACTIONS:,} open actions"
                kind, meeting = HEADLINE, headline_meeting()
            else:
                label = "Minutes and Actions, synthetic (150 actions, 40 decisions)"
                kind, meeting = MINUTES, _synthetic_meeting()
            warm_up_renderer()
            runs = [_render(kind, meeting) for _ in range(3)]
            raise _Rollback
    except _Rollback:
        pass
    best = min(runs, key=lambda run: run["seconds"])
    return {"label": label, **best, "peak_mb": max(run["peak_mb"] for run in runs)}
