"""Foreign keys follow the people, groups and outbox to their new apps (no database change)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('changerequests', '0002_approval_status_follows_stage'),
        ('core', '0001_initial'),
    ]

    operations = [
        # Migration state only: the database keeps its tables and constraints.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='changerequest',
                    name='change_owner',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='owned_crs', to='core.person'),
                ),
                migrations.AlterField(
                    model_name='changerequest',
                    name='group',
                    field=models.ForeignKey(blank=True, help_text='The group that handles it.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='change_requests', to='core.governancegroup'),
                ),
                migrations.AlterField(
                    model_name='changerequest',
                    name='raiser_organisation',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='raised_crs', to='core.organisation'),
                ),
                migrations.AlterField(
                    model_name='changerequest',
                    name='raiser_person',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='raised_crs', to='core.person'),
                ),
                migrations.AlterField(
                    model_name='historicalchangerequest',
                    name='change_owner',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.person'),
                ),
                migrations.AlterField(
                    model_name='historicalchangerequest',
                    name='group',
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text='The group that handles it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.governancegroup'),
                ),
                migrations.AlterField(
                    model_name='historicalchangerequest',
                    name='raiser_organisation',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.organisation'),
                ),
                migrations.AlterField(
                    model_name='historicalchangerequest',
                    name='raiser_person',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.person'),
                ),
            ],
        ),
    ]
