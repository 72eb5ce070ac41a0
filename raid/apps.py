from django.apps import AppConfig

from core.reference_kinds import register_reference_kind


class RaidConfig(AppConfig):
    name = "raid"
    verbose_name = "RAID"

    def ready(self):
        # Models load only once the app registry is ready.
        from .models import RaidItem

        register_reference_kind(
            RaidItem,
            url_name="raid:raid_detail",
            text_fields=(
                "title",
                "description",
                "mitigation",
                "reviews__discussion",
                "reviews__conclusion",
            ),
            formats=(r"R[0-9]{1,5}",),  # R185
            example="R185",
            allocator_kind="raid_item",
            summary_field="title",
        )

        # The app's document kinds (documents/registry.py).
        from . import documents

        documents.register()
