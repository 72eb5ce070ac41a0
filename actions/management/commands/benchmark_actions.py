"""python manage.py benchmark_actions: server time and queries of the action register at
100,000 actions.

Run it against a PostgreSQL database of its own, which it creates (and migrates) if missing:

    DJANGO_SETTINGS_MODULE=mhhs_gov.settings_test \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mhhs_bench \\
    .venv/bin/python manage.py benchmark_actions [--requests 100] [--drop]

The first run builds the data with bulk_create (one to two minutes on two cores): 20 groups,
3,000 meetings, 2,000 people and 100,000 actions (20% not closed, most of them recent, as in
a real log) with 1-2 owners and 0-3 updates each. Later runs reuse it; --drop deletes the
database at the end.

Each case is requested through Django's test Client, in this process (no network, no web
server: the "server time" of the view with every middleware, the template and the SQL), by
a member of all 20 groups, who sees every action. Every case varies its parameters from
request to request (other pages, owners, words, dates). Each distinct URL is requested once
before the timed requests, so that they find the database pages in memory as a server in use
would, not straight from disk after the build. The query count is read from one more
request. The result is a Markdown table for
docs/benchmarks.md.
"""

import datetime
import os
import platform
import random
import statistics
import time

import django
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.db.utils import OperationalError
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from actions.models import (
    Action,
    ActionOwner,
    ActionStatus,
    ActionUpdate,
    DueKind,
    UpdateSource,
    natural_sort_key,
)
from core.models import GovernanceGroup, GroupLevel, Membership, Person, Role

GROUPS, MEETINGS_PER_GROUP, PEOPLE, ACTIONS = 20, 150, 2_000, 100_000
# An action raised at a group's meeting at point t of its history (0 first, 1 last) is still
# open with probability OPEN_FLOOR + OPEN_RISE * t**3: old actions are closed, recent ones
# mostly open, a fifth open overall (0.04 + 0.64 / 4 = 0.2), as in a real log.
OPEN_FLOOR, OPEN_RISE = 0.04, 0.64
FIRST_MEETING = datetime.date(2019, 1, 9)
TODAY = datetime.date(2025, 1, 15)  # no update or closure after; meetings are fortnightly
USERNAME = "bench.member"
SEED = 20240612
# Words of the generated texts. Each topic is in about 5% of the actions (the text search
# case looks for each in turn); no word is in all of them.
# fmt: off
FIRST_NAMES = [
    "Paul", "Lee", "Matt", "Nicola", "Fraser", "Justin", "Smitha", "Berlinda", "Daniel", "Ben",
    "Sarah", "Helen", "James", "Ruth", "Amir", "Chloe", "Owen", "Priya", "Tom", "Grace", "Ian",
    "Lewis", "Karen", "Sunil", "Jo", "Ewan", "Mia", "Alan", "Fiona", "Raj", "Kate", "Gareth",
    "Lucy", "Neil", "Zoe", "Dev", "Anna", "Rob", "Ellie", "Hamish", "Olivia", "Jack", "Noah",
    "Isla", "Leo", "Ava", "Harry", "Freya", "Oscar", "Rosie", "Arthur", "Ivy", "Henry", "Maya",
    "Samir",
]
SURNAMES = [
    "Pettitt", "Cox", "Hall", "Farley", "Mathieson", "Andrews", "Pichrikat", "Kugara",
    "Arrowsmith", "Wickins", "Smith", "Jones", "Patel", "Brown", "Taylor", "Wilson", "Evans",
    "Thomas", "Roberts", "Walker", "Wright", "Green", "Hughes", "Clarke", "Turner", "Hill",
    "Moore", "Wood", "Harris", "Martin", "Cooper", "Ward", "Morris", "King", "Baker", "Price",
    "Bell", "Knight",
]
PARTIES = ("Programme", "Elexon", "RECCo", "DCC", "Ofgem", "NGESO Representative", "")
VERBS = [
    "issue", "confirm", "review", "circulate", "draft", "update", "assess", "publish", "agree",
    "finalise", "clarify", "schedule", "collate", "validate", "escalate",
]
OBJECTS = [
    "paper", "note", "plan", "guidance", "briefing", "schedule", "template", "register",
    "proposal", "summary", "approach", "position",
]
TOPICS = [
    "settlement", "reconciliation", "migration", "interface", "registration", "metering",
    "tariff", "readiness", "testing", "cutover", "transition", "assurance", "consumption",
    "validation", "forecasting", "smart", "export", "import", "balancing", "governance",
    "baseline", "payload", "timetable", "security", "architecture", "sandbox", "onboarding",
    "qualification", "appointment", "wholesale", "dispute", "performance", "archiving",
    "reporting", "calendar", "exceptions", "dataflows", "messaging", "resilience", "capacity",
    "rollout",
]
UPDATE_OPENINGS = [
    "Progress made on the", "Draft circulated on the", "Comments received on the",
    "Workshop held on the", "Paper issued on the",
]
# fmt: on
AREAS = (
    "UTC vs Clock Times",
    "Design baseline",
    "Change requests",
    "Testing",
    "Migration",
    "Transition",
    "Qualification",
    "AOB",
)


