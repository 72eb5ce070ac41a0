"""Handing out numbers that are never given twice: references (DAG29-01, DAG-DEC76, CR043,
R12) and document versions, through one allocator.

Each kind of number has a scope ("actions of DAG29", "decisions of DAG", "versions of this
document"). allocate() takes a transaction-level lock on the kind and scope, then reads the
numbers in use; the caller saves the new record before the transaction commits, so a second
allocator of the same scope waits and then sees the first one's row. Hand-written and
imported references (DES-03-04, DAG-DEC-29) are stored as written; numbers are read only
from references made of the prefix and digits (in any case), so the allocator carries on
after the highest one held and never hands out a reference already typed.

A reference typed by the secretariat, when recording a past record from its paper, is
claimed (claim_reference): under the lock of the scope the allocator would use for it
(DAG29-05 takes the lock of "action:DAG29-"), refused if a record of its kind holds it in
any case, with the holder named. A shape that is not one of its kind's usual ones
(reference_warning) is kept, with a warning.
"""

import re
import zlib

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.functions import Upper

from .reference_kinds import reference_kind


def lock_scope(scope: str) -> None:
    """Serialise the work of one scope until the current transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_scope() must be called inside transaction.atomic().")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # crc32 gives a stable 32-bit key; two scopes sharing a key only wait for each other.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(scope.encode())])
    # SQLite (the quick start) allows one writer at a time, which serialises for us.


def allocate(*, kind: str, scope: str, in_use, prefix: str | None = None) -> int:
    """The next number of `kind` in `scope`, the scope locked until the transaction ends.

    `in_use`: a lazy queryset (values_list(..., flat=True)) of the scope's numbers, read
    only once the lock is held. With `prefix` they are references: only those made of the
    prefix and digits count (DAG-DEC-29 written by hand is not number 29 of "DAG-DEC").
    """
    lock_scope(f"{kind}:{scope}")
    if prefix is None:
        numbers = list(in_use)
    else:
        pattern = re.compile(re.escape(prefix) + r"([0-9]+)", re.IGNORECASE)
        numbers = [int(match[1]) for ref in in_use if (match := pattern.fullmatch(ref))]
    return max(numbers, default=0) + 1


def reference_sort_key(reference: str):
    """DAG29-2 before DAG29-10, DAG-DEC9 before DAG-DEC10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", reference)]


# The history reason of a record saved under a typed reference (with who typed it).
TYPED_REASON = "Reference typed from the paper"


def normalise_reference(text: str) -> str:
    """A reference as typed, stripped and in capitals: " dag29-03 " is DAG29-03."""
    return "".join(text.split()).upper()


def reference_scope(reference: str) -> str:
    """The allocator scope a reference falls in: DAG29-05 in "DAG29-", CR045 in "CR"."""
    return re.sub(r"[0-9]+$", "", reference.upper())


def reference_holder(model, reference: str):
    """The record of `model` holding `reference` in any case, or None."""
    return model._default_manager.filter(reference__iexact=reference).first()


def reference_holders(model, references) -> dict:
    """{reference in upper case: the record of `model` holding it in any case}, read in one
    query (a paper's rows checked together, not a query a row)."""
    wanted = {reference.upper() for reference in references if reference}
    if not wanted:
        return {}
    holders = model._default_manager.annotate(upper_reference=Upper("reference")).filter(
        upper_reference__in=wanted
    )
    return {record.reference.upper(): record for record in holders}


def describe_holder(record) -> str:
    """ "action DAG29-03 (“Provide the PPIR…”)": the record holding a reference."""
    kind = reference_kind(type(record))
    noun = record._meta.verbose_name
    summary = str(getattr(record, kind.summary_field, "") or "") if kind.summary_field else ""
    summary = " ".join(summary.split())
    if len(summary) > 60:
        summary = summary[:59].rstrip() + "…"
    return f"{noun} {record.reference}" + (f" (“{summary}”)" if summary else "")


def taken_message(record, reference: str) -> str:
    return f"{reference} is already the reference of {describe_holder(record)}. Choose another."


def claim_reference(*, model, reference: str) -> None:
    """Before saving a record under a typed reference (inside the transaction that saves
    it): take the lock the allocator of its scope takes, then refuse the reference, at the
    field, if a record of the kind holds it (in any case)."""
    claim_references(model=model, references=[reference])


def claim_references(*, model, references) -> None:
    """claim_reference for many typed references at once (a past paper's actions): the
    locks of their scopes, taken in a fixed order so two claimants never wait on each
    other, then one query for the holders. Refused, at the field, with every reference
    already held (naming its holder) or given twice."""
    kind = reference_kind(model)
    for scope in sorted({reference_scope(reference) for reference in references}):
        lock_scope(f"{kind.allocator_kind}:{scope}")
    wanted = {reference.upper(): reference for reference in references}
    holders = model._default_manager.annotate(held_as=Upper("reference")).filter(
        held_as__in=list(wanted)
    )
    errors = [taken_message(holder, wanted[holder.held_as]) for holder in holders]
    seen = set()
    for reference in references:
        if reference.upper() in seen:
            errors.append(f"{reference} is given twice. Each record needs its own reference.")
        seen.add(reference.upper())
    if errors:
        raise ValidationError({"reference": errors})


def reference_warning(model, reference: str) -> str:
    """Why a typed reference looks odd for its kind ("" when it has a usual shape); kept
    all the same: old papers used other shapes."""
    kind = reference_kind(model)
    if (
        not reference
        or not kind.formats
        or any(re.fullmatch(shape, reference) for shape in kind.formats)
    ):
        return ""
    noun = model._meta.verbose_name
    article = "an" if noun[:1].lower() in "aeiou" else "a"
    return (
        f"{reference} is not in the usual form of {article} {noun} reference "
        f"(like {kind.example}); it is kept as typed."
    )


class TypedReferenceField(forms.CharField):
    """An optional reference typed for a past record: left empty, the record gets the next
    one. Typed, it is put in capitals and refused (naming the holder) if already held; the
    service checks again under the allocator's lock."""

    def __init__(self, *, model, next_example, **kwargs):
        self.model = model
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", model._meta.get_field("reference").max_length)
        kwargs.setdefault("label", "Reference (for a past record)")
        kwargs.setdefault(
            "help_text",
            f"Leave empty for the next reference ({next_example}). Type the paper's own "
            "reference only when recording a past record.",
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_reference(super().to_python(value) or "")

    def validate(self, value):
        super().validate(value)
        if value and (holder := reference_holder(self.model, value)) is not None:
            raise forms.ValidationError(taken_message(holder, value))


def add_service_errors(form, exc: ValidationError) -> None:
    """Errors a create service raised (a typed reference taken meanwhile), at their field
    when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
