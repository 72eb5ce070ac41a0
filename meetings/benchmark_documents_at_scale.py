"""The documents part of `manage.py benchmark`, run in a process of its own per document
(as a fresh worker process renders): the headline report of a meeting whose group has
1,000 open actions, and the 16-page synthetic Minutes and Actions of benchmark_documents.
Wall time of the render as the worker does it (read, render the HTML, lay out, write the
PDF) after the worker's warm-up, the CPU time of the worker process and of its renderer,
the peak resident set size of the renderer's child that laid the document out, and the
worker process's own peak and rise during the render (benchmark_documents.render_measured).
Everything written is rolled back."""

import datetime

from django.db import transaction

from actions.models import Action, ActionOwner, ActionStatus, natural_sort_key
from core.models import GovernanceGroup, GroupLevel, Person
from documents.pdf_renderer import renderer
from documents.tasks import warm_up_renderer

from .documents import HEADLINE, MINUTES
from .management.commands.benchmark_documents import (
    PARAGRAPH,
    _synthetic_meeting,
    render_measured,
)
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


def measure_document(which):
    """{label, pages, seconds, cpu_seconds, peak_mb, worker_peak_mb, worker_rise_mb...}
    of the best of three renders of one document; the memory figures are the most of
    the three."""
    try:
        with transaction.atomic():
            if which == "headline":
                label = f"Headline report, {OPEN_ACTIONS:,} open actions"
                kind, meeting = HEADLINE, headline_meeting()
            else:
                label = "Minutes and Actions, synthetic (150 actions, 40 decisions)"
                kind, meeting = MINUTES, _synthetic_meeting()
            warm_up_renderer()
            renderer.ready()  # a worker process that has waited for its first document
            runs = [render_measured(kind, meeting) for _ in range(3)]
            raise _Rollback
    except _Rollback:
        pass
    best = min(runs, key=lambda run: run["seconds"])
    most = {
        key: max(run[key] for run in runs)
        for key in ("peak_mb", "worker_peak_mb", "worker_rise_mb", "renderer_idle_mb")
    }
    return {"label": label, **best, **most}
