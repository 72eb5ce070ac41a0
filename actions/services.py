"""Writes that touch actions and their owners, updates and references."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.bulk import create_checked
from core.models import Person
from core.permissions import person_of
from core.references import TYPED_REASON, allocate, claim_reference, claim_references
from core.versions import lock_unchanged

from .models import (
    ACTION_NUMBER_FORMAT,
    Action,
    ActionOwner,
    ActionStatus,
    ActionUpdate,
    DueKind,
    LinkEventKind,
    UpdateLinkEvent,
    UpdateSource,
    natural_sort_key,
)
from .notices import tell_closure_recommended, tell_due_date_changed, tell_owners_of_action

# Updates whose RECOMMEND CLOSED comes from an owner, so the secretariat is told (not an
# import, nor the secretariat's own review at a meeting).
OWNER_SOURCES = (UpdateSource.WEB, UpdateSource.EMAIL_LINK)


def next_action_reference(meeting) -> str:
    """The next free DAG29-NN for actions raised at this meeting (call inside a transaction
    that saves the action)."""
    prefix = f"{meeting.action_prefix}-"
    in_use = Action.objects.filter(reference__istartswith=prefix).values_list(
        "reference", flat=True
    )
    number = allocate(kind="action", scope=prefix, in_use=in_use, prefix=prefix)
    return ACTION_NUMBER_FORMAT.format(prefix=meeting.action_prefix, n=number)


@transaction.atomic
def action_create(
    *,
    group,
    text,
    date_raised,
    meeting=None,
    agenda_item=None,
    reference="",
    owners=(),
    new_people=(),
    change_requests=(),
    **fields,
) -> Action:
    """Create an action; with no reference given, allocate the meeting's next one.

    A reference given (typed or imported, e.g. DES-03-04) is kept exactly as written;
    validation refuses it if it is already taken. A meeting takes actions once it has
    started (the meetings app's one rule, Meeting.records_closed_reason).
    """
    if meeting is not None and (reason := meeting.records_closed_reason()):
        raise ValidationError({"meeting": reason})
    typed = bool(reference)
    if typed:
        claim_reference(model=Action, reference=reference)
    else:
        if meeting is None:
            raise ValueError("An action raised outside a meeting needs a reference.")
        reference = next_action_reference(meeting)
    action = Action(
        reference=reference,
        group=group,
        meeting=meeting,
        agenda_item=agenda_item,
        text=text,
        date_raised=date_raised,
        **fields,
    )
    action.full_clean()
    owners = [*owners, *add_people(new_people)]
    if typed:
        action._change_reason = TYPED_REASON  # the history keeps who typed it
    action.save()
    set_owners(action=action, owners=owners)
    if change_requests:
        action.change_requests.set(change_requests)
    return action


@transaction.atomic
def actions_create_bulk(*, group, actions) -> list[Action]:
    """Create many actions under typed references (a past paper's), as action_create would
    one at a time, in a few queries: `actions` are dicts of action_create's keywords
    (reference given; owners a list; no new_people or change_requests).

    Kept from action_create: the meetings' rule (records_closed_reason), the references
    claimed under their scopes' locks (refused, naming the holder, if held), the model's
    validation, history and mentions (core.bulk.create_checked), and the owners, in the
    history of each action as its save records them. Raises ValidationError, writing
    nothing, if any action is refused.
    """
    for meeting in {spec["meeting"] for spec in actions if spec.get("meeting") is not None}:
        if reason := meeting.records_closed_reason():
            raise ValidationError({"meeting": reason})
    claim_references(model=Action, references=[spec["reference"] for spec in actions])
    built = []
    for spec in actions:
        action = Action(group=group, **{k: v for k, v in spec.items() if k != "owners"})
        action.sort_key = natural_sort_key(action.reference)  # Action.save fills it
        built.append(action)
    create_checked(model=Action, records=built)
    ownerships = ActionOwner.objects.bulk_create(
        ActionOwner(action=action, person=person, order=position)
        for action, spec in zip(built, actions, strict=True)
        for position, person in enumerate(spec.get("owners", ()))
    )
    # The owners as each action's history row records them (its many-to-many history).
    rows = {row.id: row for row in Action.history.filter(id__in=[a.pk for a in built])}
    owner_history = apps.get_model("actions", "HistoricalActionOwner")
    owner_history.objects.bulk_create(
        owner_history(
            history=rows[ownership.action_id],
            **{field.name: getattr(ownership, field.name) for field in ActionOwner._meta.fields},
        )
        for ownership in ownerships
    )
    return built


def set_owners(*, action, owners) -> None:
    """Replace the owners, keeping the order given ("Paul Pettitt & Lee Cox")."""
    owners = list(owners)
    current = list(action.ownerships.values_list("person_id", flat=True))
    if current == [person.pk for person in owners]:
        return
    _replace_owners(action, owners)
    # bulk_create sends no signals: save once so the audit history records the new owners.
    action.save(update_fields=["updated_at"])


def _replace_owners(action, owners):
    action.ownerships.all().delete()
    ActionOwner.objects.bulk_create(
        ActionOwner(action=action, person=person, order=position)
        for position, person in enumerate(owners)
    )


# What the secretariat may correct after an action is raised; its status, closing and
# updates change only through updates.
CORRECTABLE = {
    "text",
    "area",
    "owner_party",
    "owner_team",
    "owner_printed",
    "due_kind",
    "due_date",
    "date_raised",
}


def add_people(names) -> list:
    """People named in a printed owner cell who were not in the app yet, added by name."""
    return [Person.objects.create(name=name) for name in names]


@transaction.atomic
def action_correct(*, action, version, owners=None, new_people=(), reason="", **fields) -> Action:
    """Correct what was recorded when the action was raised: its text, owners (people and
    party), area, due date and date raised, as one version of its history (owners included)
    kept with who, when and the reason given.

    Raises core.versions.StaleRecord (saving nothing) if the action was saved since
    `version` was read, and ValidationError for an action the model refuses. Owners who
    stay keep their order; new ones follow in the order given.
    """
    if fields.keys() - CORRECTABLE:
        raise ValueError(f"Not correctable here: {', '.join(sorted(fields.keys() - CORRECTABLE))}.")
    current = lock_unchanged(action, version)
    if new_people:
        if owners is None:
            owners = [ownership.person for ownership in current.ownerships.all()]
        owners = [*owners, *add_people(new_people)]
    changed = {name: value for name, value in fields.items() if getattr(current, name) != value}
    owner_ids = list(current.ownerships.values_list("person_id", flat=True))
    if owners is not None:
        wanted = {person.pk: person for person in owners}
        owners = [wanted[pk] for pk in owner_ids if pk in wanted] + [
            person for person in owners if person.pk not in owner_ids
        ]
    owners_changed = owners is not None and [p.pk for p in owners] != owner_ids
    if not changed and not owners_changed:  # an untouched form adds no version
        return current
    due_was = current.due_display()
    for name, value in changed.items():
        setattr(current, name, value)
    current.full_clean()
    if owners_changed:
        _replace_owners(current, owners)
    # simple-history keeps the reason with the version it saves (at most 100 characters).
    current._change_reason = reason.strip()[:100] or None
    current.save()
    tell_due_date_changed(current, was=due_was)
    added = {person.pk for person in owners or ()} - set(owner_ids)
    # Owners of an action whose meeting's minutes are not issued yet hear of it with them.
    if added and (current.meeting is None or current.meeting.minutes_locked):
        tell_owners_of_action(current, people=added)
    return current


def raising_meeting(group, reference):
    """The group's meeting whose actions are numbered like `reference` (DAG27-03 of DAG027,
    DAG10.1-03 of DAG 10.1), if the app holds it."""
    prefix = reference.rsplit("-", 1)[0].upper()
    for meeting in group.meetings.select_related("group"):
        if meeting.action_prefix.upper() == prefix:
            return meeting
    return None


@transaction.atomic
def action_record_known(
    *,
    group,
    reference,
    named_at,
    status,
    note="",
    text="",
    owners=(),
    new_people=(),
    user=None,
    **fields,
) -> Action:
    """An action the minutes of `named_at` name (closed there, say) whose paper gives no
    full record: held under its reference with what is known, then updated at that
    meeting with the status it was given. Raised at its own meeting when the app holds
    it, else dated as the meeting that named it."""
    origin = raising_meeting(group, reference)
    action = action_create(
        group=group,
        reference=reference,
        meeting=origin,
        date_raised=origin.date if origin else named_at.date,
        text=text,
        known_only=not text,
        owners=owners,
        new_people=new_people,
        due_kind=DueKind.TBC,
        **fields,
    )
    action_add_update(
        action=action,
        text=note or f"Named in the minutes of {named_at.code}.",
        date=named_at.date,
        status=status if status != ActionStatus.OPEN else "",
        user=user,
        meeting=named_at,
        source=UpdateSource.MEETING,
    )
    return action


@transaction.atomic
def action_add_update(
    *, action, text, date, status="", author=None, user=None, meeting=None, source="web"
) -> ActionUpdate:
    """Record a dated update and apply the status it sets (closing records date and meeting).
    An update is given at a meeting once it has started."""
    if meeting is not None and (reason := meeting.records_closed_reason()):
        raise ValidationError({"meeting": reason})
    update = ActionUpdate(
        action=action,
        text=text,
        date=date,
        status_set=status,
        author=author,
        recorded_by=user,
        meeting=meeting,
        source=source,
    )
    update.full_clean()
    update.save()
    if (
        status == ActionStatus.RECOMMEND_CLOSED
        and status != action.status
        and source in OWNER_SOURCES
    ):
        tell_closure_recommended(update)
    if status and status != action.status:
        action.status = status
        if status == ActionStatus.CLOSED:
            action.closed_date = date
            action.closed_meeting = meeting
        else:
            action.closed_date = None
            action.closed_meeting = None
        action.full_clean()
        action.save()
    return update


@transaction.atomic
def action_post_update(
    *, action, text, date, user, status="", meeting=None, due_date=None, may_edit=False
) -> ActionUpdate:
    """An update posted on the action's page by an owner, the chair or the secretariat.

    A new due date is applied only when the poster may edit the action (the secretariat);
    from anyone else it is a request, recorded in the update for the secretariat to decide.
    Either way the update says so, so the history shows who moved or asked to move it.
    """
    if due_date and due_date != action.due_date:
        if may_edit:
            was = action.due_display()
            text = f"{text}\n\nDue date changed from {was} to {due_date:%d/%m/%Y}."
            action.due_kind = DueKind.DATE
            action.due_date = due_date
            action.full_clean()
            action.save()
            tell_due_date_changed(action, was=was)
        else:
            text = f"{text}\n\nRequests the due date be moved to {due_date:%d/%m/%Y}."
    return action_add_update(
        action=action,
        text=text,
        date=date,
        status=status,
        author=person_of(user),
        user=user,
        meeting=meeting,
    )


@transaction.atomic
def action_update_by_link(*, action, person, text, status, ip) -> ActionUpdate:
    """An update posted from an email link, recorded as from the link's person, and the
    link's use in the action's history."""
    update = action_add_update(
        action=action,
        text=text,
        date=timezone.localdate(),
        status=status,
        author=person,
        source=UpdateSource.EMAIL_LINK,
    )
    UpdateLinkEvent.objects.create(
        action=action, person=person, kind=LinkEventKind.UPDATED, ip=ip or None
    )
    return update


def revoke_person_update_links(*, person, user, ip) -> int:
    """Withdraw the "update this action" links sent so far to `person` (their account is
    deactivated), on every action they own that is not closed; other owners' links keep
    working. Returns how many actions were concerned."""
    actions = Action.objects.filter(ownerships__person=person).exclude(status=ActionStatus.CLOSED)
    events = [
        UpdateLinkEvent(action=action, person=person, kind=LinkEventKind.REVOKED, by=user, ip=ip)
        for action in actions
    ]
    UpdateLinkEvent.objects.bulk_create(events)
    return len(events)


def revoke_update_links(*, action, user, ip) -> UpdateLinkEvent:
    """Withdraw every "update this action" link of the action sent so far; links in
    later emails work again."""
    return UpdateLinkEvent.objects.create(
        action=action, kind=LinkEventKind.REVOKED, by=user, ip=ip or None
    )
