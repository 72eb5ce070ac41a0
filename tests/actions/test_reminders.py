"""Who gets which reminder on which day (actions/reminders.py).

The planning functions take "today"; the beat schedule and the task that reads the clock
are tested with the clock frozen.
"""

import copy
import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from actions.models import ActionStatus, DueKind
from actions.reminders import (
    Section,
    digest_subject,
    is_escalation_day,
    is_reminder_day,
    plan_daily,
    plan_digests,
    plan_escalations,
)
from actions.tasks import send_daily_reminders
from core.models import Membership, Role
from mhhs_gov.celery import app
from notifications.models import EmailKind, EmailStatus, OutboundEmail
from tests.factories import make_action, make_group, make_meeting, make_person

D = datetime.date
WEDNESDAY = D(2024, 6, 12)
LONDON = ZoneInfo("Europe/London")
# Queries of plan_digests(): longest window, secretariat, opt-outs, then chased_actions().
PLAN_DIGEST_QUERIES = 7


def london(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def freeze(monkeypatch):
    """Stops Django's clock at the given moment (timezone.now and all that reads it)."""
    return lambda moment: monkeypatch.setattr("django.utils.timezone.now", lambda: moment)


# Calendar rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "runs"),
    [
        (D(2024, 6, 12), True),  # Wednesday
        (D(2024, 6, 15), False),  # Saturday
        (D(2024, 6, 16), False),  # Sunday
        (D(2024, 8, 26), False),  # Summer bank holiday (England & Wales)
        (D(2024, 8, 5), True),  # Scotland's summer bank holiday, not England & Wales'
        (D(2024, 12, 25), False),
        (D(2024, 12, 27), True),
        (D(2023, 5, 8), False),  # the coronation's one-off bank holiday
    ],
)
def test_daily_run_only_on_england_and_wales_working_days(day, runs):
    assert is_reminder_day(day) is runs


def test_escalation_on_the_configured_weekday(settings):
    settings.REMINDER_ESCALATION_WEEKDAY = 0
    week = [D(2024, 6, 17) + datetime.timedelta(days=n) for n in range(7)]
    assert [is_escalation_day(day) for day in week] == [True] + [False] * 6
    settings.REMINDER_ESCALATION_WEEKDAY = 2
    assert [is_escalation_day(day) for day in week] == [False, False, True] + [False] * 4


def test_escalation_moves_to_the_next_working_day_after_a_bank_holiday():
    # Easter Monday 2024 is a bank holiday: the summary comes on Tuesday, once.
    assert not is_escalation_day(D(2024, 4, 1), weekday=0)
    assert is_escalation_day(D(2024, 4, 2), weekday=0)
    assert not is_escalation_day(D(2024, 4, 3), weekday=0)


@pytest.mark.django_db
def test_due_within_the_window_counts_calendar_days():
    """Friday 14/06/2024 with a 7-day window: due Friday 21/06 is in, Saturday 22/06 is
    not (seven working days would reach Tuesday 25/06)."""
    group = make_group("DAG", reminder_window_days=7)
    meeting = make_meeting(group, date=D(2024, 5, 1))
    owner = make_person("Owner", email="owner@example.org")
    for day in (13, 14, 21, 22, 25):
        make_action(meeting, owners=[owner], due_date=D(2024, 6, day), text=f"due {day}")
    (digest,) = plan_digests(D(2024, 6, 14))
    assert [(line.action.text, line.section, line.days_overdue) for line in digest.lines] == [
        ("due 13", Section.OVERDUE, 1),
        ("due 14", Section.TODAY, 0),
        ("due 21", Section.SOON, 0),
    ]


@pytest.mark.django_db
def test_each_group_has_its_own_window():
    short = make_group("PSG", reminder_window_days=2)
    owner = make_person("Owner", email="owner@example.org")
    make_action(make_meeting(short, date=D(2024, 5, 1)), owners=[owner], due_date=D(2024, 6, 14))
    make_action(make_meeting(short, date=D(2024, 5, 2)), owners=[owner], due_date=D(2024, 6, 15))
    (digest,) = plan_digests(WEDNESDAY)
    assert [line.action.due_date for line in digest.lines] == [D(2024, 6, 14)]


