"""Rendered documents, moved here from the meetings app with their table."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0001_initial'),
        ('meetings', '0002_minutes_events_outbox_documents'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables already exist (made by the meetings app's migrations): this only
        # tells Django's migration state where the models now live.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Document',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('minutes', 'Minutes and Actions'), ('headline', 'Headline Report'), ('open_actions', 'Open actions report'), ('cr_status', 'Change request status report'), ('raid', 'RAID report')], max_length=20)),
                        ('scope', models.CharField(max_length=100)),
                        ('version', models.PositiveIntegerField()),
                        ('parameters', models.JSONField(blank=True, default=dict)),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('rendering', 'Rendering'), ('ready', 'Ready'), ('failed', 'Failed')], default='queued', max_length=10)),
                        ('file', models.FileField(blank=True, upload_to='documents/%Y/%m/')),
                        ('source_hash', models.CharField(blank=True, max_length=64)),
                        ('requested_at', models.DateTimeField(auto_now_add=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('duration_ms', models.PositiveIntegerField(blank=True, null=True)),
                        ('error', models.TextField(blank=True)),
                        ('group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='core.governancegroup')),
                        ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='meetings.meeting')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'meetings_document',
                        'ordering': ['kind', 'scope', '-version'],
                        'constraints': [models.UniqueConstraint(fields=('kind', 'scope', 'version'), name='document_unique_version'), models.CheckConstraint(condition=models.Q(('kind__in', ['minutes', 'headline', 'open_actions', 'cr_status', 'raid'])), name='document_kind_valid'), models.CheckConstraint(condition=models.Q(('status__in', ['queued', 'rendering', 'ready', 'failed'])), name='document_status_valid'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'ready'), _negated=True), models.Q(('file', ''), _negated=True), _connector='OR'), name='document_ready_has_file')],
                    },
                ),
            ],
        ),
    ]
