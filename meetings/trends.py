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

A fixed number of queries: meetings, actions with their owners' organisations, decisions
counted by meeting, first issues; and one per meeting (at most MEETINGS) for the RAID
items' history.
"""

import statistics
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.safestring import SafeString

from actions.models import ActionStatus
from core.workdays import working_days_between
from decisions.models import DecisionStatus
from raid.models import Band, RaidItem, RaidStatus, band_for

from .as_at import as_instances, versions_as_of
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


def _open_at(action, day) -> bool:
    if action.date_raised > day:
        return False
    if action.closed_date is not None:
        return action.closed_date > day
    return action.status != ActionStatus.CLOSED


def group_trends(group, today) -> list[Trend]:
    meetings = list(
        group.meetings.held(today)
        .with_first_issue()
        .select_related("group")
        .order_by("-date")[:MEETINGS]
    )[::-1]
    labels = [meeting.code for meeting in meetings]
    actions = list(group.actions.prefetch_related("ownerships__person__organisation"))
    trends = []

    open_, overdue, closed = [], [], []
    for meeting in meetings:
        day = meeting.date
        live = [a for a in actions if _open_at(a, day)]
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

    by_owner: dict[str, int] = {}
    for action in actions:
        if _open_at(action, today) and action.due_date and action.due_date < today:
            owner = action.owner_party or ", ".join(
                sorted(
                    {
                        o.person.organisation.name
                        for o in action.ownerships.all()
                        if o.person.organisation
                    }
                )
            )
            by_owner[owner or "No organisation given"] = (
                by_owner.get(owner or "No organisation given", 0) + 1
            )
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
        items = as_instances(
            versions_as_of(RaidItem, meeting.records_open_at).filter(
                Q(group=group), Q(status=RaidStatus.OPEN)
            )
        )
        tally = dict.fromkeys(bands, 0)
        for item in items:
            band = band_for(item.score)
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
