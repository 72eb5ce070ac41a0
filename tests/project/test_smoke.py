import pytest

pytestmark = pytest.mark.django_db


def test_healthz_needs_no_login_and_reports_database(client):
    response = client.get("/healthz")
    assert response.json()["database"] == "ok"


def test_home_needs_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
