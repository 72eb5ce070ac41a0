"""Drafts of the minutes, kept while the secretariat types (meetings.drafts): the editor's
autosave and the Discard button of a restored draft."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from .drafts import draft_discard, draft_keep
from .forms import MinutesForm
from .views import back_to, meeting_edit_view


@require_POST
@meeting_edit_view()
def minutes_draft_save(request, meeting, item_pk):
    """The group's secretariat, until the minutes are issued: keep what they are typing
    into an item's minutes as their draft. Sent by the editor while they type; the saved
    minutes and their version are untouched."""
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    form = MinutesForm(request.POST)
    draft = None
    if form.is_valid():
        draft = draft_keep(
            item=item,
            user=request.user,
            text=form.cleaned_data["text"],
            based_on_version=form.cleaned_data["version"],
        )
    return render(
        request,
        "meetings/minutes_write.html#draft-status",
        {"form": form, "draft": draft},
        status=400 if form.errors else 200,
    )


@require_POST
@meeting_edit_view()
def minutes_draft_discard(request, meeting, item_pk):
    """The group's secretariat: discard their draft of an item's minutes; the editor shows
    the saved minutes again."""
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    draft_discard(item=item, user=request.user)
    messages.info(request, f"Your draft of item {item.number} was discarded.")
    return back_to(meeting, "minutes_write", f"#item-{item.pk}")
