"""Pages of the governance groups and their meetings: groups, people, a meeting's
page, scheduling and editing a meeting, and the gate and header every meeting page shares.
Home is home.py. The rest of the secretariat's meeting workday is in attendance_views.py,
agenda_views.py, minutes_views.py and review_views.py; the chair's pages in chair_views.py
and the RAID review in raid_review.py.

Every page needs a login (LoginRequiredMiddleware). What a user sees is narrowed to the
groups they belong to by core/permissions.py; a record of another group is a 404.
Pages that change a meeting go through meeting_edit_view, the one gate that checks the
right and refuses while the minutes are issued. Forms post and redirect; with htmx the
same URLs answer with the part of the page that changed.
"""

import datetime
from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from actions.models import Action, ActionStatus
from core.markup import find_references, reference_urls, render_markdown
from core.models import GovernanceGroup, Membership, Person, Role
from core.permissions import (
    Perm,
    filter_visible,
    get_object_for_user,
    groups_for,
    may_export_person,
    may_manage_account,
    may_manage_people,
    may_see_people,
    roles_by_group,
    user_can,
)
from core.storage import StoreUnavailable, download, store_errors
from core.versions import StaleRecord, save_unchanged

from .calendar_feeds import feed_url_for
from .forms import MeetingEditForm, MeetingScheduleForm
from .minutes import declarations_by_item, reviewed_updates
from .minutes_issues import issue_shown
from .models import Meeting, attendance_sections
from .notices import invitation_state, tell_meeting_changed
from .public import publication_clock
from .quorum import meeting_quorum
from .services import (
    MeetingLocked,
    actions_follow_meeting_date,
    attach_record_lines,
    lock_for_edit,
    meeting_schedule,
    publication,
    suggested_number,
)

PAGE_SIZE = 50
UPCOMING_PAGE_SIZE = 20
PERSON_ACTIONS_PAGE_SIZE = 50
GROUP_MEETINGS_PAGE_SIZE = 20
# The order a group's people are listed in, under these headings: who runs it first.
ROLE_HEADINGS = {
    Role.CHAIR: "Chair",
    Role.SECRETARIAT: "Secretariat",
    Role.MEMBER: "Members",
    Role.OBSERVER: "Observers",
}


def meeting_edit_view(perm=Perm.EDIT):
    """The one gate of every page that changes a meeting or what hangs off it.

    The user needs `perm` on the meeting (404 outside its group, 403 inside it without the
    right). While the minutes are issued nothing changes: the page sends the user back to
    the meeting with the reason. A POST runs in one transaction holding the meeting's row
    lock (services.lock_for_edit), so an edit racing "issue minutes" is refused too.
    The view is called as view(request, meeting, **kwargs).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk, **kwargs):
            meeting = get_object_for_user(
                request.user, Meeting.objects.select_related("group"), perm, pk=pk
            )
            if meeting.minutes_locked:
                return refuse_locked(request, meeting)
            if request.method != "POST":
                return view(request, meeting, **kwargs)
            try:
                with transaction.atomic():
                    return view(request, lock_for_edit(meeting), **kwargs)
            except MeetingLocked:
                return refuse_locked(request, meeting)

        return wrapper

    return decorator


def refuse_locked(request, meeting):
    can_reopen = user_can(request.user, Perm.EDIT, meeting)
    messages.warning(request, MeetingLocked(meeting, can_reopen=can_reopen).message)
    if request.htmx:
        return HttpResponseClientRedirect(meeting.get_absolute_url())
    return redirect(meeting)


def back_to(meeting, url_name, anchor=""):
    return redirect(reverse(f"meetings:{url_name}", args=[meeting.pk]) + anchor)


def meeting_header(request, meeting, current):
    """Context of the meeting pages' shared header and tabs; `records_closed` is why the
    minutes, records, reviews and issuing are not open yet ("" once the meeting started)."""
    return {
        "meeting": meeting,
        "current": current,
        "can_edit": user_can(request.user, Perm.EDIT, meeting),
        "locked": meeting.minutes_locked,
        "records_closed": meeting.records_closed_reason(),
    }


def group_list(request):
    """Any logged-in user: the groups they belong to (all groups for superusers)."""
    roles = roles_by_group(request.user)
    # The counts in one grouped query each, not a join of memberships and actions counted
    # DISTINCT (every member times every open action: 175 ms at 100,000 actions), nor a
    # subquery per group (each scanning the open actions again: 700 ms).
    groups = groups_for(request.user).select_related("parent")
    members = _count_by_group(Membership.objects.filter(active=True, group__in=groups))
    open_actions = _count_by_group(Action.objects.open().filter(group__in=groups))
    groups = list(groups)
    for group in groups:
        group.member_count = members.get(group.pk, 0)
        group.open_action_count = open_actions.get(group.pk, 0)
        group.my_roles = [role.label for role in ROLE_HEADINGS if role in roles.get(group.pk, ())]
    return render(request, "meetings/group_list.html", {"groups": groups})


def _count_by_group(queryset):
    """{group id: rows of `queryset` in it}."""
    return dict(queryset.order_by().values_list("group").annotate(n=Count("pk")))


def with_publication(meetings, today):
    """Give each meeting `pub`: its publication deadline and where its minutes stand."""
    meetings = list(meetings)
    for meeting in meetings:
        meeting.pub = publication(meeting, today)
    return meetings


def page_by_ids(ordered, rows, number, per_page):
    """Page `number` of the queryset `ordered`, its objects read from the queryset `rows`
    for the page's ids only. PostgreSQL works out a subquery or an aggregate of the select
    list for every row it sorts before the LIMIT (the meetings list's first page worked out
    the first issue of 2,880 meetings, 67 ms), so the page's ids come first, then its rows."""
    page = Paginator(ordered.values_list("pk", flat=True), per_page).get_page(number)
    shown = rows.in_bulk(list(page.object_list))
    page.object_list = [shown[pk] for pk in page.object_list]
    return page