# Who gets what ----------------------------------------------------------------------------


@pytest.fixture
def scene(db):
    """DAG with an owner of three actions, a party-owned action, and actions the digest
    leaves out; PSG where the same owner has one more."""
    dag = make_group("DAG", name="Design Advisory Group")
    psg = make_group("PSG", name="Programme Steering Group")
    dag29 = make_meeting(dag, number=29, date=D(2024, 5, 1))
    psg12 = make_meeting(psg, number=12, date=D(2024, 5, 2))
    owner = make_person("Paul Pettitt", email="paul@example.org")
    other = make_person("Lee Cox", email="lee@example.org")
    no_email = make_person("No Email")
    opted_out = make_person("Quiet One", email="quiet@example.org", daily_digest_opt_out=True)
    secretary = make_person("Fraser Mathieson", email="fraser@example.org")
    chair = make_person("Justin Andrews", email="justin@example.org")
    Membership.objects.create(group=dag, person=secretary, role=Role.SECRETARIAT)
    Membership.objects.create(group=dag, person=chair, role=Role.CHAIR)
    overdue = make_action(dag29, owners=[owner], due_date=D(2024, 5, 20))
    make_action(dag29, owners=[owner, other], due_date=WEDNESDAY)
    make_action(psg12, owners=[owner], due_date=D(2024, 6, 18))
    make_action(dag29, owner_party="Programme", due_date=D(2024, 6, 1))
    # Left out: closed, awaiting closure, not dated, too far off, no email, opted out.
    make_action(dag29, owners=[owner], due_date=D(2024, 6, 1), status=ActionStatus.ONGOING)
    make_action(dag29, owners=[owner], due_date=D(2024, 6, 1), status=ActionStatus.RECOMMEND_CLOSED)
    make_action(
        dag29,
        owners=[owner],
        due_date=D(2024, 6, 1),
        status=ActionStatus.CLOSED,
        closed_date=D(2024, 6, 2),
    )
    make_action(dag29, owners=[owner], due_kind=DueKind.ASAP, due_date=None)
    make_action(dag29, owners=[owner], due_date=D(2024, 7, 30))
    make_action(dag29, owners=[no_email, opted_out], due_date=D(2024, 6, 1))
    return locals()


def test_one_digest_per_person_across_groups(scene):
    digests = {digest.person.name: digest for digest in plan_digests(WEDNESDAY)}
    assert set(digests) == {"Paul Pettitt", "Lee Cox", "Fraser Mathieson"}
    paul = digests["Paul Pettitt"]
    assert [(line.section, line.action.due_date) for line in paul.lines] == [
        (Section.OVERDUE, D(2024, 5, 20)),
        (Section.OVERDUE, D(2024, 6, 1)),  # the ONGOING one is still chased
        (Section.TODAY, WEDNESDAY),
        (Section.SOON, D(2024, 6, 18)),
    ]
    assert paul.lines[0].days_overdue == 23
    assert [group.code for group in paul.groups] == ["DAG", "PSG"]
    # The party-owned action goes to the group's secretariat.
    (line,) = digests["Fraser Mathieson"].lines
    assert line.action.owner_party == "Programme"


def test_opted_out_people_are_left_out_unless_sent_by_hand(scene):
    assert plan_digests(WEDNESDAY, person=scene["opted_out"]) == []
    (digest,) = plan_digests(WEDNESDAY, person=scene["opted_out"], include_opted_out=True)
    assert digest.person == scene["opted_out"]


def test_opt_outs_are_read_once_however_many_people_opted_out(scene, django_assert_num_queries):
    """The planner reads every opt-out in one query: its query count does not grow with
    the people (here: as many again opted out, each owning a due action)."""
    with django_assert_num_queries(PLAN_DIGEST_QUERIES):
        before = plan_digests(WEDNESDAY)
    for n in range(3):
        quiet = make_person(f"Quiet {n}", email=f"quiet{n}@example.org", daily_digest_opt_out=True)
        make_action(scene["dag29"], owners=[quiet], due_date=WEDNESDAY)
    with django_assert_num_queries(PLAN_DIGEST_QUERIES):
        assert [digest.person for digest in plan_digests(WEDNESDAY)] == [
            digest.person for digest in before
        ]


