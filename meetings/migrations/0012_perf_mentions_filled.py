"""Fill core's Mention table (core/mentions.py) from the texts already saved: from now on
it is written whenever they are saved. The texts are those registered in
core.reference_kinds when this migration was written."""

from django.db import migrations

from core.markup import find_references

# (app, model, text field lookups)
TEXTS = [
    ("actions", "Action", ("text", "area", "updates__text")),
    ("decisions", "Decision", ("wording", "area", "approval_comment")),
    (
        "raid",
        "RaidItem",
        ("title", "description", "mitigation", "reviews__discussion", "reviews__conclusion"),
    ),
    ("meetings", "AgendaItem", ("minutes",)),
]


def fill(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Mention = apps.get_model("core", "Mention")
    for app_label, model_name, lookups in TEXTS:
        model = apps.get_model(app_label, model_name)
        if not model.objects.exists():
            continue
        content_type, _ = ContentType.objects.get_or_create(
            app_label=app_label, model=model_name.lower()
        )
        found = set()
        for lookup in lookups:
            for pk, text in model.objects.values_list("pk", lookup).iterator():
                found.update((pk, reference) for reference in find_references(text or ""))
        Mention.objects.bulk_create(
            (
                Mention(reference=reference, content_type=content_type, object_id=pk)
                for pk, reference in found
                if len(reference) <= 80
            ),
            batch_size=5000,
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0011_agenda_item_type_not_given"),
        ("core", "0006_perf_mentions"),
        ("actions", "0010_action_known_only"),
        ("decisions", "0005_withdrawn_approvals"),
        ("raid", "0004_raid_review_covers_items_and_raises_actions"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
