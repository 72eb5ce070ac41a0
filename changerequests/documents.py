"""The Change request status report of a group for a period (registered with
documents/registry.py by ChangerequestsConfig.ready())."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from core.references import reference_sort_key
from core.widgets import DateField
from documents.forms import ReportForm, classification_label
from documents.registry import GROUP, Source, group_title, reference_links, register_kind

from .models import ChangeRequest

CR_STATUS = "cr_status"
# The papers' CR status slide covers "Change Requests raised in the last three months".
PERIOD_DAYS = 91
PERIOD_MAX_DAYS = 3 * 366


def _date_field(label):
    return DateField(label=label, help_text="dd/mm/yyyy")


class PeriodForm(ReportForm):
    """The classification and the period, the last three months unless changed."""

    start = _date_field("From")
    end = _date_field("To")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["start"].initial = today - datetime.timedelta(days=PERIOD_DAYS)
        self.fields["end"].initial = today

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The period must end on or after its first day.")
            elif (end - start).days > PERIOD_MAX_DAYS:
                self.add_error("end", "Choose a period of three years or less.")
        return cleaned

    def parameters(self) -> dict:
        return {
            **super().parameters(),
            "start": self.cleaned_data["start"].isoformat(),
            "end": self.cleaned_data["end"].isoformat(),
        }


@dataclass(frozen=True)
class CrRow:
    reference: str
    url: str
    title: str
    key_detail: str
    raiser: str
    change_type: str
    latest_action: str
    approval_status: str
    stage: str
    next_action: str
    implementation: str
    change_owner: str


@dataclass(frozen=True)
class CrStatusReport:
    group_title: str
    start: datetime.date
    end: datetime.date
    updated_to: datetime.date | None
    rows: list[CrRow]  # raised, updated or moved on in the period
    links: dict[str, str]
    open_rows: list[CrRow] = ()  # every open change request, whenever it last moved

    @property
    def updates(self) -> list[CrRow]:
        """The rows with a key detail, told in full under "Change Request Updates"."""
        return [row for row in self.rows if row.key_detail]


def _person_with_organisation(person) -> str:
    """ "Paul Pettitt, MHHS Programme", as the CR table names a change owner."""
    if person is None:
        return ""
    return f"{person.name}, {person.organisation}" if person.organisation else person.name


def _row(cr) -> CrRow:
    return CrRow(
        reference=cr.reference,
        url=cr.get_absolute_url(),
        title=cr.title,
        key_detail=cr.key_detail,
        raiser=cr.raiser_display(),
        change_type=cr.get_change_type_display(),
        latest_action=cr.latest_action,
        approval_status=cr.get_approval_status_display(),
        stage=cr.get_stage_display(),
        next_action=cr.next_action,
        implementation=cr.implementation_milestone,
        change_owner=_person_with_organisation(cr.change_owner),
    )


def cr_status_source(document) -> Source:
    """Every open change request of the group (or programme-wide), then those raised,
    updated or moved on in change control within the period, as the papers' CR status
    table."""
    group, params = document.group, document.parameters
    start = datetime.date.fromisoformat(params["start"])
    end = datetime.date.fromisoformat(params["end"])
    of_group = ChangeRequest.objects.filter(Q(group=group) | Q(group__isnull=True)).select_related(
        "raiser_person", "raiser_organisation", "change_owner__organisation"
    )
    crs = of_group.filter(
        Q(date_raised__range=(start, end))
        | Q(status_updated__range=(start, end))
        | Q(transitions__date__range=(start, end))
    ).distinct()
    crs = sorted(crs, key=lambda cr: reference_sort_key(cr.reference))
    rows = [_row(cr) for cr in crs]
    open_crs = sorted(of_group.in_progress(), key=lambda cr: reference_sort_key(cr.reference))
    open_rows = [_row(cr) for cr in open_crs]
    updated = [cr.status_updated for cr in crs if cr.status_updated]
    return Source(
        template="documents/cr_status.html",
        title="Change Request Status Report",
        group_title=group_title(group),
        classification=classification_label(params),
        issue_date="",
        landscape=True,
        data=CrStatusReport(
            group_title=group_title(group),
            start=start,
            end=end,
            updated_to=max(updated, default=None),
            rows=rows,
            open_rows=open_rows,
            links=reference_links(
                *(
                    text
                    for row in [*open_rows, *rows]
                    for text in (row.title, row.key_detail, row.latest_action, row.next_action)
                )
            ),
        ),
    )


def register() -> None:
    register_kind(
        CR_STATUS,
        "Change request status report",
        scope=GROUP,
        source=cr_status_source,
        form=PeriodForm,
        period=True,
    )
