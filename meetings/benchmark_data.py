"""The programme-sized dataset of `manage.py benchmark` (issue 20): at --scale 1, 40 groups,
500 people, 3,000 meetings with 18,000 agenda items, 100,000 actions with 300,000 updates,
20,000 decisions, 10,000 RAID items, 2,000 change requests and 5,000 documents, with the
history simple-history would have written as they were entered and closed.

Written with bulk_create in one transaction with PostgreSQL's triggers off (neither the
actions' search trigger, run once per row, nor the foreign-key checks of rows consistent by
construction); the search vectors and the Mention rows (core/mentions.py) that those writes
skip are then written in bulk. The texts reuse the action benchmark's words so that each
topic is in about 5% of the records, as the search cases assume.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from actions.management.commands.benchmark_actions import (
    AREAS,
    FIRST_NAMES,
    OBJECTS,
    PARTIES,
    SURNAMES,
    TOPICS,
    UPDATE_OPENINGS,
    VERBS,
)
from actions.models import (
    Action,
    ActionOwner,
    ActionStatus,
    ActionUpdate,
    DueKind,
    UpdateSource,
    natural_sort_key,
)
from changerequests.models import STAGE_APPROVAL_STATUS, ChangeRequest
from core import mentions
from core.models import GovernanceGroup, GroupLevel, Membership, Organisation, Person, Role
from core.search_vectors import fill_statement
from decisions.models import CorrespondenceRound, Decision, DecisionStatus
from decisions.services import correspondence_round_open
from documents.models import Document, DocumentStatus
from raid.models import RaidItem, RaidStatus, RaidType

from .as_at import REGISTERS
from .interests import registered_interest_add, registered_interest_end
from .minutes_workflow import minutes_issue
from .models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    MinutesPublication,
    RegisteredInterest,
    RetentionLog,
)
from .public_models import RetentionOutcome
from .retention import snapshot_of
from .search import SEARCH_FIELDS

# The stored search vectors the triggers (off while building) would have written.
STORED_VECTORS = [
    (Decision, "decisions"),
    (ChangeRequest, "changerequests"),
    (RaidItem, "raid"),
    (AgendaItem, "meetings"),
]

USERNAME = "bench.secretariat"
PUBLISHED = 10  # meetings whose minutes are issued and published (the public pages)
ROUND_DECISIONS = 20  # proposed decisions in the round of correspondence
ARCHIVED_PER_GROUP = 3  # entries in each group's retention log
INTERESTS_PER_GROUP = 6  # entries in each group's register of interests, one ended
SEED = 20261207
FIRST_MEETING = datetime.date(2019, 1, 9)
ITEMS_PER_MEETING = 6
UPDATES_PER_ACTION = 3
SIZES = {  # at --scale 1
    "groups": 40,
    "people": 500,
    "meetings": 3_000,
    "actions": 100_000,
    "decisions": 20_000,
    "raid": 10_000,
    "crs": 2_000,
    "documents": 5_000,
}
DOCUMENT_FILE = "documents/benchmark/minutes.pdf"


def sizes(scale):
    return {name: max(2, round(count * scale)) for name, count in SIZES.items()}


def is_built():
    return get_user_model().objects.filter(username=USERNAME).exists()


def build(scale, say=print):
    """Write the dataset; returns the counts written."""
    n = sizes(scale)
    rng = random.Random(SEED)
    today = timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        groups, people = _groups_people(rng, n)
        meetings = _meetings(n, groups, today)
        say(f"  {len(groups)} groups, {len(people)} people, {len(meetings)} meetings")
        crs = _change_requests(rng, n, groups, people)
        _agenda_items(rng, meetings, crs)
        actions = _actions(rng, n, meetings, people, crs, today)
        say(f"  {len(actions):,} actions with {UPDATES_PER_ACTION} updates each")
        _decisions(rng, n, meetings, people, crs)
        _raid_items(rng, n, groups, people, crs)
        _documents(n, meetings)
        _histories()
        say("  their history")
    with connection.cursor() as cursor:
        # What the disabled search trigger would have written, in one statement.
        cursor.execute(
            "UPDATE actions_action a SET search_vector = actions_search_document("
            "a.id, a.reference, a.area, a.text, a.owner_party)"
        )
        for model, key in STORED_VECTORS:
            cursor.execute(fill_statement(model._meta.db_table, SEARCH_FIELDS[key]))
    say(f"  {mentions.rebuild_all():,} mentions")
    with connection.cursor() as cursor:
        for table in ["actions_action"] + [model._meta.db_table for model, _ in STORED_VECTORS]:
            cursor.execute(f"VACUUM FULL {table}")  # the UPDATEs above left a dead copy
        cursor.execute("VACUUM ANALYZE")
    return n


def complete(measured, say=print):
    """What the pages measured need beyond the registers, added once to a dataset built
    before it was written (so an earlier build need not be built again): the benchmark's
    user a programme administrator (the programme's groups page), each group's register of
    interests, the issued and published minutes of the PUBLISHED held meetings with most
    actions after the `measured` ones (the public pages; the measured meetings keep their
    minutes open, so their pages show every form), a round of correspondence, and archived
    records in each group's retention log."""
    user = get_user_model().objects.get(username=USERNAME)
    Person.objects.filter(user=user).update(programme_administrator=True)
    if not RegisteredInterest.objects.exists():
        declared = FIRST_MEETING
        for group in GovernanceGroup.objects.order_by("code"):
            members = group.memberships.select_related("person").order_by("pk")
            for k, membership in enumerate(members[:INTERESTS_PER_GROUP]):
                entry = registered_interest_add(
                    group=group,
                    person=membership.person,
                    interest=f"Employed by {membership.person.organisation or 'a bidder'}",
                    declared_on=declared,
                )
                if k == 0:
                    registered_interest_end(entry=entry, ended_on=declared)
        say(f"  {RegisteredInterest.objects.count():,} registered interests")
    if not MinutesPublication.objects.exists():
        held = (
            Meeting.objects.filter(status=MeetingStatus.HELD)
            .exclude(pk__in=measured)
            .annotate(n=Count("actions"))
            .order_by("-n", "pk")
            .select_related("group")[:PUBLISHED]
        )
        for meeting in held:
            GovernanceGroup.objects.filter(pk=meeting.group_id).update(public=True)
            minutes_issue(meeting=meeting, user=user)
            MinutesPublication.objects.create(
                meeting=meeting, issue=meeting.minutes_issues.get(), published_by=user
            )
        say(f"  {MinutesPublication.objects.count()} published minutes")
    if not CorrespondenceRound.objects.exists():
        group = (
            GovernanceGroup.objects.annotate(
                n=Count("decisions", filter=Q(decisions__status=DecisionStatus.PROPOSED))
            )
            .order_by("-n", "code")
            .first()
        )
        proposed = group.decisions.filter(status=DecisionStatus.PROPOSED).order_by("pk")
        correspondence_round_open(
            group=group,
            title="Decisions by correspondence",
            deadline=timezone.localdate() + datetime.timedelta(days=14),
            user=user,
            decisions=list(proposed[:ROUND_DECISIONS]),
        )
        say(f"  a round of correspondence of {group.code}")
    if not RetentionLog.objects.exists():
        # Archived as retention_apply archives, the record left in its register: the
        # archived record's page reads only its log entry, and every other page measures
        # the same records as before.
        register = REGISTERS["actions"]
        for group in GovernanceGroup.objects.order_by("code"):
            closed = Action.objects.filter(group=group, status=ActionStatus.CLOSED)
            for action in closed.order_by("closed_date", "pk")[:ARCHIVED_PER_GROUP]:
                RetentionLog.objects.create(
                    group=group,
                    kind=register.key,
                    reference=action.reference,
                    outcome=RetentionOutcome.ARCHIVED,
                    reason="Past the group's retention.",
                    by=user,
                    snapshot=snapshot_of(register, action),
                )
        say(f"  {RetentionLog.objects.count()} archived records")


def _groups_people(rng, n):
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Bench organisation {k}") for k in range(20)
    )
    steering = GovernanceGroup.objects.create(
        code="BG01", name="Bench steering group", level=GroupLevel.STEERING
    )
    groups = [steering] + GovernanceGroup.objects.bulk_create(
        GovernanceGroup(
            code=f"BG{g:02d}",
            name=f"Bench group {g}",
            level=GroupLevel.ADVISORY if g < 8 else GroupLevel.WORKING,
            parent=steering,
        )
        for g in range(2, n["groups"] + 1)
    )
    names = [f"{first} {last}" for last in SURNAMES for first in FIRST_NAMES]
    people = Person.objects.bulk_create(
        Person(
            name=names[k % len(names)] + (f" {k // len(names) + 1}" if k >= len(names) else ""),
            email=f"person{k}@bench.invalid",
            organisation=rng.choice(organisations),
        )
        for k in range(n["people"])
    )
    memberships = []
    for group in groups:
        chosen = rng.sample(people, min(len(people), 15))
        roles = [Role.CHAIR, Role.SECRETARIAT] + [Role.MEMBER] * 10 + [Role.OBSERVER] * 3
        memberships += [
            Membership(group=group, person=person, role=role)
            for person, role in zip(chosen, roles, strict=False)
        ]
    # The benchmark's user runs every group and chairs it: every page answers them, with
    # every button and form a page offers (the dearest view of each).
    user = get_user_model().objects.create_user(USERNAME, password=None)
    me = Person.objects.create(name="Bench Secretariat", user=user, email="bench@bench.invalid")
    memberships += [
        Membership(group=group, person=me, role=role)
        for group in groups
        for role in (Role.SECRETARIAT, Role.CHAIR)
    ]
    Membership.objects.bulk_create(memberships)
    return groups, people + [me]


