"""Changes to memberships, terms of reference and groups. Each save writes the record's
history (django-simple-history: who, when), which the group's members page shows."""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import GovernanceGroup, Membership, Role
from core.versions import lock_unchanged


@transaction.atomic
def membership_add(
    *, group, person, role, constituency="", voting=True, deputy=None, start_date=None
) -> Membership:
    """Add `person` to `group` in `role` from `start_date`."""
    membership = Membership(
        group=group,
        person=person,
        role=role,
        constituency=constituency,
        voting=voting,
        deputy=deputy,
        start_date=start_date,
    )
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_change(*, membership, version, **fields) -> Membership:
    """Change a current membership's role, constituency, voting or deputy; raises
    core.versions.StaleRecord if someone saved it since `version`."""
    current = lock_unchanged(membership, version)
    if not current.active:
        raise ValidationError("This membership has ended; add the person again instead.")
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def membership_end(*, membership, end_date) -> Membership:
    """End a membership on `end_date`. It stays on the group's page among the former
    members; past meetings' attendance lines are their own records and do not change. The
    person loses access to the group's records at their next request if it was their
    last role there (core.permissions reads current memberships on each request)."""
    current = Membership.objects.select_for_update().get(pk=membership.pk)
    if not current.active:
        raise ValidationError("This membership has already ended.")
    current.active = False
    current.end_date = end_date
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def group_create(*, code, name, level, parent, secretariat) -> GovernanceGroup:
    """A new governance group with its first secretariat appointed."""
    group = GovernanceGroup(code=code, name=name, level=level, parent=parent)
    group.full_clean()
    group.save()
    membership_add(group=group, person=secretariat, role=Role.SECRETARIAT, voting=False)
    return group
