"""An index of UPPER(reference) on each kind of record with a reference (actions, decisions,
change requests, RAID items), PostgreSQL only.

A reference is matched in any case (reference__iexact: UPPER(reference) = UPPER(typed)):
the search box looks up every word typed as a reference of each kind
(meetings.search.record_by_reference), and the allocator checks a typed reference's
holder the same way (core.references). The unique index of reference serves neither, so
each look-up read the whole table (about 200 ms for 100,000 actions on a loaded machine);
with these, a few index pages. Built by Django from Upper("reference"), the expression the
lookup compiles to. SQLite (the quick start) matches iexact with LIKE, which no expression
index serves: none there.
"""

from django.db import migrations, models
from django.db.models.functions import Upper

# (app, model, index name)
INDEXES = [
    ("actions", "Action", "action_reference_upper"),
    ("decisions", "Decision", "decision_reference_upper"),
    ("changerequests", "ChangeRequest", "changerequest_reference_upper"),
    ("raid", "RaidItem", "raiditem_reference_upper"),
]


def index(name):
    return models.Index(Upper("reference"), name=name)


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model_name, name in INDEXES:
        schema_editor.add_index(apps.get_model(app_label, model_name), index(name))


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model_name, name in INDEXES:
        schema_editor.remove_index(apps.get_model(app_label, model_name), index(name))


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0019_imp_paper_import_stage"),
        ("actions", "0012_week_commencing_check_typed"),
        ("decisions", "0008_gov_quorum_confirmed"),
        ("changerequests", "0005_perf_search_vector"),
        ("raid", "0005_perf_search_vector"),
    ]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