def _meetings(n, groups, today):
    """Fortnightly meetings per group, the last few after today."""
    per_group, extra = divmod(n["meetings"], len(groups))
    meetings = []
    for g, group in enumerate(groups):
        count = per_group + (g < extra)
        first = today - datetime.timedelta(weeks=2 * (count - 3))
        for number in range(1, count + 1):
            date = first + datetime.timedelta(weeks=2 * (number - 1), days=g % 5)
            meetings.append(
                Meeting(
                    group=group,
                    number=number,
                    date=date,
                    start_time=datetime.time(10),
                    end_time=datetime.time(12),
                    status=MeetingStatus.HELD if date < today else MeetingStatus.PLANNED,
                )
            )
    return Meeting.objects.bulk_create(meetings, batch_size=5000)


def _sentence(rng):
    topic, other = rng.sample(TOPICS, 2)
    return (
        f"{rng.choice(PARTIES) or 'Programme'} to {rng.choice(VERBS)} the {topic} "
        f"{rng.choice(OBJECTS)} ahead of the {other} work"
    )


def _change_requests(rng, n, groups, people):
    return ChangeRequest.objects.bulk_create(
        ChangeRequest(
            reference=f"CR{k:04d}",
            title=_sentence(rng).capitalize(),
            key_detail=_sentence(rng),
            latest_action=_sentence(rng),
            group=rng.choice(groups),
            stage=(stage := rng.choice(list(STAGE_APPROVAL_STATUS))),
            approval_status=STAGE_APPROVAL_STATUS[stage],
            change_owner=rng.choice(people),
            date_raised=FIRST_MEETING + datetime.timedelta(days=rng.randint(0, 2000)),
        )
        for k in range(1, n["crs"] + 1)
    )


