"""A meeting in the future takes its agenda and expected attendance; its minutes, the
records raised inline, the review of actions, the RAID review and issuing open when it
starts (Meeting.records_closed_reason, the one rule). Until then each control shows,
disabled, with the reason, and the server refuses a POST with the same message, saving
nothing. The clock is set with a patch of django.utils.timezone.now."""

import datetime
import re
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions.models import Action, ActionUpdate, DueKind
from actions.services import action_add_update, action_create
from core.models import Role
from core.versions import record_version
from decisions.models import Decision
from decisions.services import decision_create
from meetings.minutes_approval import minutes_approve
from meetings.minutes_workflow import minutes_issue
from meetings.models import AgendaItem, Attendance, AttendanceStatus, MeetingStatus
from meetings.services import MeetingNotStarted
from raid.models import RaidReview
from raid.services import raid_item_create
from tests.factories import make_action, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
LONDON = ZoneInfo("Europe/London")
# DAG031 starts at 10:00 on 12/06/2024 (British Summer Time: 09:00 UTC).
STARTS = datetime.datetime(2024, 6, 12, 10, 0, tzinfo=LONDON)
REASON = "Minutes open when the meeting starts, 12/06/2024 10:00"


@pytest.fixture
def clock():
    """Set the time: clock(datetime) makes timezone.now() return it for the rest of the test."""
    with mock.patch("django.utils.timezone.now") as now:

        def set_to(moment):
            now.return_value = moment

        set_to(STARTS - datetime.timedelta(minutes=1))
        yield set_to


@pytest.fixture
def earlier(dag):
    return make_meeting(dag, number=30, date=datetime.date(2024, 5, 15), status=MeetingStatus.HELD)


@pytest.fixture
def meeting(dag, earlier):
    return make_meeting(
        dag,
        number=31,
        date=STARTS.date(),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(12, 0),
    )


@pytest.fixture
def item(meeting):
    return AgendaItem.objects.create(meeting=meeting, number="4", order=4, title="CR032")


@pytest.fixture
def open_action(earlier):
    return make_action(earlier, text="NGESO to amend CR032")


@pytest.fixture
def risk(dag):
    return raid_item_create(title="Risks not linked to milestones", group=dag)


@pytest.fixture
def pmo(client, secretariat):
    client.force_login(secretariat)
    return client


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def record_data(kind, item, risk):
    prefix = f"{kind}{item.pk}"
    if kind == "action":
        return {
            f"{prefix}-text": "NGESO to amend CR032",
            f"{prefix}-owner_party": "NGESO",
            f"{prefix}-due_kind": DueKind.ASAP,
        }
    if kind == "decision":
        return {f"{prefix}-wording": "CR032 to go to impact assessment", f"{prefix}-area": "CR032"}
    return {f"{prefix}-raid_item": risk.pk, f"{prefix}-discussion": "Discussed"}


def saved(meeting):
    """What the gated controls write, counted: nothing may change while they are closed."""
    meeting.refresh_from_db()
    return {
        "minutes": list(meeting.agenda_items.values_list("minutes", "minutes_version")),
        "status": meeting.status,
        "actions": Action.objects.filter(meeting=meeting).count(),
        "decisions": Decision.objects.filter(meeting=meeting).count(),
        "updates": ActionUpdate.objects.filter(meeting=meeting).count(),
        "raid_reviews": RaidReview.objects.filter(meeting=meeting).count(),
        "events": meeting.minutes_events.count(),
    }


# The rule


def test_the_records_open_when_the_meeting_starts_in_london_time(meeting):
    assert meeting.records_open_at == STARTS
    assert meeting.records_closed_reason(STARTS - datetime.timedelta(seconds=1)) == REASON
    assert meeting.records_closed_reason(STARTS) == ""
    assert meeting.records_closed_reason(STARTS + datetime.timedelta(days=1)) == ""


def test_a_meeting_without_a_start_time_opens_at_the_start_of_its_day(meeting):
    meeting.start_time = meeting.end_time = None
    midnight = datetime.datetime(2024, 6, 12, tzinfo=LONDON)
    assert meeting.records_closed_reason(midnight - datetime.timedelta(seconds=1)) == (
        "Minutes open when the meeting starts, 12/06/2024 00:00"
    )
    assert meeting.records_closed_reason(midnight) == ""


# Before the start: every control shows, disabled, with the reason


