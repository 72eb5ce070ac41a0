"""The moved tables take their new apps' names, and their content types follow them.

Renaming a table keeps its rows, sequences, indexes and every foreign key that points at it
(PostgreSQL and SQLite both follow a rename), so an existing installation loses nothing.
Content types are relabelled rather than recreated, so permissions and admin log entries
that point at them stay valid.
"""

from django.db import migrations

MOVED = {
    "organisation": "core",
    "person": "core",
    "governancegroup": "core",
    "membership": "core",
    "outboundemail": "notifications",
    "document": "documents",
}


def relabel_content_types(apps, schema_editor, forwards=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        old, new = ("meetings", app_label) if forwards else (app_label, "meetings")
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def relabel_back(apps, schema_editor):
    relabel_content_types(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("notifications", "0001_initial"),
        ("documents", "0001_initial"),
        ("meetings", "0003_people_groups_outbox_documents_moved"),
    ]

    operations = [
        migrations.AlterModelTable(name="organisation", table=None),
        migrations.AlterModelTable(name="person", table=None),
        migrations.AlterModelTable(name="governancegroup", table=None),
        migrations.AlterModelTable(name="membership", table=None),
        migrations.RunPython(relabel_content_types, relabel_back),
    ]