def _agenda_items(rng, meetings, crs):
    """Six items a meeting; past meetings have minutes of a few paragraphs, one in ten
    naming a change request."""
    items = []
    for meeting in meetings:
        for order in range(1, ITEMS_PER_MEETING + 1):
            minutes = ""
            if meeting.status == MeetingStatus.HELD:
                paragraphs = [_sentence(rng) + "." for _ in range(3)]
                if rng.random() < 0.1:
                    paragraphs.append(f"The group discussed {rng.choice(crs).reference}.")
                minutes = "\n\n".join(paragraphs)
            items.append(
                AgendaItem(
                    meeting=meeting,
                    number=str(order),
                    order=order,
                    title=f"{rng.choice(TOPICS).capitalize()} {rng.choice(OBJECTS)}",
                    objective=_sentence(rng),
                    minutes=minutes,
                )
            )
    AgendaItem.objects.bulk_create(items, batch_size=5000)


def _actions(rng, n, meetings, people, crs, today):
    """Actions spread over the held meetings in the order raised; the recent ones mostly
    open (a fifth overall); three dated updates each; one in fifty naming a CR."""
    held = sorted(
        (m for m in meetings if m.status == MeetingStatus.HELD), key=lambda m: (m.date, m.group_id)
    )
    per_meeting, extra = divmod(n["actions"], len(held))
    actions = []
    for index, meeting in enumerate(held):
        point = index / len(held)
        for k in range(1, per_meeting + (index < extra) + 1):
            reference = f"{meeting.group.code}{meeting.number}-{k:02d}"
            is_open = rng.random() < 0.04 + 0.64 * point**3
            status = (
                rng.choice([ActionStatus.OPEN, ActionStatus.ONGOING, ActionStatus.RECOMMEND_CLOSED])
                if is_open
                else ActionStatus.CLOSED
            )
            due = meeting.date + datetime.timedelta(days=rng.randint(7, 120))
            text = _sentence(rng)
            if rng.random() < 0.02:
                text += f" (see {rng.choice(crs).reference})"
            actions.append(
                Action(
                    reference=reference,
                    sort_key=natural_sort_key(reference),
                    group=meeting.group,
                    meeting=meeting,
                    area=rng.choice(AREAS),
                    text=text,
                    date_raised=meeting.date,
                    owner_party=rng.choice(PARTIES),
                    due_kind=DueKind.DATE,
                    due_date=due,
                    status=status,
                    closed_date=min(due, today) if status == ActionStatus.CLOSED else None,
                )
            )
    Action.objects.bulk_create(actions, batch_size=5000)
    owners, updates = [], []
    for action in actions:
        for order, person in enumerate(rng.sample(people, rng.choice((1, 1, 2)))):
            owners.append(ActionOwner(action=action, person=person, order=order))
        for k in range(UPDATES_PER_ACTION):
            updates.append(
                ActionUpdate(
                    action=action,
                    date=min(action.date_raised + datetime.timedelta(days=14 * (k + 1)), today),
                    text=f"{rng.choice(UPDATE_OPENINGS)} {rng.choice(TOPICS)} "
                    f"{rng.choice(OBJECTS)}; next step agreed",
                    status_set=action.status if k == UPDATES_PER_ACTION - 1 else "ongoing",
                    source=UpdateSource.MEETING,
                )
            )
    ActionOwner.objects.bulk_create(owners, batch_size=10000)
    ActionUpdate.objects.bulk_create(updates, batch_size=10000)
    return actions


