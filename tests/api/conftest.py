"""The API's test clients: one per user, authenticated by a personal token as a program
would be (Authorization: Bearer), or by the browser's session."""

import pytest
from rest_framework.test import APIClient

from api.tokens import token_create


def token_client(user, *, read_only=False):
    _, token = token_create(user=user, name="tests", days=30, read_only=read_only)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.token = token
    return client


@pytest.fixture
def api_as():
    """api_as(user) -> an APIClient sending a fresh token of the user."""
    return token_client
