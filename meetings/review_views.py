"""The review of open actions at a meeting: the secretariat records what was reported on
each open action of the group and its new status, as item 2 of the papers does."""

from django.contrib import messages
from django.shortcuts import render

from actions.models import ActionUpdate
from core.permissions import Perm, user_can

from .forms import ActionReviewForm
from .services import MeetingNotStarted, ReviewRefused, actions_for_review, actions_review_record
from .views import back_to, meeting_edit_view, meeting_header


@meeting_edit_view(Perm.VIEW)
def action_review(request, meeting):
    """Members and observers of the group see the actions open when the meeting started;
    whoever may update an action records, in one pass, its new status and what was said.
    Closing (or reopening) needs the chair or secretariat; recommending closure, the right
    to update the action (its owners too)."""
    user = request.user
    actions = list(actions_for_review(meeting).for_list().prefetch_related("owners"))
    rows = [
        (
            action,
            user_can(user, Perm.UPDATE_ACTION, action),
            user_can(user, Perm.CLOSE_ACTION, action),
        )
        for action in actions
    ]
    form = ActionReviewForm(request.POST or None, rows=rows, initial={"date": meeting.date})
    if request.method == "POST" and form.is_valid():
        try:
            recorded = actions_review_record(
                meeting=meeting, user=user, date=form.cleaned_data["date"], rows=form.changes
            )
        except ReviewRefused as refused:
            for pk, errors in refused.errors.items():
                form.add_error(f"{pk}-status", errors)
        except MeetingNotStarted as closed:
            form.add_error(None, closed.message)
        else:
            messages.success(request, f"{recorded} update{'s' if recorded != 1 else ''} recorded.")
            return back_to(meeting, "action_review")
    header = meeting_header(request, meeting, "review")
    if header["records_closed"]:
        # Shown, disabled, until the meeting starts; the reason is on the page.
        for field in form.fields.values():
            field.disabled = True
    recorded = {}
    for update in ActionUpdate.objects.filter(meeting=meeting, action__in=actions).order_by(
        "created_at"
    ):
        recorded.setdefault(update.action_id, []).append(update)
    return render(
        request,
        "meetings/action_review.html",
        {
            **header,
            "form": form,
            "rows": [
                (action, status, text, recorded.get(action.pk, []))
                for action, status, text in form.bound_rows()
            ],
            "editable": any(may_update for _, may_update, _ in rows),
        },
    )
