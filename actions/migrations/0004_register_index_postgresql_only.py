"""The register's covering index, on PostgreSQL only.

Migration 0003 declared it on the model, which made SQLite (the quick start) warn on every
command that it cannot hold the INCLUDE columns. PostgreSQL keeps the same index, now made
here; SQLite drops it and sorts its few actions without it.
"""

from django.db import migrations

CREATE = """
CREATE INDEX action_open_register ON actions_action (sort_key)
INCLUDE (group_id, id, status, due_kind, due_date, owner_party, meeting_id)
WHERE NOT (status = 'closed')
"""
DROP = "DROP INDEX IF EXISTS action_open_register"


def postgresql_only(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0003_register_covering_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="action", name="action_open_register"),
        migrations.RunPython(postgresql_only(CREATE), postgresql_only(DROP)),
    ]
