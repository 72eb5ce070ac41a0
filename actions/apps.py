from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Actions"

    def ready(self):
        # The app's document kinds (documents/registry.py).
        from . import documents

        documents.register()
