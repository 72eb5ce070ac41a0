from django.apps import AppConfig


class RaidConfig(AppConfig):
    name = "raid"
    verbose_name = "RAID"

    def ready(self):
        from core.reference_kinds import register_reference_kind

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
        )
