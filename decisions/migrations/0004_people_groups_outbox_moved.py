"""Foreign keys follow the people, groups and outbox to their new apps (no database change)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('decisions', '0003_decision_papers'),
        ('notifications', '0001_initial'),
    ]

    operations = [
        # Migration state only: the database keeps its tables and constraints.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='correspondencerecipient',
                    name='invitation',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='notifications.outboundemail'),
                ),
                migrations.AlterField(
                    model_name='correspondencerecipient',
                    name='person',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='correspondence_requests', to='core.person'),
                ),
                migrations.AlterField(
                    model_name='correspondencerecipient',
                    name='reminder',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='notifications.outboundemail'),
                ),
                migrations.AlterField(
                    model_name='correspondenceround',
                    name='group',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='correspondence_rounds', to='core.governancegroup'),
                ),
                migrations.AlterField(
                    model_name='decision',
                    name='decided_by',
                    field=models.ForeignKey(blank=True, help_text='Who took it: the chair as SRO or with delegated authority.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='decisions_taken', to='core.person'),
                ),
                migrations.AlterField(
                    model_name='decision',
                    name='group',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='core.governancegroup'),
                ),
                migrations.AlterField(
                    model_name='historicalcorrespondenceround',
                    name='group',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.governancegroup'),
                ),
                migrations.AlterField(
                    model_name='historicaldecision',
                    name='decided_by',
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text='Who took it: the chair as SRO or with delegated authority.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.person'),
                ),
                migrations.AlterField(
                    model_name='historicaldecision',
                    name='group',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.governancegroup'),
                ),
            ],
        ),
    ]
