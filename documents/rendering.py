"""The programme's documents as PDF: what each says, how it is rendered, and its versions.

Five documents, each built from the database as plain data (dataclasses), then rendered
from templates/documents/ by WeasyPrint:

- Minutes and Actions of a meeting (the data of meetings/minutes.py), laid out as the
  DAG029 paper;
- Headline Report of a meeting: decisions taken, actions raised and closed, key updates
  per agenda item;
- Open actions report of a group, for its next meeting's papers;
- Change request status report of a group for a period;
- RAID report of a group: the heat map and the top items by score.

A document is asked for with request_document(); a Celery task (documents/tasks.py)
renders it with render_and_store(). The data are hashed (with the templates, so a new
layout is a new version too): when the newest stored version has the same hash it is
served as it is, otherwise a new version is made and the older ones stay downloadable.
"""

import datetime
import hashlib
import json
import logging
import re
from dataclasses import asdict, dataclass, is_dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from kombu.exceptions import OperationalError

from actions.models import Action, ActionStatus
from changerequests.models import ChangeRequest
from core.markup import find_references, reference_urls
from core.models import GovernanceGroup
from core.references import allocate, lock_scope
from meetings.minutes import (
    ActionRow,
    DecisionRow,
    MinutesHeader,
    RecordLine,
    action_row,
    build_minutes,
    long_date,
    reference_sort_key,
)
from meetings.models import Classification, Meeting
from raid.models import RaidItem, RaidStatus

from .models import Document, DocumentKind, DocumentStatus

TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates" / "documents"
MEETING_KINDS = (DocumentKind.MINUTES, DocumentKind.HEADLINE)
GROUP_KINDS = (DocumentKind.OPEN_ACTIONS, DocumentKind.CR_STATUS, DocumentKind.RAID)
IN_FLIGHT = (DocumentStatus.QUEUED, DocumentStatus.RENDERING)
# A render still "rendering" after this long was killed (time or memory limit) and will
# not finish: it is shown as failed, with a retry. Longer than the task's hard limit.
STALE_AFTER = datetime.timedelta(minutes=3)
# A render not started this long after it was asked for has most likely lost its message
# or its worker; the page says so and offers to queue it again (a duplicate is harmless:
# the task skips a version already rendered).
QUEUED_STALE_AFTER = datetime.timedelta(minutes=10)
TOP_RAID_ITEMS = 10

logger = logging.getLogger(__name__)
# WeasyPrint logs every layout step at INFO; a worker's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

_PARAGRAPH = re.compile(r"<p(?: [^>]*)?>(.*?)</p>", re.DOTALL)
_NEXT_STEPS = re.compile(r"^(?:<strong>)?Next steps\b", re.IGNORECASE)
_ACTION_UPDATE = re.compile(r"^(?:<a [^>]*>)?[A-Z][\w.-]*\d(?:</a>)?:")


class DocumentError(Exception):
    """A render that cannot be made; the message is shown to the user."""


# --- What the documents say -------------------------------------------------------------


@dataclass(frozen=True)
class ClosedActionRow:
    row: ActionRow
    update: str  # the update that closed it, as minuted


@dataclass(frozen=True)
class HeadlineItem:
    number: str
    title: str
    updates: list[SafeString]  # sanitised paragraphs of the item's minutes
    records: list[RecordLine]


@dataclass(frozen=True)
class Headline:
    header: MinutesHeader
    decisions: list[DecisionRow]
    actions_raised: list[ActionRow]
    actions_closed: list[ClosedActionRow]
    items: list[HeadlineItem]
    next_meeting: str
    links: dict[str, str]  # references named in the text, for the `linkrefs` filter


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
    rows: list[CrRow]
    links: dict[str, str]

    @property
    def updates(self) -> list[CrRow]:
        """The rows with a key detail, told in full under "Change Request Updates"."""
        return [row for row in self.rows if row.key_detail]


@dataclass(frozen=True)
class HeatCell:
    probability: int
    impact: int
    band: str
    references: list[str]


@dataclass(frozen=True)
class RaidRow:
    reference: str
    url: str
    raid_type: str
    area: str
    title: str
    owner: str
    probability: int | None
    impact: int | None
    score: int | None
    band: str
    mitigation: str
    milestone: str


