from django.apps import AppConfig

from core.reference_kinds import register_reference_kind


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Actions"

    def ready(self):
        # Models load only once the app registry is ready.
        from .models import Action

        register_reference_kind(
            Action,
            url_name="actions:action_detail",
            text_fields=("text", "area", "updates__text"),
            # DAG29-01, DAG10.1-03 (an extraordinary meeting's), TMAG14-01.
            formats=(r"[A-Z]{2,12}[0-9]+(\.[0-9]+)?-[0-9]{2,3}",),
            example="DAG29-01",
            allocator_kind="action",
            summary_field="text",
        )

        # The app's document kinds (documents/registry.py).
        from . import documents

        documents.register()
