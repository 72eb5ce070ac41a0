from django.urls import reverse

from core.permissions import (
    Perm,
    is_programme_administrator,
    may_add_people,
    may_in_some_group,
    may_see_people,
    person_of,
)

from .chair_queue import chair_queue_badge

# (label, url name, query string, url names of the section's other pages)
NAVIGATION = [
    ("Home", "meetings:home", "", ()),
    ("Groups", "meetings:group_list", "", ("meetings:group_detail",)),
    ("Meetings", "meetings:meeting_list", "", ("meetings:meeting_detail",)),
    ("Actions", "actions:action_list", "", ("actions:action_detail",)),
    ("My actions", "actions:action_list", "?owner=me", ()),
    ("Decisions", "decisions:decision_list", "", ("decisions:decision_detail",)),
    ("Change requests", "changerequests:cr_list", "", ("changerequests:cr_detail",)),
    ("RAID", "raid:raid_list", "", ("raid:raid_detail",)),
]


def _current(request, url_name, query, section_pages):
    """aria-current for a menu link: "page" on the page itself, "true" inside its section."""
    match = request.resolver_match
    if match is None:
        return ""
    if match.view_name == url_name:
        # Actions and My actions are one view; the owner filter tells them apart.
        mine = request.GET.get("owner") == "me"
        return "page" if mine == (query == "?owner=me") else ""
    return "true" if match.view_name in section_pages else ""


def navigation(request):
    """The menu and the signed-in person for the base layout: at most one query (the
    Person), cached on request.user for the views that need it too."""
    if not request.user.is_authenticated:
        return {}
    items = [
        {
            "label": label,
            "url": reverse(url_name) + query,
            "current": _current(request, url_name, query, section_pages),
        }
        for label, url_name, query, section_pages in NAVIGATION
    ]
    if may_in_some_group(request.user, Perm.EDIT):
        # The secretariat's email log (notifications/views.py): reminders, delivery, opt-outs.
        url = reverse("email:email_log")
        current = _current(request, "email:email_log", "", ())
        items.append({"label": "Email log", "url": url, "current": current})
    if may_see_people(request.user) or is_programme_administrator(request.user):
        # The people directory and organisations (people app), by URL name.
        url = reverse("people:directory")
        current = _current(request, "people:directory", "", ("people:person_edit",))
        items.append({"label": "People", "url": url, "current": current})
    if is_programme_administrator(request.user):
        url = reverse("people:programme_groups")
        current = _current(request, "people:programme_groups", "", ())
        items.append({"label": "Programme", "url": url, "current": current})
    if request.user.is_superuser:
        items.append({"label": "Admin", "url": reverse("admin:index"), "current": ""})
    return {
        "nav_items": items,
        "current_person": person_of(request.user),
        # The person pickers offer to add someone new to the tracker (people_views.py).
        "may_add_people": may_add_people(request.user),
        **chair_queue_nav(request),
    }


def chair_queue_nav(request):
    """The chair's queue in the menu, for chairs only: reads the user's roles (one query,
    cached for the view) and, for a chair or a superuser, counts what awaits them in one
    more query."""
    if not may_in_some_group(request.user, Perm.APPROVE):
        return {}
    match = request.resolver_match
    current = match is not None and match.view_name == "meetings:chair_queue"
    return {
        "chair_queue": {
            "url": reverse("meetings:chair_queue"),
            "badge": chair_queue_badge(request.user),
            "current": "page" if current else "",
        }
    }
