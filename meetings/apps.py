from django.apps import AppConfig

from core.reference_kinds import register_mentioning_texts


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings and groups"

    def ready(self):
        # Models load only once the app registry is ready.
        from .models import AgendaItem

        register_mentioning_texts("minutes", AgendaItem, text_fields=("minutes",))

        # The app's document kinds (documents/registry.py).
        from . import documents

        documents.register()
