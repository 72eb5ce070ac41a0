"""The headline report's key updates keep every paragraph and bullet of an item (issue 24,
item 5); the ACTION/DECISION lines and the per-action updates stay out (listed as records
and under actions closed)."""

import datetime
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from meetings.documents import headline_source
from meetings.models import AgendaItem
from tests.factories import make_group, make_meeting

pytestmark = pytest.mark.django_db

MINUTES = """The Programme presented the release plan.

Members raised three points:

- the timing of IR8.1;
- the test environments;
  - SIT first,
  - then UIT;
- the code changes.

A second paragraph about the plan.

DAG28-04: the action stays open.

ACTION: Programme to circulate the plan.

Next steps: the plan returns to the DAG in July."""


def test_every_paragraph_and_bullet_is_kept():
    meeting = make_meeting(
        make_group("DAG"), number=37, date=datetime.date(2024, 6, 12), title="DAG 37"
    )
    AgendaItem.objects.create(
        meeting=meeting, number="3", order=1, title="Release plan", minutes=MINUTES
    )
    source = headline_source(SimpleNamespace(meeting=meeting, parameters={}))
    (item,) = source.data.items
    html = "".join(item.updates)
    for words in (
        "The Programme presented the release plan.",
        "Members raised three points:",
        "the timing of IR8.1;",
        "SIT first,",
        "then UIT;",
        "the code changes.",
        "A second paragraph about the plan.",
        "Next steps: the plan returns to the DAG in July.",
    ):
        assert words in html, words
    assert "<ul>" in html and html.count("<li>") >= 4
    assert "DAG28-04" not in html and "Programme to circulate the plan" not in html

    page = render_to_string(source.template, {"data": source.data, "source": source})
    assert "then UIT;" in page and "A second paragraph about the plan." in page
