"""Decision pages: the decision log and its export, one decision, recording a proposed
decision and the secretariat's correction of it until the chair decides, the chair's
approval and correction of it, and approval by correspondence (the
round pages and the members' signed response links). The chair's queue and the approval
of minutes at a meeting are meetings' (meetings/chair_views.py)."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from actions.models import Action
from changerequests.models import ChangeRequest
from core.exports import download
from core.models import GovernanceGroup
from core.permissions import (
    Perm,
    filter_visible,
    get_object_for_user,
    groups_for,
    may_in_some_group,
    user_can,
)
from core.references import reference_warning
from core.versions import StaleRecord

from . import exports, services
from .filters import DecisionFilter
from .forms import (
    ApprovalForm,
    ConcludeForm,
    DecisionCorrectForm,
    DecisionForm,
    ResponseForm,
    RevisionForm,
    RoundForm,
)
from .models import (
    CorrespondenceRecipient,
    CorrespondenceResponse,
    CorrespondenceRound,
    Decision,
    DecisionStatus,
    RoundStatus,
)

PAGE_SIZE = 50


def _log_queryset(request):
    filterset = DecisionFilter(
        request.GET or None,
        user=request.user,
        queryset=filter_visible(
            request.user,
            Decision.objects.with_current_wording().select_related("meeting__group", "decided_by"),
        ),
    )
    # Newest first; those awaiting approval (no date yet) on top.
    decisions = filterset.qs.order_by(F("decided_at").desc(nulls_first=True), "-created_at", "-pk")
    return filterset, decisions


def decision_list(request):
    """Any logged-in user: decisions of their groups, newest first, filtered by group,
    meeting, status, area, change request, date range and text."""
    filterset, decisions = _log_queryset(request)
    user = request.user
    return render(
        request,
        "decisions/decision_list.html",
        {
            "filter": filterset,
            "page": _page(decisions, request.GET.get("page")),
            "may_record": may_in_some_group(user, Perm.EDIT),
            "is_chair": may_in_some_group(user, Perm.APPROVE),
        },
    )


def _page(decisions, number):
    """The page's ids first (an index-only scan of the log's order, however deep the page),
    then those rows with their meeting, decider and current wording: computed for 50 rows,
    not for every row an OFFSET skips (page 200 took 330 ms at 20,000 decisions)."""
    page = Paginator(decisions.values_list("pk", flat=True), PAGE_SIZE).get_page(number)
    ids = list(page.object_list)
    rows = decisions.in_bulk(ids) if ids else {}
    page.object_list = [rows[pk] for pk in ids]
    return page


def decision_export(request, fmt):
    """Any logged-in user: the filtered decision log as CSV or XLSX, with the papers' columns."""
    _, decisions = _log_queryset(request)
    return download(
        fmt,
        filename=f"decisions-{timezone.localdate():%Y-%m-%d}",
        sheet="Decisions",
        columns=exports.COLUMNS,
        rows=exports.decision_rows(decisions),
    )


def _editable_groups(user):
    return groups_for(user, Perm.EDIT).active()


