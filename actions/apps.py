from django.apps import AppConfig

from core.reference_kinds import register_reference_kind


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Actions"

    def ready(self):
        # Models load only once the app registry is ready.
        from .models import Action

        register_reference_kind(
            Action, url_name="actions:action_detail", text_fields=("text", "area", "updates__text")
        )

        # The app's document kinds (documents/registry.py).
        from . import documents

        documents.register()
