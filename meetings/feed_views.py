"""The calendar feeds' addresses (meetings.calendar_feeds): the feed itself, read by a
calendar client with no login, and the reset of a feed's secret address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST, require_safe

from core.models import GovernanceGroup
from core.permissions import Perm, get_object_for_user, person_of, user_can

from .calendar_feeds import feed_text, reset_feed, token_matches
from .models import CalendarFeed


@login_not_required
@require_safe
def calendar_feed(request, pk, token):
    """Anyone holding the feed's secret address (a calendar client cannot log in): the
    feed shows what its user may see now; a wrong or reset token, a user no longer active
    or a group they no longer see answers 404."""
    feed = CalendarFeed.objects.select_related("user__person", "group").filter(pk=pk).first()
    if feed is None or not token_matches(feed, token) or not feed.user.is_active:
        raise Http404("No such calendar feed.")
    if feed.group_id is not None and not user_can(feed.user, Perm.VIEW, feed.group):
        raise Http404("No such calendar feed.")
    response = HttpResponse(feed_text(feed), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
def calendar_feed_reset(request):
    """Any logged-in user, for themselves: give their personal feed (no `group`) or their
    feed of a group they may see (`group`, its code) a new secret address, creating it the
    first time; back to their own page or the group's."""
    user = request.user
    code = request.POST.get("group", "")
    group = get_object_for_user(user, GovernanceGroup.objects.all(), code=code) if code else None
    if group is None and person_of(user) is None:
        raise Http404("You have no personal page to show a personal feed on.")
    created = not CalendarFeed.objects.filter(user=user, group=group).exists()
    reset_feed(user=user, group=group)
    messages.success(
        request,
        "Your calendar feed address is ready: copy it into your calendar."
        if created
        else "Your calendar feed has a new address: the old one no longer works.",
    )
    return redirect(group.get_absolute_url() if group else person_of(user).get_absolute_url())