def page_with_first_issue(meetings, number, per_page):
    """A page of `meetings` (in their order), each with its group and `first_issued_at`."""
    rows = Meeting.objects.for_display().with_first_issue()
    return page_by_ids(meetings, rows, number, per_page)


def group_detail(request, code):
    """Members and observers of the group: its people by role, meetings and open actions,
    and the viewer's own calendar feed of the group."""
    user = request.user
    group = get_object_for_user(user, GovernanceGroup.objects.select_related("parent"), code=code)
    today = timezone.localdate()
    memberships = list(group.memberships.filter(active=True).select_related("person__organisation"))
    people_by_role = [
        (heading, [m for m in memberships if m.role == role])
        for role, heading in ROLE_HEADINGS.items()
    ]
    actions = group.actions.all()
    counts = {
        "open": actions.open().count(),
        "overdue": actions.overdue(today).count(),
        "recommend_closed": actions.filter(status=ActionStatus.RECOMMEND_CLOSED).count(),
    }
    # A group of many years has hundreds of meetings: a page of them at a time.
    meetings = page_with_first_issue(
        group.meetings.order_by("-date", "-pk"),
        request.GET.get("page"),
        GROUP_MEETINGS_PAGE_SIZE,
    )
    return render(
        request,
        "meetings/group_detail.html",
        {
            "group": group,
            # Members of a working group need not be members of the group it reports to.
            "parent_visible": group.parent is not None and user_can(user, Perm.VIEW, group.parent),
            "people_by_role": [(label, people) for label, people in people_by_role if people],
            "page": meetings,
            "meetings": with_publication(meetings.object_list, today),
            "can_schedule": user_can(user, Perm.EDIT, group),
            "children": filter_visible(user, group.children.all(), group_path="pk"),
            "counts": counts,
            "calendar_feed_url": feed_url_for(user, group),
        },
    )


