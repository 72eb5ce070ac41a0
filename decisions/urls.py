from django.urls import path, re_path

from . import views

app_name = "decisions"
urlpatterns = [
    path("", views.decision_list, name="decision_list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.decision_export, name="decision_export"),
    path("new/", views.decision_create, name="decision_create"),
    path("correspondence/", views.round_list, name="round_list"),
    path("correspondence/new/", views.round_create, name="round_create"),
    path("correspondence/<int:pk>/", views.round_detail, name="round_detail"),
    path("correspondence/<int:pk>/conclude/", views.round_conclude, name="round_conclude"),
    path(
        "correspondence/respond/<str:token>/",
        views.correspondence_respond,
        name="correspondence_respond",
    ),
    path("<str:reference>/", views.decision_detail, name="decision_detail"),
    path("<str:reference>/approve/", views.decision_approve, name="decision_approve"),
    path(
        "<str:reference>/confirm-quorum/",
        views.decision_confirm_quorum,
        name="decision_confirm_quorum",
    ),
    path("<str:reference>/correct/", views.decision_revise, name="decision_revise"),
    path("<str:reference>/edit/", views.decision_correct, name="decision_correct"),
]
