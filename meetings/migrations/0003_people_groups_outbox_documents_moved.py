"""People, groups, the outbox and documents leave the meetings app (their tables stay until the new apps rename them)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
        ('documents', '0001_initial'),
        ('actions', '0006_people_groups_moved_to_core'),
        ('changerequests', '0003_people_groups_moved_to_core'),
        ('core', '0001_initial'),
        ('decisions', '0004_people_groups_outbox_moved'),
        ('meetings', '0002_minutes_events_outbox_documents'),
        ('raid', '0003_people_groups_moved_to_core'),
    ]

    operations = [
        # Migration state only: the database keeps its tables and constraints.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='governancegroup',
                    name='parent',
                ),
                migrations.RemoveField(
                    model_name='membership',
                    name='group',
                ),
                migrations.AlterField(
                    model_name='meeting',
                    name='group',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='core.governancegroup'),
                ),
                migrations.RemoveField(
                    model_name='outboundemail',
                    name='group',
                ),
                migrations.AlterField(
                    model_name='historicalmeeting',
                    name='group',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.governancegroup'),
                ),
                migrations.RemoveField(
                    model_name='membership',
                    name='person',
                ),
                migrations.RemoveField(
                    model_name='person',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='outboundemail',
                    name='person',
                ),
                migrations.RemoveField(
                    model_name='outboundemail',
                    name='requested_by',
                ),
                migrations.RemoveField(
                    model_name='person',
                    name='user',
                ),
                migrations.AlterField(
                    model_name='historicalattendance',
                    name='person',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.person'),
                ),
                migrations.AlterField(
                    model_name='agendaitem',
                    name='lead',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='agenda_items', to='core.person'),
                ),
                migrations.AlterField(
                    model_name='attendance',
                    name='on_behalf_of',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='deputised_by', to='core.person'),
                ),
                migrations.AlterField(
                    model_name='historicalagendaitem',
                    name='lead',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.person'),
                ),
                migrations.AlterField(
                    model_name='historicalattendance',
                    name='on_behalf_of',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.person'),
                ),
                migrations.AlterField(
                    model_name='attendance',
                    name='person',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendances', to='core.person'),
                ),
                migrations.DeleteModel(
                    name='Document',
                ),
                migrations.DeleteModel(
                    name='GovernanceGroup',
                ),
                migrations.DeleteModel(
                    name='Membership',
                ),
                migrations.DeleteModel(
                    name='Organisation',
                ),
                migrations.DeleteModel(
                    name='OutboundEmail',
                ),
                migrations.DeleteModel(
                    name='Person',
                ),
            ],
        ),
    ]
