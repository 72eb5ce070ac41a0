from django.contrib import admin
from django.urls import include, path

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("meetings.urls")),
    path("actions/", include("actions.urls")),
    path("decisions/", include("decisions.urls")),
    path("change-requests/", include("changerequests.urls")),
    path("raid/", include("raid.urls")),
    path("email/", include("actions.email_urls")),
]
