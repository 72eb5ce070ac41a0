"""Foreign keys follow the people, groups and outbox to their new apps (no database change)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('actions', '0005_open_search_index'),
        ('core', '0001_initial'),
    ]

    operations = [
        # Migration state only: the database keeps its tables and constraints.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='action',
                    name='group',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='actions', to='core.governancegroup'),
                ),
                migrations.AlterField(
                    model_name='action',
                    name='owners',
                    field=models.ManyToManyField(blank=True, related_name='actions', through='actions.ActionOwner', to='core.person'),
                ),
                migrations.AlterField(
                    model_name='actionowner',
                    name='person',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ownerships', to='core.person'),
                ),
                migrations.AlterField(
                    model_name='actionupdate',
                    name='author',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='action_updates', to='core.person'),
                ),
                migrations.AlterField(
                    model_name='historicalaction',
                    name='group',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.governancegroup'),
                ),
                migrations.AlterField(
                    model_name='historicalactionowner',
                    name='person',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.person'),
                ),
                migrations.AlterField(
                    model_name='historicalactionupdate',
                    name='author',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.person'),
                ),
            ],
        ),
    ]
