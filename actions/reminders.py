"""Who gets which reminder today: the daily digests and the weekly escalation.

Everything takes `today`, so the calendar rules are tested without freezing the clock.

- The daily run happens on UK working days only (weekends and England & Wales bank
  holidays are skipped). Each owner with an email address who has not opted out gets at
  most one digest a day, across all their groups: their actions overdue, due today and due
  within the action's group's reminder window (calendar days). An action with no named
  owner (only a party label such as "Programme") goes to its group's secretariat.
- The weekly escalation goes to the chair and secretariat of each group: the actions
  overdue by more than REMINDER_ESCALATION_DAYS, grouped by owner. It runs on the
  configured weekday, or the next working day of that week when that weekday is a bank
  holiday.
- Only OPEN and ONGOING actions are chased: RECOMMEND CLOSED ones wait for the group to
  close them. They are chased by their deadline (Action.deadline): a due date; a week
  commencing ("w/c 08/08/2022") is due by the end of that week, the Sunday, and overdue
  from the Monday after; "Next DAG" is due on the group's next meeting once it is
  scheduled (not chased until then). ASAP, TBC and Ongoing have no date to count from and
  are never chased: the group reviews them at its meetings.

Planned emails go into the outbox (notifications/outbox.py) under keys of person, kind and date
(or ISO week), so a second run plans nothing.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.template.loader import get_template
from django.urls import reverse
from django.utils import dateformat
from django.utils.http import RFC3986_SUBDELIMS

from core.models import GovernanceGroup, Membership, Person, Role
from core.workdays import is_working_day
from notifications.models import EmailKind, EmailPreference, OutboundEmail
from notifications.outbox import plan_emails, queue_email, send_in_batches
from notifications.preferences import preferences_token

from .models import Action, ActionOwner, ActionStatus, DueKind, compose_owner

CHASED_STATUSES = (ActionStatus.OPEN, ActionStatus.ONGOING)
CHASED_DUE_KINDS = (DueKind.DATE, DueKind.WEEK_COMMENCING, DueKind.NEXT_MEETING)

UPDATE_SALT = "actions.reminders.update-link"
# Characters of group names a digest's subject may hold before it names the groups by code.
SUBJECT_GROUP_NAMES = 100


class Section:
    OVERDUE = "overdue"
    TODAY = "today"
    SOON = "soon"


SECTION_TITLES = {
    Section.OVERDUE: "Overdue",
    Section.TODAY: "Due today",
    Section.SOON: "Due soon",
}


# Calendar rules ---------------------------------------------------------------------------


def is_reminder_day(day: datetime.date) -> bool:
    return is_working_day(day)


def is_escalation_day(day: datetime.date, weekday: int | None = None) -> bool:
    """The configured weekday, or the first working day after it in the same week when it
    is a bank holiday (Easter Monday moves the summary to Tuesday)."""
    weekday = settings.REMINDER_ESCALATION_WEEKDAY if weekday is None else weekday
    if not is_working_day(day) or day.weekday() < weekday:
        return False
    monday = day - datetime.timedelta(days=day.weekday())
    first = monday + datetime.timedelta(days=weekday)
    while not is_working_day(first):
        first += datetime.timedelta(days=1)
    return first == day


def section_of(action, today) -> str | None:
    """Where a chased action sits in today's digest, if anywhere (calendar days from its
    deadline)."""
    if action.chase_by < today:
        return Section.OVERDUE
    if action.chase_by == today:
        return Section.TODAY
    if action.chase_by <= today + datetime.timedelta(days=action.group.reminder_window_days):
        return Section.SOON
    return None


# Signed links -----------------------------------------------------------------------------


def update_token(person_id: int, action_id: int) -> str:
    """A link token letting this person update this action, and nothing else."""
    return signing.dumps([person_id, action_id], salt=UPDATE_SALT)


def read_update_token(token: str) -> tuple[int, int]:
    """(person id, action id); raises signing.SignatureExpired or signing.BadSignature."""
    person_id, action_id = signing.loads(
        token, salt=UPDATE_SALT, max_age=datetime.timedelta(days=settings.REMINDER_LINK_DAYS)
    )
    return int(person_id), int(action_id)


def update_token_made_at(token: str) -> datetime.datetime:
    """When a valid token (read_update_token accepted it) was made, to the second: the
    signature's timestamp, which the signature covers."""
    stamp = token.rsplit(":", 2)[-2]
    return datetime.datetime.fromtimestamp(signing.b62_decode(stamp), tz=datetime.UTC)


