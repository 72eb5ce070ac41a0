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

from django import forms
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


def record_version(record) -> int:
    """The id of the record's latest history row; 0 when none was kept."""
    return record.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0


def lock_unchanged(record, version):
    """Lock the record's row (inside the caller's transaction) and return it as stored,
    or raise StaleRecord if it was saved since `version` was read."""
    current = type(record)._base_manager.select_for_update(of=("self",)).get(pk=record.pk)
    if record_version(current) != version:
        raise StaleRecord(current, _latest(current))
    return current


class VersionedFormMixin:
    """For a model form: editing a saved record adds the hidden version field, set from the
    record the form opens with (a form raising a new record has none)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"] = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
            self.initial.setdefault("version", record_version(self.instance))

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
        self.data = self.data.copy()
        self.data["version"] = latest.history_id if latest else 0
        self.add_error(
            None,
            f"{stale.record} was changed{by} after you opened this form, so your changes were "
            "not saved. They are still in the form: check what changed in the history, then "
            "save again to replace it.",
        )
