"""A group's governance pages: its quorum rule and voting members (the secretariat), the
interests declared at a meeting's agenda items (the secretariat, until the minutes are
issued), the group's register of interests with its history (members and observers
read it; the secretariat keeps it) and its trends. Who may do what is core/permissions.py's."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.models import GovernanceGroup, Person, Role
from core.permissions import Perm, get_object_for_user, user_can

from .as_at import REGISTERS
from .governance_forms import (
    DeclarationForm,
    InterestEndForm,
    QuorumRuleForm,
    RegisteredInterestForm,
    RetentionForm,
)
from .interests import (
    declaration_text,
    group_quorum_set,
    interest_declare,
    interest_withdraw,
    registered_interest_add,
    registered_interest_end,
)
from .models import AttendanceStatus, InterestDeclaration, RegisteredInterest, RetentionLog
from .retention import cutoff, past_retention, retention_apply
from .trends import group_trends
from .views import back_to, meeting_edit_view, meeting_header


def _add_errors(form, exc):
    for field, errors in getattr(exc, "error_dict", {None: exc.messages}).items():
        form.add_error(field if field in form.fields else None, errors)


def group_quorum(request, code):
    """The group's secretariat: the quorum its terms of reference set and who votes."""
    group = get_object_for_user(request.user, GovernanceGroup.objects.all(), Perm.EDIT, code=code)
    members = list(
        group.memberships.filter(active=True, role__in=[Role.CHAIR, Role.MEMBER])
        .select_related("person")
        .order_by("person__name")
    )
    form = QuorumRuleForm(
        request.POST or None,
        group=group,
        members=members,
        voters=[m for m in members if m.voting],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        deputy = data["deputy_chair"]
        try:
            group_quorum_set(
                group=group,
                members=data["quorum_members"],
                constituencies=data["quorum_constituencies"],
                needs_chair=data["quorum_needs_chair"],
                deputy_chair=Person.objects.get(pk=deputy) if deputy else None,
                voting=data["voting"],
                public=data["public"],
                publication_working_days=data["publication_working_days"],
                retention_years=data["retention_years"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Quorum and publication rules saved.")
            return redirect(group)
    return render(request, "meetings/group_quorum.html", {"group": group, "form": form})


def _declaration_form(meeting, data=None):
    items = list(meeting.agenda_items.all())
    attendees = [
        line.person
        for line in meeting.attendances.select_related("person").order_by("person__name")
        if line.status == AttendanceStatus.PRESENT
    ]
    return DeclarationForm(data, items=items, attendees=attendees)


@meeting_edit_view()
def meeting_interests(request, meeting):
    """The group's secretariat, until the minutes are issued: the interests declared at
    the meeting's agenda items, and whether each declarer left for the item."""
    form = _declaration_form(meeting, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            declaration = interest_declare(
                agenda_item=meeting.agenda_items.get(pk=data["agenda_item"]),
                person=Person.objects.get(pk=data["person"]),
                interest=data["interest"],
                recused=data["recused"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Recorded: {declaration_text(declaration)}")
            return back_to(meeting, "meeting_interests")
    declarations = InterestDeclaration.objects.filter(agenda_item__meeting=meeting).select_related(
        "agenda_item", "person"
    )
    return render(
        request,
        "meetings/meeting_interests.html",
        {
            **meeting_header(request, meeting, "interests"),
            "form": form,
            "declarations": sorted(
                declarations, key=lambda d: (d.agenda_item.order, d.agenda_item.number, d.pk)
            ),
        },
    )


@require_POST
@meeting_edit_view()
def meeting_interest_remove(request, meeting, declaration_pk):
    """The group's secretariat, until the minutes are issued: remove a declaration entered
    in error."""
    declaration = InterestDeclaration.objects.filter(
        agenda_item__meeting=meeting, pk=declaration_pk
    ).first()
    if declaration is not None:
        interest_withdraw(declaration=declaration)
        messages.success(request, "Declaration removed.")
    return back_to(meeting, "meeting_interests")


def group_interests(request, code):
    """Members and observers of the group: its register of interests, current and ended,
    with the history of every change. The group's secretariat adds and ends entries."""
    user = request.user
    group = get_object_for_user(user, GovernanceGroup.objects.all(), code=code)
    can_edit = user_can(user, Perm.EDIT, group)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("Only the group's secretariat keeps its register of interests.")
    people = list(
        Person.objects.filter(memberships__group=group, memberships__active=True)
        .distinct()
        .order_by("name")
    )
    form = RegisteredInterestForm(
        request.POST if request.method == "POST" else None,
        people=people,
        initial={"declared_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registered_interest_add(
                group=group,
                person=Person.objects.get(pk=data["person"]),
                interest=data["interest"],
                declared_on=data["declared_on"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Interest added to the register.")
            return redirect("meetings:group_interests", code=group.code)
    return render(
        request, "meetings/group_interests.html", _register_context(group, can_edit, form)
    )


def _register_context(group, can_edit, form, end_forms=None):
    today = timezone.localdate()
    entries = list(group.registered_interests.select_related("person"))
    end_forms = end_forms or {}
    current = [e for e in entries if e.ended_on is None or e.ended_on > today]
    for entry in current:
        entry.end_form = end_forms.get(entry.pk) or InterestEndForm(
            entry=entry, initial={"ended_on": today}
        )
    history = (
        RegisteredInterest.history.filter(group_id=group.pk)
        .select_related("person", "history_user__person")
        .order_by("-history_date", "-history_id")
    )
    return {
        "group": group,
        "can_edit": can_edit,
        "form": form,
        "current": current,
        "ended": [e for e in entries if e.ended_on is not None and e.ended_on <= today],
        "history": history,
    }


@require_POST
def group_interest_end(request, code, pk):
    """The group's secretariat: an interest in the register no longer applies (kept, ended)."""
    group = get_object_for_user(request.user, GovernanceGroup.objects.all(), Perm.EDIT, code=code)
    entry = get_object_for_user(
        request.user, RegisteredInterest.objects.select_related("group"), pk=pk, group=group
    )
    form = InterestEndForm(request.POST, entry=entry)
    if form.is_valid():
        try:
            registered_interest_end(entry=entry, ended_on=form.cleaned_data["ended_on"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{entry.person.name}'s interest ended.")
        return redirect(reverse("meetings:group_interests", args=[group.code]))
    people = Person.objects.filter(memberships__group=group, memberships__active=True).distinct()
    context = _register_context(
        group, True, RegisteredInterestForm(people=people.order_by("name")), {entry.pk: form}
    )
    return render(request, "meetings/group_interests.html", context)


def group_trends_view(request, code):
    """Members and observers of the group: its trends over its last meetings, each chart
    with the table of its numbers."""
    group = get_object_for_user(request.user, GovernanceGroup.objects.all(), code=code)
    return render(
        request,
        "meetings/group_trends.html",
        {"group": group, "trends": group_trends(group, timezone.localdate())},
    )


def group_retention(request, code):
    """The group's secretariat: its records past retention, each archived or deleted with
    a reason after review (nothing is taken out otherwise), and the log of those taken out."""
    user = request.user
    group = get_object_for_user(user, GovernanceGroup.objects.all(), Perm.EDIT, code=code)
    today = timezone.localdate()
    failed = None
    if request.method == "POST":
        form = RetentionForm(request.POST)
        if form.is_valid() and form.cleaned_data["kind"] in REGISTERS:
            data = form.cleaned_data
            try:
                entry = retention_apply(
                    group=group,
                    kind=data["kind"],
                    pk=data["pk"],
                    outcome=data["outcome"],
                    reason=data["reason"],
                    user=user,
                    today=today,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
                failed = form
            else:
                messages.success(request, f"{entry}.")
                return redirect("meetings:group_retention", code=group.code)
        else:
            failed = form
    sections = []
    for key, records in past_retention(group, today).items():
        rows = []
        for record in records:
            mine = (
                failed is not None
                and failed.data.get("kind") == key
                and (failed.data.get("pk") == str(record.pk))
            )
            rows.append(
                (
                    record,
                    failed
                    if mine
                    # Each row's form has its own ids: many are on the page.
                    else RetentionForm(
                        initial={"kind": key, "pk": record.pk}, auto_id=f"r-{key}-{record.pk}-%s"
                    ),
                )
            )
        sections.append((REGISTERS[key], rows))
    return render(
        request,
        "meetings/group_retention.html",
        {
            "group": group,
            "cutoff": cutoff(group, today),
            "sections": sections,
            "failed": failed,
            "log": group.retention_log.select_related("by__person"),
        },
    )


def retention_entry(request, code, pk):
    """Members and observers of the group: a record archived at the end of its retention,
    read-only, as it stood; for a deleted one, only its reference and why."""
    group = get_object_for_user(request.user, GovernanceGroup.objects.all(), code=code)
    entry = get_object_or_404(RetentionLog.objects.select_related("by__person"), pk=pk, group=group)
    return render(request, "meetings/retention_entry.html", {"group": group, "entry": entry})
