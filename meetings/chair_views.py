"""The chair's pages: the queue of everything awaiting them, and approving a meeting's
issued minutes at a later meeting. Their URLs stay under /decisions/ (meetings/urls.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from core.permissions import Perm, get_object_for_user, may_in_some_group
from decisions.minutes_papers import minutes_approval_wording
from decisions.models import Papers

from .chair_queue import queue_querysets
from .forms import MinutesApprovalForm
from .minutes_approval import minutes_approve as approve_minutes
from .models import Meeting

QUEUE_SHOWN = 50


def chair_queue(request):
    """A group's chair (or a superuser): everything awaiting them in the groups they chair."""
    user = request.user
    if not may_in_some_group(user, Perm.APPROVE):
        raise PermissionDenied("The chair's queue is for the chairs of groups.")
    sections = queue_querysets(user)
    # The oldest QUEUE_SHOWN of each long section, with its count: a chair of many groups
    # may have thousands of actions recommended for closure (all of them took 24 s to show
    # at a programme's scale); the register lists the rest.
    counts = {name: sections[name].count() for name in ("decisions", "minutes", "actions")}
    return render(
        request,
        "meetings/chair_queue.html",
        {
            "decisions": sections["decisions"]
            .select_related("group", "meeting__group")
            .order_by("created_at", "pk")[:QUEUE_SHOWN],
            "minutes": sections["minutes"]
            .select_related("group")
            .order_by("date", "pk")[:QUEUE_SHOWN],
            "actions": sections["actions"].for_list().order_by("reference")[:QUEUE_SHOWN],
            "rounds": sections["rounds"].for_table().order_by("deadline", "pk"),
            "counts": counts,
            "shown": QUEUE_SHOWN,
        },
    )


def minutes_approve(request, meeting_id):
    """The chair of the meeting's group (or a superuser): approve its issued minutes (and
    headline report), recorded as a decision in the papers' words."""
    user = request.user
    meeting = get_object_for_user(
        user, Meeting.objects.select_related("group"), Perm.APPROVE, pk=meeting_id
    )
    if not meeting.minutes_awaiting_approval:
        messages.info(request, f"The minutes of {meeting.code} are not awaiting approval.")
        return redirect(meeting)
    form = MinutesApprovalForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            decision = approve_minutes(meeting=meeting, user=user, **form.cleaned_data)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                messages.error(request, " ".join(exc.messages))
                return redirect("meetings:chair_queue")
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Minutes of {meeting.code} approved: {decision.reference}.")
            return redirect("meetings:chair_queue")
    return render(
        request,
        "meetings/minutes_approve.html",
        {
            "meeting": meeting,
            "form": form,
            "wordings": [
                minutes_approval_wording(meeting, papers=papers, change_marked=marked)
                for papers in (Papers.MINUTES_AND_HEADLINE, Papers.MINUTES)
                for marked in (False, True)
            ],
        },
    )
