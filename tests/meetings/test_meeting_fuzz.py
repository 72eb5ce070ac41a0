"""Fuzzing the secretariat's meeting forms with hypothesis: whatever is posted, the answer
is a page (with the errors at the fields) or a redirect, never a server error.

The main forms of the workday (schedule, attendance line, agenda item, minutes, raise
action, review of actions) get EXAMPLES posts each (2,000 in the full run the issue asks
for); the smaller forms (guest, decision) SMALL_FORM_EXAMPLES. Each post goes through the
whole stack with one logged-in client. Where a page does not list what its form creates,
the database keeps what the valid examples made, as a secretariat's long session would.
"""

import datetime
import os

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from core.models import Role
from meetings.models import AgendaItem, Attendance
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
# The issue asks for at least 2,000 examples of each main form: the full run is
# `FUZZ_EXAMPLES=2000 ./scripts/test.sh tests/meetings/test_meeting_fuzz.py
# tests/actions/test_action_fuzz.py` (about 12 minutes). The suite, which must stay within
# 15 minutes on 2 cores, posts 200 of each: the same strategies, a tenth of the examples.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
SMALL_FORM_EXAMPLES = max(EXAMPLES // 7, 30)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # Generation only: a failure is reported with the example that failed, unshrunk, so a
    # run never spends minutes shrinking (rerun with the example to shrink by hand).
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SMALL_FUZZ = settings(FUZZ, max_examples=SMALL_FORM_EXAMPLES)
HTMX = {"HTTP_HX_REQUEST": "true"}
# Forms that answer htmx with a partial are posted that way three times in four: the same
# validation and writes for half the rendering.
htmx_mostly = st.sampled_from([True, True, True, False])

# Values a person (or a script) might send: anything, numbers of every size, dates and
# times in and out of shape, and the valid choices, so that some examples get through.
anything = st.text(max_size=30)
numbers = st.integers(min_value=-(2**40), max_value=2**40).map(str)
dates = st.one_of(
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates().map(str),
    st.sampled_from(["31/02/2023", "2023-13-01", "0000-00-00", "11/10/23"]),
)
times = st.one_of(st.times().map(lambda t: t.strftime("%H:%M")), st.sampled_from(["25:00", "9"]))


def field(*valid):
    return st.one_of(anything, numbers, st.sampled_from(valid)) if valid else anything


def posted(**fields):
    """A dict strategy where any field may also be missing."""
    return st.fixed_dictionaries({}, optional=dict(fields.items()))


class PostOnlyClient(Client):
    """The test client without its record of every template rendered and its context:
    copying the contexts of a page's dozens of includes doubles the cost of a request, and
    the fuzz reads only the status code. Exceptions still propagate, as a 500 would."""

    def request(self, **request):
        response = self.handler(self._base_environ(**request))
        if response.cookies:
            self.cookies.update(response.cookies)
        return response


@pytest.fixture
def world():
    dag = make_group("DAG", name="Design Advisory Group")
    client = PostOnlyClient()
    client.force_login(make_user(group=dag, role=Role.SECRETARIAT))
    dag028 = make_meeting(dag, number=28, date=datetime.date(2023, 9, 13))
    meeting = make_meeting(dag, number=29, date=datetime.date(2023, 10, 11))
    person = make_person("Seth Chapman")
    line = Attendance.objects.create(meeting=meeting, person=person, category="industry")
    item = AgendaItem.objects.create(meeting=meeting, number="4", title="CR032")
    action = make_action(dag028, text="Raise DINs for CR024 and CR025")
    return {
        "client": client,
        "meeting": meeting,
        "line": line,
        "item": item,
        "person": person,
        "action": action,
    }


def assert_answered(response):
    assert response.status_code in (200, 302), response.status_code


def post_undone(client, url, data, **headers):
    """Post, then undo what the post wrote: for forms whose page lists what they create
    (guests, records, updates), so that every example costs the same instead of each
    page growing with the examples before it."""
    with transaction.atomic():
        response = client.post(url, data, **headers)
        transaction.set_rollback(True)
    return response


def test_fuzz_schedule_meeting(world):
    url = reverse("meetings:meeting_create", args=["DAG"])

    @FUZZ
    @given(
        posted(
            number=st.one_of(numbers, anything),
            point=st.one_of(numbers, st.just("0")),
            title=anything,
            date=st.one_of(dates, anything),
            start_time=st.one_of(times, anything),
            end_time=st.one_of(times, anything),
            venue=anything,
            classification=field("public", "internal", "confidential"),
        )
    )
    def run(data):
        assert_answered(world["client"].post(url, data))

    run()


def test_fuzz_attendance_line(world):
    line, url = world["line"], reverse("meetings:attendance", args=[world["meeting"].pk])
    prefix = f"line-{line.pk}-"

    @FUZZ
    @given(
        posted(
            category=st.one_of(st.just("industry"), field("chair", "other")),
            status=field("expected", "present", "apologies"),
            role=anything,
            initials=anything,
            on_behalf_of=field(str(world["person"].pk), ""),
            part_meeting=field("on"),
            remove=st.one_of(anything, st.just("")),
        )
    )
    def run(data):
        # A line removed by an earlier example comes back, so every example has one.
        Attendance.objects.get_or_create(
            pk=line.pk,
            defaults={"meeting": world["meeting"], "person": line.person, "category": "other"},
        )
        assert_answered(world["client"].post(url, {prefix + k: v for k, v in data.items()}))

    run()


def test_fuzz_add_guest(world):
    url = reverse("meetings:attendance_add_guest", args=[world["meeting"].pk])

    @SMALL_FUZZ
    @given(
        posted(
            name=anything,
            organisation=anything,
            email=st.one_of(anything, st.emails().map(lambda e: e[:254])),
            category=field("chair", "industry", "programme", "other"),
            role=anything,
        ),
        st.booleans(),
    )
    def run(data, htmx):
        assert_answered(post_undone(world["client"], url, data, **(HTMX if htmx else {})))

    run()


def test_fuzz_agenda_item(world):
    item = world["item"]
    url = reverse("meetings:agenda_item_edit", args=[item.meeting_id, item.pk])

    @FUZZ
    @given(
        posted(
            number=anything,
            title=anything,
            lead=field(str(world["person"].pk)),
            item_type=field("decision", "information", "discussion"),
            duration_minutes=st.one_of(numbers, anything),
            objective=anything,
        )
    )
    def run(data):
        assert_answered(world["client"].post(url, data))

    run()


def test_fuzz_minutes_save(world):
    item = world["item"]
    url = reverse("meetings:minutes_save", args=[item.meeting_id, item.pk])

    @FUZZ
    @given(
        posted(text=st.text(max_size=200), version=st.one_of(numbers, anything)),
        htmx_mostly,
    )
    def run(data, htmx):
        assert_answered(world["client"].post(url, data, **(HTMX if htmx else {})))

    run()


def test_fuzz_raise_action(world):
    item = world["item"]
    url = reverse("meetings:inline_record", args=[item.meeting_id, item.pk, "action"])
    prefix = f"action{item.pk}-"

    @FUZZ
    @given(
        posted(
            text=anything,
            area=anything,
            owners=st.lists(field(str(world["person"].pk)), max_size=3),
            owner_party=anything,
            due_kind=field("date", "asap", "next_meeting"),
            due_date=st.one_of(dates, anything),
        ),
        htmx_mostly,
    )
    def run(data, htmx):
        data = {prefix + key: value for key, value in data.items()}
        assert_answered(post_undone(world["client"], url, data, **(HTMX if htmx else {})))

    run()


def test_fuzz_record_decision(world):
    item = world["item"]
    url = reverse("meetings:inline_record", args=[item.meeting_id, item.pk, "decision"])
    prefix = f"decision{item.pk}-"

    @SMALL_FUZZ
    @given(posted(wording=anything, area=st.text(max_size=400)), htmx_mostly)
    def run(data, htmx):
        data = {prefix + key: value for key, value in data.items()}
        assert_answered(post_undone(world["client"], url, data, **(HTMX if htmx else {})))

    run()


def test_fuzz_review_of_actions(world):
    action = world["action"]
    url = reverse("meetings:action_review", args=[world["meeting"].pk])

    @FUZZ
    @given(
        posted(
            date=st.one_of(dates, anything),
            status=field("open", "ongoing", "recommend_closed", "closed", ""),
            text=st.one_of(anything, st.just("")),
        )
    )
    def run(data):
        fields = {"date": "date", "status": f"{action.pk}-status", "text": f"{action.pk}-text"}
        data = {fields[key]: value for key, value in data.items()}
        assert_answered(post_undone(world["client"], url, data))

    run()