def may_update_by_link(person, action) -> bool:
    """A signed link keeps working only while its holder would still be sent the action:
    as a named owner, or as secretariat of the group when no person owns it."""
    owner_ids = set(action.ownerships.values_list("person_id", flat=True))
    if owner_ids:
        return person.pk in owner_ids
    return Membership.objects.filter(
        group_id=action.group_id, person=person, role=Role.SECRETARIAT, active=True
    ).exists()


def site_url(path: str) -> str:
    return settings.SITE_URL + path


def link_maker(url_name):
    """reverse() of a one-argument URL, with the site address, as plain string formatting:
    a run's emails hold tens of thousands of links."""
    prefix, suffix = site_url(reverse(url_name, args=["x"])).rsplit("x", 1)
    safe = RFC3986_SUBDELIMS + "~:@"  # what reverse() leaves unquoted
    return lambda arg: f"{prefix}{quote(str(arg), safe=safe)}{suffix}"


# Planning ---------------------------------------------------------------------------------


def chased_actions(scope=None) -> list[Action]:
    """OPEN and ONGOING actions with a deadline, of active groups (narrowed by the Q
    `scope`, which reads `due_date`; a "Next DAG" action always passes it), earliest
    deadline first, each with its group, `chase_by` (its deadline), latest update and
    `owner_people` in the papers' order.

    Four queries however many actions; the owners are fetched by hand because
    prefetch_related takes longer than everything else here for the 10,000 actions of the
    benchmark.
    """
    chased = Action.objects.filter(
        status__in=CHASED_STATUSES, due_kind__in=CHASED_DUE_KINDS, group__active=True
    )
    if scope is not None:
        chased = chased.filter(scope | Q(due_kind=DueKind.NEXT_MEETING))
    actions = []
    for action in chased.for_list().prefetch_related(None).order_by("due_date", "reference"):
        action.chase_by = action.deadline()
        if action.chase_by is not None:  # a next meeting not yet scheduled
            actions.append(action)
    actions.sort(key=lambda action: action.chase_by)  # stable: references stay in order
    owner_ids = list(
        ActionOwner.objects.filter(action__in=chased.values("pk"))
        .order_by("order", "pk")
        .values_list("action_id", "person_id")
    )
    people = Person.objects.in_bulk({person_id for _, person_id in owner_ids})
    groups = GovernanceGroup.objects.in_bulk({action.group_id for action in actions})
    owners = defaultdict(list)
    for action_id, person_id in owner_ids:
        owners[action_id].append(people[person_id])
    for action in actions:
        action.group = groups[action.group_id]
        action.owner_people = owners[action.pk]
    return actions


def owner_label(action) -> str:
    """The owner as Action.owner_display() writes it, from `owner_people`."""
    if action.owner_printed:
        return action.owner_printed
    names = [person.name for person in action.owner_people]
    return compose_owner(action.owner_party, action.owner_team, names)


@dataclass
class Line:
    """One action in an email, with everything the templates show already worked out
    (the emails of a run are many; attribute chains in templates are slow)."""

    action: Action
    section: str
    days_overdue: int
    update_url: str = ""

    def item(self, action_url) -> dict:
        action = self.action
        return {
            "reference": action.reference,
            "group_code": action.group.code,
            "text": action.text,
            "due": action.due_display(),
            "days_overdue": self.days_overdue,
            "owner": owner_label(action) or "No owner",
            "latest_date": (
                action.latest_update_date.strftime("%d/%m/%Y") if action.latest_update_date else ""
            ),
            "latest_text": action.latest_update_text or "",
            "url": action_url(action.reference),
            "update_url": self.update_url,
        }


@dataclass
class Digest:
    person: Person
    lines: list[Line] = field(default_factory=list)

    @property
    def groups(self):
        return sorted({line.action.group for line in self.lines}, key=lambda group: group.code)

    def count(self, section):
        return sum(line.section == section for line in self.lines)


