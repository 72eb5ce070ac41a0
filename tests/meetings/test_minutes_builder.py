"""meetings/minutes.py: the data of a meeting's Minutes and Actions, as the DAG029 paper."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import ActionStatus
from actions.services import action_add_update
from core.references import reference_sort_key
from decisions.services import decision_create
from meetings.minutes import CLOSED_HERE, PREVIOUS_MEETINGS, QUERY_COUNT, build_minutes, clock_time
from meetings.models import AgendaItem, Attendance, Meeting
from raid.services import raid_item_create, raid_review_record
from tests.demo_data import load_demo
from tests.factories import make_action, make_group, make_meeting, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def dag029(demo):
    return Meeting.objects.get(group__code="DAG", number=29)


def test_dag029_header_and_attendees_in_the_paper_order(dag029):
    minutes = build_minutes(dag029)
    header = minutes.header
    assert header.group_title == "MHHS Design Advisory Group (DAG)"
    assert (header.meeting_code, header.venue, header.classification) == (
        "DAG029",
        "Virtual – MS Teams",
        "Public",
    )
    assert header.date_and_time == "11 October 2023 1000-1300"
    assert header.issue_date == datetime.date(2023, 10, 18)
    assert [s.heading for s in minutes.attendee_sections] == [
        "Chair",
        "Industry Representatives",
        "MHHS",
        "Other Attendees",
        "Apologies",
    ]
    lines = {s.heading: [line.label for line in s.lines] for s in minutes.attendee_sections}
    assert lines["Chair"] == ["Justin Andrews"]
    assert lines["Industry Representatives"][3] == (
        "Morven Hunter (MHu) (on behalf of Donna Jamieson)"
    )
    assert "Stuart Scott (SS) (part meeting)" in lines["Industry Representatives"]
    assert lines["MHHS"][0] == "Andrew Margan (AM) (part meeting)"
    assert lines["Apologies"] == ["Caroline Farquhar"]
    assert minutes.next_meeting == "08 November 2023 10am"


def test_dag029_actions_grouped_by_area_previous_meetings_last(dag029):
    minutes = build_minutes(dag029)
    groups = [(g.area, [r.reference for r in g.rows]) for g in minutes.action_groups]
    assert groups[:6] == [
        ("CR032 Impact Assessment", ["DAG29-01"]),
        ("UTC vs Clock Times", ["DAG29-02", "DAG29-03"]),
        ("Testing Release Strategy", ["DAG29-04", "DAG29-05"]),
        ("DAG Terms of Reference", ["DAG29-06"]),
        ("Top Programme Risks related to DAG", ["DAG29-07"]),
        ("AOB (CR029)", ["DAG29-08"]),
    ]
    area, previous = groups[-2]
    assert area == PREVIOUS_MEETINGS and minutes.action_groups[-2].previous
    # DAG028's, then DAG027's; those the DAG029 minutes closed are not outstanding...
    assert previous[:3] == ["DAG28-04", "DAG28-12", "DAG27-08"]
    assert not {"DAG28-02", "DAG28-05", "DAG28-15"} & set(previous)
    assert previous == [row.reference for row in minutes.previous_actions]
    # ... but listed last, closed.
    area, closed = groups[-1]
    assert area == CLOSED_HERE and {"DAG28-02", "DAG28-05", "DAG28-15"} <= set(closed)
    assert {(row.closed, row.status_label) for row in minutes.action_groups[-1].rows} == {
        (True, "CLOSED")
    }
    first = minutes.action_groups[0].rows[0]
    assert (first.owner, first.due) == ("NGESO Representative (Daniel Arrowsmith)", "13/10/2023")
    assert [d.reference for d in minutes.decisions] == [
        "DAG-DEC75",
        "DAG-DEC76",
        "DAG-DEC77",
        "DAG-DEC78",
    ]


def test_dag029_minutes_keep_their_own_action_and_decision_lines(dag029):
    minutes = build_minutes(dag029)
    item4 = next(item for item in minutes.items if item.number == "4")
    assert item4.title == "CR032 Impact Assessment"
    # The minutes state DAG29-01 and DAG-DEC76 on lines of their own: nothing appended.
    assert item4.records == []
    assert (
        '<p class="minutes-record">ACTION <a href="/actions/DAG29-01/">DAG29-01</a>' in item4.html
    )
    assert '<a href="/change-requests/CR032/">CR032</a>' in item4.html
    assert [item.number for item in minutes.items] == [str(n) for n in range(1, 14)]


def _meeting_with(n, *, group_code="TG"):
    """A meeting with n attendees, agenda items, actions and decisions."""
    group = make_group(group_code, programme_label="Programme")
    meeting = make_meeting(group, number=5, date=datetime.date(2024, 3, 13))
    for i in range(n):
        Attendance.objects.create(
            meeting=meeting, person=make_person(), category="industry", initials=f"P{i}", order=i
        )
        item = AgendaItem.objects.create(
            meeting=meeting, number=str(i + 1), order=i, title=f"Item {i + 1}", minutes="See CR001."
        )
        make_action(meeting, agenda_item=item, area=f"Area {i}", owners=[make_person()])
        decision_create(
            group=group,
            wording=f"Decision {i}",
            meeting=meeting,
            agenda_item=item,
            status="approved",
            decided_at=timezone.now(),
        )
        raid_review_record(
            raid_item=raid_item_create(title=f"Risk {i}", group=group),
            meeting=meeting,
            discussion="Discussed",
        )
    return meeting


def test_fixed_number_of_queries_whatever_the_meeting_size():
    """Attendees, actions and their owners, decisions, RAID items and reference links are
    read in bulk: no query per row (the N+1 this pins)."""
    small, large = _meeting_with(1, group_code="SG"), _meeting_with(15, group_code="LG")
    for meeting, n in ((small, 1), (large, 15)):
        # Outstanding actions of an earlier meeting: half with a history from before the
        # meeting (read as they were then, with their owners then), half typed in later.
        earlier = make_meeting(meeting.group, number=4, date=datetime.date(2024, 2, 14))
        for i in range(n + 1):
            action = make_action(earlier, owners=[make_person()])
            if i % 2:
                action.history.update(
                    history_date=timezone.make_aware(datetime.datetime(2024, 2, 15))
                )
    for meeting in (small, large):
        with CaptureQueriesContext(connection) as queries:
            build_minutes(meeting)
        assert len(queries) == QUERY_COUNT


def test_records_raised_at_an_item_but_not_minuted_are_appended():
    meeting = _meeting_with(2)
    item = meeting.agenda_items.get(number="1")
    item.minutes = "Discussed.\n\nACTION TG5-01: stated in the minutes already"
    item.save()
    minutes = build_minutes(meeting)
    first, second = minutes.items
    assert [(r.kind, r.reference) for r in first.records] == [("DECISION", "TG-DEC1")]
    assert [(r.kind, r.reference) for r in second.records] == [
        ("DECISION", "TG-DEC2"),
        ("ACTION", "TG5-02"),
    ]
    assert minutes.header.group_title == "TG group (TG)"  # default label: no prefix
    assert [s.heading for s in minutes.attendee_sections] == ["Industry Representatives"]


def test_html_in_the_minutes_comes_out_as_the_text_typed():
    meeting = _meeting_with(1)
    item = meeting.agenda_items.get()
    item.minutes = (
        "Before <script>alert(1)</script> **after** <img src=x onerror=alert(2)>\n\n"
        "<div>for <MPAN></div>"
    )
    item.save()
    html = build_minutes(meeting).items[0].html
    assert "<script" not in html and "<img" not in html and "<div" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html and "for &lt;MPAN&gt;" in html
    assert "<strong>after</strong>" in html  # Markdown still works


def test_links_cover_references_named_in_the_tables_text():
    """References in action texts and decision wordings are looked up with those in the
    minutes, in the same queries (at most QUERY_COUNT: with no outstanding actions, their
    owners, meetings and "Next DAG" dates are not read)."""
    meeting = _meeting_with(1)
    raid_item_create(title="Risk", group=meeting.group, reference="R999")
    meeting.actions.update(text="Programme to review R999 against TG-DEC1")
    meeting.decisions.update(wording="Approved, see CR404 (no such CR)")
    with CaptureQueriesContext(connection) as queries:
        minutes = build_minutes(meeting)
    assert len(queries) <= QUERY_COUNT
    assert minutes.links == {"R999": "/raid/R999/", "TG-DEC1": "/decisions/TG-DEC1/"}


def test_previous_actions_are_those_still_open_when_the_meeting_ended():
    group = make_group("PG")
    earlier = make_meeting(group, number=1, date=datetime.date(2024, 1, 10))
    this = make_meeting(group, number=2, date=datetime.date(2024, 2, 14))
    later = make_meeting(group, number=3, date=datetime.date(2024, 3, 13))
    still_open = make_action(earlier)
    closed_here = make_action(earlier)
    closed_later = make_action(earlier)
    closed_before = make_action(earlier)
    make_action(later)  # raised after: not outstanding yet
    make_action(make_meeting(make_group("OG"), number=1, date=earlier.date))  # another group
    for action, meeting, date in (
        (closed_here, this, this.date),
        (closed_later, later, later.date),
        (closed_before, None, datetime.date(2024, 1, 20)),
    ):
        action_add_update(
            action=action, text="Done", date=date, status=ActionStatus.CLOSED, meeting=meeting
        )
    minutes = build_minutes(this)
    assert [(g.area, g.previous) for g in minutes.action_groups] == [
        (PREVIOUS_MEETINGS, True),
        (CLOSED_HERE, True),
    ]
    assert [r.reference for r in minutes.previous_actions] == [
        still_open.reference,
        closed_later.reference,
    ]
    assert [r.reference for r in minutes.action_groups[-1].rows] == [closed_here.reference]


def test_an_action_closed_at_the_review_days_later_is_closed_not_outstanding():
    """The review may be recorded after the meeting, dated that day: the action was
    still closed at the meeting, and the review lists the dated update."""
    group = make_group("PG")
    earlier = make_meeting(group, number=1, date=datetime.date(2024, 1, 10))
    this = make_meeting(group, number=2, date=datetime.date(2024, 2, 14))
    closed, ongoing = make_action(earlier), make_action(earlier)
    later = this.date + datetime.timedelta(days=3)
    for action, status in ((closed, ActionStatus.CLOSED), (ongoing, ActionStatus.ONGOING)):
        action_add_update(action=action, text="Reviewed", date=later, status=status, meeting=this)
    minutes = build_minutes(this)
    assert [r.reference for r in minutes.previous_actions] == [ongoing.reference]
    assert [(r.reference, r.closed) for r in minutes.action_groups[-1].rows] == [
        (closed.reference, True)
    ]
    assert [(u.reference, u.date, u.status_label) for u in minutes.review] == [
        (closed.reference, later, "CLOSED"),
        (ongoing.reference, later, "ONGOING"),
    ]


def test_times_and_reference_order():
    assert clock_time(datetime.time(10, 0)) == "10am"
    assert clock_time(datetime.time(14, 30)) == "2:30pm"
    assert clock_time(datetime.time(12, 0)) == "12pm"
    assert sorted(["DAG29-10", "DAG29-02"], key=reference_sort_key) == ["DAG29-02", "DAG29-10"]
    assert sorted(["DAG-DEC100", "DAG-DEC99"], key=reference_sort_key) == [
        "DAG-DEC99",
        "DAG-DEC100",
    ]
