from django.urls import path

from . import account_views, membership_views, organisation_views, programme_views, views

app_name = "people"
urlpatterns = [
    path("people/", views.directory, name="directory"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/merge/", views.person_merge_view, name="person_merge"),
    path("people/<int:pk>/merges/", views.person_merges, name="person_merges"),
    path(
        "people/<int:pk>/export.<str:fmt>",
        views.person_export,
        name="person_export",
    ),
    path("people/<int:pk>/account/", account_views.account, name="account"),
    path(
        "people/<int:pk>/account/<str:change>/",
        account_views.account_change,
        name="account_change",
    ),
    path("organisations/", organisation_views.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", organisation_views.organisation_edit, name="organisation_edit"),
    path("groups/<str:code>/members/", membership_views.members, name="members"),
    path("groups/<str:code>/members/add/", membership_views.member_add, name="member_add"),
    path(
        "groups/<str:code>/members/<int:pk>/edit/",
        membership_views.member_edit,
        name="member_edit",
    ),
    path(
        "groups/<str:code>/members/<int:pk>/end/",
        membership_views.member_end,
        name="member_end",
    ),
    path(
        "groups/<str:code>/terms-of-reference/",
        membership_views.terms_of_reference,
        name="terms_of_reference",
    ),
    path("programme/groups/", programme_views.programme_groups, name="programme_groups"),
    path("account/sessions/", account_views.my_sessions, name="my_sessions"),
    path(
        "accounts/invitation/<str:token>/",
        account_views.invitation_accept,
        name="invitation_accept",
    ),
]
