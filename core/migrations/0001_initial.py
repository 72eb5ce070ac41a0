"""People, organisations, groups and memberships, moved here from the meetings app with their tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('meetings', '0002_minutes_events_outbox_documents'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables already exist (made by the meetings app's migrations): this only
        # tells Django's migration state where the models now live.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Organisation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, unique=True)),
                        ('short_name', models.CharField(blank=True, max_length=40)),
                    ],
                    options={
                        'db_table': 'meetings_organisation',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='GovernanceGroup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(help_text='Short code used in references, e.g. DAG.', max_length=12, unique=True)),
                        ('name', models.CharField(max_length=200)),
                        ('level', models.PositiveSmallIntegerField(choices=[(2, 'Level 2 – steering group'), (3, 'Level 3 – advisory group'), (4, 'Level 4 – working group')])),
                        ('active', models.BooleanField(default=True)),
                        ('terms_of_reference', models.TextField(blank=True)),
                        ('programme_label', models.CharField(default='Programme', help_text='Heading of the programme-staff attendee section in minutes, e.g. "MHHS".', max_length=40)),
                        ('reminder_window_days', models.PositiveSmallIntegerField(default=7, help_text='Owners are reminded of actions due within this many days.')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='core.governancegroup')),
                    ],
                    options={
                        'db_table': 'meetings_governancegroup',
                        'ordering': ['level', 'code'],
                    },
                ),
                migrations.CreateModel(
                    name='Person',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('email', models.EmailField(blank=True, max_length=254)),
                        ('active', models.BooleanField(default=True)),
                        ('daily_digest_opt_out', models.BooleanField(default=False, help_text='No daily reminder digests (the weekly summary still comes).')),
                        ('daily_digest_opt_out_at', models.DateTimeField(blank=True, null=True)),
                        ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='people', to='core.organisation')),
                        ('user', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='person', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'meetings_person',
                        'verbose_name_plural': 'people',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='Membership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('secretariat', 'Secretariat'), ('chair', 'Chair'), ('member', 'Member'), ('observer', 'Observer')], default='member', max_length=12)),
                        ('constituency', models.CharField(blank=True, help_text='e.g. "Large Supplier Representative".', max_length=200)),
                        ('active', models.BooleanField(default=True)),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='core.governancegroup')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='core.person')),
                    ],
                    options={
                        'db_table': 'meetings_membership',
                        'ordering': ['group', 'role', 'person__name'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='governancegroup',
                    constraint=models.CheckConstraint(condition=models.Q(('code__regex', '^[A-Z][A-Z0-9]{1,11}$')), name='group_code_format'),
                ),
                migrations.AddConstraint(
                    model_name='governancegroup',
                    constraint=models.CheckConstraint(condition=models.Q(('level__in', [2, 3, 4])), name='group_level_valid'),
                ),
                migrations.AddConstraint(
                    model_name='governancegroup',
                    constraint=models.CheckConstraint(condition=models.Q(('parent', models.F('pk')), _negated=True), name='group_not_own_parent'),
                ),
                migrations.AddConstraint(
                    model_name='person',
                    constraint=models.UniqueConstraint(condition=models.Q(('email', ''), _negated=True), fields=('email',), name='person_email_unique'),
                ),
                migrations.AddConstraint(
                    model_name='membership',
                    constraint=models.UniqueConstraint(fields=('group', 'person', 'role'), name='membership_unique_role'),
                ),
                migrations.AddConstraint(
                    model_name='membership',
                    constraint=models.CheckConstraint(condition=models.Q(('role__in', ['secretariat', 'chair', 'member', 'observer'])), name='membership_role_valid'),
                ),
            ],
        ),
    ]
