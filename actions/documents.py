"""The group's Open actions report, for its next meeting's papers (registered with
documents/registry.py by ActionsConfig.ready())."""

from dataclasses import dataclass

from django.utils import timezone

from core.dates import long_date
from core.references import reference_sort_key
from documents.forms import ReportForm, classification_label
from documents.registry import GROUP, Source, group_title, reference_links, register_kind

from .models import ActionStatus

OPEN_ACTIONS = "open_actions"


@dataclass(frozen=True)
class OpenActionRow:
    reference: str
    url: str
    date_raised: str  # dd/mm/yyyy
    text: str
    owner: str
    due: str
    status_label: str
    overdue: bool
    latest_update_date: str
    latest_update: str


@dataclass(frozen=True)
class OpenActionsReport:
    group_title: str
    next_meeting: str  # "DAG030, 08 November 2023", or ""
    open_rows: list[OpenActionRow]
    recommend_closed_rows: list[OpenActionRow]
    links: dict[str, str]

    @property
    def overdue_count(self) -> int:
        return sum(row.overdue for row in self.open_rows + self.recommend_closed_rows)


def open_actions_source(document) -> Source:
    group = document.group
    today = timezone.localdate()
    actions = sorted(
        group.actions.open().for_list(),
        key=lambda a: (a.date_raised, reference_sort_key(a.reference)),
    )
    rows = {
        action.pk: OpenActionRow(
            reference=action.reference,
            url=action.get_absolute_url(),
            date_raised=f"{action.date_raised:%d/%m/%Y}",
            text=action.text,
            owner=action.owner_display(),
            due=action.due_display(),
            status_label=action.get_status_display(),
            overdue=action.is_overdue(today),
            latest_update_date=(
                f"{action.latest_update_date:%d/%m/%Y}" if action.latest_update_date else ""
            ),
            latest_update=action.latest_update_text or "",
        )
        for action in actions
    }
    next_meeting = group.meetings.upcoming(today).order_by("date", "number").first()
    return Source(
        template="documents/open_actions.html",
        title="Open Actions Report",
        group_title=group_title(group),
        classification=classification_label(document.parameters),
        issue_date="",
        landscape=True,
        data=OpenActionsReport(
            group_title=group_title(group),
            next_meeting=(
                f"{next_meeting.code}, {long_date(next_meeting.date)}" if next_meeting else ""
            ),
            open_rows=[rows[a.pk] for a in actions if a.status != ActionStatus.RECOMMEND_CLOSED],
            recommend_closed_rows=[
                rows[a.pk] for a in actions if a.status == ActionStatus.RECOMMEND_CLOSED
            ],
            links=reference_links(
                *(text for row in rows.values() for text in (row.text, row.latest_update))
            ),
        ),
    )


def register() -> None:
    register_kind(
        OPEN_ACTIONS,
        "Open actions report",
        scope=GROUP,
        source=open_actions_source,
        form=ReportForm,
    )
