"""/api/: the REST API (its OpenAPI schema at /api/schema/, interactive docs at /api/docs/)."""

from csp.constants import SELF
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import action_views, decision_views, token_views, views

router = SimpleRouter()
router.register("groups", views.GroupViewSet, basename="group")
router.register("people", views.PersonViewSet, basename="person")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("actions", action_views.ActionViewSet, basename="action")
router.register("decisions", decision_views.DecisionViewSet, basename="decision")
router.register("change-requests", views.ChangeRequestViewSet, basename="change-request")
router.register("raid", views.RaidItemViewSet, basename="raid-item")
router.register("documents", views.DocumentViewSet, basename="document")

app_name = "api"
urlpatterns = [
    # The schema answers a token as well as a session (401 without either).
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The docs page needs a login like any page (DRF's views opt out of the middleware's
    # redirect). Swagger UI comes from the sidecar's static files and its set-up script
    # from ?script (the split view): no inline script, so the strict policy stands; only
    # its icons, data: images in its CSS, are let in here.
    path(
        "docs/",
        login_required(
            csp_update({"img-src": [SELF, "data:"]})(
                SpectacularSwaggerSplitView.as_view(
                    url_name="api:schema", template_name="api/docs.html"
                )
            )
        ),
        name="docs",
    ),
    # The user's own tokens: a page, with a login like any page.
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke_view, name="token_revoke"),
    *router.urls,
]
