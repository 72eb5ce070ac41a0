"""The one place that decides "may this user do X to this object".

Roles are per governance group (Membership.role):
- secretariat: edits everything of the group, closes actions;
- chair: approves decisions and minutes, closes actions;
- member: reads everything of the group, updates the actions they own;
- observer: reads.
Superusers may do everything. Someone with no role in a group cannot see its records at
all, so views answer 404 (not 403) for them: the record's existence is not disclosed.
Programme-wide records (change requests and RAID items with no group) and the people
directory belong to the whole programme: a role in any group grants the same there.

Views fetch and authorise in one step with get_object_for_user(); templates ask
user_can() to decide which buttons to show.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from .models import GovernanceGroup, Membership, Role


class Perm(StrEnum):
    VIEW = "view"
    EDIT = "edit"  # create, change, delete records of the group
    APPROVE = "approve"  # decisions and minutes
    CLOSE_ACTION = "close_action"
    UPDATE_ACTION = "update_action"  # post an update, set ONGOING / RECOMMEND CLOSED
    # Change requests come from programme participants, not only from the secretariat.
    RAISE_CHANGE_REQUEST = "raise_change_request"
    # Withdraw the "update this action" links sent by email (owners too: see user_can()).
    REVOKE_UPDATE_LINKS = "revoke_update_links"


GRANTS = {
    Perm.VIEW: {Role.SECRETARIAT, Role.CHAIR, Role.MEMBER, Role.OBSERVER},
    Perm.EDIT: {Role.SECRETARIAT},
    Perm.APPROVE: {Role.CHAIR},
    Perm.CLOSE_ACTION: {Role.SECRETARIAT, Role.CHAIR},
    Perm.UPDATE_ACTION: {Role.SECRETARIAT, Role.CHAIR},  # owners too: see user_can()
    Perm.RAISE_CHANGE_REQUEST: {Role.SECRETARIAT, Role.CHAIR, Role.MEMBER},
    Perm.REVOKE_UPDATE_LINKS: {Role.SECRETARIAT},
}


def roles_by_group(user) -> dict[int, set[str]]:
    """{group id: {roles}} for the user, read once per request and cached on the user."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_governance_roles", None)
    if cached is None:
        cached = {}
        rows = Membership.objects.filter(person__user=user, active=True).values_list(
            "group_id", "role"
        )
        for group_id, role in rows:
            cached.setdefault(group_id, set()).add(role)
        user._governance_roles = cached
    return cached


def person_of(user):
    """The Person linked to the account, or None."""
    if not user.is_authenticated:
        return None
    try:
        return user.person
    except AttributeError:  # RelatedObjectDoesNotExist subclasses AttributeError
        return None


def group_id_of(obj) -> int:
    """The governance group a record belongs to, directly or through its parent record."""
    if isinstance(obj, GovernanceGroup):
        return obj.pk
    if getattr(obj, "group_id", None) is not None:
        return obj.group_id
    for parent in ("meeting", "raid_item", "action", "change_request"):
        if getattr(obj, f"{parent}_id", None) is not None:
            return group_id_of(getattr(obj, parent))
    raise ValueError(f"{obj!r} belongs to no governance group (programme-wide)")


def visible_group_ids(user) -> set[int] | None:
    """Groups whose records the user may read; None means all (superuser)."""
    if user.is_superuser:
        return None
    return set(roles_by_group(user))


def user_can(user, perm: Perm, obj) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = _roles_for(user, obj)
    if roles & GRANTS[perm]:
        return True
    if perm in (Perm.UPDATE_ACTION, Perm.REVOKE_UPDATE_LINKS) and roles:
        person = person_of(user)
        return person is not None and _owns_action(person, obj)
    return False


def _roles_for(user, obj) -> set[str]:
    """The user's roles that apply to obj: in its group, or in any group when programme-wide."""
    try:
        group_id = group_id_of(obj)
    except ValueError:
        return set().union(*roles_by_group(user).values())
    return roles_by_group(user).get(group_id, set())


def _owns_action(person, action) -> bool:
    # The owners as the registers and the review read them (with_owners()): no query per
    # row of a page that asks this of every action.
    return person.pk in action.owner_person_ids()


def filter_visible(user, queryset, group_path="group"):
    """Narrow a queryset to the records of the groups the user may read (and, for users
    with any role, the programme-wide ones whose group is empty)."""
    group_ids = visible_group_ids(user)
    if group_ids is None:
        return queryset
    visible = Q(**{f"{group_path}__in": group_ids})
    if group_ids and _group_field(queryset.model, group_path).null:
        visible |= Q(**{f"{group_path}__isnull": True})
    return queryset.filter(visible)


def _group_field(model, path):
    """The group foreign key at the end of a lookup path such as "raid_item__group"."""
    *parents, last = path.split("__")
    for name in parents:
        model = model._meta.get_field(name).related_model
    return model._meta.pk if last == "pk" else model._meta.get_field(last)


