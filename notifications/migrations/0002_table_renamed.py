"""The table takes this app's name (core's 0002 relabels the content type)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("meetings", "0003_people_groups_outbox_documents_moved"),
    ]

    operations = [
        migrations.AlterModelTable(name="outboundemail", table=None),
    ]
