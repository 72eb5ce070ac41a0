"""The register's open-actions index becomes a covering one (see Action.Meta.indexes)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0002_register_sort_key_search"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="action",
            name="action_open_sort_key",
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                condition=models.Q(("status", "closed"), _negated=True),
                fields=["sort_key"],
                include=("group", "id", "status", "due_kind", "due_date", "owner_party", "meeting"),
                name="action_open_register",
            ),
        ),
    ]
