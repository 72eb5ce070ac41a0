from django.contrib import admin
from django.urls import include, path

from actions import email_urls as action_email_urls
from notifications import urls as notification_urls

from .health import healthz

# The "email" namespace: notifications' email log and preferences page, and the action
# reminders' pages (send a digest now, update an action by link) that the log and the
# emails link to.
email_urls = (notification_urls.urlpatterns + action_email_urls.urlpatterns, "email")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("meetings.urls")),
    path("actions/", include("actions.urls")),
    path("decisions/", include("decisions.urls")),
    path("change-requests/", include("changerequests.urls")),
    path("raid/", include("raid.urls")),
    path("email/", include(email_urls)),
]
