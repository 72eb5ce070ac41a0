"""Daily digest opt-outs move from core's Person to notifications' EmailPreference.

Only people who opted out (or once did, and have a date) get a row; everyone else keeps the
default of every email. Reversed, the opt-outs go back onto Person (core's 0004 reversed
first puts its fields back)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_opt_outs(apps, schema_editor):
    Person = apps.get_model("core", "Person")
    EmailPreference = apps.get_model("notifications", "EmailPreference")
    EmailPreference.objects.bulk_create(
        EmailPreference(
            person_id=person_id,
            daily_digest_opt_out=opt_out,
            daily_digest_opt_out_at=opt_out_at,
        )
        for person_id, opt_out, opt_out_at in Person.objects.filter(
            models.Q(daily_digest_opt_out=True) | models.Q(daily_digest_opt_out_at__isnull=False)
        ).values_list("pk", "daily_digest_opt_out", "daily_digest_opt_out_at")
    )


def copy_opt_outs_back(apps, schema_editor):
    Person = apps.get_model("core", "Person")
    EmailPreference = apps.get_model("notifications", "EmailPreference")
    for preference in EmailPreference.objects.all():
        Person.objects.filter(pk=preference.person_id).update(
            daily_digest_opt_out=preference.daily_digest_opt_out,
            daily_digest_opt_out_at=preference.daily_digest_opt_out_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_group_and_membership_history"),
        ("notifications", "0002_table_renamed"),
    ]

    operations = [
        migrations.CreateModel(
            name="EmailPreference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "daily_digest_opt_out",
                    models.BooleanField(
                        default=False,
                        help_text="No daily reminder digests (the weekly summary still comes).",
                    ),
                ),
                ("daily_digest_opt_out_at", models.DateTimeField(blank=True, null=True)),
                (
                    "person",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="email_preference",
                        to="core.person",
                    ),
                ),
            ],
            options={"ordering": ["person__name"]},
        ),
        migrations.RunPython(copy_opt_outs, copy_opt_outs_back),
    ]
