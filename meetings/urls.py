from django.urls import include, path

from . import (
    agenda_views,
    as_at_views,
    attendance_views,
    chair_views,
    draft_views,
    feed_views,
    governance_views,
    home,
    minutes_views,
    people_views,
    prepare_views,
    public_views,
    raid_review,
    review_views,
    search_views,
    views,
)
from .paper_import import views as paper_import_views

app_name = "meetings"
urlpatterns = [
    path("", home.home, name="home"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/<str:code>/", views.group_detail, name="group_detail"),
    path("groups/<str:code>/quorum/", governance_views.group_quorum, name="group_quorum"),
    path("groups/<str:code>/trends/", governance_views.group_trends_view, name="group_trends"),
    path("groups/<str:code>/retention/", governance_views.group_retention, name="group_retention"),
    path(
        "groups/<str:code>/retention/<int:pk>/",
        governance_views.retention_entry,
        name="retention_entry",
    ),
    path("groups/<str:code>/interests/", governance_views.group_interests, name="group_interests"),
    path(
        "groups/<str:code>/interests/<int:pk>/end/",
        governance_views.group_interest_end,
        name="group_interest_end",
    ),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    # The secretariat's meeting workday
    path("groups/<str:code>/meetings/new/", views.meeting_create, name="meeting_create"),
    path(
        "groups/<str:code>/meetings/prepare/",
        prepare_views.meeting_prepare,
        name="meeting_prepare",
    ),
    # Importing past papers as past meetings
    path(
        "groups/<str:code>/import/",
        paper_import_views.paper_import_new,
        name="paper_import_new",
    ),
    path("imports/<int:pk>/", paper_import_views.paper_import_preview, name="paper_import_preview"),
    path("imports/<int:pk>/undo/", paper_import_views.paper_import_undo, name="paper_import_undo"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/paper/", views.source_paper, name="source_paper"),
    path("meetings/<int:pk>/attendance/", attendance_views.attendance, name="attendance"),
    path(
        "meetings/<int:pk>/attendance/members/",
        attendance_views.attendance_add_members_view,
        name="attendance_add_members",
    ),
    path(
        "meetings/<int:pk>/attendance/add/",
        attendance_views.attendance_add_person,
        name="attendance_add_person",
    ),
    path(
        "meetings/<int:pk>/attendance/guest/",
        attendance_views.attendance_add_guest_view,
        name="attendance_add_guest",
    ),
    path(
        "meetings/<int:pk>/attendance/headings/",
        attendance_views.attendance_headings,
        name="attendance_headings",
    ),
    path(
        "meetings/<int:pk>/interests/",
        governance_views.meeting_interests,
        name="meeting_interests",
    ),
    path(
        "meetings/<int:pk>/interests/<int:declaration_pk>/remove/",
        governance_views.meeting_interest_remove,
        name="meeting_interest_remove",
    ),
    path("meetings/<int:pk>/agenda/", agenda_views.agenda, name="agenda"),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/edit/",
        agenda_views.agenda_item_edit,
        name="agenda_item_edit",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/move/", agenda_views.agenda_move, name="agenda_move"
    ),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/crs/",
        agenda_views.agenda_item_cr_add,
        name="agenda_item_cr_add",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/crs/<int:line_pk>/remove/",
        agenda_views.agenda_item_cr_remove,
        name="agenda_item_cr_remove",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/remove/",
        agenda_views.agenda_item_remove,
        name="agenda_item_remove",
    ),
    path("meetings/<int:pk>/minutes/write/", minutes_views.minutes_write, name="minutes_write"),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/minutes/",
        minutes_views.minutes_save_view,
        name="minutes_save",
    ),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/minutes/draft/",
        draft_views.minutes_draft_save,
        name="minutes_draft_save",
    ),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/minutes/draft/discard/",
        draft_views.minutes_draft_discard,
        name="minutes_draft_discard",
    ),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/<str:kind>/",
        minutes_views.inline_record,
        name="inline_record",
    ),
    path("meetings/<int:pk>/review/", review_views.action_review, name="action_review"),
    path(
        "meetings/<int:pk>/review/bulk/",
        review_views.action_review_bulk,
        name="action_review_bulk",
    ),
    path(
        "meetings/<int:pk>/review/bulk/<int:batch_pk>/undo/",
        review_views.action_review_undo,
        name="action_review_undo",
    ),
    path("meetings/<int:pk>/minutes/", minutes_views.minutes_document, name="minutes_document"),
    path(
        "meetings/<int:pk>/minutes/issue/", minutes_views.minutes_issue_view, name="minutes_issue"
    ),
    path(
        "meetings/<int:pk>/minutes/approval/",
        minutes_views.minutes_record_approval,
        name="minutes_record_approval",
    ),
    path(
        "meetings/<int:pk>/minutes/publish/",
        public_views.minutes_publish_view,
        name="minutes_publish",
    ),
    path(
        "meetings/<int:pk>/minutes/reopen/",
        minutes_views.minutes_reopen_view,
        name="minutes_reopen",
    ),
    path(
        "meetings/<int:pk>/minutes/correct/",
        minutes_views.minutes_correct_view,
        name="minutes_correct",
    ),
    path("registers/as-at/", as_at_views.registers_as_at, name="registers_as_at"),
    path(
        "registers/as-at/<str:kind>/<int:pk>/",
        as_at_views.record_as_at,
        name="record_as_at",
    ),
    path("people/new/", people_views.person_new, name="person_new"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("search/", search_views.search_page, name="search"),
    path("calendar/reset/", feed_views.calendar_feed_reset, name="calendar_feed_reset"),
    path("calendar/<int:pk>/<str:token>.ics", feed_views.calendar_feed, name="calendar_feed"),
    # The chair's pages and the RAID review of a meeting compose the registers, so they live
    # here; their addresses stay where the registers' pages are.
    path("decisions/queue/", chair_views.chair_queue, name="chair_queue"),
    path(
        "decisions/minutes/<int:meeting_id>/approve/",
        chair_views.minutes_approve,
        name="minutes_approve",
    ),
    path("raid/review/", raid_review.review_list, name="raid_review_list"),
    path("raid/review/<int:pk>/", raid_review.review_meeting, name="raid_review_meeting"),
    # PDF documents of meetings and groups (documents/urls.py)
    path("", include("documents.urls")),
]