def _decisions(rng, n, meetings, people, crs):
    held = [m for m in meetings if m.status == MeetingStatus.HELD]
    numbers = {}
    decisions = []
    for _ in range(n["decisions"]):
        meeting = rng.choice(held)
        code = meeting.group.code
        numbers[code] = numbers.get(code, 0) + 1
        proposed = rng.random() < 0.02
        decided = timezone.make_aware(datetime.datetime.combine(meeting.date, datetime.time(11)))
        wording = f"The group agreed to {_sentence(rng)}"
        if rng.random() < 0.05:
            wording += f" under {rng.choice(crs).reference}"
        decisions.append(
            Decision(
                reference=f"{code}-DEC{numbers[code]}",
                group=meeting.group,
                meeting=meeting,
                area=rng.choice(AREAS),
                wording=wording,
                status=DecisionStatus.PROPOSED if proposed else DecisionStatus.APPROVED,
                decided_by=None if proposed else rng.choice(people),
                decided_at=None if proposed else decided,
            )
        )
    Decision.objects.bulk_create(decisions, batch_size=5000)


def _raid_items(rng, n, groups, people, crs):
    RaidItem.objects.bulk_create(
        (
            RaidItem(
                reference=f"R{k}",
                raid_type=rng.choice(RaidType.values),
                group=rng.choice(groups),
                area=rng.choice(AREAS),
                title=_sentence(rng).capitalize(),
                description=_sentence(rng)
                + (f"; depends on {rng.choice(crs).reference}" if rng.random() < 0.05 else ""),
                mitigation=_sentence(rng),
                owner=rng.choice(people),
                probability=rng.randint(1, 5),
                impact=rng.randint(1, 5),
                status=RaidStatus.OPEN if rng.random() < 0.3 else RaidStatus.CLOSED,
                date_raised=FIRST_MEETING + datetime.timedelta(days=rng.randint(0, 2000)),
            )
            for k in range(1, n["raid"] + 1)
        ),
        batch_size=5000,
    )


