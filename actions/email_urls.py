"""The action reminders' pages in the "email" namespace, beside notifications' email log
and preferences page (mhhs_gov/urls.py puts the two together)."""

from django.urls import path

from . import email_views

urlpatterns = [
    path("send-digest/", email_views.send_digest, name="send_digest"),
    path("update/<str:token>/", email_views.action_update, name="action_update"),
]
