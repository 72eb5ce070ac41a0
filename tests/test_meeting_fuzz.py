"""Fuzzing the secretariat's main meeting forms with hypothesis: whatever is posted, the
answer is a page (with the errors at the fields) or a redirect, never a server error.

Each test posts straight to the view with one logged-in client; the database keeps what
the valid examples create, as a secretariat's long session would.
"""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.models import AgendaItem, Attendance, Role
from tests.factories import make_group, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db
EXAMPLES = 200
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HTMX = {"HTTP_HX_REQUEST": "true"}

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


@pytest.fixture
def world(client):
    dag = make_group("DAG", name="Design Advisory Group")
    client.force_login(make_user(group=dag, role=Role.SECRETARIAT))
    meeting = make_meeting(dag, number=29, date=datetime.date(2023, 10, 11))
    person = make_person("Seth Chapman")
    line = Attendance.objects.create(meeting=meeting, person=person, category="industry")
    item = AgendaItem.objects.create(meeting=meeting, number="4", title="CR032")
    return {"client": client, "meeting": meeting, "line": line, "item": item, "person": person}


def assert_answered(response):
    assert response.status_code in (200, 302), response.status_code


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
        st.booleans(),
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
        st.booleans(),
    )
    def run(data, htmx):
        data = {prefix + key: value for key, value in data.items()}
        assert_answered(world["client"].post(url, data, **(HTMX if htmx else {})))

    run()