def test_plan_daily_renders_and_records_each_digest_once(scene, settings):
    settings.SITE_URL = "https://governance.example.org"
    sent = []
    ids = plan_daily(WEDNESDAY, send=sent.append)
    assert len(ids) == 3 and sent == []  # sending waits for the commit (never, in this test)
    paul = OutboundEmail.objects.get(person=scene["owner"])
    assert paul.key == f"digest:2024-06-12:person:{scene['owner'].pk}"
    assert paul.kind == EmailKind.DIGEST and paul.status == EmailStatus.PENDING
    assert paul.group is None  # two groups: the subject names both
    assert paul.subject == (
        "Your actions: 2 overdue, 1 due today, 1 due soon "
        "(Design Advisory Group, Programme Steering Group)"
    )
    assert len(paul.references) == 4
    assert "20/05/2024" in paul.body_text and "23 days overdue" in paul.body_text
    assert "Wednesday 12 June 2024" in paul.body_text
    assert "https://governance.example.org/email/update/" in paul.body_text
    assert "https://governance.example.org/email/preferences/" in paul.body_html
    assert "<h2" in paul.body_html and "&lt;" not in paul.subject
    lee = OutboundEmail.objects.get(person=scene["other"])
    assert lee.group == scene["dag"]
    assert lee.subject == "Your actions: 1 due today (Design Advisory Group)"
    # A second run the same day (a retried task, a second beat) plans nothing.
    assert plan_daily(WEDNESDAY, send=sent.append) == []
    assert OutboundEmail.objects.count() == 3


def test_subject_names_many_groups_by_code(db):
    owner = make_person("Owner", email="owner@example.org")
    for code in ("DAG", "PSG", "CCAG", "TMAG"):
        group = make_group(code, name=f"The {code} Advisory Group of the Programme")
        make_action(make_meeting(group, date=D(2024, 5, 1)), owners=[owner], due_date=WEDNESDAY)
    (digest,) = plan_digests(WEDNESDAY)
    assert digest_subject(digest) == "Your actions: 4 due today (CCAG, DAG, PSG, TMAG)"


def test_no_run_on_a_bank_holiday(scene):
    assert plan_daily(D(2024, 8, 26), send=list) == []
    assert not OutboundEmail.objects.exists()


def test_escalation_to_chair_and_secretariat_grouped_by_owner(scene, settings):
    settings.REMINDER_ESCALATION_DAYS = 14
    monday = D(2024, 6, 17)
    (escalation,) = plan_escalations(monday)
    assert escalation.group == scene["dag"]
    assert {person.name for person in escalation.recipients} == {
        "Justin Andrews",
        "Fraser Mathieson",
    }
    # 20/05 is 28 days overdue, 01/06 is 16: both more than 14; PSG has a chair of nobody.
    assert [(owner, len(lines)) for owner, lines in escalation.by_owner] == [
        ("No Email & Quiet One", 1),
        ("Paul Pettitt", 2),
        ("Programme", 1),
    ]
    plan_daily(monday, send=list)
    escalations = OutboundEmail.objects.filter(kind=EmailKind.ESCALATION)
    assert escalations.count() == 2
    email = escalations.get(person=scene["chair"])
    assert email.subject == "Design Advisory Group: 4 actions overdue by more than 14 days"
    assert email.group == scene["dag"]
    assert "PAUL PETTITT" in email.body_text and "Paul Pettitt</h2>" in email.body_html
    # Not on the following days of the week; the key is per ISO week anyway.
    plan_daily(D(2024, 6, 18), send=list)
    assert escalations.count() == 2