@pytest.mark.parametrize(
    "page, control",
    [
        ("minutes_write", ">Save item 4</button>"),
        ("minutes_write", ">Raise action<"),
        ("minutes_write", ">Record decision<"),
        ("minutes_write", ">RAID item discussed<"),
        ("inline_action", ">Raise an action</button>"),
        ("inline_decision", ">Record a decision</button>"),
        ("inline_raid", ">RAID item discussed</button>"),
        ("action_review", ">Record updates</button>"),
        ("raid_review_meeting", ">Save RAID review</button>"),
        ("minutes_document", ">Issue minutes</button>"),
    ],
)
def test_before_the_start_each_control_is_shown_disabled_with_the_reason(
    pmo, clock, meeting, item, open_action, risk, page, control
):
    if page.startswith("inline_"):
        address = url("inline_record", meeting.pk, item.pk, page.removeprefix("inline_"))
    else:
        address = url(page, meeting.pk)

    content = pmo.get(address).content.decode()

    assert f'disabled aria-describedby="records-closed"{control}' in content
    assert f'id="records-closed" role="note">{REASON}</p>' in content


def tag(page, name):
    return re.search(rf'<textarea[^>]*name="{name}"[^>]*>', page).group(0)


def test_before_the_start_the_review_fields_are_disabled_too(
    pmo, clock, meeting, open_action, risk
):
    review = pmo.get(url("action_review", meeting.pk)).content.decode()
    assert " disabled" in tag(review, f"{open_action.pk}-text")
    raid = pmo.get(url("raid_review_meeting", meeting.pk)).content.decode()
    assert " disabled" in tag(raid, f"item-{risk.pk}-discussion")


# Before the start: the server refuses with the same message and saves nothing


def test_saving_minutes_is_refused(pmo, clock, meeting, item):
    before = saved(meeting)

    htmx = pmo.post(url("minutes_save", meeting.pk, item.pk), {"text": "x", "version": 0}, **HTMX)
    plain = pmo.post(url("minutes_save", meeting.pk, item.pk), {"text": "x", "version": 0})

    assert htmx.status_code == plain.status_code == 200
    assert REASON in htmx.content.decode()
    assert "Saved at" not in htmx.content.decode()
    assert REASON in plain.content.decode()
    assert saved(meeting) == before


@pytest.mark.parametrize("kind", ["action", "decision", "raid"])
@pytest.mark.parametrize("htmx", [True, False])
def test_raising_a_record_inline_is_refused(pmo, clock, meeting, item, risk, kind, htmx):
    before = saved(meeting)

    response = pmo.post(
        url("inline_record", meeting.pk, item.pk, kind),
        record_data(kind, item, risk),
        **(HTMX if htmx else {}),
    )

    assert response.status_code == 200
    assert REASON in response.content.decode()
    assert saved(meeting) == before


def test_the_review_of_actions_is_refused(pmo, clock, meeting, open_action):
    before = saved(meeting)

    response = pmo.post(
        url("action_review", meeting.pk),
        {"date": "12/06/2024", f"{open_action.pk}-text": "Ongoing"},
    )

    assert response.status_code == 200
    assert REASON in response.content.decode()
    assert saved(meeting) == before
    assert not open_action.updates.exists()


def test_the_raid_review_is_refused(pmo, clock, meeting, risk):
    before = saved(meeting)

    response = pmo.post(
        url("raid_review_meeting", meeting.pk),
        {
            f"item-{risk.pk}-discussion": "Discussed",
            f"item-{risk.pk}-conclusion": "Noted",
            f"item-{risk.pk}-version": 0,
        },
        follow=True,
    )

    assert REASON in response.content.decode()
    assert saved(meeting) == before


def test_issuing_is_refused(pmo, clock, meeting, secretariat):
    before = saved(meeting)

    response = pmo.post(url("minutes_issue", meeting.pk), follow=True)

    assert REASON in response.content.decode()
    assert saved(meeting) == before
    assert meeting.minutes_issue_date is None
    with pytest.raises(MeetingNotStarted, match=REASON):
        minutes_issue(meeting=meeting, user=secretariat)


def test_a_decision_from_the_decisions_pages_is_refused_for_a_future_meeting(
    pmo, clock, dag, meeting
):
    response = pmo.post(
        "/decisions/new/",
        {"group": dag.pk, "meeting": meeting.pk, "area": "CR032", "wording": "Agreed"},
    )

    assert response.status_code == 200
    assert REASON in response.content.decode()
    assert not Decision.objects.exists()
    # The meeting is still offered: the reason says when it opens.
    assert meeting in response.context["form"].fields["meeting"].queryset


def test_the_services_refuse_records_at_a_meeting_yet_to_start(
    clock, dag, meeting, open_action, secretariat
):
    """Whatever page or import calls them, the services apply the rule too."""
    with pytest.raises(ValidationError) as action_refused:
        action_create(group=dag, meeting=meeting, text="Early", date_raised=meeting.date)
    with pytest.raises(ValidationError) as decision_refused:
        decision_create(group=dag, meeting=meeting, wording="Agreed", area="CR032")
    with pytest.raises(ValidationError) as update_refused:
        action_add_update(
            action=open_action, text="Closed", date=meeting.date, status="closed", meeting=meeting
        )
    for refused in (action_refused, decision_refused, update_refused):
        assert refused.value.message_dict == {"meeting": [REASON]}
    assert saved(meeting)["actions"] == saved(meeting)["decisions"] == 0
    assert saved(meeting)["updates"] == 0


