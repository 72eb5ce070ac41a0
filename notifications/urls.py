"""The email pages of this app. They share the "email" namespace with the action
reminders' pages (actions/email_urls.py); mhhs_gov/urls.py puts the two together."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.email_log, name="email_log"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
]