def _documents(n, meetings):
    """Minutes PDFs of the held meetings (and further versions), all pointing at one small
    stored file: the pages list documents, they do not read them."""
    if not default_storage.exists(DOCUMENT_FILE):
        default_storage.save(DOCUMENT_FILE, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    held = [m for m in meetings if m.status == MeetingStatus.HELD]
    now = timezone.now()
    Document.objects.bulk_create(
        (
            Document(
                kind="minutes",
                scope=f"meeting:{held[k % len(held)].pk}",
                version=k // len(held) + 1,
                meeting=held[k % len(held)],
                status=DocumentStatus.READY,
                file=DOCUMENT_FILE,
                started_at=now,
                finished_at=now,
                duration_ms=1500,
            )
            for k in range(n["documents"])
        ),
        batch_size=5000,
    )


def _history(model, raised, *, entered=None, closed_where=None):
    """The history simple-history would have written as the records were entered (the
    registers "as at" a meeting read it; bulk_create writes none), in INSERT ... SELECTs
    over each record's row `r`: a "+" version saved at `raised` (an SQL timestamp), with
    the `entered` columns' values as they were then (SQL over `r`); and for the records
    `closed_where` selects, a "~" version saved on their closing date with the values
    they have now."""
    history = model.history.model
    own = {"history_id", "history_date", "history_type", "history_user_id", "history_change_reason"}
    columns = [
        field.column
        for field in history._meta.concrete_fields
        if field.column not in own and field.column in {f.column for f in model._meta.fields}
    ]
    listed = ", ".join(f'"{column}"' for column in columns)
    entered = entered or {}
    then = ", ".join(entered.get(column, f'r."{column}"') for column in columns)
    now = ", ".join(f'r."{column}"' for column in columns)
    versions = [(then, raised, "+", "true")]
    if closed_where:
        closing = "(r.closed_date + time '16:00') AT TIME ZONE 'Europe/London'"
        versions.append((now, closing, "~", closed_where))
    with connection.cursor() as cursor:
        for values, saved, kind, where in versions:
            cursor.execute(
                f"INSERT INTO {history._meta.db_table} ({listed}, history_date, history_type) "
                f"SELECT {values}, {saved}, '{kind}' FROM {model._meta.db_table} r WHERE {where}"
            )


def _histories():
    """Each register's history: actions entered at their meeting (open then, with their
    owners), the closed ones closed on their closing date; decisions when decided; RAID
    items and change requests on the day raised."""
    london = "AT TIME ZONE 'Europe/London'"
    _history(
        Action,
        f"(r.date_raised + time '11:00') {london}",
        entered={"status": f"'{ActionStatus.OPEN}'", "closed_date": "NULL"},
        closed_where=f"r.status = '{ActionStatus.CLOSED}' AND r.closed_date IS NOT NULL",
    )
    _history(Decision, "COALESCE(r.decided_at, r.created_at)")
    _history(RaidItem, f"(r.date_raised + time '10:00') {london}")
    _history(ChangeRequest, f"COALESCE((r.date_raised + time '10:00') {london}, r.created_at)")
    with connection.cursor() as cursor:
        # The owners each action version was saved with (simple-history's m2m history).
        cursor.execute(
            'INSERT INTO actions_historicalactionowner (id, "order", action_id, history_id, '
            'person_id) SELECT o.id, o."order", o.action_id, h.history_id, o.person_id '
            "FROM actions_actionowner o JOIN actions_historicalaction h ON h.id = o.action_id"
        )
