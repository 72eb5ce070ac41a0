"""Where each reference is named: the Mention rows of every text registered in
core.reference_kinds (each kind's text_fields, and the minutes' mentioning texts), kept up
to date when those texts are saved.

The texts of a record may be its own fields ("text", "area") or those of related rows
("updates__text": an action's updates; "reviews__discussion": a RAID item's reviews). Saving
or deleting the record, or one of those related rows, recomputes the record's mentions from
all its texts: the references core.markup finds in them, as the pages link them. Rows
written without save() (bulk_create, QuerySet.update) must call records_written() with
them, or rebuild() for their model.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .markup import find_references
from .models import Mention

# model -> its text field lookups, for the models whose texts are tracked.
_tracked: dict[type, tuple[str, ...]] = {}
CHUNK = 2000


def track(model, text_fields) -> None:
    """Keep the mentions of `model`'s texts: connect the signals of the model and of each
    related model whose field is one of its texts."""
    if not text_fields or model in _tracked:
        return
    _tracked[model] = tuple(text_fields)
    uid = f"mentions:{model._meta.label}"
    post_save.connect(_record_saved, sender=model, dispatch_uid=uid)
    post_delete.connect(_record_deleted, sender=model, dispatch_uid=uid)
    for relation in {lookup.split("__")[0] for lookup in text_fields if "__" in lookup}:
        rel = model._meta.get_field(relation)
        related, parent_id = rel.related_model, rel.field.attname

        def changed(sender, instance, _model=model, _parent_id=parent_id, **kwargs):
            record_changed(_model, getattr(instance, _parent_id))

        uid = f"mentions:{model._meta.label}:{relation}"
        post_save.connect(changed, sender=related, dispatch_uid=uid, weak=False)
        post_delete.connect(changed, sender=related, dispatch_uid=uid, weak=False)


def _record_saved(sender, instance, raw=False, **kwargs):
    if not raw:  # loading a fixture: rebuild() afterwards
        record_changed(sender, instance.pk, instance=instance)


def _record_deleted(sender, instance, **kwargs):
    Mention.objects.filter(
        content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk
    ).delete()


def record_changed(model, pk, *, instance=None) -> None:
    """Write the mentions of one record from its texts as saved (its own fields read from
    `instance` when given, related rows' texts from the database)."""
    if pk is None:
        return
    lookups = _tracked[model]
    if instance is not None:
        own = [getattr(instance, lookup) for lookup in lookups if "__" not in lookup]
        lookups = tuple(lookup for lookup in lookups if "__" in lookup)
    else:
        own = []
    texts = _texts(model, model.objects.filter(pk=pk), lookups)
    _write(model, {pk: [text for text in own if text] + texts.get(pk, [])})


def records_written(model, instances) -> None:
    """record_changed for records written in bulk (no post_save): their own texts read from
    the instances, related rows' texts in one query per lookup, the mentions in one insert."""
    instances = [instance for instance in instances if instance.pk is not None]
    if not instances or model not in _tracked:  # a model whose texts mention nothing
        return
    lookups = _tracked[model]
    related = tuple(lookup for lookup in lookups if "__" in lookup)
    texts = _texts(model, model.objects.filter(pk__in=[i.pk for i in instances]), related)
    _write(
        model,
        {
            instance.pk: [
                text
                for lookup in lookups
                if "__" not in lookup and (text := getattr(instance, lookup))
            ]
            + texts.get(instance.pk, [])
            for instance in instances
        },
    )


def rebuild(model) -> int:
    """Write the mentions of every record of `model` (after writing in bulk); returns the
    number of mentions."""
    pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        texts = _texts(model, model.objects.filter(pk__in=chunk))
        _write(model, {pk: texts.get(pk, []) for pk in chunk})
    return Mention.objects.filter(content_type=ContentType.objects.get_for_model(model)).count()


def rebuild_all() -> int:
    return sum(rebuild(model) for model in _tracked)


def naming(reference, model):
    """The ids of the records of `model` whose texts name `reference` (a subquery)."""
    return Mention.objects.filter(
        reference=reference, content_type=ContentType.objects.get_for_model(model)
    ).values("object_id")


def _texts(model, queryset, lookups=None) -> dict[int, list[str]]:
    """{pk: [texts]} of the records of `queryset`: one query per field lookup."""
    texts: dict[int, list[str]] = {}
    for lookup in _tracked[model] if lookups is None else lookups:
        for pk, text in queryset.values_list("pk", lookup).iterator():
            if text:
                texts.setdefault(pk, []).append(text)
    return texts


def _write(model, texts_by_pk) -> None:
    content_type = ContentType.objects.get_for_model(model)
    wanted = {
        (pk, reference)
        for pk, texts in texts_by_pk.items()
        for reference in find_references(*texts)
        if len(reference) <= Mention._meta.get_field("reference").max_length
    }
    with transaction.atomic():
        existing = Mention.objects.filter(content_type=content_type, object_id__in=texts_by_pk)
        have = set(existing.values_list("object_id", "reference"))
        stale = have - wanted
        for pk, reference in stale:
            existing.filter(object_id=pk, reference=reference).delete()
        Mention.objects.bulk_create(
            [
                Mention(reference=reference, content_type=content_type, object_id=pk)
                for pk, reference in wanted - have
            ],
            ignore_conflicts=True,
        )
