from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from actions import email_urls as action_email_urls
from meetings import public_views
from notifications import urls as notification_urls
from people import account_views as people_account_views

from . import accounts
from .health import healthz

# The "email" namespace: notifications' email log and preferences page, and the action
# reminders' pages (send a digest now, update an action by link) that the log and the
# emails link to.
email_urls = (notification_urls.urlpatterns + action_email_urls.urlpatterns, "email")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The throttled login and the outbox's password reset come before Django's own views;
    # the admin logs in through the same throttled page.
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    # Changing one's password ends one's other sessions (people/account_views.py).
    path(
        "accounts/password_change/",
        people_account_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # allauth's own password and email pages lead to ours (one set of password pages, which
    # LOCAL_PASSWORDS switches off); accounts are made by invitation, never signed up for.
    *[
        path(
            f"accounts/{route}",
            login_not_required(RedirectView.as_view(pattern_name=target, query_string=True)),
        )
        for route, target in [
            ("password/change/", "password_change"),
            ("password/set/", "password_change"),
            ("password/reset/", "password_reset"),
            ("signup/", "login"),
            ("email/", "people:my_sessions"),
        ]
    ],
    # allauth: the second factor (accounts/2fa/), single sign-on (accounts/oidc/<provider>/,
    # accounts/3rdparty/) and the login stages; its login page is ours, above.
    path("accounts/", include("allauth.urls")),
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="login", query_string=True)),
    ),
    path("admin/", admin.site.urls),
    # The published minutes: the only pages but login's that need no login.
    path("public/minutes/", public_views.public_list, name="public_minutes_list"),
    path("public/minutes/feed.atom", public_views.public_feed, name="public_minutes_feed"),
    path("public/minutes/<int:pk>/", public_views.public_minutes, name="public_minutes"),
    path("public/minutes/<int:pk>.pdf", public_views.public_minutes_pdf, name="public_minutes_pdf"),
    path("", include("meetings.urls")),
    path("actions/", include("actions.urls")),
    path("decisions/", include("decisions.urls")),
    path("change-requests/", include("changerequests.urls")),
    path("raid/", include("raid.urls")),
    path("email/", include(email_urls)),
    path("api/", include("api.urls")),
    path("", include("people.urls")),
]