def secretariat_by_group() -> dict[int, list[Person]]:
    memberships = Membership.objects.filter(
        role=Role.SECRETARIAT, active=True, person__active=True
    ).select_related("person")
    found = defaultdict(list)
    for membership in memberships.order_by("person__name"):
        found[membership.group_id].append(membership.person)
    return found


def plan_digests(today, *, person=None, include_opted_out=False) -> list[Digest]:
    """Today's digests, one per person, or only `person`'s when given."""
    longest_window = GovernanceGroup.objects.aggregate(days=Max("reminder_window_days"))["days"]
    scope = Q(due_date__lte=today + datetime.timedelta(days=longest_window or 0))
    secretariat = secretariat_by_group()
    if person is not None:
        own_groups = [
            group_id
            for group_id, people in secretariat.items()
            if any(p.pk == person.pk for p in people)
        ]
        owned = ActionOwner.objects.filter(action=OuterRef("pk"))
        scope &= Exists(owned.filter(person=person)) | (Q(group__in=own_groups) & ~Exists(owned))
    update_link = link_maker("email:action_update")
    opted_out = set() if include_opted_out else EmailPreference.objects.opted_out_person_ids()
    digests = {}
    for action in chased_actions(scope):
        section = section_of(action, today)
        if section is None:
            continue
        # Only actions owned by a party label (or by nobody) fall to the secretariat.
        recipients = action.owner_people or secretariat.get(action.group_id, [])
        for recipient in recipients:
            if person is not None and recipient.pk != person.pk:
                continue
            if not recipient.email or not recipient.active:
                continue
            if recipient.pk in opted_out:
                continue
            digest = digests.setdefault(recipient.pk, Digest(recipient))
            digest.lines.append(
                Line(
                    action=action,
                    section=section,
                    days_overdue=max((today - action.chase_by).days, 0),
                    update_url=update_link(update_token(recipient.pk, action.pk)),
                )
            )
    order = {Section.OVERDUE: 0, Section.TODAY: 1, Section.SOON: 2}
    for digest in digests.values():
        digest.lines.sort(key=lambda line: (order[line.section], line.action.chase_by))
    return sorted(digests.values(), key=lambda digest: digest.person.name)


@dataclass
class Escalation:
    group: GovernanceGroup
    recipients: list[Person]
    by_owner: list[tuple[str, list[Line]]]

    @property
    def count(self):
        return sum(len(lines) for _, lines in self.by_owner)


def plan_escalations(today) -> list[Escalation]:
    """Per group, its actions overdue by more than the threshold, grouped by owner."""
    threshold = settings.REMINDER_ESCALATION_DAYS
    cutoff = today - datetime.timedelta(days=threshold)
    overdue = [
        action for action in chased_actions(Q(due_date__lt=cutoff)) if action.chase_by < cutoff
    ]
    by_group = defaultdict(lambda: defaultdict(list))
    for action in overdue:
        line = Line(action, Section.OVERDUE, (today - action.chase_by).days)
        by_group[action.group][owner_label(action) or "No owner"].append(line)
    if not by_group:
        return []
    recipients = defaultdict(dict)
    memberships = (
        Membership.objects.filter(
            group__in=list(by_group),
            role__in=(Role.CHAIR, Role.SECRETARIAT),
            active=True,
            person__active=True,
        )
        .exclude(person__email="")
        .select_related("person")
        .order_by("person__name")
    )
    for membership in memberships:
        recipients[membership.group_id][membership.person.pk] = membership.person
    return [
        Escalation(group, list(recipients[group.pk].values()), sorted(owners.items()))
        for group, owners in sorted(by_group.items(), key=lambda item: item[0].code)
        if recipients[group.pk]
    ]


# Rendering into outbox rows ---------------------------------------------------------------


def digest_key(person, today) -> str:
    return f"digest:{today.isoformat()}:person:{person.pk}"


def escalation_key(group, person, today) -> str:
    year, week, _ = today.isocalendar()
    return f"escalation:{year}-W{week:02d}:group:{group.pk}:person:{person.pk}"


def digest_subject(digest) -> str:
    parts = [
        f"{digest.count(section)} {SECTION_TITLES[section].lower()}"
        for section in (Section.OVERDUE, Section.TODAY, Section.SOON)
        if digest.count(section)
    ]
    groups = ", ".join(group.name for group in digest.groups)
    if len(groups) > SUBJECT_GROUP_NAMES:  # an owner in many groups: their codes
        groups = ", ".join(group.code for group in digest.groups)
    return f"Your actions: {', '.join(parts)} ({groups})"


