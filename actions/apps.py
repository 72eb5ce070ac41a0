from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Actions"

    def ready(self):
        from core.reference_kinds import register_reference_kind

        from .models import Action

        register_reference_kind(
            Action, url_name="actions:action_detail", text_fields=("text", "area", "updates__text")
        )