def meeting_list(request):
    """Any logged-in user: meetings of their groups, the upcoming ones first, then those
    held (newest first) with where their minutes stand against the publication deadline;
    ?group=DAG narrows to one group, ?q= to the meetings whose papers say it (the title as
    printed, an agenda item's title, minutes or the paper or slides presented)."""
    user = request.user
    today = timezone.localdate()
    meetings = filter_visible(user, Meeting.objects.all())
    group_code = request.GET.get("group", "")
    if group_code:
        meetings = meetings.filter(group__code=group_code)
    query = " ".join(request.GET.get("q", "").split())[:200]
    if query:
        meetings = meetings.saying(query)
    upcoming = meetings.upcoming(today).order_by("date", "start_time", "group__code", "pk")
    held = meetings.filter(date__lt=today).order_by("-date", "group__code", "pk")
    # Forty groups plan months ahead: the upcoming ones a page at a time too (?upcoming=2).
    upcoming_page = page_with_first_issue(upcoming, request.GET.get("upcoming"), UPCOMING_PAGE_SIZE)
    page = page_with_first_issue(held, request.GET.get("page"), PAGE_SIZE)
    groups = list(groups_for(user).active())
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "upcoming": with_publication(upcoming_page.object_list, today),
            "upcoming_page": upcoming_page,
            "page": page,
            "held": with_publication(page.object_list, today),
            "groups": groups,
            "group_code": group_code,
            "query": query,
            "schedulable": [
                group
                for group in groups
                if user_can(user, Perm.EDIT, group) and group_code in ("", group.code)
            ],
        },
    )


def agenda_with_times(meeting, items):
    """Give each agenda item its start time, counted on from the meeting's start while the
    durations before it are known."""
    clock = (
        datetime.datetime.combine(meeting.date, meeting.start_time) if meeting.start_time else None
    )
    for item in items:
        item.starts_at = clock.time() if clock else None
        if clock and item.duration_minutes is not None:  # an item of 0 minutes keeps the clock
            clock += datetime.timedelta(minutes=item.duration_minutes)
        else:
            clock = None
    return items


def prepare_minutes(meeting, items, *, also_linking=()):
    """Render each item's Markdown (`minutes_html`) with its references linked, and give it
    the ACTION and DECISION lines of the records raised under it (`record_lines`). One
    query per record type whatever the number of items. Returns the items and the
    {reference: url} of the references they, and the texts `also_linking`, name."""
    attach_record_lines(meeting, items)
    urls = reference_urls(
        find_references(
            *(item.minutes for item in items), *(item.paper_text for item in items), *also_linking
        )
    )
    for item in items:
        item.minutes_html = render_markdown(item.minutes, urls)
        item.paper_html = render_markdown(item.paper_text, urls)
    return items, urls


def later_next_meeting(meeting):
    """The group's next meeting when it is not on the "date of next meeting" this meeting
    records (issued minutes keep what they printed; the page notes the later date)."""
    if meeting.next_meeting_date is None:
        return None
    scheduled = (
        meeting.group.meetings.open_for_records()
        .filter(date__gt=meeting.date)
        .order_by("date", "point")
        .first()
    )
    if scheduled is None or scheduled.date == meeting.next_meeting_date:
        return None
    return scheduled


def meeting_detail(request, pk):
    """Members and observers of the meeting's group: header, attendees, agenda and minutes,
    and what the meeting raised, decided and reviewed. Once the minutes are issued, they
    show as issued (the latest issue), then the records raised there as they stand now."""
    meeting = get_object_for_user(
        request.user, Meeting.objects.select_related("group").with_first_issue(), pk=pk
    )
    items = list(meeting.agenda_items.select_related("lead"))
    quorum = meeting_quorum(meeting, items)
    decisions = list(meeting.decisions.select_related("decided_by").order_by("reference"))
    for decision in decisions:
        # The same test as Decision.quorum_problem, from the quorum worked out once here.
        decision.quorum_flag = not (
            decision.by_correspondence
            or decision.quorum_confirmed_at
            or quorum.get(decision.agenda_item_id) is None
            or quorum[decision.agenda_item_id].met
        )
    context = {
        **meeting_header(request, meeting, "overview"),
        "publication": publication(meeting, timezone.localdate()),
        "can_approve": user_can(request.user, Perm.APPROVE, meeting),
        "actions": meeting.actions.for_list().order_by("reference"),
        "decisions": decisions,
        "quorum_rows": [(item, quorum[item.pk]) for item in items]
        if meeting.group.has_quorum_rule and not meeting.held_by_correspondence
        else [],
        "events": meeting.minutes_events.select_related("by__person", "by_person"),
        "shown": issue_shown(meeting),
        "publications": [
            (p, publication_clock(p))
            for p in meeting.publications.select_related("issue", "meeting__group")
        ]
        if meeting.group.public
        else [],
        "later_next": later_next_meeting(meeting),
    }
    if context["shown"] is None:  # not issued: the minutes as they stand
        attendances = list(meeting.attendances.select_related("person", "on_behalf_of"))
        declared = declarations_by_item(meeting, attendances)
        for item in items:
            item.declarations = declared.get(item.pk, [])
        review = reviewed_updates(meeting, [item.minutes for item in items])
        items, links = prepare_minutes(meeting, items, also_linking=[u.text for u in review])
        context |= {
            "attendee_sections": attendance_sections(
                meeting, attendances, meeting.attendance_headings.all()
            ),
            "agenda_items": agenda_with_times(meeting, items),
            "raid_reviews": meeting.raid_reviews.select_related("raid_item", "agenda_item"),
            "review": review,
            "links": links,
        }
    return render(request, "meetings/meeting_detail.html", context)


