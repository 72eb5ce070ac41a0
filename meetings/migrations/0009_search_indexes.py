"""GIN expression indexes for the search across everything (meetings/search.py), PostgreSQL
only: each is the English SearchVector of meetings.search.SEARCH_FIELDS that the search
computes in its query, built by Django itself so that the two expressions agree. Actions
search their stored search_vector (actions migration 0002). SQLite has none."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

# (app, model, index name, fields): as SEARCH_FIELDS when this migration was written.
INDEXES = [
    ("decisions", "Decision", "decision_search", ("reference", "area", "wording")),
    (
        "changerequests",
        "ChangeRequest",
        "changerequest_search",
        ("reference", "title", "key_detail", "latest_action"),
    ),
    ("raid", "RaidItem", "raiditem_search", ("reference", "title", "description", "mitigation")),
    (
        "meetings",
        "AgendaItem",
        "agendaitem_search",
        ("title", "objective", "minutes", "paper_text"),
    ),
    ("core", "Person", "person_search", ("name",)),
]


def index(fields, name):
    return GinIndex(SearchVector(*fields, config="english"), name=name)


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model_name, name, fields in INDEXES:
        schema_editor.add_index(apps.get_model(app_label, model_name), index(fields, name))


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model_name, name, fields in INDEXES:
        schema_editor.remove_index(apps.get_model(app_label, model_name), index(fields, name))


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0008_calendar_feed"),
        ("decisions", "0005_withdrawn_approvals"),
        ("changerequests", "0003_people_groups_moved_to_core"),
        ("raid", "0003_people_groups_moved_to_core"),
        ("core", "0004_digest_opt_outs_moved"),
    ]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
