"""The RAID review of a meeting: the meetings with their reviews, and one meeting's review
of its group's open RAID items, recorded in one form. It composes the RAID log and the
meeting (whose lock it honours: the reviews are part of the minutes), so it lives here.

Who may do what (decided in core/permissions.py): anyone with a role in the meeting's
group reads; its secretariat records.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import Length
from django.shortcuts import redirect, render

from core.markup import find_references, reference_urls
from core.permissions import Perm, filter_visible, get_object_for_user, user_can
from core.versions import StaleRecords, record_versions
from raid.models import RaidItem, RaidReview, RaidStatus

from .models import Meeting
from .raid_review_forms import RaidReviewAgendaForm, RaidReviewForm
from .services import MeetingLocked, MeetingNotStarted, ReviewEntry, raid_reviews_record
from .views import page_by_ids

PAGE_SIZE = 50


def review_list(request):
    """Any logged-in user: the meetings of their groups, each with a link to its RAID
    review and how many items it reviewed."""
    meetings = filter_visible(request.user, Meeting.objects.all()).order_by(
        "-date", "group__code", "pk"
    )
    # Reviews counted for the page's meetings only (grouped over every meeting, then
    # sorted: 60 ms at 3,000 meetings).
    rows = Meeting.objects.for_display().annotate(review_count=Count("raid_reviews"))
    page = page_by_ids(meetings, rows, request.GET.get("page"), PAGE_SIZE)
    return render(request, "meetings/raid_review_list.html", {"page": page})


def review_meeting(request, pk):
    """Members and observers of the meeting's group read its RAID review: the group's open
    items (and any reviewed then) with their scores and what the meeting said about them.
    The secretariat records discussion and concluding comments for each in one form."""
    user = request.user
    meeting = get_object_for_user(user, Meeting.objects.select_related("group"), pk=pk)
    if request.method == "POST" and not user_can(user, Perm.EDIT, meeting):
        raise PermissionDenied("Only the group's secretariat may record a RAID review.")
    # The reviews are part of the minutes: once those are issued they are read-only.
    may_edit = user_can(user, Perm.EDIT, meeting) and not meeting.minutes_locked
    if request.method == "POST" and not may_edit:
        can_reopen = user_can(user, Perm.EDIT, meeting)
        messages.warning(request, MeetingLocked(meeting, can_reopen=can_reopen).message)
        return redirect("meetings:raid_review_meeting", pk=meeting.pk)
    # Until the meeting starts the form shows, disabled, with the reason.
    records_closed = meeting.records_closed_reason()
    items = list(
        RaidItem.objects.for_register()
        .filter(group=meeting.group)
        .filter(Q(status=RaidStatus.OPEN) | Q(pk__in=meeting.raid_reviews.values("raid_item")))
        .order_by("-score_value", Length("reference"), "reference")
    )
    reviews = {
        review.raid_item_id: review
        for review in meeting.raid_reviews.select_related("agenda_item").prefetch_related(
            "also_covers", "actions"
        )
    }
    data = request.POST if request.method == "POST" else None
    agenda_item = next((r.agenda_item for r in reviews.values() if r.agenda_item), None)
    agenda_form = RaidReviewAgendaForm(data, meeting=meeting, initial={"agenda_item": agenda_item})
    versions = record_versions(list(reviews.values()))
    # An item whose review is another item's text ("R184 / R185" in the paper).
    covered_by = {}
    for review in reviews.values():
        for covered in review.also_covers.all():
            covered_by.setdefault(covered.pk, []).append(review.raid_item)
    rows = []
    for item in items:
        item.covered_by = covered_by.get(item.pk, [])
        review = reviews.get(item.pk)
        instance = review or RaidReview(raid_item=item, meeting=meeting)
        initial = {"version": versions.get(review.pk, 0) if review else 0}
        # Only the items that were on the page when it was loaded are in the post.
        posted = data if data is not None and f"item-{item.pk}-version" in data else None
        form = RaidReviewForm(posted, prefix=f"item-{item.pk}", instance=instance, initial=initial)
        rows.append((item, review, form))
    posted_rows = [(item, form) for item, _, form in rows if form.is_bound]
    if data is not None and agenda_form.is_valid() and all(f.is_valid() for _, f in posted_rows):
        try:
            saved = raid_reviews_record(
                meeting=meeting,
                agenda_item=agenda_form.cleaned_data["agenda_item"],
                entries=[
                    ReviewEntry(
                        item=item,
                        discussion=form.cleaned_data["discussion"],
                        conclusion=form.cleaned_data["conclusion"],
                        also_covers=tuple(form.cleaned_data["also_covers"]),
                        actions=tuple(form.cleaned_data["actions"]),
                        version=form.cleaned_data["version"],
                    )
                    for item, form in posted_rows
                ],
            )
        except MeetingLocked as locked:  # issued while the form was being filled in
            messages.warning(request, locked.message)
        except MeetingNotStarted as closed:
            messages.error(request, closed.message)
        except StaleRecords as refused:
            for item, _, form in rows:
                if item.pk in refused.stale:
                    form.refuse_stale(refused.stale[item.pk])
            messages.error(
                request,
                "Someone else saved part of this review after you opened it, so nothing was "
                "saved: see the items marked below.",
            )
        else:
            messages.success(
                request, f"RAID review of {meeting.code} saved: {saved} items reviewed."
            )
        if not any(form.errors for _, _, form in rows):
            return redirect("meetings:raid_review_meeting", pk=meeting.pk)
    if records_closed:
        for form in [agenda_form, *(form for _, _, form in rows)]:
            for field in form.fields.values():
                field.disabled = True
    texts = [t for review in reviews.values() for t in (review.discussion, review.conclusion)]
    return render(
        request,
        "meetings/raid_review_meeting.html",
        {
            "meeting": meeting,
            "rows": rows,
            "agenda_form": agenda_form,
            "may_edit": may_edit,
            "records_closed": records_closed,
            "urls": reference_urls(find_references(*texts)),
        },
    )
