from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings and groups"

    def ready(self):
        from core.reference_kinds import register_mentioning_texts

        from .models import AgendaItem

        register_mentioning_texts("minutes", AgendaItem, text_fields=("minutes",))