def source_paper(request, pk):
    """Members and observers of the meeting's group: the paper the meeting was recorded
    from (its minutes or slide pack as received), as a download."""
    meeting = get_object_for_user(request.user, Meeting.objects.select_related("group"), pk=pk)
    if not meeting.source_file:
        raise Http404("This meeting keeps no source paper.")
    return download(meeting.source_file, filename=meeting.source_file_name)


def person_detail(request, pk):
    """Anyone with a role in some group (the people directory is programme-wide); the
    person's roles, open actions and recent meetings are limited to the viewer's groups.
    On their own page, the viewer's personal calendar feed."""
    user = request.user
    if not may_see_people(user):
        raise Http404("No person matches the given query.")
    person = get_object_or_404(Person.objects.select_related("organisation"), pk=pk)
    memberships = filter_visible(
        user, person.memberships.filter(active=True).select_related("group")
    ).order_by("group__level", "group__code")
    # Someone owning hundreds of open actions across the groups: a page of them at a time.
    actions = Paginator(
        filter_visible(user, person.actions.open())
        .for_register()
        .order_by(F("due_date").asc(nulls_last=True), "reference", "pk"),
        PERSON_ACTIONS_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    attendances = filter_visible(
        user, person.attendances.select_related("meeting__group"), group_path="meeting__group"
    ).order_by("-meeting__date")[:20]
    own_page = person.user_id is not None and person.user_id == user.pk
    return render(
        request,
        "meetings/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "actions": actions.object_list,
            "page": actions,
            "attendances": attendances,
            "own_page": own_page,
            "calendar_feed_url": feed_url_for(user) if own_page else "",
            # The people app's pages for this person, where the viewer may use them.
            "may_edit_person": may_manage_people(user),
            "may_manage_account": may_manage_account(user, person),
            "may_export_person": may_export_person(user, person),
        },
    )


# The secretariat's meeting workday


def meeting_create(request, code):
    """The group's secretariat: schedule its next meeting, the number suggested."""
    group = get_object_for_user(request.user, GovernanceGroup.objects.all(), Perm.EDIT, code=code)
    form = MeetingScheduleForm(request.POST or None, group=group, suggested=suggested_number(group))
    if request.method == "POST" and form.is_valid():
        meeting = meeting_schedule(group=group, **form.cleaned_data)
        messages.success(request, f"{meeting.code} scheduled for {meeting.date:%d/%m/%Y}.")
        return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "group": group})


@meeting_edit_view()
def meeting_edit(request, meeting):
    """The group's secretariat, until the minutes are issued: the meeting's header, its
    status and the date of the next meeting."""
    before = invitation_state(meeting)  # the form writes into `meeting` as it validates
    old_date = meeting.date
    form = MeetingEditForm(
        request.POST or None, request.FILES or None, instance=meeting, group=meeting.group
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic(), store_errors():
                save_unchanged(form)
                # A corrected date is also the date raised of the actions raised there.
                actions_follow_meeting_date(meeting=meeting, old_date=old_date)
        except StaleRecord as stale:
            form.refuse_stale(stale)
        except StoreUnavailable as down:
            # Nothing was saved (the transaction rolled back); the typed values stay, the
            # browser needs the paper chosen again.
            form.add_error("source_file", f"{down} Choose the file again to save it.")
            status = 503
        else:
            tell_meeting_changed(meeting, before=before)
            messages.success(request, f"{meeting.code} saved.")
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {**meeting_header(request, meeting, "overview"), "form": form, "group": meeting.group},
        status=status,
    )
