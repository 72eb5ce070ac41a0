"""Writes to the RAID log: raising items (with the next reference), updating, closing and
superseding them, and recording what a meeting said about one (the review of all of a
meeting's items, which locks the meeting, is meetings.raid_review's)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.references import TYPED_REASON, allocate, claim_reference, lock_scope
from core.versions import lock_unchanged

from .models import RaidItem, RaidReview, RaidStatus


def next_raid_reference() -> str:
    """R<max+1> (call inside a transaction that saves the item)."""
    in_use = RaidItem.objects.filter(reference__istartswith="R").values_list("reference", flat=True)
    return f"R{allocate(kind='raid_item', scope='R', in_use=in_use, prefix='R')}"


@transaction.atomic
def raid_item_create(*, title, reference="", change_requests=(), **fields) -> RaidItem:
    typed = bool(reference)
    if typed:
        claim_reference(model=RaidItem, reference=reference)
    else:
        reference = next_raid_reference()
    item = RaidItem(reference=reference, title=title, **fields)
    item.full_clean()
    if typed:
        item._change_reason = TYPED_REASON  # the history keeps who typed it
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


def _save(item, reason):
    # simple-history keeps the reason with the version it saves (at most 100 characters).
    item._change_reason = reason.strip()[:100] or None
    item.full_clean()
    item.save()


@transaction.atomic
def raid_item_update(*, item, reason="", change_requests=None, version=None, **fields) -> RaidItem:
    """Change an item's details, scores or mitigation. The history keeps who changed what and
    when, which is what the item page's score trend is read from. Given the `version` its
    edit form was opened at, raises core.versions.StaleRecord (changing nothing) if the
    item was saved since."""
    if {"status", "superseded_by"} & fields.keys():
        raise ValueError("Status changes through raid_item_close/reopen/supersede.")
    if not fields and change_requests is None:  # an untouched form adds no version
        return item
    if version is not None:
        item = lock_unchanged(item, version)
    for name, value in fields.items():
        setattr(item, name, value)
    _save(item, reason)
    if change_requests is not None:
        item.change_requests.set(change_requests)
    return item


@transaction.atomic
def raid_item_close(*, item, reason="") -> RaidItem:
    if item.status != RaidStatus.OPEN:
        raise ValidationError(f"{item.reference} is {item.get_status_display().lower()}, not open.")
    item.status = RaidStatus.CLOSED
    _save(item, reason)
    return item


@transaction.atomic
def raid_item_reopen(*, item, reason="") -> RaidItem:
    if item.status != RaidStatus.CLOSED:
        raise ValidationError(f"Only a closed item can be reopened; {item.reference} is not.")
    item.status = RaidStatus.OPEN
    _save(item, reason)
    return item


@transaction.atomic
def raid_item_supersede(*, item, successor, reason="") -> RaidItem:
    """Mark the item replaced by `successor` (reachable both ways: superseded_by and
    successor.supersedes). A loop of replacements or a closed successor is refused."""
    # One supersede at a time, so two opposite ones cannot both pass the loop check.
    lock_scope("raid_supersede")
    item = RaidItem.objects.get(pk=item.pk)
    successor = RaidItem.objects.get(pk=successor.pk)
    if item.status == RaidStatus.CLOSED:
        raise ValidationError(f"{item.reference} is closed; reopen it before replacing it.")
    if successor.pk == item.pk:
        raise ValidationError({"superseded_by": "An item cannot replace itself."})
    if successor.status == RaidStatus.CLOSED:
        raise ValidationError(
            {"superseded_by": f"{successor.reference} is closed; choose an open item."}
        )
    item.status = RaidStatus.SUPERSEDED
    item.superseded_by = successor
    _save(item, reason or f"Superseded by {successor.reference}")
    return item