def may_see_people(user) -> bool:
    """The people directory is programme-wide: anyone with a role somewhere may read it,
    and a programme administrator."""
    return user.is_superuser or bool(roles_by_group(user)) or is_programme_administrator(user)


def may_add_people(user) -> bool:
    """Adding someone new to the tracker (the people directory is programme-wide) is the
    secretariat's: of any group, or a superuser. Read from the roles cached on the user."""
    return may_in_some_group(user, Perm.EDIT)


def get_object_for_user(user, queryset, perm: Perm = Perm.VIEW, **lookup):
    """Fetch one record and authorise in one step.

    404 when it does not exist or the user may not see its group; 403 when they may
    see it but not do `perm` to it.
    """
    try:
        obj = queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.") from exc
    if not user_can(user, Perm.VIEW, obj):
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.")
    if perm != Perm.VIEW and not user_can(user, perm, obj):
        raise PermissionDenied(f"You may not {perm.value.replace('_', ' ')} this record.")
    return obj


def groups_for(user, perm: Perm = Perm.VIEW):
    """The groups in which the user may do `perm`, as a queryset: every group for a
    superuser, none for someone signed out or inactive. The one answer to "which groups may
    this user see / edit / approve in" for forms, filters and pickers (action owners who may
    update their own actions are not counted: that right is per action)."""
    groups = GovernanceGroup.objects.all()
    if not user.is_authenticated or not user.is_active:
        return groups.none()
    if user.is_superuser:
        return groups
    granted = GRANTS[perm]
    return groups.filter(
        pk__in=[group_id for group_id, roles in roles_by_group(user).items() if roles & granted]
    )


def may_in_some_group(user, perm: Perm) -> bool:
    """Whether the user may do `perm` in at least one group (a superuser always may): who
    sees the chair's queue, a "Record" button, the email log. Read from the roles cached on
    the user, with no query of its own."""
    return user.is_authenticated and (
        user.is_superuser or any(roles & GRANTS[perm] for roles in roles_by_group(user).values())
    )


# People, memberships and accounts (the people app's pages).


def is_programme_administrator(user) -> bool:
    """A programme administrator creates groups, appoints their secretariat and may manage
    every group's members and accounts, without being a Django superuser (who may too).
    Read from the person linked to the account (Person.programme_administrator)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    person = person_of(user)
    return person is not None and person.programme_administrator


def roles_needing_second_factor(user, required) -> set[str]:
    """Which of the roles in `required` (MFA_REQUIRED_ROLES: "secretariat", "chair",
    "administrator") the user holds in any group, or as a programme administrator; a user
    holding one must set up a second factor before anything else."""
    if not required or not user.is_authenticated:
        return set()
    held = set().union(*roles_by_group(user).values())
    if is_programme_administrator(user):
        held.add("administrator")
    return held & set(required)


def may_manage_people(user) -> bool:
    """Editing people and organisations, merging duplicates (the directory is
    programme-wide): the secretariat of any group, or a programme administrator."""
    return may_add_people(user) or is_programme_administrator(user)


def may_manage_members(user, group) -> bool:
    """Adding, changing and ending memberships of `group`, and its terms of reference:
    that group's secretariat, or a programme administrator."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Role.SECRETARIAT in roles_by_group(user).get(group.pk, set()) or (
        is_programme_administrator(user)
    )


def may_see_members(user, group) -> bool:
    """A group's members page: whoever may read the group, or a programme administrator."""
    return user_can(user, Perm.VIEW, group) or is_programme_administrator(user)


def _secretariat_of_person(user, person) -> bool:
    """Is the user secretariat of a group the person belongs to now, or did once?"""
    mine = {g for g, roles in roles_by_group(user).items() if Role.SECRETARIAT in roles}
    return bool(mine) and person.memberships.filter(group_id__in=mine).exists()


def may_manage_account(user, person) -> bool:
    """Inviting someone to log in, deactivating and reactivating their account: the
    secretariat of a group the person belongs to, or a programme administrator. Nobody but
    a superuser touches a superuser's or a programme administrator's account, so the
    secretariat cannot lock out those who appoint it."""
    if not user.is_authenticated or not user.is_active:
        return False
    account = person.user
    if account is not None and account.pk != user.pk:
        if account.is_superuser and not user.is_superuser:
            return False
        if person.programme_administrator and not user.is_superuser:
            return False
    return is_programme_administrator(user) or _secretariat_of_person(user, person)


def may_export_person(user, person) -> bool:
    """Everything the app holds about a person: the person themself, the secretariat of a
    group they belong or belonged to, or a programme administrator."""
    if not user.is_authenticated or not user.is_active:
        return False
    if person.user_id is not None and person.user_id == user.pk:
        return True
    return is_programme_administrator(user) or _secretariat_of_person(user, person)


def may_appoint_programme_administrators(user) -> bool:
    """Only a superuser makes (or unmakes) programme administrators."""
    return user.is_authenticated and user.is_active and user.is_superuser
