"""{% audit_history record %}: who created, changed or deleted a record, and what changed;
{% membership_history group %}: who joined or left a group, or changed role.

Reads django-simple-history. Each version is compared with the one before it in memory,
so a page runs a fixed number of queries however long the history is: one for the
versions, one per many-to-many field, and one per kind of record named in a change.

A record's history may be short: records written in bulk (bulk_create, a data migration,
a restore) have no versions at all, or their first version is a change, not a creation.
Neither fails: the display says from when the history is known.
"""

import datetime
from collections import defaultdict
from itertools import zip_longest

from django import template
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.text import capfirst
from simple_history.utils import get_m2m_reverse_field_name

from core.models import Membership

register = template.Library()

WHAT = {"+": "Created", "~": "Changed", "-": "Deleted"}


@register.inclusion_tag("includes/history.html")
def audit_history(record):
    entries = history_entries(record)
    return {"entries": entries, "known_since": _known_since(entries)}


def _known_since(entries):
    """When the history starts, if its oldest entry is not the record's creation."""
    if entries and entries[-1]["what"] != WHAT["+"]:
        return entries[-1]["when"]
    return None


def history_entries(record):
    """Newest first: [{"when", "who", "what", "reason", "changes": [{"field", "old", "new"}]}]."""
    history_model = record.history.model
    versions = list(
        record.history.select_related("history_user__person").order_by(
            "-history_date", "-history_id"
        )
    )
    fields = [f for f in history_model.tracked_fields if f.editable and not f.primary_key]
    m2m_fields = list(history_model._history_m2m_fields)
    m2m_ids = _m2m_ids(history_model, m2m_fields, versions)

    raw_changes = []  # (entry, field, old, new), resolved to display values below
    needed = defaultdict(set)  # related model -> ids to fetch
    entries = []
    # Each version with the one before it; the oldest has none (and no versions, no pairs).
    for version, older in zip_longest(versions, versions[1:]):
        entry = {
            "when": version.history_date,
            "who": who(version.history_user),
            "what": WHAT.get(version.history_type, version.history_type),
            "reason": version.history_change_reason,
            "changes": [],
        }
        entries.append(entry)
        if version.history_type != "~" or older is None:
            continue
        for field in fields:
            old, new = getattr(older, field.attname), getattr(version, field.attname)
            if old != new:
                raw_changes.append((entry, field, old, new))
                if field.is_relation:
                    needed[field.related_model].update(v for v in (old, new) if v is not None)
        for field in m2m_fields:
            old = m2m_ids[field.name].get(older.history_id, [])
            new = m2m_ids[field.name].get(version.history_id, [])
            if old != new:
                raw_changes.append((entry, field, old, new))
                needed[field.related_model].update(old, new)

    objects = {
        model: model._base_manager.select_related().in_bulk(ids) for model, ids in needed.items()
    }
    for entry, field, old, new in raw_changes:
        related = objects.get(field.related_model, {})
        entry["changes"].append(
            {
                "field": plain_field_name(field),
                "old": _display(field, old, related),
                "new": _display(field, new, related),
            }
        )
    return entries


# Abbreviations in field names, spelt out for the history: "Ia deadline" reads
# "Impact assessment deadline".
PLAIN_WORDS = {"ia": "impact assessment", "cr": "change request", "raid": "RAID"}


def plain_field_name(field):
    """A field's name in plain words, as the history shows it."""
    words = str(field.verbose_name).split()
    return capfirst(" ".join(PLAIN_WORDS.get(word.lower(), word) for word in words))


@register.inclusion_tag("includes/membership_history.html")
def membership_history(group):
    return {"entries": membership_entries(group)}


def membership_entries(group):
    """Newest first: [{"when", "who", "person", "what"}], one per version of the group's
    memberships that began, ended or changed one: one query however many there are."""
    versions = (
        Membership.history.filter(group_id=group.pk)
        .select_related("person", "history_user__person")
        .order_by("history_date", "history_id")
    )
    entries, latest = [], {}  # latest: membership id -> its version seen last
    for version in versions:
        what = _membership_change(latest.get(version.id), version)
        latest[version.id] = version
        if what:
            entries.append(
                {
                    "when": version.history_date,
                    "who": who(version.history_user),
                    "person": version.person,
                    "what": what,
                }
            )
    entries.reverse()
    return entries


def _membership_change(before, after):
    """What `after` changed since `before` (the same membership's previous version), in words."""
    role = after.get_role_display()
    if after.history_type == "+":
        return f"Joined as {role}" if after.active else f"Added as {role}, inactive"
    if after.history_type == "-":
        return f"Left (was {role})" if after.active else f"Removed (had left as {role})"
    if before is None:  # written in bulk or before its history was kept
        return f"{role}{'' if after.active else ', inactive'} (earlier changes not recorded)"
    changes = []
    if before.active != after.active:
        left = f"Left on {after.end_date:%d/%m/%Y}" if after.end_date else "Left"
        changes.append(f"Rejoined as {role}" if after.active else f"{left} (was {role})")
    if before.role != after.role:
        changes.append(f"Role changed from {before.get_role_display()} to {role}")
    if before.constituency != after.constituency:
        changes.append(
            f"Constituency changed from {before.constituency or '—'} to {after.constituency or '—'}"
        )
    if before.voting != after.voting:
        changes.append("Now a voting member" if after.voting else "Now a non-voting member")
    if before.deputy_id != after.deputy_id:
        changes.append("Standing deputy changed")
    return "; ".join(changes)


def _m2m_ids(history_model, m2m_fields, versions):
    """{field name: {history id: [related ids in the order saved]}}, one query per field."""
    history_ids = [version.history_id for version in versions]
    result = {}
    for field in m2m_fields:
        rows = getattr(history_model, field.name).model.objects.filter(history_id__in=history_ids)
        column = f"{get_m2m_reverse_field_name(field)}_id"
        by_version = defaultdict(list)
        for history_id, related_id in rows.order_by("pk").values_list("history_id", column):
            by_version[history_id].append(related_id)
        result[field.name] = by_version
    return result


def who(user):
    """The name of whoever saved a version: their person's name, else the username."""
    if user is None:
        return "System"
    person = getattr(user, "person", None)
    return person.name if person else user.get_username()


def _display(field, value, related):
    if value is None or value == "" or value == []:
        return "—"
    if field.many_to_many:
        return ", ".join(_related_str(related, pk) for pk in value)
    if field.is_relation:
        return _related_str(related, value)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, datetime.time):
        return time_format(value, "TIME_FORMAT")
    return value


def _related_str(related, pk):
    obj = related.get(pk)
    return str(obj) if obj is not None else f"#{pk} (deleted)"
