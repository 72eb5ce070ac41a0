"""A group's trends over its last meetings, as plain data for the trends page and the
headline report PDF: each a chart (meetings/charts.py) with the table of its numbers.

- actions open, overdue and closed at each meeting (from the actions' own dates, so papers
  typed in later count too);
- median days from raised to closed of the actions closed since the meeting before;
- overdue actions today by owner organisation (the owner's party as the papers write it,
  else the owners' organisation);
- open RAID items by score band at each meeting's start, from the items' history;
- decisions taken at each meeting;
- the publication clock: UK working days from each meeting to its minutes' publication,
  against the group's deadline.

A fixed number of queries: meetings, the group's actions' dates, the overdue actions'
owners' organisations, decisions
counted by meeting, first issues; and one per meeting (at most MEETINGS) for the RAID
items' history.
"""

import datetime
import statistics
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Q
from django.utils.safestring import SafeString

from actions.models import ActionOwner, ActionStatus
from core.workdays import working_days_between
from decisions.models import DecisionStatus
from raid.models import Band, RaidItem, RaidStatus, band_for

from .as_at import versions_as_of
from .charts import bar_chart
from .services import publication

MEETINGS = 12


@dataclass(frozen=True)
class Trend:
    key: str
    title: str
    labels: list[str]  # one a meeting (or organisation)
    series: list[tuple[str, list]]  # (name, one value a label; None: not known)
    chart: SafeString
    note: str = ""

    @property
    def rows(self):
        """(label, values) for the table beside the chart."""
        return [
            (label, [values[index] for _, values in self.series])
            for index, label in enumerate(self.labels)
        ]


def _trend(key, title, labels, series, note=""):
    return Trend(
        key=key,
        title=title,
        labels=labels,
        series=series,
        chart=bar_chart(
            labels, series, chart_id=f"chart-{key}", title=title, table_id=f"table-{key}"
        ),
        note=note,
    )


class _Dates(NamedTuple):
    """An action's dates and owner party: all the trends read of it (a group has thousands
    of actions; whole model instances with their owners cost ten times as much to load)."""

    pk: int
    date_raised: datetime.date
    closed_date: datetime.date | None
    status: str
    due_date: datetime.date | None
    owner_party: str

    def open_at(self, day) -> bool:
        """Open at the end of `day`, by its own dates."""
        if self.date_raised > day:
            return False
        if self.closed_date is not None:
            return self.closed_date > day
        return self.status != ActionStatus.CLOSED


def group_trends(group, today) -> list[Trend]:
    meetings = list(
        group.meetings.held(today)
        .with_first_issue()
        .select_related("group")
        .order_by("-date")[:MEETINGS]
    )[::-1]
    labels = [meeting.code for meeting in meetings]
    actions = [_Dates(*row) for row in group.actions.values_list(*_Dates._fields).order_by()]
    trends = []

    open_, overdue, closed = [], [], []
    for meeting in meetings:
        day = meeting.date
        live = [a for a in actions if a.open_at(day)]
        open_.append(len(live))
        overdue.append(sum(1 for a in live if a.due_date and a.due_date < day))
        closed.append(sum(1 for a in actions if a.closed_date and a.closed_date <= day))
    trends.append(
        _trend(
            "actions",
            "Actions open, overdue and closed at each meeting",
            labels,
            [("Open", open_), ("Overdue", overdue), ("Closed", closed)],
        )
    )

    medians, previous = [], None
    for meeting in meetings:
        days = [
            (a.closed_date - a.date_raised).days
            for a in actions
            if a.closed_date
            and a.closed_date <= meeting.date
            and (previous is None or a.closed_date > previous)
        ]
        medians.append(statistics.median(days) if days else None)
        previous = meeting.date
    trends.append(
        _trend(
            "days-to-close",
            "Median days to close the actions closed since the meeting before",
            labels,
            [("Median days", medians)],
            note="No bar: no action closed in that interval.",
        )
    )

    overdue_today = [a for a in actions if a.open_at(today) and a.due_date and a.due_date < today]
    organisations: dict[int, set[str]] = {}
    for action_id, name in ActionOwner.objects.filter(
        action__in=[a.pk for a in overdue_today if not a.owner_party],
        person__organisation__isnull=False,
    ).values_list("action_id", "person__organisation__name"):
        organisations.setdefault(action_id, set()).add(name)
    by_owner: dict[str, int] = {}
    for action in overdue_today:
        owner = action.owner_party or ", ".join(sorted(organisations.get(action.pk, ())))
        owner = owner or "No organisation given"
        by_owner[owner] = by_owner.get(owner, 0) + 1
    owners = sorted(by_owner, key=lambda name: (-by_owner[name], name))
    trends.append(
        _trend(
            "overdue-by-owner",
            "Overdue actions today by owner organisation",
            owners,
            [("Overdue", [by_owner[name] for name in owners])],
        )
    )

    bands = list(Band)
    counts = {band: [] for band in bands}
    for meeting in meetings:
        scored = (
            versions_as_of(RaidItem, meeting.records_open_at)
            .filter(Q(group=group), Q(status=RaidStatus.OPEN))
            .values_list("probability", "impact")
        )
        tally = dict.fromkeys(bands, 0)
        for probability, impact in scored:
            band = band_for(probability * impact) if probability and impact else None
            if band is not None:
                tally[band] += 1
        for band in bands:
            counts[band].append(tally[band])
    trends.append(
        _trend(
            "raid",
            "Open RAID items by score at the start of each meeting",
            labels,
            [(band.label, counts[band]) for band in bands],
            note="From the items' history: items typed in later than a meeting are not "
            "counted at it.",
        )
    )

    decided = dict(
        group.decisions.filter(meeting__in=meetings)
        .exclude(status=DecisionStatus.REJECTED)
        .values_list("meeting")
        .annotate(count=Count("pk"))
    )
    trends.append(
        _trend(
            "decisions",
            "Decisions taken at each meeting",
            labels,
            [("Decisions", [decided.get(meeting.pk, 0) for meeting in meetings])],
        )
    )

    taken, deadline_days = [], []
    for meeting in meetings:
        pub = publication(meeting, today)
        taken.append(
            working_days_between(meeting.date, pub.published_on) if pub.published_on else None
        )
        deadline_days.append(group.publication_working_days)
    trends.append(
        _trend(
            "publication",
            "Working days from each meeting to its minutes' publication",
            labels,
            [("Days taken", taken), ("Deadline", deadline_days)],
            note="A bar above the deadline's is a missed deadline; no bar: not yet issued.",
        )
    )
    return trends
