from django.apps import AppConfig


class RaidConfig(AppConfig):
    name = "raid"
    verbose_name = "RAID"

    def ready(self):
        # The app's document kinds (documents/registry.py).
        from . import documents

        documents.register()
