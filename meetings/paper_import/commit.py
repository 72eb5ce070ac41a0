"""Committing a pending import: the whole past meeting written in one transaction through
the meetings' and registers' services (typed references claimed, owners as printed, the
back-dated updates), the paper kept as the meeting's source file, and every record written
listed on the import and marked in its history as this batch. A failure writes nothing.

Undoing a batch deletes what it wrote, newest first, and puts back the status of the
earlier actions it updated; it is refused once any of its records has changed since
(a history row newer than the commit), or the meeting has gained records of its own.
"""

import datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Upper
from django.utils import timezone

from actions.models import Action, UpdateSource
from actions.owners import read_owner
from actions.services import (
    action_add_update,
    action_record_known,
    actions_create_bulk,
    raising_meeting,
)
from changerequests.models import NOT_KNOWN, ChangeRequest
from changerequests.services import change_request_create
from core.references import reference_holder
from decisions.models import Decision, DecisionStatus
from decisions.services import decisions_create_bulk
from raid.models import RaidItem
from raid.services import raid_item_create, raid_review_record

from ..models import (
    APOLOGIES,
    AgendaItemType,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    usual_headings,
)
from ..services import (
    agenda_items_create_bulk,
    attendance_create_bulk,
    attendance_headings_set,
    change_request_present,
    meeting_schedule,
    person_create,
)
from .draft import PaperImport, PaperImportStatus
from .interpret import STATUSES, meeting_times, next_meeting_time, read_date, read_due
from .model import Paper
from .preview import build_preview


class ImportRefused(Exception):
    """The import cannot be committed or undone; the message says why."""


def reason_for(paper_import) -> str:
    return f"Imported from {paper_import.filename} (import {paper_import.pk})"


@transaction.atomic
def import_commit(*, paper_import: PaperImport, user, content: bytes | None = None) -> Meeting:
    paper_import = PaperImport.objects.select_for_update().get(pk=paper_import.pk)
    if paper_import.status != PaperImportStatus.PENDING:
        raise ImportRefused("This import has already been committed or undone.")
    paper = Paper.from_json(paper_import.paper)
    group = paper_import.group
    preview = build_preview(group=group, paper=paper, people=paper_import.people)
    if not preview.can_commit:
        raise ImportRefused("Correct the problems the preview shows first.")
    started = timezone.now()
    writer = Writer(group, paper, preview, user)
    try:
        meeting = writer.write(preview.meeting)
    except ValidationError as error:
        raise ImportRefused("; ".join(error.messages)) from error
    if paper_import.source_file:
        meeting.source_file.name = paper_import.source_file.name
    elif content is not None:
        meeting.source_file.save(paper_import.filename, ContentFile(content), save=False)
    meeting.save(update_fields=["source_file"])
    paper_import.records = batch_records(writer.written, reason_for(paper_import), started)
    paper_import.restore = writer.restore
    paper_import.meeting = meeting
    paper_import.status = PaperImportStatus.COMMITTED
    paper_import.committed_at = timezone.now()
    paper_import.save()
    return meeting


def batch_records(written, reason, started) -> list:
    """[model label, pk, history rows] of each record written, in the order written, its
    history since `started` marked with `reason`: two queries a model."""
    counts = {}
    for model in {type(obj) for obj in written}:
        if hasattr(model, "history"):
            rows = model.history.filter(id__in=[obj.pk for obj in written if type(obj) is model])
            rows.filter(history_date__gte=started).update(history_change_reason=reason)
            counts[model] = dict(rows.values_list("id").annotate(n=Count("*")).order_by())
    return [
        [type(obj)._meta.label, obj.pk, counts.get(type(obj), {}).get(obj.pk, 0)] for obj in written
    ]