def test_an_update_given_at_a_meeting_yet_to_start_is_refused_at_the_field(
    pmo, clock, meeting, open_action
):
    response = pmo.post(
        reverse("actions:action_update", args=[open_action.reference]),
        {
            "text": "Closed at DAG031",
            "status": "closed",
            "date": "11/06/2024",
            "meeting": meeting.pk,
        },
    )

    assert response.status_code == 200
    assert REASON in response.context["form"].errors["meeting"]
    open_action.refresh_from_db()
    assert open_action.status != "closed" and not open_action.updates.exists()


def test_minutes_cannot_be_approved_at_a_meeting_yet_to_start(clock, dag, earlier, meeting):
    chair = make_user(group=dag, role=Role.CHAIR)
    earlier.status = MeetingStatus.MINUTES_ISSUED
    earlier.save()

    with pytest.raises(Exception, match=REASON) as refused:
        minutes_approve(meeting=earlier, user=chair, at_meeting=meeting)

    assert refused.value.message_dict == {"at_meeting": [REASON]}
    assert not Decision.objects.exists()
    earlier.refresh_from_db()
    assert earlier.status == MeetingStatus.MINUTES_ISSUED


def test_people_are_not_marked_present_before_the_start(pmo, clock, dag, meeting):
    guest = make_person("Daniel Arrowsmith")
    pmo.post(url("attendance_add_person", meeting.pk), {"person": guest.pk})
    line = Attendance.objects.get(meeting=meeting, person=guest)
    # Added before the meeting, they are expected, not present.
    assert line.status == AttendanceStatus.EXPECTED
    prefix = f"line-{line.pk}"
    form = {
        f"{prefix}-category": line.category,
        f"{prefix}-role": "",
        f"{prefix}-initials": "DA",
        f"{prefix}-version": record_version(line),
    }

    refused = pmo.post(url("attendance", meeting.pk), {**form, f"{prefix}-status": "present"})

    assert REASON in refused.content.decode()
    line.refresh_from_db()
    assert (line.status, line.initials) == (AttendanceStatus.EXPECTED, line.initials)
    pmo.post(url("attendance", meeting.pk), {**form, f"{prefix}-status": "apologies"})
    line.refresh_from_db()
    assert line.status == AttendanceStatus.APOLOGIES


# Before the start the agenda and the expected attendance work


def test_the_agenda_and_expected_attendance_work_before_the_start(pmo, clock, dag, meeting):
    make_user(group=dag, role=Role.MEMBER, person_name="Paul Pettitt")

    response = pmo.post(
        url("agenda", meeting.pk), {"number": "1", "title": "Welcome", "item_type": "information"}
    )
    added = pmo.post(url("attendance_add_members", meeting.pk))

    assert response.status_code == added.status_code == 302
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Welcome"]
    statuses = set(meeting.attendances.values_list("status", flat=True))
    assert statuses == {AttendanceStatus.EXPECTED}
    assert meeting.attendances.filter(person__name="Paul Pettitt").exists()
    page = pmo.get(url("agenda", meeting.pk)).content.decode()
    assert "records-closed" not in page


# From the start everything opens


def test_from_the_start_everything_opens(pmo, clock, meeting, item, open_action, risk):
    clock(STARTS)
    for page in ("minutes_write", "action_review", "raid_review_meeting", "minutes_document"):
        assert "records-closed" not in pmo.get(url(page, meeting.pk)).content.decode()

    pmo.post(url("minutes_save", meeting.pk, item.pk), {"text": "Discussed", "version": 0})
    for kind in ("action", "decision"):
        pmo.post(url("inline_record", meeting.pk, item.pk, kind), record_data(kind, item, risk))
    pmo.post(
        url("action_review", meeting.pk),
        {"date": "12/06/2024", f"{open_action.pk}-text": "Ongoing"},
    )
    pmo.post(
        url("raid_review_meeting", meeting.pk),
        {f"item-{risk.pk}-discussion": "Noted", f"item-{risk.pk}-version": 0},
    )
    # The decision recorded above awaits the chair: issuing is confirmed.
    pmo.post(url("minutes_issue", meeting.pk), {"confirm_awaiting": "1"})

    assert saved(meeting) == {
        "minutes": [("Discussed", 1)],
        "status": MeetingStatus.MINUTES_ISSUED,
        "actions": 1,
        "decisions": 1,
        "updates": 1,
        "raid_reviews": 1,
        "events": 1,
    }
    assert meeting.minutes_issue_date == STARTS.date()
