"""What the actions app tells people by email (through notifications.notices): the actions
assigned to them, an owner recommending an action closed, a due date changed.

Each notice goes out once per key: a retried task, a second click or a re-run plans
nothing new (notifications/outbox.py).
"""

from django.urls import reverse

from core.models import Membership, Role
from notifications.models import EmailKind
from notifications.notices import Item, absolute, tell

from .models import Action, ActionOwner
from .reminders import update_token


def action_item(action, person) -> Item:
    """The action as a notice shows it, with the owner's link to update it without an
    account (the digest's signed link: it works only for them and only for this action)."""
    return Item(
        heading=action.reference,
        text=action.text,
        details=[f"Owner: {action.owner_display() or 'No owner'}", f"Due: {action.due_display()}"],
        links=[
            ("View the action", absolute(action.get_absolute_url())),
            (
                "Post an update (no login needed)",
                absolute(reverse("email:action_update", args=[update_token(person.pk, action.pk)])),
            ),
        ],
    )


def owned_by_person(actions):
    """{person: [actions]} for the named owners of `actions`, in the papers' order."""
    owned = {}
    ownerships = ActionOwner.objects.filter(action__in=actions).select_related("person", "action")
    for ownership in ownerships.order_by("action__reference", "order", "pk"):
        owned.setdefault(ownership.person, []).append(ownership.action)
    return owned


def tell_owners_of_meeting(meeting) -> None:
    """When a meeting's minutes are issued: one email to each owner listing all the
    meeting's actions they own (once per meeting and owner)."""
    actions = Action.objects.filter(meeting=meeting).select_related("group")
    for person, owned in owned_by_person(actions).items():
        count = len(owned)
        tell(
            key=f"assigned:{meeting.pk}:{person.pk}",
            kind=EmailKind.ACTION_ASSIGNED,
            person=person,
            group=meeting.group,
            subject=f"[{meeting.group.code}] {count} action{'s' if count != 1 else ''} "
            f"assigned to you at {meeting.code}",
            intro=f"The minutes of {meeting.code} ({meeting.date:%d/%m/%Y}) are issued. "
            f"These actions are yours:",
            items=[action_item(action, person) for action in owned],
        )


def tell_owners_of_action(action, *, people=None) -> None:
    """An action assigned outside the issue of its meeting's minutes (created outside a
    meeting, or an owner added by a correction): one email to each of its owners, or only
    to those whose pks are in `people`."""
    for person, owned in owned_by_person(Action.objects.filter(pk=action.pk)).items():
        if people is not None and person.pk not in people:
            continue
        tell(
            key=f"assigned:action:{action.pk}:{person.pk}",
            kind=EmailKind.ACTION_ASSIGNED,
            person=person,
            group=action.group,
            subject=f"[{action.group.code}] Action {action.reference} assigned to you",
            intro="This action has been assigned to you:",
            items=[action_item(action, person) for action in owned],
        )


def secretariat_of(group):
    memberships = Membership.objects.filter(
        group=group, role=Role.SECRETARIAT, active=True
    ).select_related("person")
    return [membership.person for membership in memberships.order_by("person__name")]


def tell_closure_recommended(update) -> None:
    """An owner set an action to RECOMMEND CLOSED: its group's secretariat is asked to
    close it (once per update)."""
    action = update.action
    for person in secretariat_of(action.group):
        if person.pk == update.author_id:  # the secretariat's own recommendation
            continue
        item = Item(
            heading=action.reference,
            text=action.text,
            details=[
                f"Owner: {action.owner_display() or 'No owner'}",
                f"Update of {update.date:%d/%m/%Y}: {update.text}",
            ],
            links=[("Review and close the action", absolute(action.get_absolute_url()))],
        )
        tell(
            key=f"closure:{update.pk}:{person.pk}",
            kind=EmailKind.CLOSURE_RECOMMENDED,
            person=person,
            group=action.group,
            subject=f"[{action.group.code}] {action.reference} recommended for closure",
            intro=f"{update.author or 'An owner'} recommends closing this action:",
            items=[item],
        )


def tell_due_date_changed(action, *, was) -> None:
    """The action's due date moved (`was`: the due date as it read before, e.g. "ASAP"):
    each owner is told once per new due date."""
    now = action.due_display()
    if now == was:
        return
    for person, owned in owned_by_person(Action.objects.filter(pk=action.pk)).items():
        tell(
            key=f"due:{action.pk}:{action.due_kind}:{action.due_date}:{was}:{person.pk}",
            kind=EmailKind.DUE_DATE_CHANGED,
            person=person,
            group=action.group,
            subject=f"[{action.group.code}] {action.reference} is now due {now}",
            intro=f"The due date of your action changed from {was} to {now}.",
            items=[action_item(action, person) for action in owned],
        )
