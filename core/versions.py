"""The version check of a record's edit form: a second editor never silently overwrites
the first.

A record's version is the id of its latest history row (django-simple-history writes one
on every save, so any change made since the form was opened moves it on); a record with no
history yet is version 0. The form carries the version it was opened at in a hidden field;
the save locks the record's row and compares it, as the minutes page does with an agenda
item's minutes_version, so of two saves made from one version exactly one wins. The
refused form keeps what was typed and takes the current version, so the next save, made
knowingly after reading the record's history, replaces the other editor's.
"""

import datetime

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import cached_property

from .templatetags.audit import who


class StaleRecord(Exception):
    """The record was saved by someone else after the form was opened."""

    def __init__(self, record, latest):
        super().__init__(f"{record} changed since the form was opened.")
        self.record = record
        self.latest = latest  # its newest history row


def _latest(record):
    return record.history.select_related("history_user__person").order_by("-history_id").first()


class StaleRecords(Exception):
    """Some of the records a page saves together were saved by someone else meanwhile:
    `stale` maps a key the page knows them by to each one's StaleRecord."""

    def __init__(self, stale):
        super().__init__(f"{len(stale)} records changed since the form was opened.")
        self.stale = stale


def record_version(record) -> int:
    """The id of the record's latest history row; 0 when none was kept (or the record is
    not saved: a one-per-something record that does not exist yet)."""
    if record.pk is None:
        return 0
    return record.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0


def record_versions(records) -> dict:
    """{pk: version} of saved records of one model, in one query (a page of many forms)."""
    records = [record for record in records if record.pk is not None]
    if not records:
        return {}
    model = type(records[0])
    pk_name = model._meta.pk.attname
    latest = (
        model.history.filter(**{f"{pk_name}__in": [record.pk for record in records]})
        .values(pk_name)
        .annotate(version=Max("history_id"))
    )
    versions = {row[pk_name]: row["version"] for row in latest}
    return {record.pk: versions.get(record.pk, 0) for record in records}


def check_unchanged(record, version):
    """Raise StaleRecord if `record` (as stored, locked by the caller) was saved since
    `version` was read."""
    if record_version(record) != version:
        raise StaleRecord(record, _latest(record) if record.pk else None)


def lock_unchanged(record, version):
    """Lock the record's row (inside the caller's transaction) and return it as stored,
    or raise StaleRecord if it was saved since `version` was read."""
    current = type(record)._base_manager.select_for_update(of=("self",)).get(pk=record.pk)
    check_unchanged(current, version)
    return current


def save_unchanged(form):
    """Save a versioned model form's record, or raise StaleRecord (saving nothing) if it
    was saved since the form was opened: for forms whose save needs no service."""
    with transaction.atomic():
        lock_unchanged(form.instance, form.cleaned_data["version"])
        return form.save()


def _shown(value, choices=None):
    """A value as the page prints it: a choice's label, a date as dd/mm/yyyy, records by
    name, nothing as a dash."""
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return ", ".join(_shown(v, choices) for v in value) or "—"
    if choices:
        labels = {str(key): label for key, label in choices}
        value = labels.get(str(value), value)
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, datetime.time):
        return f"{value:%H:%M}"
    return str(value)


class VersionedFormMixin:
    """For a model form: editing a saved record adds the hidden version field, set from the
    record the form opens with. A form raising a new record has none, unless the record is
    one per something (a meeting's review of a RAID item) and `versions_new_records` says
    so: then version 0 means "there was none" and a record saved meanwhile refuses it."""

    versions_new_records = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk or self.versions_new_records:
            self.fields["version"] = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
            if "version" not in self.initial:  # a page of many forms reads them at once
                self.initial["version"] = record_version(self.instance)

    @cached_property
    def changed_data(self):
        """The record's fields that changed: the version is not one of them."""
        return [name for name in super().changed_data if name != "version"]

    def refuse_stale(self, stale):
        """Say at the top of the form who saved the record meanwhile; keep what was typed
        and take the current version for the next, knowing, save."""
        latest = stale.latest
        by = (
            f" by {who(latest.history_user)} at "
            f"{timezone.localtime(latest.history_date):%d/%m/%Y %H:%M}"
            if latest
            else ""
        )
        self.stale_rows = self.both_versions(stale.record)
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = latest.history_id if latest else 0
        self.add_error(
            None,
            f"{stale.record} was changed{by} after you opened this form, so your changes were "
            "not saved. They are still in the form: check what changed in the history, then "
            "save again to replace it.",
        )

    def stored_values(self, record):
        """The saved record's values of the form's fields that are the record's own, as
        the form holds them; a form adds those it derives (typed references...)."""
        values = {}
        for name in self.fields:
            try:
                field = record._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field: a reason, typed references
                continue
            value = getattr(record, name)
            values[name] = list(value.all()) if field.many_to_many else value
        return values

    def both_versions(self, record):
        """(label, the saved value, the value typed) for each field where they differ: what
        the other editor saved beside what this one typed, neither lost."""
        rows = []
        typed = getattr(self, "cleaned_data", {})
        for name, theirs in self.stored_values(record).items():
            field = self.fields[name]
            if isinstance(field.widget, forms.HiddenInput):
                continue
            choices = None
            if not isinstance(field, forms.ModelChoiceField):
                choices = getattr(field, "choices", None)
            shown = (_shown(theirs, choices), _shown(typed.get(name), choices))
            if shown[0] != shown[1]:
                rows.append((field.label or name, *shown))
        return rows
