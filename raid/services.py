"""Writes that create RAID items and hand out their references."""

import re

from django.db import transaction

from mhhs_gov.references import lock_scope, next_number

from .models import RaidItem, RaidReview

RAID_PATTERN = re.compile(r"R(?P<n>\d+)")


def next_raid_reference() -> str:
    """R<max+1> (call under lock_scope)."""
    existing = RaidItem.objects.filter(reference__startswith="R").values_list(
        "reference", flat=True
    )
    return f"R{next_number(existing, RAID_PATTERN)}"


@transaction.atomic
def raid_item_create(*, title, reference="", change_requests=(), **fields) -> RaidItem:
    if not reference:
        lock_scope("raid_item")
        reference = next_raid_reference()
    item = RaidItem(reference=reference, title=title, **fields)
    item.full_clean()
    item.save()
    if change_requests:
        item.change_requests.set(change_requests)
    return item


@transaction.atomic
def raid_review_record(
    *, raid_item, meeting, discussion="", conclusion="", agenda_item=None
) -> RaidReview:
    """Record (or revise) what a meeting said about a RAID item: one review per item per meeting."""
    review, _ = RaidReview.objects.get_or_create(raid_item=raid_item, meeting=meeting)
    review.discussion = discussion
    review.conclusion = conclusion
    review.agenda_item = agenda_item
    review.full_clean()
    review.save()
    return review