class Writer:
    def __init__(self, group, paper, preview, user):
        self.group, self.paper, self.preview, self.user = group, paper, preview, user
        self.written, self.restore, self.people, self.items = [], [], {}, {}

    def person(self, name):
        who = self.preview.people.get(name)
        if who is None:
            return None
        if who.person is None and who.create:
            who.person = person_create(name=name)
            self.written.append(who.person)
        return who.person

    def write(self, existing):
        header = self.paper.header
        meeting = self.meeting(header, existing)
        self.attendance(meeting)
        self.agenda(meeting)
        self.actions(meeting)
        self.decisions(meeting)
        self.change_requests(meeting)
        self.raid(meeting)
        issued = read_date(header.issue_date) if header.issue_date else None
        if issued and header.kind == "minutes":
            meeting.status, meeting.minutes_issue_date = MeetingStatus.MINUTES_ISSUED, issued
        elif any(entry.minutes for entry in self.paper.agenda):
            meeting.status = MeetingStatus.MINUTES_DRAFT
        meeting.save()
        return meeting

    def meeting(self, header, existing):
        start, end = meeting_times(header)
        dates = [read_date(d) for d in header.next_meetings]
        fields = {
            "date": read_date(header.date),
            "start_time": start,
            "end_time": end,
            "venue": header.venue,
            "classification": header.classification.lower(),
            "paper_title": header.paper_title,
            "paper_reference": header.paper_reference,
            "paper_version": header.paper_version,
            "held_by_correspondence": header.held_by_correspondence,
            "status": MeetingStatus.HELD,
            "next_meeting_date": dates[0] if dates else None,
            "next_meeting_time": next_meeting_time(header) if dates else None,
            "following_meeting_date": dates[1] if len(dates) > 1 else None,
        }
        if existing is not None:
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.full_clean()
            existing.save()
            meeting = existing
        else:
            meeting = meeting_schedule(
                group=self.group, number=header.number, point=header.point, **fields
            )
        self.written.append(meeting)
        return meeting

    def attendance(self, meeting):
        headings, usual, lines = {}, usual_headings(meeting), []
        for line in self.paper.attendance:
            printed = {"status": AttendanceStatus.APOLOGIES} if line.section == APOLOGIES else {}
            lines.append(
                {
                    "person": self.person(line.name),
                    "category": "industry" if line.section == APOLOGIES else line.section,
                    "role": line.role,
                    "initials": line.initials,
                    "note": line.note,
                    "part_meeting": line.part_meeting,
                    "on_behalf_of": self.person(line.on_behalf_of) if line.on_behalf_of else None,
                    **printed,
                }
            )
            if line.heading and line.heading != usual.get(line.section):
                headings[line.section] = line.heading
        self.written += attendance_create_bulk(meeting=meeting, lines=lines)
        if headings:
            attendance_headings_set(meeting=meeting, headings=headings, apologies_initials=False)
            self.written += list(meeting.attendance_headings.all())

    def agenda(self, meeting):
        specs = []
        for order, entry in enumerate(self.paper.agenda, start=1):
            who = self.preview.people.get(entry.lead)
            lead = who.person if who is not None else None
            specs.append(
                {
                    "number": entry.number,
                    "order": order,
                    "title": entry.title,
                    "lead": lead,
                    "lead_text": "" if lead else entry.lead,
                    "item_type": entry.item_type
                    if entry.item_type in AgendaItemType.values
                    else "",
                    "duration_minutes": entry.duration_minutes,
                    "objective": entry.objective,
                    "minutes": entry.minutes,
                    "paper_text": entry.paper_text,
                }
            )
        items = agenda_items_create_bulk(meeting=meeting, items=specs)
        self.items = {item.number: item for item in items}
        self.written += items

    def owners(self, printed):
        reading = read_owner(printed)
        people = [self.person(name) for name in reading.names]
        return {
            "owners": [person for person in people if person is not None],
            "owner_party": reading.party,
            "owner_team": reading.team,
            "owner_printed": " ".join(printed.split()),
        }

    def actions(self, meeting):
        held = {
            action.held_as: action
            for action in Action.objects.annotate(held_as=Upper("reference")).filter(
                held_as__in=[row.reference.upper() for row in self.paper.actions]
            )
        }
        created = self.new_actions(meeting, held)
        for row in self.paper.actions:
            key = row.reference.upper()
            if key in created:  # raised by this paper: nothing to put back on undo
                existing = held[key] = created.pop(key)
            elif key in held:
                existing = held[key]
                self.restore.append(
                    [
                        existing.pk,
                        existing.status,
                        str(existing.closed_date or ""),
                        existing.closed_meeting_id,
                    ]
                )
            else:
                status = STATUSES.get(row.status, "")
                action = held[key] = action_record_known(
                    group=self.group,
                    reference=row.reference,
                    named_at=meeting,
                    status=status,
                    note=row.update,
                    user=self.user,
                )
                self.written += [action, *action.updates.all()]
                continue
            self.update(meeting, existing, row)

    def new_actions(self, meeting, held):
        """The paper's actions the app does not hold and whose words it prints (raised at
        this meeting, or at an earlier one of the group), created together:
        {reference in capitals: action}."""
        prefix = meeting.action_prefix.upper() + "-"
        specs, origins = {}, {}
        for row in self.paper.actions:
            key = row.reference.upper()
            if key in held or key in specs:
                continue
            if key.startswith(prefix):
                origin, item = meeting, self.items.get(row.item)
            elif row.text:
                scope = key.rsplit("-", 1)[0]
                if scope not in origins:
                    origins[scope] = raising_meeting(self.group, row.reference)
                origin, item = origins[scope], None
            else:
                continue  # known only by its reference: recorded as such
            due = read_due(row.due) if row.due else None
            raised = read_date(row.date_raised) if row.date_raised else None
            specs[key] = dict(
                reference=row.reference,
                text=row.text,
                date_raised=raised or (origin.date if origin else meeting.date),
                meeting=origin,
                agenda_item=item,
                area=row.area,
                due_kind=due[0] if due else "tbc",
                due_date=due[1] if due else None,
                **self.owners(row.owner),
            )
        actions = actions_create_bulk(group=self.group, actions=list(specs.values()))
        self.written += actions
        return dict(zip(specs, actions, strict=True))

    def update(self, meeting, action, row):
        status = STATUSES.get(row.status, "")
        if not (row.update or (status and status != action.status)):
            return
        when = read_date(row.status_date) if row.status_date else None
        update = action_add_update(
            action=action,
            text=row.update or f"{row.status} at {meeting.code}.",
            date=when or meeting.date,
            status=status if status != action.status else "",  # "" keeps the one it has
            user=self.user,
            meeting=meeting,
            source=UpdateSource.IMPORT,
        )
        self.written.append(update)

    def chair(self):
        for line in self.paper.attendance:
            if line.section == "chair":
                return self.person(line.name)
        return None

    def decisions(self, meeting):
        start = meeting.start_time or datetime.time(12, 0)
        taken = timezone.make_aware(datetime.datetime.combine(meeting.date, start))
        chair = self.chair()
        self.written += decisions_create_bulk(
            group=self.group,
            decisions=[
                {
                    "wording": row.wording,
                    "reference": row.reference,
                    "meeting": meeting,
                    "agenda_item": self.items.get(row.item),
                    "area": row.area,
                    "status": DecisionStatus.APPROVED,
                    "decided_by": chair,
                    "decided_at": taken,
                }
                for row in self.paper.decisions
            ],
        )

    def change_requests(self, meeting):
        for row in self.paper.change_requests:
            item = self.items.get(row.item) or next(iter(self.items.values()), None)
            if item is None:
                continue
            cr = reference_holder(ChangeRequest, row.reference)
            if cr is None:
                cr = change_request_create(
                    title=row.title,
                    reference=row.reference,
                    group=self.group,
                    stage=NOT_KNOWN,
                    approval_status=NOT_KNOWN,
                )
                self.written.append(cr)
            line = change_request_present(
                agenda_item=item,
                reference=row.reference,
                change_request=cr,
                status_presented=row.status_presented,
            )
            self.written.append(line)

    def raid(self, meeting):
        for row in self.paper.raid:
            item = reference_holder(RaidItem, row.reference)
            if item is None:
                item = raid_item_create(
                    title=(row.description or row.reference)[:300],
                    reference=row.reference,
                    group=self.group,
                    description=row.description,
                )
                self.written.append(item)
            review = raid_review_record(
                raid_item=item,
                meeting=meeting,
                discussion=row.description,
                agenda_item=self.items.get(row.item),
            )
            self.written.append(review)