def decision_create(request):
    """The secretariat of a group (or a superuser): record a proposed decision for the chair."""
    user = request.user
    groups = _editable_groups(user)
    if not groups.exists():
        raise PermissionDenied("Only a group's secretariat records decisions.")
    form = DecisionForm(
        request.POST or None,
        groups=groups,
        change_requests=filter_visible(user, ChangeRequest.objects.all()),
        actions=filter_visible(user, Action.objects.filter(group__in=groups)),
        initial={"group": groups.filter(code=request.GET.get("group", "")).first()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_create(
                group=data["group"],
                meeting=data["meeting"],
                area=data["area"],
                wording=data["wording"],
                change_requests=data["change_requests"],
                actions=data["actions"],
                reference=data["reference"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{decision.reference} recorded; it awaits the chair.")
            if warning := reference_warning(Decision, data["reference"]):
                messages.warning(request, warning)
            return redirect(decision)
    return render(request, "decisions/decision_form.html", {"form": form})


def _add_errors(form, exc):
    """Errors a service raised, shown on the form: at the field if it has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def decision_detail(request, reference):
    """Members and observers of the decision's group: the decision, its approval record,
    corrections, responses by correspondence, links and audit history."""
    user = request.user
    decision = get_object_for_user(
        user,
        Decision.objects.select_related(
            "group",
            "meeting__group",
            "agenda_item",
            "decided_by",
            "decided_by_user__person",
            "approves_minutes_of__group",
            "correspondence_round",
        ),
        reference=reference,
    )
    revisions = list(decision.revisions.select_related("by__person"))
    may_approve = user_can(user, Perm.APPROVE, decision)
    return render(
        request,
        "decisions/decision_detail.html",
        {
            "decision": decision,
            "revisions": revisions,
            "current_wording": revisions[-1].wording if revisions else decision.wording,
            "responses": decision.correspondence_responses.select_related(
                "recipient__person"
            ).order_by("recipient__person__name"),
            "change_requests": filter_visible(user, decision.change_requests.all()),
            "actions": filter_visible(user, decision.actions.for_list()),
            "may_approve": may_approve
            and decision.status == DecisionStatus.PROPOSED
            and not decision.correspondence_round_id,
            "may_revise": may_approve and decision.status == DecisionStatus.APPROVED,
            "may_correct": user_can(user, Perm.EDIT, decision)
            and not services.correctable_problem(decision),
            "quorum_problem": decision.quorum_problem(),
        },
    )


@require_POST
def decision_confirm_quorum(request, reference):
    """The chair of the decision's group (or a superuser): confirm that a decision recorded
    at an agenda item that was not quorate stands (one already approved, as from a past
    paper; a proposed one is confirmed as it is approved)."""
    decision = get_object_for_user(
        request.user, Decision.objects.select_related("group"), Perm.APPROVE, reference=reference
    )
    if decision.status != DecisionStatus.APPROVED:
        messages.info(request, f"Confirm {decision.reference} as you approve it.")
        return redirect(decision)
    try:
        services.decision_confirm_quorum(decision=decision, user=request.user)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{decision.reference} confirmed as standing.")
    return redirect(decision)


def decision_approve(request, reference):
    """The chair of the decision's group (or a superuser): approve as worded, approve with
    amended wording, or reject, with an optional comment."""
    user = request.user
    decision = get_object_for_user(
        user,
        Decision.objects.select_related("group", "meeting__group"),
        Perm.APPROVE,
        reference=reference,
    )
    if decision.status != DecisionStatus.PROPOSED or decision.correspondence_round_id:
        messages.info(request, f"{decision.reference} is not awaiting your approval.")
        return redirect(decision)
    form = ApprovalForm(request.POST or None, decision=decision)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == ApprovalForm.REJECT:
                services.decision_reject(decision=decision, user=user, comment=data["comment"])
                done = "rejected"
            else:
                amended = data["outcome"] == ApprovalForm.AMEND
                services.decision_approve(
                    decision=decision,
                    user=user,
                    wording=data["wording"] if amended else None,
                    comment=data["comment"],
                    confirm_quorum=data.get("confirm_quorum", False),
                )
                done = "approved with amended wording" if amended else "approved"
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                messages.error(request, " ".join(exc.messages))
                return redirect(decision)
            # The quorum's confirmation missing (or asked for since the page was loaded):
            # the form again with what was chosen, the reason at the field.
            form = ApprovalForm(request.POST, decision=decision)
            form.is_valid()
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"{decision.reference} {done}.")
            return redirect("meetings:chair_queue")
    return render(request, "decisions/decision_approve.html", {"decision": decision, "form": form})


def decision_correct(request, reference):
    """The group's secretariat (Perm.EDIT): correct a proposed decision's wording and area
    before the chair decides it (afterwards the chair corrects it: decision_revise). Each
    correction is one version of its history; a stale save is refused."""
    decision = get_object_for_user(
        request.user, Decision.objects.select_related("group"), Perm.EDIT, reference=reference
    )
    problem = services.correctable_problem(decision)
    if problem:
        messages.info(request, problem)
        return redirect(decision)
    form = DecisionCorrectForm(
        request.POST if request.method == "POST" else None, instance=copy.copy(decision)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_correct(
                decision=decision,
                version=data["version"],
                reason=data["reason"],
                area=data["area"],
                wording=data["wording"],
            )
        except StaleRecord as stale:
            form.refuse_stale(stale)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{decision.reference} corrected.")
            return redirect(decision)
    return render(request, "decisions/decision_correct.html", {"decision": decision, "form": form})


def decision_revise(request, reference):
    """The chair of the decision's group (or a superuser): correct an approved decision's
    wording with a reason; the approved words stay on record."""
    user = request.user
    decision = get_object_for_user(
        user, Decision.objects.select_related("group"), Perm.APPROVE, reference=reference
    )
    if decision.status != DecisionStatus.APPROVED:
        messages.info(request, "Only an approved decision can be corrected.")
        return redirect(decision)
    latest = decision.revisions.order_by("-at", "-pk").first()
    form = RevisionForm(
        request.POST or None, initial={"wording": latest.wording if latest else decision.wording}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_revise(decision=decision, user=user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Correction of {decision.reference} recorded.")
            return redirect(decision)
    return render(request, "decisions/decision_revise.html", {"decision": decision, "form": form})


# Approval by correspondence


def round_list(request):
    """Any logged-in user: correspondence rounds of their groups, open ones first."""
    rounds = filter_visible(request.user, CorrespondenceRound.objects.for_table()).order_by(
        "-status", "deadline", "-pk"
    )
    return render(
        request,
        "decisions/round_list.html",
        {
            "page": Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page")),
            "groups": _editable_groups(request.user),
        },
    )


def round_create(request):
    """The secretariat of a group (or a superuser): open a round for ?group=CODE."""
    user = request.user
    group = get_object_for_user(
        user, GovernanceGroup.objects.all(), Perm.EDIT, code=request.GET.get("group", "")
    )
    form = RoundForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.correspondence_round_open(group=group, user=user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                f"Round opened: {round_.recipients.count()} members asked to respond by "
                f"{round_.deadline:%d/%m/%Y}.",
            )
            return redirect(round_)
    return render(request, "decisions/round_form.html", {"group": group, "form": form})


def _round_page(request, round_, *, conclude_form=None, status=200):
    decisions = list(round_.decisions.select_related("decided_by").order_by("reference"))
    recipients = list(
        round_.recipients.select_related("person", "invitation", "reminder").prefetch_related(
            Prefetch(
                "responses",
                queryset=CorrespondenceResponse.objects.select_related("decision").order_by(
                    "decision__reference"
                ),
            )
        )
    )
    may_conclude = round_.status == RoundStatus.OPEN and user_can(
        request.user, Perm.APPROVE, round_
    )
    if conclude_form is None and may_conclude:
        conclude_form = ConcludeForm(decisions=decisions)
    return render(
        request,
        "decisions/round_detail.html",
        {
            "round": round_,
            "decisions": decisions,
            "responded": [r for r in recipients if r.responded_at],
            "waiting": [r for r in recipients if not r.responded_at],
            "recipient_total": len(recipients),
            "conclude_form": conclude_form,
        },
        status=status,
    )


def _get_round(user, pk, perm=Perm.VIEW):
    return get_object_for_user(
        user,
        CorrespondenceRound.objects.select_related(
            "group", "opened_by__person", "concluded_by__person"
        ),
        perm,
        pk=pk,
    )


def round_detail(request, pk):
    """Members and observers of the group: the round's items, who has responded and what
    they said, who has not; the chair concludes it here."""
    return _round_page(request, _get_round(request.user, pk))


@require_POST
def round_conclude(request, pk):
    """The chair of the round's group (or a superuser): approve or reject each item by
    correspondence and close the round."""
    round_ = _get_round(request.user, pk, Perm.APPROVE)
    if round_.status != RoundStatus.OPEN:
        messages.info(request, "This round has already been concluded.")
        return redirect(round_)
    form = ConcludeForm(request.POST, decisions=round_.decisions.order_by("reference"))
    if not form.is_valid():
        return _round_page(request, round_, conclude_form=form, status=400)
    try:
        services.correspondence_round_conclude(
            round_=round_,
            user=request.user,
            outcomes=form.outcomes(),
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, "Round concluded: the decisions are recorded as taken by correspondence."
        )
    return redirect(round_)


def _refuse(request, reason, status):
    return render(request, "decisions/respond_refused.html", {"reason": reason}, status=status)


@login_not_required
def correspondence_respond(request, token):
    """Whoever holds a member's signed link, without logging in: that member's one answer
    on each item of that round, until the end of the deadline day. A link that was
    altered, has expired, belongs to a concluded round or was used is refused."""
    try:
        recipient = services.recipient_for_token(token)
    except (signing.BadSignature, CorrespondenceRecipient.DoesNotExist):
        return _refuse(request, "invalid", 400)
    round_ = recipient.round
    if recipient.responded_at is not None:
        if request.method == "POST":
            return _refuse(request, "used", 409)
        return render(
            request,
            "decisions/respond_done.html",
            {
                "recipient": recipient,
                "responses": recipient.responses.select_related("decision").order_by(
                    "decision__reference"
                ),
            },
        )
    if round_.status != RoundStatus.OPEN:
        return _refuse(request, "concluded", 410)
    if not round_.takes_responses(timezone.now()):
        return _refuse(request, "expired", 410)
    decisions = round_.decisions.order_by("reference")
    form = ResponseForm(request.POST or None, decisions=decisions)
    if request.method == "POST" and form.is_valid():
        try:
            services.correspondence_respond(recipient=recipient, answers=form.answers())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("decisions:correspondence_respond", token=token)
    return render(
        request,
        "decisions/respond.html",
        {"recipient": recipient, "round": round_, "form": form},
    )
