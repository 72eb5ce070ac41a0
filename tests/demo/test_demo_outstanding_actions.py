"""python manage.py load_demo: a demo meeting's outstanding-actions table prints only what its
paper prints. Actions raised before a paper's meeting but closed in reality are closed in the
demo data (issue 16, item 12)."""

import pytest

from meetings.minutes import build_minutes
from meetings.models import Meeting
from tests.demo_data import load_demo

pytestmark = pytest.mark.django_db

# "Previous Meeting(s)" of the DAG029 minutes, in the paper's order.
DAG029_PREVIOUS = ["DAG28-04", "DAG28-05", "DAG28-12", "DAG27-08"]
# The June 2024 papers' actions review (DAG037): every earlier action still open.
JUNE_2024_OUTSTANDING = ["DAG32-06", "DAG34-08", "DAG35-01", "DAG35-03", "DAG36-01", "DAG36-02"]


def minutes_of(number):
    return build_minutes(Meeting.objects.get(group__code="DAG", number=number))


def test_dag029_previous_meetings_table_is_the_papers():
    load_demo()
    minutes = minutes_of(29)
    # DAG28-05 is in the paper's table but its minutes close it: the minutes win, and it
    # is printed among those closed at this meeting.
    still_open = sorted(ref for ref in DAG029_PREVIOUS if ref != "DAG28-05")
    assert sorted(row.reference for row in minutes.previous_actions) == still_open


def test_june_2024_outstanding_actions_are_the_papers():
    load_demo()
    minutes = minutes_of(37)
    assert sorted(row.reference for row in minutes.previous_actions) == JUNE_2024_OUTSTANDING
