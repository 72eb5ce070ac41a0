"""Personal API tokens: made and revoked on the "API tokens" page, shown once, stored as a
SHA-256 only, refused once revoked or expired, never written to a log; the schema and the
interactive docs served by the app itself under the strict Content-Security-Policy."""

import datetime
import logging
import re

from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.tokens import digest_of
from mhhs_gov.log_redaction import RedactSecrets
from tests.api.conftest import token_client


def bearer(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_a_user_makes_a_token_on_the_page_sees_it_once_and_revokes_it(client, observer):
    client.force_login(observer)
    assert 'href="/api/tokens/"' in client.get("/").content.decode()
    response = client.post("/api/tokens/", {"name": "Power BI", "days": "30", "read_only": "on"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = re.search(r'<code class="token">(mhhs_[\w-]+)</code>', response.content.decode())[1]
    record = ApiToken.objects.get(user=observer)
    assert record.digest == digest_of(token) and token not in record.digest
    assert record.read_only
    assert record.expires_at.date() == (timezone.now() + datetime.timedelta(days=30)).date()
    assert bearer(token).get("/api/groups/").status_code == 200
    page = client.get("/api/tokens/").content.decode()
    assert token not in page and record.prefix in page
    assert client.post(f"/api/tokens/{record.pk}/revoke/").status_code == 302
    assert bearer(token).get("/api/groups/").status_code == 401


def test_a_user_cannot_revoke_anothers_token(client, observer, member):
    other = token_client(member)
    client.force_login(observer)
    record = ApiToken.objects.get(user=member)
    assert client.post(f"/api/tokens/{record.pk}/revoke/").status_code == 404
    assert other.get("/api/groups/").status_code == 200


def test_an_expired_token_or_a_deactivated_user_is_refused(observer):
    client = token_client(observer)
    now = timezone.now()
    ApiToken.objects.update(
        created_at=now - datetime.timedelta(days=31), expires_at=now - datetime.timedelta(seconds=1)
    )
    assert client.get("/api/groups/").status_code == 401
    client = token_client(observer)
    observer.is_active = False
    observer.save()
    assert client.get("/api/groups/").status_code == 401


def test_the_token_never_reaches_a_log(observer, dag, security_log, caplog):
    client = token_client(observer, read_only=True)
    with caplog.at_level(logging.DEBUG):
        assert client.post("/api/decisions/", {"group": "DAG", "wording": "x"}).status_code == 403
        assert client.get("/api/actions/NOPE/").status_code == 404
        assert bearer(client.token + "x").get("/api/groups/").status_code == 401
    assert security_log.named("permission_denied")
    assert client.token not in str(security_log.events)
    assert client.token[len("mhhs_") :] not in caplog.text


def test_the_schema_and_the_docs_are_served_by_the_app(client, observer):
    assert APIClient().get("/api/schema/").status_code == 401
    schema = token_client(observer).get("/api/schema/?format=json").json()
    assert schema["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    assert "/api/actions/{reference}/close/" in schema["paths"]
    assert client.get("/api/docs/").status_code == 302  # a login like any page
    client.force_login(observer)
    page = client.get("/api/docs/")
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html and "<style" not in html
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    bundle = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert bundle.status_code == 200


def test_a_token_put_in_an_address_by_mistake_is_logged_redacted(observer, settings):
    token = token_client(observer).token
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/api/?t={token}",), None
    )
    RedactSecrets().filter(record)
    assert record.getMessage() == "Not Found: /api/?t=mhhs_[secret]"
    # The security log (which records addresses) goes through the same filter.
    assert "redact_secrets" in settings.LOGGING["handlers"]["security"]["filters"]
