"""A past meeting recorded as it happened, through the secretariat's ordinary pages: the
minutes issued on the date the paper gives, decisions taken on their day by the chair,
the minutes' approval on its day by the chair (who has no account), and two dates of
next meetings. The minutes page and PDF print the historical dates; the history keeps
who entered them and when. Bad dates are refused at their field with nothing saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from core.versions import record_version
from decisions.models import Decision, DecisionStatus
from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    MinutesEvent,
    MinutesEventKind,
    MinutesIssue,
)
from tests.factories import DecisionFactory, make_group, make_meeting, make_person, make_user
from tests.meetings.test_minutes_page_pdf_agree import page_text, pdf_text

pytestmark = pytest.mark.django_db

ISSUED = datetime.date(2023, 10, 18)


@pytest.fixture
def dag():
    return make_group("DAG", name="Design Advisory Group", programme_label="MHHS")


@pytest.fixture
def chair(dag):
    """Justin Andrews chaired DAG029 but has no account in the tracker."""
    person = make_person("Justin Andrews")
    person.memberships.create(group=dag, role=Role.CHAIR)
    return person


@pytest.fixture
def secretariat(dag):
    return make_user("pmo", group=dag, role=Role.SECRETARIAT, person_name="Fraser Mathieson")


@pytest.fixture
def dag29(dag):
    return make_meeting(
        dag,
        number=29,
        date=datetime.date(2023, 10, 11),
        start_time=datetime.time(10),
        end_time=datetime.time(13),
        status=MeetingStatus.HELD,
    )


@pytest.fixture
def item(dag29):
    return AgendaItem.objects.create(
        meeting=dag29, number="4", order=4, title="CR032 Impact Assessment"
    )


@pytest.fixture
def pmo(client, secretariat):
    client.force_login(secretariat)
    return client


def issue(client, meeting, issued_on):
    return client.post(
        reverse("meetings:minutes_issue", args=[meeting.pk]), {"issued_on": issued_on}
    )


def test_minutes_issued_on_the_papers_date_print_it_and_keep_the_entry_time(
    pmo, dag29, secretariat
):
    before = timezone.now()

    response = issue(pmo, dag29, "2023-10-18")

    assert response.status_code == 302
    dag29.refresh_from_db()
    assert dag29.status == MeetingStatus.MINUTES_ISSUED
    assert dag29.minutes_issue_date == ISSUED
    event = MinutesEvent.objects.get(meeting=dag29, kind=MinutesEventKind.ISSUED)
    assert event.on_date == ISSUED
    assert event.by == secretariat
    assert event.at >= before  # entered now, dated as the paper
    change = dag29.history.first()
    assert change.minutes_issue_date == ISSUED
    assert change.history_user == secretariat
    assert change.history_date >= before
    issued = MinutesIssue.objects.get(meeting=dag29)
    assert issued.data["header"]["issue_date"] == "2023-10-18"
    page = pmo.get(reverse("meetings:minutes_document", args=[dag29.pk])).content.decode()
    assert "Issue date: 18/10/2023" in page
    assert "Minutes issued</strong>\n          18/10/2023" in page
    assert f"entered {timezone.localtime(event.at):%d/%m/%Y}" in page
    assert "Issue date: 18/10/2023" in pdf_text(dag29)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2023-02-30", "Enter a valid date."),
        ("2099-01-01", "The minutes cannot be issued in the future."),
        ("2023-10-10", "Minutes cannot be issued before the meeting (11/10/2023)."),
    ],
)
def test_a_bad_issue_date_is_refused_at_its_field_with_nothing_saved(pmo, dag29, typed, message):
    response = issue(pmo, dag29, typed)

    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert 'id="id_issued_on_error"' in content
    assert f'value="{typed}"' in content  # what was typed is kept
    dag29.refresh_from_db()
    assert dag29.status == MeetingStatus.HELD
    assert dag29.minutes_issue_date is None
    assert not MinutesEvent.objects.filter(meeting=dag29).exists()
    assert not MinutesIssue.objects.filter(meeting=dag29).exists()


def test_issuing_without_a_date_issues_today(pmo, dag29):
    issue(pmo, dag29, "")

    dag29.refresh_from_db()
    assert dag29.minutes_issue_date == timezone.localdate()
    assert MinutesEvent.objects.get(meeting=dag29).on_date is None


def decision_post(item, **extra):
    return {
        f"decision{item.pk}-wording": "The SRO agreed CR032 should be issued to Impact Assessment",
        f"decision{item.pk}-area": "CR032 Impact Assessment",
        **{f"decision{item.pk}-{name}": value for name, value in extra.items()},
    }


def record_url(item):
    return reverse("meetings:inline_record", args=[item.meeting_id, item.pk, "decision"])


def test_a_past_meetings_decision_is_recorded_as_taken_by_the_chair_on_its_day(
    pmo, item, chair, secretariat
):
    form = pmo.get(record_url(item)).content.decode()
    assert f'<option value="{chair.pk}" selected>Justin Andrews</option>' in form

    response = pmo.post(
        record_url(item), decision_post(item, taken_on="2023-10-11", taken_by=chair.pk)
    )

    assert response.status_code == 302
    decision = Decision.objects.get(agenda_item=item)
    assert decision.status == DecisionStatus.APPROVED
    assert timezone.localtime(decision.decided_at).date() == datetime.date(2023, 10, 11)
    assert timezone.localtime(decision.decided_at).time() == datetime.time(10)
    assert decision.decided_by == chair
    assert decision.decided_by_user is None  # the chair has no account
    assert decision.history.first().history_user == secretariat
    page = pmo.get(reverse("decisions:decision_detail", args=[decision.reference]))
    assert "11/10/2023" in page.content.decode()
    assert "Justin Andrews" in page.content.decode()


def test_a_decision_without_its_day_is_proposed_though_the_chair_is_preselected(pmo, item, chair):
    """The form offers the chair as who took it; a browser posts that choice even for a
    plain proposal, which still goes to the chair to approve."""
    response = pmo.post(record_url(item), decision_post(item, taken_by=chair.pk))

    assert response.status_code == 302
    decision = Decision.objects.get(agenda_item=item)
    assert decision.status == DecisionStatus.PROPOSED
    assert decision.decided_by is None


def test_a_past_decision_keeps_the_papers_reference(pmo, item, chair, dag):
    DecisionFactory(group=dag, reference="DAG-DEC76")

    taken = decision_post(item, taken_on="2023-10-11", taken_by=chair.pk, reference="dag-dec76")
    refused = pmo.post(record_url(item), taken)
    assert "DAG-DEC76 is already" in refused.content.decode()
    assert f'id="id_decision{item.pk}-reference_error"' in refused.content.decode()
    assert Decision.objects.filter(agenda_item=item).count() == 0

    Decision.objects.filter(reference="DAG-DEC76").update(reference="DAG-DEC74")
    response = pmo.post(record_url(item), taken, follow=True)

    decision = Decision.objects.get(agenda_item=item)
    assert decision.reference == "DAG-DEC76"  # as typed, in capitals
    assert "DECISION DAG-DEC76 recorded as taken on 11/10/2023" in response.content.decode()
    # Left empty, the next one follows the highest.
    other = AgendaItem.objects.create(meeting=item.meeting, number="5", order=5, title="CoCo")
    pmo.post(record_url(other), decision_post(other, taken_on="2023-10-11", taken_by=chair.pk))
    assert Decision.objects.get(agenda_item=other).reference == "DAG-DEC77"


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"taken_on": "2023-10-32"}, "taken_on", "Enter a valid date."),
        ({"taken_on": "2023-10-10"}, "taken_on", "Give a day from the meeting (11/10/2023)"),
        ({"taken_on": "2023-10-11"}, "taken_by", "Name who took it: the chair."),
    ],
)
def test_a_bad_decision_date_is_refused_at_its_field(pmo, item, extra, field, message):
    response = pmo.post(record_url(item), decision_post(item, **extra))

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert f'id="id_decision{item.pk}-{field}_error"' in content
    assert "should be issued to Impact Assessment</textarea>" in content
    assert not Decision.objects.exists()


def test_todays_meeting_takes_no_decision_as_already_taken(pmo, dag, chair):
    today = make_meeting(dag, number=40, date=timezone.localdate(), status=MeetingStatus.HELD)
    item = AgendaItem.objects.create(meeting=today, number="1", title="Welcome")

    response = pmo.post(
        record_url(item), decision_post(item, taken_on=f"{today.date:%Y-%m-%d}", taken_by=chair.pk)
    )

    assert (
        "Only a meeting held before today records a decision as taken." in response.content.decode()
    )
    assert not Decision.objects.exists()


@pytest.fixture
def dag28_issued(dag):
    return make_meeting(
        dag,
        number=28,
        date=datetime.date(2023, 9, 13),
        status=MeetingStatus.MINUTES_ISSUED,
        minutes_issue_date=datetime.date(2023, 9, 20),
    )


def approval_url(meeting):
    return reverse("meetings:minutes_record_approval", args=[meeting.pk])


def test_the_secretariat_records_a_past_approval_by_the_chair_without_an_account(
    pmo, dag28_issued, dag29, chair, secretariat
):
    page = pmo.get(approval_url(dag28_issued)).content.decode()
    assert 'value="11/10/2023"' in page  # the next meeting's day, offered
    assert f'<option value="{chair.pk}" selected>Justin Andrews</option>' in page

    response = pmo.post(
        approval_url(dag28_issued),
        {
            "approved_on": "2023-10-11",
            "approved_by": chair.pk,
            "at_meeting": dag29.pk,
            "headline": "on",
            "change_marked": "on",
        },
    )

    assert response.status_code == 302
    decision = Decision.objects.get(approves_minutes_of=dag28_issued)
    assert decision.wording == (
        "Headline Report and change marked Minutes of DAG meeting held 13 September 2023 approved"
    )
    assert decision.status == DecisionStatus.APPROVED
    assert decision.meeting == dag29
    assert decision.decided_by == chair
    assert decision.decided_by_user is None
    assert timezone.localtime(decision.decided_at).date() == datetime.date(2023, 10, 11)
    assert decision.history.first().history_user == secretariat
    dag28_issued.refresh_from_db()
    assert dag28_issued.status == MeetingStatus.MINUTES_APPROVED
    assert dag28_issued.minutes_approved_date == datetime.date(2023, 10, 11)
    event = MinutesEvent.objects.get(meeting=dag28_issued, kind=MinutesEventKind.APPROVED)
    assert (event.on_date, event.by_person, event.by) == (
        datetime.date(2023, 10, 11),
        chair,
        secretariat,
    )
    minutes_page = pmo.get(reverse("meetings:minutes_document", args=[dag28_issued.pk]))
    assert "Minutes approved</strong>\n          11/10/2023 by Justin Andrews" in (
        minutes_page.content.decode()
    )
    # DAG029's minutes list the approval among its decisions.
    assert decision.reference in page_text(pmo, dag29)


@pytest.mark.parametrize(
    ("approved_on", "message"),
    [
        ("2023-09-31", "Enter a valid date."),
        ("2023-09-19", "Minutes cannot be approved before they were issued (20/09/2023)."),
        ("2099-01-01", "Give a past day: the chair approves today"),
    ],
)
def test_a_bad_approval_date_is_refused_at_its_field_with_nothing_saved(
    pmo, dag28_issued, dag29, chair, approved_on, message
):
    response = pmo.post(
        approval_url(dag28_issued),
        {"approved_on": approved_on, "approved_by": chair.pk, "at_meeting": dag29.pk},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'id="id_approved_on_error"' in content
    assert not Decision.objects.exists()
    dag28_issued.refresh_from_db()
    assert dag28_issued.status == MeetingStatus.MINUTES_ISSUED
    assert not MinutesEvent.objects.filter(meeting=dag28_issued).exists()


def test_only_the_groups_secretariat_records_a_past_approval(client, dag28_issued, dag, chair):
    data = {"approved_on": "2023-10-11", "approved_by": chair.pk}
    client.force_login(make_user("member", group=dag, role=Role.MEMBER))
    assert client.post(approval_url(dag28_issued), data).status_code == 403
    other = make_group("PSG")
    client.force_login(make_user("psg", group=other, role=Role.SECRETARIAT))
    assert client.post(approval_url(dag28_issued), data).status_code == 404
    assert not Decision.objects.exists()
    assert Meeting.objects.get(pk=dag28_issued.pk).status == MeetingStatus.MINUTES_ISSUED


def edit_data(meeting, **changes):
    return {
        "version": record_version(meeting),  # the edit form's hidden field
        "title": meeting.title,
        "date": f"{meeting.date:%Y-%m-%d}",
        "start_time": "10:00",
        "end_time": "13:00",
        "venue": meeting.venue,
        "classification": "public",
        "status": MeetingStatus.HELD,
        **changes,
    }


def test_two_next_meeting_dates_print_on_the_minutes_page_and_pdf(pmo, dag29):
    response = pmo.post(
        reverse("meetings:meeting_edit", args=[dag29.pk]),
        edit_data(
            dag29,
            next_meeting_date="2023-11-08",
            following_meeting_date="2023-12-13",
            next_meeting_time="10:00",
        ),
    )

    assert response.status_code == 302
    words = "Date of next meeting 08 November, 13 December 2023 10am"
    assert words in page_text(pmo, dag29)
    assert "Date of next meeting: 08 November, 13 December 2023 10am" in pdf_text(dag29)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"next_meeting_date": "2023-11-08", "following_meeting_date": "2023-11-31"},
            "following_meeting_date",
            "Enter a valid date.",
        ),
        (
            {"next_meeting_date": "2023-11-08", "following_meeting_date": "2023-11-01"},
            "following_meeting_date",
            "Give the next meeting&#x27;s date first; this one comes after it.",
        ),
        (
            {"following_meeting_date": "2023-12-13"},
            "following_meeting_date",
            "Give the next meeting&#x27;s date first",
        ),
    ],
)
def test_a_bad_second_date_is_refused_at_its_field(pmo, dag29, changes, field, message):
    response = pmo.post(
        reverse("meetings:meeting_edit", args=[dag29.pk]), edit_data(dag29, **changes)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert f'id="id_{field}_error"' in response.content.decode()
    dag29.refresh_from_db()
    assert dag29.next_meeting_date is None
    assert dag29.following_meeting_date is None