@transaction.atomic
def import_undo(*, paper_import: PaperImport) -> None:
    paper_import = PaperImport.objects.select_for_update().get(pk=paper_import.pk)
    if paper_import.status != PaperImportStatus.COMMITTED:
        raise ImportRefused("Only a committed import can be undone.")
    records = []
    for label, pk, count in paper_import.records:
        model = apps.get_model(label)
        obj = model._default_manager.filter(pk=pk).first()
        if obj is None:
            raise ImportRefused(
                f"A {model._meta.verbose_name} of this import has been deleted since."
            )
        if hasattr(model, "history") and model.history.filter(id=pk).count() != count:
            raise ImportRefused(
                f"{model._meta.verbose_name.capitalize()} “{obj}” has changed since the import."
            )
        records.append(obj)
    mine = {(type(obj)._meta.label, obj.pk) for obj in records}
    meeting = paper_import.meeting
    if meeting is not None:
        for related in (
            meeting.actions.all(),
            Decision.objects.filter(meeting=meeting),
            meeting.raid_reviews.all(),
        ):
            for obj in related:
                if (type(obj)._meta.label, obj.pk) not in mine:
                    raise ImportRefused(
                        f"{meeting.code} has records added since the import ({obj})."
                    )
    for obj in reversed(records):
        obj.delete()
    for pk, status, closed, closed_meeting in paper_import.restore:
        action = Action.objects.get(pk=pk)
        action.status = status
        action.closed_date = datetime.date.fromisoformat(closed) if closed else None
        action.closed_meeting_id = closed_meeting
        action._change_reason = f"Undo of {reason_for(paper_import).lower()}"
        action.save()
    paper_import.status = PaperImportStatus.UNDONE
    paper_import.meeting = None
    paper_import.save(update_fields=["status", "meeting"])
