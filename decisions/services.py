"""Writes that create decisions and hand out their references."""

import re

from django.db import transaction

from mhhs_gov.references import lock_scope, next_number

from .models import Decision


def next_decision_reference(group) -> str:
    """<GROUP>-DEC<max+1> (call under lock_scope). Hand-written DAG-DEC-29 does not count."""
    prefix = f"{group.code}-DEC"
    pattern = re.compile(re.escape(prefix) + r"(?P<n>\d+)")
    existing = Decision.objects.filter(reference__startswith=prefix).values_list(
        "reference", flat=True
    )
    return f"{prefix}{next_number(existing, pattern)}"


@transaction.atomic
def decision_create(*, group, wording, reference="", change_requests=(), **fields) -> Decision:
    """Create a decision (proposed unless fields say otherwise) with the group's next reference."""
    if not reference:
        lock_scope(f"decision:{group.pk}")
        reference = next_decision_reference(group)
    decision = Decision(reference=reference, group=group, wording=wording, **fields)
    decision.full_clean()
    decision.save()
    if change_requests:
        decision.change_requests.set(change_requests)
    return decision
