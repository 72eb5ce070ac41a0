"""Merging two records of one person, and two records of one organisation.

Every row that points at the removed person record moves to the kept one: attendance
lines, ownerships, approvals, updates, emails, preferences, and the history rows of those
records. The relations are read from Person's reverse relations (including the hidden ones
of the history tables and of records that name a person without a reverse accessor), so a
foreign key added to Person later is followed without touching this module."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.forms.models import model_to_dict

from core.models import Organisation, Person

from .accounts import deactivate_account
from .models import PersonMerge

REASON_MAX = 100  # django-simple-history's change reason column


def person_relations():
    """Every foreign key (or one-to-one) from another table to Person."""
    return [
        rel
        for rel in Person._meta.get_fields(include_hidden=True)
        if rel.is_relation and rel.auto_created and not rel.concrete and not rel.many_to_many
    ]


def is_history_table(model) -> bool:
    """django-simple-history's Historical<Model> tables (they record the model they track)."""
    return hasattr(model, "instance_type")


def _collision(row, field, kept):
    """A row of the kept person that `row`, moved over, would duplicate under a unique
    constraint (attendance at the same meeting, the same owner twice), or None."""
    model = type(row)
    constraints = [
        (c.fields, c.condition)
        for c in model._meta.constraints
        if getattr(c, "fields", None) and field.name in c.fields
    ]
    if field.unique:
        constraints.append(((field.name,), None))
    for fields, condition in constraints:
        attnames = [model._meta.get_field(name).attname for name in fields]
        values = {attname: getattr(row, attname) for attname in attnames}
        values[field.attname] = kept.pk
        if condition is not None and not model._base_manager.filter(condition, pk=row.pk).exists():
            continue  # the row itself is outside the constraint (a former membership)
        others = model._base_manager.filter(**values).exclude(pk=row.pk)
        if condition is not None:
            others = others.filter(condition)
        clash = others.first()
        if clash is not None:
            return clash
    return None


def _moved_value(row, field, kept):
    """The kept person's id, or nothing where the row would then name the kept person
    twice (the deputy of their own membership, attending on their own behalf)."""
    for other in type(row)._meta.concrete_fields:
        if (
            other is not field
            and other.is_relation
            and other.related_model is Person
            and getattr(row, other.attname) == kept.pk
            and field.null
        ):
            return None
    return kept.pk


def _described(row) -> dict:
    data = {"table": row._meta.label, "id": row.pk, "record": str(row)}
    data["fields"] = {k: str(v) for k, v in model_to_dict(row).items()}
    return data


@transaction.atomic
def person_merge(*, kept, merged, reason, by) -> PersonMerge:
    """Make `merged` part of `kept` and remove it; the merge is recorded with who, when and
    why. A row that would duplicate one of the kept person's (both at one meeting, both
    owners of one action) is removed, and kept word for word in the merge record."""
    if kept.pk == merged.pk:
        raise ValidationError("Choose two different records to merge.")
    locked = {
        p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[kept.pk, merged.pk])
    }
    kept, merged = locked[kept.pk], locked[merged.pk]
    merged_pk = merged.pk
    change = f"Merged {merged.name} (#{merged.pk}) into {kept.name} (#{kept.pk})"[:REASON_MAX]
    record = {k: str(v) if v is not None else None for k, v in model_to_dict(merged).items()}
    moved, dropped = {}, []
    # History tables last: moving and removing rows writes history rows naming the
    # removed record, and those must follow too.
    for rel in sorted(person_relations(), key=lambda rel: is_history_table(rel.related_model)):
        model, field = rel.related_model, rel.field
        rows = model._base_manager.filter(**{field.name: merged})
        label = f"{model._meta.verbose_name_plural} ({field.verbose_name})"
        if is_history_table(model):
            # The history of the records that moved follows them; history rows are
            # records of what was, so they are repointed without a history of their own.
            count = rows.update(**{field.attname: kept.pk})
        else:
            count = 0
            for row in rows:
                if _collision(row, field, kept) is not None:
                    dropped.append(_described(row))
                    row._change_reason = change
                    row.delete()
                    continue
                setattr(row, field.attname, _moved_value(row, field, kept))
                row._change_reason = change
                row.save(update_fields=[field.attname])
                count += 1
        if count:
            moved[label] = count
    account = merged.user
    if account is not None:
        if kept.user_id is None:
            kept.user = account
            moved["account"] = account.get_username()
        else:
            deactivate_account(person=merged, by=by, ip=None, note=change)
            moved["account deactivated"] = account.get_username()
        Person.objects.filter(pk=merged.pk).update(user=None)
        merged.user = None
    merged._change_reason = change
    merged.delete()
    # What only the removed record knew fills the kept record's blanks.
    for name in ("email", "initials", "organisation_id"):
        if not getattr(kept, name) and getattr(merged, name):
            setattr(kept, name, getattr(merged, name))
    kept._change_reason = change
    kept.full_clean()
    kept.save()
    return PersonMerge.objects.create(
        kept=kept,
        merged_id=merged_pk,
        merged_name=merged.name,
        merged_record=record,
        moved=moved,
        dropped=dropped,
        reason=reason,
        by=by,
    )


@transaction.atomic
def organisation_merge(*, kept, merged, by) -> int:
    """Move everyone (and every record naming it) from `merged` to `kept` and remove
    `merged`; returns how many rows moved. Its history keeps the removal and why."""
    if kept.pk == merged.pk:
        raise ValidationError("Choose two different organisations to merge.")
    change = f"Merged into {kept.name} (#{kept.pk})"[:REASON_MAX]
    count = 0
    for rel in Organisation._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete):
            continue
        model, field = rel.related_model, rel.field
        rows = model._base_manager.filter(**{field.name: merged})
        if is_history_table(model):
            rows.update(**{field.attname: kept.pk})
            continue
        for row in rows:
            setattr(row, field.attname, kept.pk)
            row._change_reason = change
            row.save(update_fields=[field.attname])
            count += 1
    if not kept.short_name and merged.short_name:
        kept.short_name = merged.short_name
        kept._change_reason = change
        kept.save()
    merged._change_reason = change
    merged.delete()
    return count


def organisation_rename(*, organisation, name, short_name) -> Organisation:
    """Rename an organisation (its history keeps the old name)."""
    organisation.name = name
    organisation.short_name = short_name
    organisation.full_clean()
    organisation.save()
    return organisation


def duplicate_of(person) -> Q:
    """People who may be the same as `person`: the same name in any case, or the same email."""
    same = Q(name__iexact=person.name)
    if person.email:
        same |= Q(email__iexact=person.email)
    return same
