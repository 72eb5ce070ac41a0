"""A decision that approves minutes links to its meeting (issue 24, item 5): in the demo,
DAG-DEC75 approves the Headline Report and Minutes of DAG028, and its page links there."""

import pytest
from django.contrib.auth import get_user_model

from decisions.models import Decision
from tests.demo_data import load_demo

pytestmark = pytest.mark.django_db


def test_dag_dec75_links_the_meeting_whose_minutes_it_approves(client):
    load_demo()
    decision = Decision.objects.get(reference="DAG-DEC75")
    assert decision.approves_minutes_of.code == "DAG028"
    client.force_login(get_user_model().objects.get(username="observer"))
    page = client.get(decision.get_absolute_url()).content.decode()
    assert f'href="{decision.approves_minutes_of.get_absolute_url()}">DAG028</a>' in page
