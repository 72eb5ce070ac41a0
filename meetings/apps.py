from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings and groups"

    def ready(self):
        # The app's document kinds (documents/registry.py).
        from . import documents

        documents.register()
