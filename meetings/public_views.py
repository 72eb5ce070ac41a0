"""The published minutes, for anyone without a login: the list of public versions (with an
Atom feed), each as a page and as a PDF, dated when published and marked when published
after the group's deadline. These are the only pages an anonymous visitor reaches
(@login_not_required); the secretariat publishes from the meeting page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST

from core.dates import long_date
from core.permissions import Perm, get_object_for_user

from .models import Meeting, MinutesPublication
from .public import minutes_publish, public_minutes_of, publication_clock

FEED_SIZE = 50
# Forty groups publishing for years: the list a page at a time.
LIST_PAGE_SIZE = 50


def published():
    """Publications of the groups that publish, newest first."""
    return MinutesPublication.objects.filter(meeting__group__public=True).select_related(
        "meeting__group", "issue"
    )


def _with_clock(publications):
    publications = list(publications)
    for publication in publications:
        publication.clock = publication_clock(publication)
    return publications


@login_not_required
def public_list(request):
    """Anyone: the published minutes of every public group, newest first, a page at a time."""
    page = Paginator(published().order_by("-published_at", "-pk"), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "public/minutes_list.html",
        {"publications": _with_clock(page.object_list), "page": page},
    )


@login_not_required
def public_minutes(request, pk):
    """Anyone: the public version of one issue of a public group's minutes."""
    publication = get_object_or_404(published(), pk=pk)
    return render(
        request,
        "public/minutes.html",
        {
            "publication": publication,
            "clock": publication_clock(publication),
            "minutes": public_minutes_of(publication),
        },
    )


@login_not_required
def public_minutes_pdf(request, pk):
    """Anyone: the public version's PDF, as rendered when it was published."""
    publication = get_object_or_404(published(), pk=pk)
    if not publication.pdf:
        raise Http404("No PDF kept.")
    return FileResponse(
        publication.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"{publication.meeting.code} minutes {publication.issue.label} public.pdf",
    )


class PublicMinutesFeed(Feed):
    """Anyone: an Atom feed of the published minutes."""

    feed_type = Atom1Feed
    title = "Published minutes"
    subtitle = "Public versions of the governance groups' minutes."

    def link(self):
        return reverse("public_minutes_list")

    def items(self):
        return published()[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.meeting.code} minutes ({item.issue.label}), {long_date(item.meeting.date)}"

    def item_description(self, item):
        return (
            f"{item.meeting.group.name}: the public version of the minutes of {item.meeting.code}."
        )

    def item_link(self, item):
        return reverse("public_minutes", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at


public_feed = login_not_required(PublicMinutesFeed())


@require_POST
def minutes_publish_view(request, pk):
    """The group's secretariat: publish the public version of the meeting's latest issue."""
    meeting = get_object_for_user(
        request.user, Meeting.objects.select_related("group"), Perm.EDIT, pk=pk
    )
    try:
        publication = minutes_publish(meeting=meeting, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        late = " (after the deadline)" if publication_clock(publication)["late"] else ""
        messages.success(request, f"Public version of the minutes published{late}.")
    return redirect(meeting)