@dataclass(frozen=True)
class RaidReport:
    group_title: str
    heat_map: list[list[HeatCell]]  # rows of probability 5 down to 1, impact 1 to 5
    top: list[RaidRow]
    unscored: list[RaidRow]
    open_count: int
    links: dict[str, str]


@dataclass(frozen=True)
class Source:
    """What one document says, and what its running header and footer need."""

    template: str
    title: str  # "Minutes and Actions – DAG029"
    group_title: str  # "MHHS Design Advisory Group (DAG)"
    classification: str  # "Public"
    issue_date: str  # "18/10/2023"; "" means the date of the render
    landscape: bool
    data: object


def group_title(group: GovernanceGroup) -> str:
    default = GovernanceGroup._meta.get_field("programme_label").default
    name = f"{group.name} ({group.code})"
    return name if group.programme_label == default else f"{group.programme_label} {name}"


def uk_date(value: datetime.date) -> str:
    """ "18/10/2023", as the papers write the issue date."""
    return f"{value:%d/%m/%Y}"


def _issue_date(header: MinutesHeader) -> str:
    return uk_date(header.issue_date) if header.issue_date else "Draft – not yet issued"


def _links(*texts: str) -> dict[str, str]:
    """{reference: url} for the references named in the texts (one query per record type)."""
    return reference_urls(find_references(*texts))


def minutes_source(meeting: Meeting) -> Source:
    minutes = build_minutes(meeting)
    header = minutes.header
    return Source(
        template="documents/minutes.html",
        title=f"Minutes and Actions – {header.meeting_code}",
        group_title=header.group_title,
        classification=header.classification,
        issue_date=_issue_date(header),
        landscape=False,
        data=minutes,
    )


def _key_updates(html: str) -> list[SafeString]:
    """The item's opening paragraph and its "Next steps", leaving out the ACTION/DECISION
    lines (listed as records) and the per-action updates (listed under actions closed)."""
    paragraphs = [p.strip() for p in _PARAGRAPH.findall(html)]
    kept = [
        p
        for p in paragraphs
        if not re.match(r"^(?:<strong>|<b>)?(?:ACTION|DECISION)\b", p)
        and not _ACTION_UPDATE.match(p)
    ]
    chosen = kept[:1] + [p for p in kept[1:] if _NEXT_STEPS.match(p)]
    # Paragraph bodies of sanitised HTML stay sanitised.
    return [mark_safe(p) for p in chosen]  # noqa: S308


def headline_source(meeting: Meeting) -> Source:
    minutes = build_minutes(meeting)
    header = minutes.header
    closed = sorted(
        Action.objects.filter(closed_meeting_id=meeting.pk)
        .prefetch_related("ownerships__person", "updates")
        .select_related("meeting"),
        key=lambda a: reference_sort_key(a.reference),
    )
    closed_rows = [
        ClosedActionRow(
            row=action_row(action),
            update=next((u.text for u in action.updates.all() if u.meeting_id == meeting.pk), ""),
        )
        for action in closed
    ]
    # The minutes' links, plus any reference named only in a closing update.
    links = minutes.links | _links(*(row.update for row in closed_rows))
    items = [
        HeadlineItem(
            number=item.number,
            title=item.title,
            updates=_key_updates(item.html),
            records=[
                RecordLine("DECISION", d.reference, d.url, d.wording)
                for d in minutes.decisions
                if d.agenda_item_id == item.agenda_item_id
            ]
            + [
                RecordLine("ACTION", a.reference, a.url, a.text)
                for a in minutes.new_actions
                if a.agenda_item_id == item.agenda_item_id
            ],
        )
        for item in minutes.items
    ]
    return Source(
        template="documents/headline.html",
        title=f"Headline Report – {header.meeting_code}",
        group_title=header.group_title,
        classification=header.classification,
        # Issued soon after the meeting, ahead of the minutes: dated the day it is
        # rendered until the minutes are issued, then with them.
        issue_date=uk_date(header.issue_date) if header.issue_date else "",
        landscape=False,
        data=Headline(
            header=header,
            decisions=minutes.decisions,
            actions_raised=minutes.new_actions,
            actions_closed=closed_rows,
            items=items,
            next_meeting=minutes.next_meeting,
            links=links,
        ),
    )