def render_email(name, context) -> tuple[str, str]:
    """(text, HTML) bodies of templates/notifications/email/<name>.txt and .html."""
    return (
        get_template(f"notifications/email/{name}.txt").render(context),
        get_template(f"notifications/email/{name}.html").render(context),
    )


class Renderer:
    """Renders the emails of one run; the links are worked out once per run."""

    def __init__(self, today):
        self.today = today
        self.action_url = link_maker("actions:action_detail")
        self.preferences_url = link_maker("email:preferences")
        self.common = {
            "today": dateformat.format(today, "l j F Y"),
            "link_days": settings.REMINDER_LINK_DAYS,
            "threshold": settings.REMINDER_ESCALATION_DAYS,
        }

    def digest(self, digest) -> dict:
        """Everything of a digest's outbox row but its key."""
        person = digest.person
        groups = digest.groups
        context = {
            **self.common,
            "person": person,
            "sections": [
                (
                    SECTION_TITLES[section],
                    [
                        line.item(self.action_url)
                        for line in digest.lines
                        if line.section == section
                    ],
                )
                for section in (Section.OVERDUE, Section.TODAY, Section.SOON)
                if digest.count(section)
            ],
            "preferences_url": self.preferences_url(preferences_token(person.pk)),
        }
        body_text, body_html = render_email("digest", context)
        return {
            "kind": EmailKind.DIGEST,
            "person": person,
            "group": groups[0] if len(groups) == 1 else None,
            "to_address": person.email,
            "subject": digest_subject(digest),
            "body_text": body_text,
            "body_html": body_html,
            "references": [line.action.reference for line in digest.lines],
        }

    def escalation(self, escalation, person) -> dict:
        group = escalation.group
        context = {
            **self.common,
            "person": person,
            "group": group,
            "by_owner": [
                (owner, [line.item(self.action_url) for line in lines])
                for owner, lines in escalation.by_owner
            ],
            "preferences_url": self.preferences_url(preferences_token(person.pk)),
        }
        body_text, body_html = render_email("escalation", context)
        count = escalation.count
        return {
            "kind": EmailKind.ESCALATION,
            "person": person,
            "group": group,
            "to_address": person.email,
            "subject": (
                f"{group.name}: {count} action{'s' if count != 1 else ''} overdue by more "
                f"than {settings.REMINDER_ESCALATION_DAYS} days"
            ),
            "body_text": body_text,
            "body_html": body_html,
            "references": [
                line.action.reference for _, lines in escalation.by_owner for line in lines
            ],
        }


def plan_daily(today, *, send=send_in_batches) -> list[int]:
    """Plan today's digests (and the weekly escalation on its day) in one transaction;
    `send` gets the ids of the rows this run inserted once it has committed.

    Rows already planned under the same keys are neither rendered again nor sent.
    """
    if not is_reminder_day(today):
        return []
    with transaction.atomic():
        render = Renderer(today)
        planned = {
            digest_key(digest.person, today): partial(render.digest, digest)
            for digest in plan_digests(today)
        }
        if is_escalation_day(today):
            for escalation in plan_escalations(today):
                for person in escalation.recipients:
                    planned[escalation_key(escalation.group, person, today)] = partial(
                        render.escalation, escalation, person
                    )
        existing = set(
            OutboundEmail.objects.filter(key__in=list(planned)).values_list("key", flat=True)
        )
        rows = [
            OutboundEmail(key=key, **build())
            for key, build in planned.items()
            if key not in existing
        ]
        ids = plan_emails(rows)
        transaction.on_commit(lambda: send(ids))
    return ids


def send_digest_now(*, person, today, token, requested_by) -> OutboundEmail | None:
    """The secretariat's "send digest now": today's digest of one person, opted out or
    not, under a key of its own (`token` comes from the form, so a double submit sends
    once and the daily digest is not blocked). None when nothing is due."""
    digests = plan_digests(today, person=person, include_opted_out=True)
    if not digests:
        return None
    with transaction.atomic():
        return queue_email(
            key=f"digest-manual:{today.isoformat()}:person:{person.pk}:{token}",
            requested_by=requested_by,
            **Renderer(today).digest(digests[0]),
        )
