"""Everything the app holds about a person, as JSON and as CSV: their record, account,
memberships and every row that names them (found through Person's reverse relations, so a
record kind added later is exported without touching this module), and their history.

Secrets are left out: password hashes, invitation digests, calendar feed keys, and the
bodies of emails (they carry signed "update this action" links)."""

import csv
import datetime
import io
import json

from core.exports import neutralise

from .merge import is_history_table, person_relations

SECRET_FIELDS = {"password", "token_digest", "key", "token", "secret", "body_text", "body_html"}
ACCOUNT_FIELDS = [
    "username",
    "email",
    "first_name",
    "last_name",
    "is_active",
    "date_joined",
    "last_login",
]


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool, list, dict)) or value is None:
        return value
    return str(value)


def _rows(queryset):
    fields = [
        f.attname
        for f in queryset.model._meta.concrete_fields
        if f.name not in SECRET_FIELDS and f.attname not in SECRET_FIELDS
    ]
    return [{k: _plain(v) for k, v in row.items()} for row in queryset.values(*fields)]


def person_data(person) -> dict:
    """{section: [rows]} of everything held about `person`."""
    data = {"person": _rows(type(person).objects.filter(pk=person.pk))}
    user = person.user
    if user is not None:
        data["account"] = [{name: _plain(getattr(user, name)) for name in ACCOUNT_FIELDS}]
        data["sessions"] = _rows(user.tracked_sessions.all())
    data["person history"] = _rows(person.history.order_by("history_date"))
    for rel in sorted(person_relations(), key=lambda r: r.related_model._meta.label):
        model, field = rel.related_model, rel.field
        rows = _rows(model._base_manager.filter(**{field.name: person}).order_by("pk"))
        if rows:
            kind = "history of " if is_history_table(model) else ""
            data[f"{kind}{model._meta.verbose_name_plural} ({field.verbose_name})"] = rows
    return data


def as_json(person) -> str:
    return json.dumps(
        {"exported_for": person.name, "sections": person_data(person)}, indent=2, default=str
    )


def as_csv(person) -> str:
    """One line per value: section, row number, field, value (sections differ in shape);
    text that starts like a formula is kept from running as one."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "row", "field", "value"])
    for section, rows in person_data(person).items():
        for number, row in enumerate(rows, start=1):
            for name, value in row.items():
                shown = json.dumps(value) if isinstance(value, (list, dict)) else value
                writer.writerow([section, number, name, "" if shown is None else neutralise(shown)])
    return out.getvalue()