def test_escalation_threshold_is_more_than_the_days(scene, settings):
    settings.REMINDER_ESCALATION_DAYS = 23  # 20/05 is exactly 23 days overdue on 12/06
    assert plan_escalations(WEDNESDAY) == []
    settings.REMINDER_ESCALATION_DAYS = 22
    assert len(plan_escalations(WEDNESDAY)[0].by_owner) == 1


# The beat schedule and the task, with the clock frozen -------------------------------------


def next_run(entry, last_run, now):
    """When beat next runs `entry` (London time), seen at `now`, after a run at `last_run`."""
    schedule = copy.copy(django_settings.CELERY_BEAT_SCHEDULE[entry]["schedule"])
    schedule.app, schedule.nowfun = app, lambda: now
    due, wait = schedule.is_due(last_run)
    return due, (now + datetime.timedelta(seconds=wait)).astimezone(LONDON)


@pytest.mark.parametrize(
    ("last_run", "now", "due", "then"),
    [
        # Friday's run done: Saturday sees Monday 08:00 (BST) next.
        (london(2024, 6, 14, 8), london(2024, 6, 15, 9), False, london(2024, 6, 17, 8)),
        (london(2024, 6, 14, 8), london(2024, 6, 17, 8, 0, 1), True, london(2024, 6, 18, 8)),
        # After the clocks go back, still 08:00 London time (now 08:00 UTC).
        (london(2024, 11, 1, 8), london(2024, 11, 4, 7, 59), False, london(2024, 11, 4, 8)),
    ],
)
def test_beat_runs_the_daily_job_at_the_reminder_hour_on_weekdays(last_run, now, due, then):
    assert django_settings.CELERY_TIMEZONE == "Europe/London"
    assert django_settings.REMINDER_HOUR == 8  # the default
    assert next_run("daily-reminders", last_run, now) == (due, then)


@pytest.mark.parametrize(
    ("moment", "planned"),
    [
        (london(2024, 6, 12, 8), 3),  # Wednesday
        (london(2024, 6, 15, 8), 0),  # Saturday (beat does not fire; a manual run)
        (london(2024, 8, 26, 8), 0),  # the summer bank holiday, a Monday
        (london(2024, 12, 25, 8), 0),
    ],
)
def test_the_task_skips_weekends_and_bank_holidays(scene, freeze, moment, planned):
    freeze(moment)
    assert send_daily_reminders.run() == planned
    assert OutboundEmail.objects.count() == planned


def test_the_task_plans_for_the_london_date(scene, freeze):
    """00:30 on Thursday in London is still Wednesday in UTC: Thursday's digests."""
    freeze(london(2024, 6, 13, 0, 30))
    assert send_daily_reminders.run() == 3
    keys = OutboundEmail.objects.values_list("key", flat=True)
    assert all(key.startswith("digest:2024-06-13:") for key in keys)


def test_the_task_adds_the_escalation_on_the_configured_weekday(scene, freeze, settings):
    settings.REMINDER_ESCALATION_WEEKDAY = 1  # Tuesday
    freeze(london(2024, 6, 17, 8))
    send_daily_reminders.run()
    assert not OutboundEmail.objects.filter(kind=EmailKind.ESCALATION).exists()
    freeze(london(2024, 6, 18, 8))
    send_daily_reminders.run()
    assert OutboundEmail.objects.filter(kind=EmailKind.ESCALATION).count() == 2
    # Running again that day (a retried task, a second beat) plans nothing new.
    assert send_daily_reminders.run() == 0


def test_send_reminders_command_runs_a_day_by_hand(
    scene, mailoutbox, django_capture_on_commit_callbacks
):
    out = StringIO()
    call_command("send_reminders", "--date", "2024-06-15", stdout=out)
    assert "15/06/2024 is not a UK working day" in out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2024-06-12", "--here", stdout=out)
    assert "12/06/2024: 3 new email(s) sent." in out.getvalue()
    assert sorted(message.to[0] for message in mailoutbox) == [
        "fraser@example.org",
        "lee@example.org",
        "paul@example.org",
    ]
    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", "12/06/2024")
