"""python manage.py load_demo: the demo data of demo/data/*.yaml, loaded idempotently.

Every record is found by its natural key (a reference, an email, a group code and meeting
number...) and only saved when a value differs, so a second run changes nothing: no
duplicate rows and no new history records. Passwords are set only when an account is made.

current.yaml, the current cycle, is dated relative to the day the command runs (`--today`
sets that day): a run on a later day moves those dates to its own week and adds nothing.
"""

import datetime
import re
from collections import Counter, defaultdict
from functools import partial
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from actions.models import Action, ActionUpdate, DueKind
from actions.services import action_add_update, action_create, set_owners
from changerequests.models import ChangeRequest
from changerequests.services import change_request_create
from core.models import GovernanceGroup, Membership, Organisation, Person, Role
from decisions.models import (
    CorrespondenceRecipient,
    CorrespondenceRound,
    Decision,
    DecisionStatus,
)
from decisions.services import decision_create
from demo.loader import read_data
from meetings.models import AgendaItem, Attendance, Meeting
from raid.models import RaidItem, RaidReview
from raid.services import raid_item_create

LONDON = ZoneInfo("Europe/London")
DEMO_PASSWORD = "demo"
PARTY_WITH_NAMES = re.compile(r"^(?P<party>.+?) \((?P<names>.+)\)$")


def email_for(name):
    return ".".join(name.lower().split()) + "@example.org"


def cycle_anchor(today):
    """The current cycle's day 0: the Wednesday of last week (the DAG sits on Wednesdays)."""
    return today - datetime.timedelta(days=today.weekday() + 5)


