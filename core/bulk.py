"""Creating many records of a model at once (a past paper's actions, decisions, attendee
lines and agenda items) with what a save through the services guarantees, in a few queries
rather than a dozen a record: the model's full_clean (its foreign keys checked set-wise
rather than by a query a field and record; its unique and check constraints by the
database, a refusal read back record by record), one history row each
(django-simple-history), the mentions (core.mentions), and the search vectors (the
PostgreSQL triggers fire on bulk inserts too). The caller claims any references first
(core.references.claim_references) and runs inside its transaction.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .mentions import records_written
from .references import TYPED_REASON


def create_checked(*, model, records, reason=TYPED_REASON) -> list:
    """Validate and insert `records` (unsaved instances of `model`, by default under typed
    references) with their history (its change reason `reason`) and mentions; returns them
    saved. Raises ValidationError, each message naming its record ("Action DAG29-03: ...",
    "Agenda item “2. Minutes”: ..."), if any is refused."""
    foreign_keys = [field.name for field in model._meta.concrete_fields if field.is_relation]
    errors = []
    for record in records:
        try:
            record.full_clean(
                exclude=foreign_keys, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors += [f"{_name(record)}: {message}" for message in error.messages]
        record._change_reason = reason  # the history keeps who typed it
    errors += _missing_related(model, records, foreign_keys)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():  # a savepoint, so the constraints can be read back
            model._default_manager.bulk_create(records)
    except IntegrityError as error:
        raise ValidationError(_constraint_errors(records) or [str(error)]) from error
    model.history.bulk_history_create(records, default_change_reason=reason)
    records_written(model, records)
    return records


def _name(record) -> str:
    kind = record._meta.verbose_name.capitalize()
    reference = getattr(record, "reference", "")
    return f"{kind} {reference}" if reference else f"{kind} “{record}”"


def _missing_related(model, records, foreign_keys) -> list[str]:
    """What full_clean's foreign key check refuses, a related record that is not there:
    one query a field for the batch."""
    errors = []
    for name in foreign_keys:
        field = model._meta.get_field(name)
        ids = {getattr(record, field.attname) for record in records} - {None}
        related = field.related_model._base_manager.filter(pk__in=ids)
        missing = ids - set(related.values_list("pk", flat=True))
        errors += [
            f"{_name(record)}: its {field.verbose_name} is not in the app."
            for record in records
            if getattr(record, field.attname) in missing
        ]
    return errors


def _constraint_errors(records) -> list[str]:
    """After the database refused the batch: which records break which constraint, read
    as the model's validate_constraints reads them (only on this rare path)."""
    errors = []
    for record in records:
        try:
            record.validate_constraints()
        except ValidationError as error:
            errors += [f"{_name(record)}: {message}" for message in error.messages]
    return errors
