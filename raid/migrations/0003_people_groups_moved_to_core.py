"""Foreign keys follow the people, groups and outbox to their new apps (no database change)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('raid', '0002_history_of_change_request_links'),
    ]

    operations = [
        # Migration state only: the database keeps its tables and constraints.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalraiditem',
                    name='group',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.governancegroup'),
                ),
                migrations.AlterField(
                    model_name='historicalraiditem',
                    name='owner',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.person'),
                ),
                migrations.AlterField(
                    model_name='raiditem',
                    name='group',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='raid_items', to='core.governancegroup'),
                ),
                migrations.AlterField(
                    model_name='raiditem',
                    name='owner',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='raid_items', to='core.person'),
                ),
            ],
        ),
    ]
