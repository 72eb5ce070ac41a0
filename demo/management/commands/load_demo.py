"""python manage.py load_demo: the demo data of demo/data.py, loaded idempotently.

Every record is found by its natural key (a reference, an email, a group code and meeting
number...) and only saved when a value differs, so a second run changes nothing: no
duplicate rows and no new history records. Passwords are set only when an account is made.
"""

import datetime
import re
from collections import Counter, defaultdict
from functools import partial
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from actions.models import Action, ActionUpdate, DueKind
from actions.services import action_add_update, action_create, set_owners
from changerequests.models import ChangeRequest
from changerequests.services import change_request_create
from core.models import GovernanceGroup, Membership, Organisation, Person
from decisions.models import Decision
from decisions.services import decision_create
from demo import data as data
from meetings.models import AgendaItem, Attendance, Meeting
from raid.models import RaidItem, RaidReview
from raid.services import raid_item_create

LONDON = ZoneInfo("Europe/London")
DEMO_PASSWORD = "demo"
PARTY_WITH_NAMES = re.compile(r"^(?P<party>.+?) \((?P<names>.+)\)$")


def parse_date(text):
    return datetime.datetime.strptime(text, "%d/%m/%Y").date() if text else None


def email_for(name):
    return ".".join(name.lower().split()) + "@example.org"


