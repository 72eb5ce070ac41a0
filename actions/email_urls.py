from django.urls import path

from . import email_views

app_name = "email"
urlpatterns = [
    path("", email_views.email_log, name="email_log"),
    path("send-digest/", email_views.send_digest, name="send_digest"),
    path("preferences/<str:token>/", email_views.preferences, name="preferences"),
    path("update/<str:token>/", email_views.action_update, name="action_update"),
]
