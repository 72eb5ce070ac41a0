"""The minutes of a meeting: writing them item by item with the actions, decisions and RAID
discussion raised inline, the minutes document, and issuing and reopening the minutes.
Pages that change the meeting go through meetings.views.meeting_edit_view."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from actions.models import Action
from actions.services import action_create, action_record_known
from core.models import Person
from core.permissions import Perm, get_object_for_user
from core.references import add_service_errors, reference_warning
from decisions.models import Decision, DecisionStatus
from decisions.services import decision_create
from raid.models import RaidItem
from raid.services import raid_review_record

from .drafts import draft_discard, restore_drafts
from .forms import (
    CorrectionForm,
    MinutesForm,
    MinutesIssueForm,
    PastMinutesApprovalForm,
    ReopenForm,
    person_choices,
)
from .inline_forms import KnownActionForm, RaidDiscussedForm, RaiseActionForm, RecordDecisionForm
from .minutes import build_minutes
from .minutes_approval import approval_time
from .minutes_approval import minutes_approve as approve_minutes
from .minutes_issues import issue_shown
from .minutes_workflow import minutes_issue, minutes_issue_correction, minutes_reopen
from .models import AttendanceStatus, Meeting, MeetingStatus
from .services import (
    MeetingNotStarted,
    StaleMinutes,
    minutes_save,
    publication,
    require_started,
)
from .views import (
    agenda_with_times,
    back_to,
    meeting_edit_view,
    meeting_header,
    prepare_minutes,
)


def default_due_date(meeting):
    """Actions fall due at the next meeting: the date the minutes name, else the group's
    next scheduled meeting."""
    if meeting.next_meeting_date:
        return meeting.next_meeting_date
    following = (
        meeting.group.meetings.filter(date__gt=meeting.date)
        .open_for_records()
        .order_by("date")
        .first()
    )
    return following.date if following else None


def minutes_item(meeting, item_pk):
    """One agenda item of the meeting, ready to show: rendered minutes and record lines."""
    item = get_object_or_404(meeting.agenda_items.select_related("lead"), pk=item_pk)
    item.meeting = meeting
    prepare_minutes(meeting, [item])
    return item


def editor_form(item):
    """The item's editor: the user's unsaved draft if restore_drafts found one, typed from
    an older version maybe, so saving it is refused like any stale save; else the minutes."""
    if item.draft:
        text, version = item.draft.text, item.draft.based_on_version
    else:
        text, version = item.minutes, item.minutes_version
    return MinutesForm(initial={"text": text, "version": version}, auto_id=f"item{item.pk}_%s")


@meeting_edit_view()
def minutes_write(request, meeting):
    """The group's secretariat, until the minutes are issued: the minutes of every agenda
    item, each saved on its own, with actions, decisions and RAID items raised inline.
    What they typed and did not save comes back from their drafts (meetings.drafts)."""
    items, _ = prepare_minutes(meeting, list(meeting.agenda_items.select_related("lead")))
    restore_drafts(items, request.user)
    for item in items:
        item.form = editor_form(item)
    return render(
        request,
        "meetings/minutes_write.html",
        {
            **meeting_header(request, meeting, "write"),
            "agenda_items": agenda_with_times(meeting, items),
        },
    )


@require_POST
@meeting_edit_view()
def minutes_save_view(request, meeting, item_pk):
    """The group's secretariat: save one item's minutes.

    A save made from an older version than the stored one is refused: the page then shows
    the stored text next to the one typed (kept in the editor), and the next save, made
    knowingly, replaces the stored text.
    """
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    form = MinutesForm(request.POST, auto_id=f"item{item.pk}_%s")
    conflict = None
    if form.is_valid():
        try:
            minutes_save(
                item=item, text=form.cleaned_data["text"], version=form.cleaned_data["version"]
            )
        except StaleMinutes as stale:
            conflict = stale.item
            form = MinutesForm(
                {"text": form.cleaned_data["text"], "version": conflict.minutes_version},
                auto_id=f"item{item.pk}_%s",
            )
        except MeetingNotStarted as closed:
            form.add_error("text", closed.message)
        else:
            # What was typed is now the minutes: the user's draft of them has served.
            draft_discard(item=item, user=request.user)
            if not request.htmx:
                messages.success(request, f"Minutes of item {item.number} saved.")
                return back_to(meeting, "minutes_write", f"#item-{item.pk}")
    item = minutes_item(meeting, item.pk)
    item.form, item.conflict, item.draft = form, conflict, None
    context = {
        **meeting_header(request, meeting, "write"),
        "item": item,
        "saved_at": None if conflict or form.errors else timezone.localtime(),
    }
    if request.htmx:
        response = render(request, "meetings/minutes_write.html#item-saved", context)
        if context["saved_at"]:
            # The editor's script learns the text it sent is now the minutes (nothing unsaved).
            trigger_client_event(response, "minutes-saved")
        return response
    # Without JavaScript the whole page comes back, this item showing the conflict or errors.
    items, _ = prepare_minutes(meeting, list(meeting.agenda_items.select_related("lead")))
    restore_drafts(items, request.user)
    for other in items:
        if other.pk == item.pk:
            other.form, other.conflict, other.draft = form, conflict, None
        else:
            other.form = editor_form(other)
    context["agenda_items"] = agenda_with_times(meeting, items)
    return render(request, "meetings/minutes_write.html", context)


INLINE_RECORDS = {
    "action": ("Raise an action", RaiseActionForm),
    "known_action": ("Action named without its record", KnownActionForm),
    "decision": ("Record a decision", RecordDecisionForm),
    "raid": ("RAID item discussed", RaidDiscussedForm),
}


def inline_form(request, meeting, item, kind):
    data = request.POST if request.method == "POST" else None
    prefix = f"{kind}{item.pk}"
    if kind == "action":
        return RaiseActionForm(
            data,
            meeting=meeting,
            prefix=prefix,
            initial={"area": item.title, "due_date": default_due_date(meeting)},
        )
    if kind == "known_action":
        return KnownActionForm(data, meeting=meeting, prefix=prefix)
    if kind == "decision":
        return RecordDecisionForm(
            data,
            prefix=prefix,
            initial={"area": item.title},
            meeting=meeting,
            people_choices=person_choices(Person.objects.filter(active=True)),
        )
    raid_items = RaidItem.objects.open().filter(Q(group=meeting.group) | Q(group__isnull=True))
    return RaidDiscussedForm(data, prefix=prefix, raid_items=raid_items)


def create_inline_record(meeting, item, kind, data, user=None):
    """Create the record through its app's service; returns the line that says so.
    Refused (MeetingNotStarted) before the meeting starts."""
    require_started(meeting)
    if kind == "action":
        action = action_create(
            group=meeting.group,
            meeting=meeting,
            agenda_item=item,
            date_raised=meeting.date,
            text=data["text"],
            area=data["area"],
            owners=data["owners"],
            owner_party=data["owner_party"],
            owner_team=data["owner_team"],
            owner_printed=data["owner_printed"],
            new_people=data["new_people"],
            due_kind=data["due_kind"],
            due_date=data["due_date"],
            reference=data["reference"],
        )
        warning = reference_warning(Action, action.reference) if data["reference"] else ""
        said = f"ACTION {action.reference} raised."
        if data.get("raid_review"):
            data["raid_review"].actions.add(action)
            said = (
                f"ACTION {action.reference} raised from the review of "
                f"{data['raid_review'].raid_item.reference}."
            )
        return said + (f" {warning}" if warning else "")
    if kind == "known_action":
        action = action_record_known(
            group=meeting.group,
            reference=data["reference"],
            named_at=meeting,
            status=data["status"],
            note=data["note"],
            text=data["text"],
            area=data["area"],
            owners=data["owners"],
            new_people=data["new_people"],
            owner_party=data["owner_party"],
            owner_team=data["owner_team"],
            owner_printed=data["owner_printed"],
            user=user,
        )
        warning = reference_warning(Action, action.reference)
        return f"ACTION {action.reference} recorded as named at this meeting." + (
            f" {warning}" if warning else ""
        )
    if kind == "decision":
        taken = {}
        if data["taken_on"] is not None:
            # A past meeting's decision, as the papers record it; its history keeps who
            # entered it and when.
            taken = {
                "status": DecisionStatus.APPROVED,
                "decided_at": approval_time(meeting, data["taken_on"]),
                "decided_by": Person.objects.get(pk=data["taken_by"]),
            }
        decision = decision_create(
            group=meeting.group,
            meeting=meeting,
            agenda_item=item,
            wording=data["wording"],
            area=data["area"],
            reference=data["reference"],
            **taken,
        )
        warning = reference_warning(Decision, decision.reference) if data["reference"] else ""
        warning = f" {warning}" if warning else ""
        if taken:
            return (
                f"DECISION {decision.reference} recorded as taken on "
                f"{data['taken_on']:%d/%m/%Y} by {taken['decided_by'].name}.{warning}"
            )
        return f"DECISION {decision.reference} recorded, awaiting the chair's approval.{warning}"
    review = raid_review_record(
        raid_item=data["raid_item"],
        meeting=meeting,
        agenda_item=item,
        discussion=data["discussion"],
        conclusion=data["conclusion"],
    )
    return f"RAID item {review.raid_item.reference} recorded as discussed."


@meeting_edit_view()
def inline_record(request, meeting, item_pk, kind):
    """The group's secretariat, until the minutes are issued: from an agenda item, raise an
    action (with the paper's own reference for a past meeting), record an action the
    minutes name without its record, record a proposed decision or note a RAID item
    discussed. The record gets its reference at once and its line shows in the item's
    minutes."""
    if kind not in INLINE_RECORDS:
        raise Http404("No such record.")
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    form = inline_form(request, meeting, item, kind)
    if request.method == "POST" and form.is_valid():
        try:
            done = create_inline_record(meeting, item, kind, form.cleaned_data, request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, done)
                return back_to(meeting, "minutes_write", f"#item-{item.pk}")
            return render(
                request,
                "meetings/minutes_write.html#record-saved",
                {"meeting": meeting, "item": minutes_item(meeting, item.pk), "done": done},
            )
    title, _ = INLINE_RECORDS[kind]
    context = {
        **meeting_header(request, meeting, "write"),
        "item": item,
        "form": form,
        "kind": kind,
        "title": title,
    }
    template = "meetings/inline_record.html"
    return render(request, template + "#inline-form" if request.htmx else template, context)


# The minutes document, issuing, correcting and reopening


def awaiting_chair(meeting):
    """References of the meeting's decisions still awaiting the chair."""
    return list(
        meeting.decisions.filter(status=DecisionStatus.PROPOSED)
        .order_by("reference")
        .values_list("reference", flat=True)
    )


def awaiting_sentence(references):
    if len(references) == 1:
        return f"{references[0]} is still awaiting the chair's approval."
    return f"{', '.join(references)} are still awaiting the chair's approval."


def minutes_document(request, pk):
    """Members and observers of the group: the minutes laid out like the papers' "Minutes
    and Actions" (meetings.minutes builds them, the same data the PDF prints), with the
    publication deadline and, for the secretariat, issuing. Issued minutes show as their
    latest issue stored them, with what changed since, and every issue is listed."""
    meeting = get_object_for_user(
        request.user, Meeting.objects.select_related("group").with_first_issue(), pk=pk
    )
    return render_minutes_document(request, meeting)


def render_minutes_document(request, meeting, issue_form=None, status=200):
    header = meeting_header(request, meeting, "minutes")
    today = timezone.localdate()
    shown = issue_shown(meeting)
    issuable = (
        header["can_edit"] and not header["locked"] and meeting.status != MeetingStatus.CANCELLED
    )
    minutes = shown.minutes if shown else build_minutes(meeting)
    # The minutes' decisions table already knows which still await the chair.
    awaiting = [row.reference for row in minutes.decisions if row.proposed] if issuable else []
    return render(
        request,
        "meetings/minutes_document.html",
        {
            **header,
            "issue_form": issue_form or MinutesIssueForm(),
            "minutes": minutes,
            "shown": shown,
            "issues": meeting.minutes_issues.select_related("issued_by__person", "document"),
            "publication": publication(meeting, today),
            "expected": meeting.attendances.filter(status=AttendanceStatus.EXPECTED)
            .select_related("person")
            .order_by("order"),
            # Before the meeting starts the button shows, disabled, with header["records_closed"].
            "issuable": issuable,
            "awaiting_chair": awaiting_sentence(awaiting) if awaiting else "",
            "events": meeting.minutes_events.select_related("by__person", "by_person"),
        },
        status=status,
    )


@require_POST
@meeting_edit_view()
def minutes_issue_view(request, meeting):
    """The group's secretariat: issue the minutes today, or on the issue date a past
    meeting's paper gives; they become read-only. While a decision of the meeting still
    awaits the chair, only once the secretariat confirms (the minutes then print it as
    awaiting approval)."""
    form = MinutesIssueForm(request.POST)
    if not form.is_valid():
        return minutes_form_refused(request, meeting, form)
    awaiting = awaiting_chair(meeting)
    if awaiting and request.POST.get("confirm_awaiting") != "1":
        messages.warning(
            request,
            f"{awaiting_sentence(awaiting)} Tick the box to issue the minutes with "
            f"{'it' if len(awaiting) == 1 else 'them'} shown as awaiting approval.",
        )
        return back_to(meeting, "minutes_document")
    try:
        meeting = minutes_issue(
            meeting=meeting, user=request.user, issued_on=form.cleaned_data["issued_on"]
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "issued_on" in exc.error_dict:
            form.add_error("issued_on", exc.error_dict["issued_on"])
            return minutes_form_refused(request, meeting, form)
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Minutes of {meeting.code} issued on {meeting.minutes_issue_date:%d/%m/%Y}. "
            "They are now read-only.",
        )
    return back_to(meeting, "minutes_document")


def minutes_form_refused(request, meeting, form):
    """The minutes page again with the issue form's errors at its field (nothing saved)."""
    meeting = Meeting.objects.select_related("group").with_first_issue().get(pk=meeting.pk)
    return render_minutes_document(request, meeting, issue_form=form, status=400)


def minutes_record_approval(request, pk):
    """The group's secretariat: record how a past meeting's issued minutes were approved,
    as its papers say: the day, who approved them (the chair, account or not) and at which
    meeting; recorded as a decision in the papers' words."""
    user = request.user
    meeting = get_object_for_user(user, Meeting.objects.select_related("group"), Perm.EDIT, pk=pk)
    if not meeting.minutes_awaiting_approval:
        messages.info(request, f"The minutes of {meeting.code} are not awaiting approval.")
        return redirect(meeting)
    form = PastMinutesApprovalForm(
        request.POST or None,
        meeting=meeting,
        people_choices=person_choices(Person.objects.filter(active=True), "Choose a person"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = approve_minutes(meeting=meeting, user=user, **form.cleaned_data)
        except ValidationError as exc:
            by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, errors in by_field.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                f"Minutes of {meeting.code} recorded as approved on "
                f"{decision.decided_at:%d/%m/%Y}: {decision.reference}.",
            )
            return redirect(meeting)
    return render(
        request,
        "meetings/minutes_record_approval.html",
        {**meeting_header(request, meeting, "minutes"), "form": form},
    )


def minutes_reopen_view(request, pk):
    """The group's secretariat: reopen issued minutes for correction, saying why."""
    meeting = get_object_for_user(
        request.user, Meeting.objects.select_related("group"), Perm.EDIT, pk=pk
    )
    if not meeting.minutes_locked:
        messages.info(request, f"The minutes of {meeting.code} are not issued.")
        return back_to(meeting, "minutes_document")
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            minutes_reopen(meeting=meeting, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Minutes of {meeting.code} reopened for correction.")
            return back_to(meeting, "minutes_document")
    return render(
        request,
        "meetings/minutes_reopen.html",
        {**meeting_header(request, meeting, "minutes"), "form": form},
    )


def minutes_correct_view(request, pk):
    """The group's secretariat: issue a correction of issued (or approved) minutes as the
    records now stand (the next issue), saying why."""
    meeting = get_object_for_user(
        request.user, Meeting.objects.select_related("group"), Perm.EDIT, pk=pk
    )
    if not meeting.minutes_locked:
        messages.info(request, f"The minutes of {meeting.code} are not issued.")
        return back_to(meeting, "minutes_document")
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issue = minutes_issue_correction(
                meeting=meeting, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Minutes of {meeting.code} corrected: {issue.label}.")
            return back_to(meeting, "minutes_document")
    return render(
        request,
        "meetings/minutes_correct.html",
        {
            **meeting_header(request, meeting, "minutes"),
            "form": form,
            "shown": issue_shown(meeting),
        },
    )