class Command(BaseCommand):
    help = "Benchmark the action register at 100,000 actions (PostgreSQL)."

    def add_arguments(self, parser):
        # 100 rather than the 50 asked for: one slow request (another process taking the
        # core) then moves the 95th percentile less.
        parser.add_argument("--requests", type=int, default=100, help="Requests per case.")
        parser.add_argument("--drop", action="store_true", help="Drop the database at the end.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even if the database name does not contain 'bench'.",
        )

    def handle(self, *args, requests, drop, force, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark needs PostgreSQL: set DATABASE_URL.")
        name = connection.settings_dict["NAME"]
        if "bench" not in name and not force:
            raise CommandError(
                f"This writes 100,000 actions into {name}; point DATABASE_URL at a database "
                "of its own (e.g. mhhs_bench) or pass --force."
            )
        if requests < 50:
            raise CommandError("--requests must be at least 50.")
        self.create_database(name)
        call_command("migrate", verbosity=0)
        if not GovernanceGroup.objects.filter(code="AR01").exists():
            self.build()
        user = get_user_model().objects.get(username=USERNAME)
        self.load_before = _load_average()
        with override_settings(
            ALLOWED_HOSTS=["testserver"], DEBUG=False, SECURE_SSL_REDIRECT=False
        ):
            results = self.measure(user, requests)
        self.report(results, requests)
        if drop:
            self.drop_database(name)

    # The database ---------------------------------------------------------------------------

    def create_database(self, name):
        try:
            connection.ensure_connection()
        except OperationalError:
            self.stdout.write(f"Creating database {name}...")
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')

    def drop_database(self, name):
        connections.close_all()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}"')
        self.stdout.write(f"Dropped database {name}.")

    # The data -------------------------------------------------------------------------------

    def build(self):
        started = time.perf_counter()
        self.stdout.write(
            f"Building {GROUPS} groups, {GROUPS * MEETINGS_PER_GROUP:,} meetings, "
            f"{PEOPLE:,} people and {ACTIONS:,} actions..."
        )
        rng = random.Random(SEED)
        with transaction.atomic(), connection.cursor() as cursor:
            # For this transaction only, no triggers: neither the search triggers, which
            # would run once per row (the vectors are written below in one statement), nor
            # the foreign-key checks of rows that are consistent by construction.
            cursor.execute("SET LOCAL session_replication_role = replica")
            groups, meetings, people, member = self.build_groups_meetings_people()
            self.build_actions(rng, meetings, people, member)
        with connection.cursor() as cursor:
            # What the disabled triggers would have written, in one statement.
            cursor.execute(
                "UPDATE actions_action a SET search_vector = actions_search_document("
                "a.id, a.reference, a.area, a.text, a.owner_party)"
            )
            # FULL: the update above left a dead copy of every action behind; without it the
            # table would be twice its size and every scan of it twice as long. Then a plain
            # VACUUM, which FULL is not, marks the pages all-visible for index-only scans.
            cursor.execute("VACUUM FULL actions_action")
            for table in ("actions_action", "actions_actionowner", "actions_actionupdate"):
                cursor.execute(f"VACUUM ANALYZE {table}")
            # Write the new pages out now, not while the requests are timed.
            try:
                cursor.execute("CHECKPOINT")  # needs a superuser or pg_checkpoint
            except DatabaseError as error:
                self.stdout.write(f"No CHECKPOINT ({error}); the first cases may be slower.")
        self.stdout.write(f"Built in {time.perf_counter() - started:.0f} s.")

    def build_groups_meetings_people(self):
        Meeting = _meeting_model()
        groups = GovernanceGroup.objects.bulk_create(
            GovernanceGroup(code=f"AR{g:02d}", name=f"Register group {g}", level=GroupLevel.WORKING)
            for g in range(1, GROUPS + 1)
        )
        meetings = Meeting.objects.bulk_create(
            Meeting(
                group=group,
                number=number,
                date=FIRST_MEETING + datetime.timedelta(weeks=(number - 1) * 2, days=g % 5),
                status="held",
            )
            for g, group in enumerate(groups)
            for number in range(1, MEETINGS_PER_GROUP + 1)
        )
        names = [f"{first} {last}" for last in SURNAMES for first in FIRST_NAMES][:PEOPLE]
        people = Person.objects.bulk_create(
            Person(name=name, email=f"person{n}@bench.invalid") for n, name in enumerate(names)
        )
        user = get_user_model().objects.create_user(USERNAME, password=None)
        member = Person.objects.create(name="Bench Member", user=user)
        Membership.objects.bulk_create(
            Membership(group=group, person=member, role=Role.MEMBER) for group in groups
        )
        return groups, meetings, people, member

    def build_actions(self, rng, meetings, people, member):
        """ACTIONS actions spread over the meetings (33 or 34 each); the bench member owns
        one in 500 besides its other owners, for "My actions". They are written in the
        order they were raised, all groups mixed, as a real table fills up: the physical
        order is what PostgreSQL's plans weigh."""
        per_meeting, extra = divmod(ACTIONS, len(meetings))
        actions = []
        chronological = sorted(meetings, key=lambda meeting: (meeting.date, meeting.group_id))
        for index, meeting in enumerate(chronological):
            for n in range(1, per_meeting + (index < extra) + 1):
                actions.append(self.action(rng, meeting.group, meeting, n))
        Action.objects.bulk_create(actions, batch_size=5000)
        owners, updates = [], []
        for index, action in enumerate(actions):
            named = rng.sample(people, rng.choice((1, 1, 2)))
            if index % 500 == 0:
                named.append(member)
            for order, person in enumerate(named):
                owners.append(ActionOwner(action=action, person=person, order=order))
            updates.extend(self.updates(rng, action))
        ActionOwner.objects.bulk_create(owners, batch_size=10000)
        ActionUpdate.objects.bulk_create(updates, batch_size=10000)

    def action(self, rng, group, meeting, n):
        reference = f"{group.code}{meeting.number}-{n:02d}"
        point = meeting.number / MEETINGS_PER_GROUP
        is_open = rng.random() < OPEN_FLOOR + OPEN_RISE * point**3
        status = (
            rng.choice([ActionStatus.OPEN, ActionStatus.ONGOING, ActionStatus.RECOMMEND_CLOSED])
            if is_open
            else ActionStatus.CLOSED
        )
        asap = rng.random() < 0.05
        due = meeting.date + datetime.timedelta(days=rng.randint(7, 120))
        topic, other = rng.sample(TOPICS, 2)
        return Action(
            reference=reference,
            sort_key=natural_sort_key(reference),
            group=group,
            meeting=meeting,
            area=rng.choice(AREAS),
            text=(
                f"{rng.choice(PARTIES) or 'Programme'} to {rng.choice(VERBS)} the "
                f"{topic} {rng.choice(OBJECTS)} ahead of the {other} work"
            ),
            date_raised=meeting.date,
            owner_party=rng.choice(PARTIES),
            due_kind=DueKind.ASAP if asap else DueKind.DATE,
            due_date=None if asap else due,
            status=status,
            closed_date=min(due, TODAY) if status == ActionStatus.CLOSED else None,
        )

    def updates(self, rng, action):
        count = rng.choice((0, 1, 2, 3))
        for k in range(count):
            last = k == count - 1
            yield ActionUpdate(
                action=action,
                date=min(action.date_raised + datetime.timedelta(days=14 * (k + 1)), TODAY),
                text=f"{rng.choice(UPDATE_OPENINGS)} {rng.choice(TOPICS)} "
                f"{rng.choice(OBJECTS)}; next step agreed",
                status_set=action.status if last else ActionStatus.ONGOING,
                source=UpdateSource.MEETING,
            )

    # The measurements -----------------------------------------------------------------------

    def cases(self, user):
        """(label, path, [query strings]): each request takes the next query string."""
        rng = random.Random(SEED + 1)
        owners = list(
            Person.objects.filter(ownerships__action__status=ActionStatus.OPEN)
            .values_list("name", flat=True)
            .distinct()[:200]
        )
        windows = [
            FIRST_MEETING + datetime.timedelta(days=rng.randint(0, 2000)) for _ in range(200)
        ]
        return [
            ("Register, default, page 1", "/actions/", ["", "sort=reference"]),
            (
                "Register, default, page 300",
                "/actions/",
                [f"page={page}" for page in range(295, 305)],
            ),
            ("Owner filter (name)", "/actions/", [f"owner={name}" for name in owners]),
            (
                "Due-date range",
                "/actions/",
                [f"due_from={d}&due_to={d + datetime.timedelta(days=60)}" for d in windows],
            ),
            ("Text search", "/actions/", [f"q={word}" for word in TOPICS]),
            ("My actions", "/actions/", ["owner=me"]),
            ("Trivial logged-in page", "/accounts/password_change/done/", [""]),
        ]

    def measure(self, user, requests):
        client = Client()
        client.force_login(user)
        results = []
        for label, path, queries in self.cases(user):
            urls = [f"{path}?{query}" if query else path for query in queries]
            for url in urls[:requests]:  # warm-up: caches, and the pages the case reads
                self.get(client, url)
            times, cpu = [], []
            for n in range(requests):
                url = urls[n % len(urls)]
                started, started_cpu = time.perf_counter(), time.process_time()
                self.get(client, url)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            with CaptureQueriesContext(connection) as captured:
                self.get(client, urls[0])
            results.append((label, urls[0], times, cpu, len(captured)))
        return results

    def get(self, client, url):
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}.")
        return response

    def report(self, results, requests):
        counts = {
            "actions": Action.objects.count(),
            "open": Action.objects.open().count(),
            "meetings": _meeting_model().objects.count(),
            "people": Person.objects.count(),
            "updates": ActionUpdate.objects.count(),
        }
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg_version = cursor.fetchone()[0]
        self.stdout.write(
            f"\nMachine: {_cpu_model()}, {os.cpu_count()} cores, {_memory_gb()} GB RAM; "
            f"PostgreSQL {pg_version}, Python {platform.python_version()}, "
            f"Django {django.get_version()}.\n"
            f"Data: {counts['actions']:,} actions ({counts['open']:,} not closed), "
            f"{counts['updates']:,} updates, {counts['meetings']:,} meetings, "
            f"{counts['people']:,} people, {GROUPS} groups. {requests} requests per case.\n"
            f"Load average before / after: {self.load_before} / {_load_average()} "
            "(other processes share the cores; Python CPU is this process's own time).\n"
        )
        self.stdout.write(
            "| Case | First URL | p50 (ms) | p95 (ms) | Max (ms) | Python CPU p50 (ms) | Queries |"
        )
        self.stdout.write("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
        for label, url, times, cpu, queries in results:
            self.stdout.write(
                f"| {label} | `{url}` | {statistics.median(times):.1f} | "
                f"{_percentile(times, 95):.1f} | {max(times):.1f} | "
                f"{statistics.median(cpu):.1f} | {queries} |"
            )


def _percentile(values, percent):
    """Nearest-rank percentile: the value below which `percent`% of the requests fall."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * percent // 100))
    return ordered[int(rank) - 1]


def _load_average():
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb():
    try:
        with open("/proc/meminfo") as meminfo:
            kilobytes = int(meminfo.readline().split()[1])
        return round(kilobytes / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        return "?"


def _meeting_model():
    # Reached through the foreign key: actions sit below meetings and do not import them.
    return Action._meta.get_field("meeting").related_model
