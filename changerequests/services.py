"""Writes that create change requests and hand out their references."""

import re

from django.db import transaction

from mhhs_gov.references import lock_scope, next_number

from .models import ChangeRequest

CR_PATTERN = re.compile(r"CR(?P<n>\d+)")


def next_cr_reference() -> str:
    """CR<max+1>, three digits at least (call under lock_scope)."""
    existing = ChangeRequest.objects.filter(reference__startswith="CR").values_list(
        "reference", flat=True
    )
    return f"CR{next_number(existing, CR_PATTERN):03d}"


@transaction.atomic
def change_request_create(*, title, reference="", **fields) -> ChangeRequest:
    if not reference:
        lock_scope("change_request")
        reference = next_cr_reference()
    change_request = ChangeRequest(reference=reference, title=title, **fields)
    change_request.full_clean()
    change_request.save()
    return change_request