def dated(value, anchor):
    """current.yaml's values with every `<name>_day: N` turned into `<name>: anchor + N days`,
    in mappings and lists at any depth."""
    if isinstance(value, list):
        return [dated(item, anchor) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        if isinstance(key, str) and key.endswith("_day"):
            result[key.removesuffix("_day")] = anchor + datetime.timedelta(days=item)
        else:
            result[key] = dated(item, anchor)
    return result


class DemoLoader:
    def __init__(self, today=None):
        self.today = today or timezone.localdate()
        self.rounds = {}
        self.counts = defaultdict(Counter)
        self.people = {}
        self.organisations = {}
        self.meetings = {}
        self.items = {}
        self.crs = {}
        self.actions = {}

    def upsert(self, model, lookup, values, create=None):
        """Find by lookup; create (through `create` when given) or save only changed values."""
        label = str(model._meta.verbose_name_plural)
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            if create:
                obj = create(**lookup, **values)
            else:
                obj = model(**lookup, **values)
                obj.full_clean()
                obj.save()
            self.counts[label]["created"] += 1
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.full_clean()
            obj.save(update_fields=changed)
            self.counts[label]["updated"] += 1
        else:
            self.counts[label]["unchanged"] += 1
        return obj

    def load(self):
        self.load_people()
        self.load_groups()
        meetings = read_data("meetings")
        self.load_meetings(meetings["meetings"])
        self.load_attendance(meetings["attendance"])
        self.load_agenda(read_data("agenda")["agenda"])
        self.load_change_requests()
        actions = read_data("actions")
        self.load_actions(actions["actions"])
        self.load_action_updates(actions["updates"])
        self.load_decisions(read_data("decisions")["decisions"])
        self.load_raid()
        self.load_users()
        self.load_current_cycle()

    def load_current_cycle(self):
        """The current cycle of current.yaml, dated from the Wednesday of last week."""
        data = dated(read_data("current"), cycle_anchor(self.today))
        for row in data["meetings"]:
            # Where the minutes stand is the data's only when the meeting is made: a later
            # run moves the dates but never un-issues minutes issued in the app meanwhile.
            if self.dag.meetings.filter(number=row["number"], point=0).exists():
                del row["status"]
        self.load_meetings(data["meetings"])
        self.load_attendance(data["attendance"])
        self.load_agenda(data["agenda"])
        for row in data["actions"]:
            row["date_raised"] = self.meetings[row["meeting"]].date
        self.load_actions(data["actions"])
        self.load_rounds(data["correspondence_rounds"])
        self.load_decisions(data["decisions"])

    def load_rounds(self, rows):
        """Open correspondence rounds, asking the group's active members (no email is sent:
        the demo's members are reached through the pages)."""
        members = [
            m.person
            for m in self.dag.memberships.filter(role=Role.MEMBER, active=True).select_related(
                "person"
            )
        ]
        for row in rows:
            round_ = self.upsert(
                CorrespondenceRound,
                {"group": self.dag, "title": row["title"]},
                {"message": row["message"], "deadline": row["deadline"]},
            )
            for person in members:
                self.upsert(CorrespondenceRecipient, {"round": round_, "person": person}, {})
            self.rounds[row["title"]] = round_

    def load_people(self):
        data = read_data("groups_people")
        for row in data["organisations"]:
            self.organisations[row["name"]] = self.upsert(
                Organisation, {"name": row["name"]}, {"short_name": row.get("short_name", "")}
            )
        for row in data["people"]:
            self.people[row["name"]] = self.upsert(
                Person,
                {"email": email_for(row["name"])},
                {
                    "name": row["name"],
                    "organisation": self.organisations.get(row.get("organisation")),
                },
            )

    def load_groups(self):
        data = read_data("groups_people")
        groups = {}
        for row in data["groups"]:
            # The programme label only where the data gives one: the model has its own default.
            values = {"active": True, "terms_of_reference": "", **row}
            code = values.pop("code")
            values["parent"] = groups.get(values.pop("parent", None))
            groups[code] = self.upsert(GovernanceGroup, {"code": code}, values)
        self.dag = groups["DAG"]
        for code, rows in data["memberships"].items():
            for row in rows:
                person = self.people[row["person"]]
                self.upsert(
                    Membership,
                    {"group": groups[code], "person": person, "role": row["role"]},
                    {"constituency": row["constituency"], "active": True},
                )

    def load_meetings(self, rows):
        for row in rows:
            # YAML has dates but no times: times are written "10:00".
            values = {
                field: datetime.time.fromisoformat(value) if field.endswith("_time") else value
                for field, value in row.items()
                if field != "number"
            }
            self.meetings[row["number"]] = self.upsert(
                Meeting, {"group": self.dag, "number": row["number"], "point": 0}, values
            )

    def load_attendance(self, data):
        for meeting_number, rows in data.items():
            meeting = self.meetings[meeting_number]
            for order, row in enumerate(rows, start=1):
                self.upsert(
                    Attendance,
                    {"meeting": meeting, "person": self.people[row["person"]]},
                    {
                        "category": row["category"],
                        "status": row["status"],
                        "role": row["role"],
                        "initials": row.get("initials", ""),
                        "on_behalf_of": self.people.get(row.get("on_behalf_of")),
                        "part_meeting": row.get("part_meeting", False),
                        "order": order,
                    },
                )

    def load_agenda(self, data):
        for meeting_number, rows in data.items():
            meeting = self.meetings[meeting_number]
            for order, row in enumerate(rows, start=1):
                self.items[meeting_number, row["number"]] = self.upsert(
                    AgendaItem,
                    {"meeting": meeting, "number": row["number"]},
                    {
                        "order": order,
                        "title": row["title"],
                        "lead": self.people.get(row.get("lead")),
                        "item_type": row["item_type"],
                        "duration_minutes": row.get("duration_minutes"),
                        "objective": row.get("objective", ""),
                        "minutes": row.get("minutes", ""),
                    },
                )

    def load_change_requests(self):
        for row in read_data("change_requests")["change_requests"]:
            # Dates the data leaves out are stored empty, even over an edit made in the app.
            values = {"date_raised": None, "ia_deadline": None, **row}
            reference = values.pop("reference")
            values["raiser_person"] = self.people.get(values.pop("raiser", None))
            values["raiser_organisation"] = self.organisations.get(
                values.pop("raiser_organisation", None)
            )
            values["change_owner"] = self.people.get(values.pop("change_owner", None))
            values["group"] = self.dag
            self.crs[reference] = self.upsert(
                ChangeRequest, {"reference": reference}, values, create=change_request_create
            )

    def split_owner(self, written):
        """The paper's Owner cell as written -> (owner party, people who own the action).

        "Party (Name & Name)" with people the demo knows in the brackets -> the party plus
        those people; a cell made only of known people ("Ian Smith/Lewis Hall") -> the people
        and no party; anything else ("Programme (PMO)", "Programme (Design Team)") -> the
        whole cell is the party.
        """
        match = PARTY_WITH_NAMES.match(written)
        if match:
            names = match["names"].split(" & ")
            if all(name in self.people for name in names):
                return match["party"], [self.people[name] for name in names]
        names = [name.strip() for name in written.split("/")]
        if all(name in self.people for name in names):
            return "", [self.people[name] for name in names]
        return written, []

    def load_actions(self, rows):
        for row in rows:
            party, owners = self.split_owner(row["owner"])
            due = row["due"]  # a date, or ASAP
            due_kind = DueKind.ASAP if due == "ASAP" else DueKind.DATE
            action = self.upsert(
                Action,
                {"reference": row["reference"]},
                {
                    "group": self.dag,
                    "meeting": self.meetings[row["meeting"]],
                    "agenda_item": self.items.get((row["meeting"], row.get("agenda_item"))),
                    "area": row.get("area", ""),
                    "text": row["text"],
                    "date_raised": row["date_raised"],
                    "owner_party": party,
                    "due_kind": due_kind,
                    "due_date": due if due_kind == DueKind.DATE else None,
                },
                create=partial(action_create, owners=owners),
            )
            # Rewriting owners records history, so only when the people or their order differ.
            if [o.person_id for o in action.ownerships.all()] != [p.pk for p in owners]:
                set_owners(action=action, owners=owners)
            action.change_requests.set([self.crs[ref] for ref in row.get("change_requests", [])])
            self.actions[row["reference"]] = action

    def load_action_updates(self, rows):
        label = str(ActionUpdate._meta.verbose_name_plural)
        for row in rows:
            key = {
                "action": self.actions[row["action"]],
                "date": row["date"],
                "meeting": self.meetings.get(row.get("meeting")),
            }
            if ActionUpdate.objects.filter(**key).exists():
                self.counts[label]["unchanged"] += 1
                continue
            # Through the service, so the status it sets (and closure) is applied to the action.
            action_add_update(**key, text=row["text"], status=row["status"], source=row["source"])
            self.counts[label]["created"] += 1

    def load_decisions(self, rows):
        """Decisions as taken (status, by whom, when), or proposed when the row has no status."""
        for row in rows:
            decided_at = row.get("decided_at")
            decision = self.upsert(
                Decision,
                {"reference": row["reference"]},
                {
                    "group": self.dag,
                    "meeting": self.meetings[row["meeting"]],
                    "agenda_item": self.items[row["meeting"], row["agenda_item"]],
                    "area": row["area"],
                    "wording": row["wording"],
                    "status": row.get("status", DecisionStatus.PROPOSED),
                    "decided_by": self.people.get(row.get("decided_by")),
                    # The papers' times are London times; YAML reads them without a zone.
                    "decided_at": decided_at.replace(tzinfo=LONDON) if decided_at else None,
                    "correspondence_round": self.rounds.get(row.get("round")),
                    "approves_minutes_of": self.meetings.get(row.get("approves_minutes_of")),
                    "papers": row.get("papers", ""),
                },
                # Proposed ones too without the chair's notice: nobody is emailed by a load.
                create=decision_create if decided_at else None,
            )
            decision.change_requests.set([self.crs[ref] for ref in row.get("change_requests", [])])

    def load_raid(self):
        data = read_data("raid")
        items = {}
        for row in data["raid_items"]:
            values = {"date_raised": None, **row}  # left out: stored empty, as in the CRs
            reference = values.pop("reference")
            crs = values.pop("change_requests", [])
            values["owner"] = self.people.get(values.pop("owner", None))
            values["superseded_by"] = items.get(values.pop("superseded_by", None))
            values["group"] = self.dag
            item = self.upsert(RaidItem, {"reference": reference}, values, create=raid_item_create)
            item.change_requests.set([self.crs[ref] for ref in crs])
            items[reference] = item
        for row in data["reviews"]:
            meeting_number = row["meeting"]
            self.upsert(
                RaidReview,
                {"raid_item": items[row["raid_item"]], "meeting": self.meetings[meeting_number]},
                {
                    "agenda_item": self.items[meeting_number, row["agenda_item"]],
                    "discussion": row["discussion"],
                    "conclusion": row.get("conclusion", ""),
                },
            )

    def load_users(self):
        User = get_user_model()
        label = str(User._meta.verbose_name_plural)
        for row in read_data("groups_people")["users"]:
            username = row["username"]
            person = self.people.get(row.get("person"))
            email = person.email if person else f"{username}@example.org"
            user = User.objects.filter(username=username).first()
            if user is None:
                superuser = row.get("superuser", False)
                make = User.objects.create_superuser if superuser else User.objects.create_user
                user = make(username, email, DEMO_PASSWORD)
                self.counts[label]["created"] += 1
            else:
                self.counts[label]["unchanged"] += 1
            if person and person.user_id != user.pk:
                person.user = user
                person.save(update_fields=["user"])

    def summary(self):
        for label, counts in self.counts.items():
            yield (
                f"{label}: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged"
            )


class Command(BaseCommand):
    help = (
        "Load demo data transcribed from the DAG papers, and a current cycle dated from "
        "today (safe to run again)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="The day the current cycle is dated from, e.g. 2026-12-07 (default: today).",
        )

    def handle(self, *args, **options):
        loader = DemoLoader(options["today"])
        with transaction.atomic():
            loader.load()
        for line in loader.summary():
            self.stdout.write(line)
        self.stdout.write(
            "Demo logins: secretariat, chair, member, observer, admin "
            f'(password "{DEMO_PASSWORD}" when first created).'
        )
