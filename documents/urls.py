"""URLs of the document pages, included by meetings/urls.py (names in its namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("meetings/<int:pk>/documents/", views.meeting_documents, name="meeting_documents"),
    path(
        "meetings/<int:pk>/documents/<str:kind>/",
        views.meeting_document_request,
        name="meeting_document_request",
    ),
    path("groups/<str:code>/documents/", views.group_documents, name="group_documents"),
    path(
        "groups/<str:code>/documents/<str:kind>/",
        views.group_document_request,
        name="group_document_request",
    ),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("documents/<int:pk>/retry/", views.document_retry, name="document_retry"),
]