def open_actions_source(group: GovernanceGroup, classification: str) -> Source:
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
    next_meeting = (
        Meeting.objects.upcoming(today).filter(group=group).order_by("date", "number").first()
    )
    return Source(
        template="documents/open_actions.html",
        title="Open Actions Report",
        group_title=group_title(group),
        classification=classification,
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
            links=_links(
                *(text for row in rows.values() for text in (row.text, row.latest_update))
            ),
        ),
    )


def _person_with_organisation(person) -> str:
    """ "Paul Pettitt, MHHS Programme", as the CR table names a change owner."""
    if person is None:
        return ""
    return f"{person.name}, {person.organisation}" if person.organisation else person.name


def cr_status_source(
    group: GovernanceGroup, start: datetime.date, end: datetime.date, classification: str
) -> Source:
    """Change requests of the group (or programme-wide) raised, updated or moved on in
    change control within the period, as the papers' CR status table."""
    crs = (
        ChangeRequest.objects.filter(Q(group=group) | Q(group__isnull=True))
        .filter(
            Q(date_raised__range=(start, end))
            | Q(status_updated__range=(start, end))
            | Q(transitions__date__range=(start, end))
        )
        .select_related("raiser_person", "raiser_organisation", "change_owner__organisation")
        .distinct()
    )
    crs = sorted(crs, key=lambda cr: reference_sort_key(cr.reference))
    rows = [
        CrRow(
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
        for cr in crs
    ]
    updated = [cr.status_updated for cr in crs if cr.status_updated]
    return Source(
        template="documents/cr_status.html",
        title="Change Request Status Report",
        group_title=group_title(group),
        classification=classification,
        issue_date="",
        landscape=True,
        data=CrStatusReport(
            group_title=group_title(group),
            start=start,
            end=end,
            updated_to=max(updated, default=None),
            rows=rows,
            links=_links(
                *(
                    text
                    for row in rows
                    for text in (row.title, row.key_detail, row.latest_action, row.next_action)
                )
            ),
        ),
    )


def _raid_row(item: RaidItem) -> RaidRow:
    return RaidRow(
        reference=item.reference,
        url=item.get_absolute_url(),
        raid_type=item.get_raid_type_display(),
        area=item.area,
        title=item.title,
        owner=item.owner.name if item.owner else "",
        probability=item.probability,
        impact=item.impact,
        score=item.score,
        band=item.band,
        mitigation=item.mitigation,
        milestone=item.milestone,
    )


def raid_source(group: GovernanceGroup, classification: str) -> Source:
    """The group's (and programme-wide) open RAID items: heat map and top items by score."""
    items = list(
        RaidItem.objects.filter(Q(group=group) | Q(group__isnull=True), status=RaidStatus.OPEN)
        .select_related("owner")
        .order_by("reference")
    )
    scored = sorted(
        (i for i in items if i.score), key=lambda i: (-i.score, reference_sort_key(i.reference))
    )
    heat_map = [
        [
            HeatCell(
                probability=p,
                impact=i,
                # The band thresholds are RaidItem's own.
                band=RaidItem(probability=p, impact=i).band,
                references=[x.reference for x in scored if (x.probability, x.impact) == (p, i)],
            )
            for i in range(1, 6)
        ]
        for p in range(5, 0, -1)
    ]
    return Source(
        template="documents/raid.html",
        title="RAID Report",
        group_title=group_title(group),
        classification=classification,
        issue_date="",
        landscape=False,
        data=RaidReport(
            group_title=group_title(group),
            heat_map=heat_map,
            top=[_raid_row(i) for i in scored[:TOP_RAID_ITEMS]],
            unscored=[_raid_row(i) for i in items if not i.score],
            open_count=len(items),
            links=_links(*(text for i in items for text in (i.title, i.mitigation))),
        ),
    )


def build_source(document: Document) -> Source:
    """What the document says now, from its kind, meeting or group and parameters."""
    params = document.parameters or {}
    classification = Classification(params.get("classification", Classification.PUBLIC)).label
    match document.kind:
        case DocumentKind.MINUTES:
            return minutes_source(document.meeting)
        case DocumentKind.HEADLINE:
            return headline_source(document.meeting)
        case DocumentKind.OPEN_ACTIONS:
            return open_actions_source(document.group, classification)
        case DocumentKind.CR_STATUS:
            return cr_status_source(
                document.group,
                datetime.date.fromisoformat(params["start"]),
                datetime.date.fromisoformat(params["end"]),
                classification,
            )
        case DocumentKind.RAID:
            return raid_source(document.group, classification)
    raise DocumentError(f"Unknown document kind {document.kind!r}.")


# --- Hashing, rendering, storing ----------------------------------------------------------


def _plain(value):
    if is_dataclass(value):
        return asdict(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"Cannot hash {type(value).__name__}")


@cache
def _templates_fingerprint() -> str:
    """Of the print templates only; the web pages under pages/ do not change a PDF."""
    digest = hashlib.sha256()
    for path in sorted(TEMPLATE_DIR.rglob("*")):
        if path.is_file() and "pages" not in path.relative_to(TEMPLATE_DIR).parts:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def source_hash(source: Source) -> str:
    """SHA-256 of the document's content and of the templates that lay it out."""
    payload = json.dumps(
        {
            "template": source.template,
            "title": source.title,
            "group": source.group_title,
            "classification": source.classification,
            "issue_date": source.issue_date,
            "data": source.data,
            "site": settings.SITE_URL,
            "layout": _templates_fingerprint(),
        },
        default=_plain,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def render_html(source: Source, *, version: int, issued: datetime.date) -> str:
    return render_to_string(
        source.template,
        {
            "source": source,
            "data": source.data,
            "version": version,
            "issue_date": source.issue_date or uk_date(issued),
            "site_url": settings.SITE_URL,
        },
    )


def lay_out(html: str):
    """The HTML laid out in pages by WeasyPrint. Nothing is fetched: fonts are the
    system's, and links resolve against SITE_URL but are only written into the PDF."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(
        string=html,
        base_url=settings.SITE_URL + "/",
        url_fetcher=URLFetcher(allowed_protocols={"data"}),
    ).render()


def warm_up() -> None:
    """Render a scrap of text in the documents' fonts and styles, so a fresh process has
    loaded WeasyPrint, Pango and the fonts before the first real document (about half
    its render time otherwise)."""
    css = (TEMPLATE_DIR / "print.css").read_text()
    render_pdf(
        f'<html lang="en-GB"><style>{css}</style><h1>Warm-up</h1><p>Text, <strong>bold</strong>'
        " and <em>italic</em>.</p><table><thead><tr><th>Ref</th></tr></thead>"
        "<tbody><tr><td>DAG29-01</td></tr></tbody></table></html>"
    )


def render_pdf(html: str) -> bytes:
    """PDF bytes of the HTML; refuses to return an empty document."""
    rendered = lay_out(html)
    if not rendered.pages:
        raise DocumentError("The renderer produced no pages.")
    pdf = rendered.write_pdf()
    if not pdf or not pdf.startswith(b"%PDF-"):
        raise DocumentError("The renderer produced no PDF.")
    return pdf


def file_name(document: Document) -> str:
    """ "DAG029 Minutes and Actions v2.pdf", the name a download is saved under."""
    if document.meeting_id:
        subject = document.meeting.code
    else:
        subject = document.group.code
        params = document.parameters or {}
        if document.kind == DocumentKind.CR_STATUS:
            subject += f" {params['start']} to {params['end']}"
    return f"{subject} {document.get_kind_display()} v{document.version}.pdf"


def render_and_store(document: Document) -> None:
    """Render the document as its data stand now and store the file (the task's work).

    Raises on any failure; the task records it. The file is saved only once the PDF is
    complete, so a failure never leaves a blank or partial file behind.
    """
    started = timezone.now()
    source = build_source(document)
    html = render_html(source, version=document.version, issued=timezone.localdate())
    pdf = render_pdf(html)
    storage_name = re.sub(r"[^\w.-]+", "-", file_name(document))
    document.file.save(storage_name, ContentFile(pdf), save=False)
    document.source_hash = source_hash(source)
    document.status = DocumentStatus.READY
    document.finished_at = timezone.now()
    document.duration_ms = int((document.finished_at - started).total_seconds() * 1000)
    document.error = ""
    document.save()


# --- Asking for documents ---------------------------------------------------------------


def scope_of(kind, *, meeting=None, group=None, parameters=None) -> str:
    """ "meeting:12", "group:3", or "group:3:2024-03-01:2024-06-04" for a CR report."""
    if kind in MEETING_KINDS:
        return f"meeting:{meeting.pk}"
    scope = f"group:{group.pk}"
    if kind == DocumentKind.CR_STATUS:
        scope += f":{parameters['start']}:{parameters['end']}"
    return scope


def stale_reason(document: Document) -> str:
    """Why a render that is still queued or rendering will not finish by itself, or ""."""
    status, started, asked = document.status, document.started_at, document.requested_at
    now = timezone.now()
    if status == DocumentStatus.RENDERING and started and now - started > STALE_AFTER:
        return "The render was stopped before it finished (time or memory limit)."
    if status == DocumentStatus.QUEUED and asked and now - asked > QUEUED_STALE_AFTER:
        return "The render has not started: the document worker may be stopped."
    return ""


def is_stale(document: Document) -> bool:
    return bool(stale_reason(document))


def _dispatch(document: Document) -> None:
    from .tasks import render_document

    render_document.delay(document.pk)


def _queue(document: Document) -> None:
    """Send the render to the worker once the request's transaction commits. A broker
    that does not answer fails the document, with a retry, instead of leaving it queued
    (or the user's request ending in an error)."""

    def send():
        try:
            _dispatch(document)
        except OperationalError:
            logger.exception("Queueing document %s failed", document.pk)
            Document.objects.filter(pk=document.pk, status=DocumentStatus.QUEUED).update(
                status=DocumentStatus.FAILED,
                error="The render could not be queued: the task queue is not answering.",
                finished_at=timezone.now(),
            )

    transaction.on_commit(send)


@transaction.atomic
def request_document(*, kind, user=None, meeting=None, group=None, parameters=None) -> Document:
    """The document as its data stand now: the stored version when nothing changed, the
    one already being rendered for the same data, or a new version queued for the worker.

    `parameters`: {"classification": ...} for group documents, plus {"start", "end"}
    (ISO dates) for the CR status report.
    """
    kind = DocumentKind(kind)
    parameters = dict(parameters or {})
    if kind in MEETING_KINDS:
        group = meeting.group
    scope = scope_of(kind, meeting=meeting, group=group, parameters=parameters)
    # Two requests for the same data at once make one version, not two. allocate() below
    # takes this same lock again, which a transaction may do.
    lock_scope(f"document:{kind}:{scope}")
    draft = Document(kind=kind, scope=scope, meeting=meeting, group=group, parameters=parameters)
    digest = source_hash(build_source(draft))
    versions = Document.objects.filter(kind=kind, scope=scope)
    newest = versions.order_by("-version").first()
    if newest is not None and newest.source_hash == digest:
        if newest.status == DocumentStatus.READY or (
            newest.status in IN_FLIGHT and not is_stale(newest)
        ):
            return newest
        # The same data failed (or died) last time: try that version again.
        return retry_document(newest, user=user)
    draft.version = allocate(
        kind="document",
        scope=f"{kind}:{scope}",
        in_use=versions.values_list("version", flat=True),
    )
    draft.source_hash = digest
    draft.requested_by = user if user and user.is_authenticated else None
    draft.full_clean()
    draft.save()
    _queue(draft)
    return draft


@transaction.atomic
def retry_document(document: Document, *, user=None) -> Document:
    """Queue a failed (or dead) render again under the same version number; who asked and
    when become the retry's."""
    document.status = DocumentStatus.QUEUED
    document.error = ""
    document.requested_at = timezone.now()
    document.started_at = document.finished_at = document.duration_ms = None
    if user is not None and user.is_authenticated:
        document.requested_by = user
    document.save()
    _queue(document)
    return document


def documents_on_minutes_issued(*, meeting, user) -> list[Document]:
    """Queue the Minutes and Actions and the Headline Report of a meeting whose minutes
    were just issued (called by the minutes workflow after it commits)."""
    return [request_document(kind=kind, user=user, meeting=meeting) for kind in MEETING_KINDS]