class DemoLoader:
    def __init__(self):
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
        self.load_meetings()
        self.load_attendance()
        self.load_agenda()
        self.load_change_requests()
        self.load_actions()
        self.load_action_updates()
        self.load_decisions()
        self.load_raid()
        self.load_users()

    def load_people(self):
        for name, short_name in data.ORGANISATIONS:
            self.organisations[name] = self.upsert(
                Organisation, {"name": name}, {"short_name": short_name}
            )
        for name, organisation in data.PEOPLE:
            self.people[name] = self.upsert(
                Person,
                {"email": email_for(name)},
                {"name": name, "organisation": self.organisations.get(organisation)},
            )

    def load_groups(self):
        groups = {}
        for code, name, level, parent, active, terms in data.GROUPS:
            values = {
                "name": name,
                "level": level,
                "parent": groups.get(parent),
                "active": active,
                "terms_of_reference": terms,
            }
            if code == "DAG":
                values["programme_label"] = data.DAG_PROGRAMME_LABEL
            groups[code] = self.upsert(GovernanceGroup, {"code": code}, values)
        self.dag = groups["DAG"]
        for name, role, constituency in data.DAG_MEMBERSHIPS:
            self.upsert(
                Membership,
                {"group": self.dag, "person": self.people[name], "role": role},
                {"constituency": constituency, "active": True},
            )

    def load_meetings(self):
        for number, date, status, extra in data.DAG_MEETINGS:
            values = {"date": parse_date(date), "status": status}
            for field, value in extra.items():
                if field.endswith("_date"):
                    value = parse_date(value)
                elif field.endswith("_time"):
                    value = datetime.time.fromisoformat(value)
                values[field] = value
            self.meetings[number] = self.upsert(
                Meeting, {"group": self.dag, "number": number, "point": 0}, values
            )

    def load_attendance(self):
        meeting = self.meetings[29]
        for order, line in enumerate(data.DAG029_ATTENDANCE, start=1):
            category, name, initials, role, on_behalf_of, part_meeting, status = line
            self.upsert(
                Attendance,
                {"meeting": meeting, "person": self.people[name]},
                {
                    "category": category,
                    "status": status,
                    "role": role,
                    "initials": initials,
                    "on_behalf_of": self.people.get(on_behalf_of),
                    "part_meeting": part_meeting,
                    "order": order,
                },
            )

    def load_agenda(self):
        for meeting_number, rows in data.AGENDA.items():
            meeting = self.meetings[meeting_number]
            for order, row in enumerate(rows, start=1):
                number, title, lead, item_type, duration, objective, minutes = row
                self.items[meeting_number, number] = self.upsert(
                    AgendaItem,
                    {"meeting": meeting, "number": number},
                    {
                        "order": order,
                        "title": title,
                        "lead": self.people.get(lead),
                        "item_type": item_type,
                        "duration_minutes": duration,
                        "objective": objective,
                        "minutes": minutes,
                    },
                )

    def load_change_requests(self):
        for row in data.CHANGE_REQUESTS:
            values = dict(row)
            reference = values.pop("reference")
            values["raiser_person"] = self.people.get(values.pop("raiser", None))
            values["raiser_organisation"] = self.organisations.get(
                values.pop("raiser_organisation", None)
            )
            values["change_owner"] = self.people.get(values.pop("change_owner", None))
            for field in ("date_raised", "ia_deadline"):
                values[field] = parse_date(values.get(field))
            if reference in data.CR_TABLE_REFERENCES:
                values["status_updated"] = parse_date(data.CR_TABLE_UPDATED)
            values["group"] = self.dag
            self.crs[reference] = self.upsert(
                ChangeRequest, {"reference": reference}, values, create=change_request_create
            )

    def split_owner(self, written):
        """The paper's Owner cell -> (owner party, people); see demo_data's docstring."""
        match = PARTY_WITH_NAMES.match(written)
        if match:
            names = match["names"].split(" & ")
            if all(name in self.people for name in names):
                return match["party"], [self.people[name] for name in names]
        names = [name.strip() for name in written.split("/")]
        if all(name in self.people for name in names):
            return "", [self.people[name] for name in names]
        return written, []

    def load_actions(self):
        for row in data.ACTIONS:
            reference, meeting_number, item, area, text, owner, due, raised, crs = row
            party, owners = self.split_owner(owner)
            due_kind = DueKind.ASAP if due == "ASAP" else DueKind.DATE
            action = self.upsert(
                Action,
                {"reference": reference},
                {
                    "group": self.dag,
                    "meeting": self.meetings[meeting_number],
                    "agenda_item": self.items.get((meeting_number, item)),
                    "area": area,
                    "text": text,
                    "date_raised": parse_date(raised),
                    "owner_party": party,
                    "due_kind": due_kind,
                    "due_date": parse_date(due) if due_kind == DueKind.DATE else None,
                },
                create=partial(action_create, owners=owners),
            )
            # Rewriting owners records history, so only when the people or their order differ.
            if [o.person_id for o in action.ownerships.all()] != [p.pk for p in owners]:
                set_owners(action=action, owners=owners)
            action.change_requests.set([self.crs[ref] for ref in crs])
            self.actions[reference] = action

    def load_action_updates(self):
        label = str(ActionUpdate._meta.verbose_name_plural)
        for reference, date, meeting_number, status, text, source in data.ACTION_UPDATES:
            action = self.actions[reference]
            meeting = self.meetings.get(meeting_number)
            key = {"action": action, "date": parse_date(date), "meeting": meeting}
            if ActionUpdate.objects.filter(**key).exists():
                self.counts[label]["unchanged"] += 1
                continue
            # Through the service, so the status it sets (and closure) is applied to the action.
            action_add_update(**key, text=text, status=status, source=source)
            self.counts[label]["created"] += 1

    def load_decisions(self):
        decided_at = datetime.datetime.strptime(data.DAG029_DECIDED_AT, "%d/%m/%Y %H:%M").replace(
            tzinfo=LONDON
        )
        for reference, item, area, wording, crs in data.DAG029_DECISIONS:
            decision = self.upsert(
                Decision,
                {"reference": reference},
                {
                    "group": self.dag,
                    "meeting": self.meetings[29],
                    "agenda_item": self.items[29, item],
                    "area": area,
                    "wording": wording,
                    "status": "approved",
                    "decided_by": self.people[data.DAG029_DECIDED_BY],
                    "decided_at": decided_at,
                },
                create=decision_create,
            )
            decision.change_requests.set([self.crs[ref] for ref in crs])

    def load_raid(self):
        items = {}
        for row in data.RAID_ITEMS:
            values = dict(row)
            reference = values.pop("reference")
            crs = values.pop("change_requests", [])
            values["owner"] = self.people.get(values.pop("owner", None))
            values["superseded_by"] = items.get(values.pop("superseded_by", None))
            values["date_raised"] = parse_date(values.get("date_raised"))
            values["group"] = self.dag
            item = self.upsert(RaidItem, {"reference": reference}, values, create=raid_item_create)
            item.change_requests.set([self.crs[ref] for ref in crs])
            items[reference] = item
        for reference, meeting_number, item, discussion, conclusion in data.RAID_REVIEWS:
            self.upsert(
                RaidReview,
                {"raid_item": items[reference], "meeting": self.meetings[meeting_number]},
                {
                    "agenda_item": self.items[meeting_number, item],
                    "discussion": discussion,
                    "conclusion": conclusion,
                },
            )

    def load_users(self):
        User = get_user_model()
        label = str(User._meta.verbose_name_plural)
        for username, person_name, superuser in data.DEMO_USERS:
            person = self.people.get(person_name)
            email = person.email if person else f"{username}@example.org"
            user = User.objects.filter(username=username).first()
            if user is None:
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
    help = "Load demo data transcribed from the DAG papers (safe to run again)."

    def handle(self, *args, **options):
        loader = DemoLoader()
        with transaction.atomic():
            loader.load()
        for line in loader.summary():
            self.stdout.write(line)
        self.stdout.write(
            "Demo logins: secretariat, chair, member, observer, admin "
            f'(password "{DEMO_PASSWORD}" when first created).'
        )
