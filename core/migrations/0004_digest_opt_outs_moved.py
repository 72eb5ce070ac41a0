"""Daily digest opt-outs now live in notifications' EmailPreference, which notifications'
0003 filled from these fields first."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_group_and_membership_history"),
        ("notifications", "0003_email_preferences"),
    ]

    operations = [
        migrations.RemoveField(model_name="person", name="daily_digest_opt_out"),
        migrations.RemoveField(model_name="person", name="daily_digest_opt_out_at"),
    ]
