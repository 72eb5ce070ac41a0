from django.apps import AppConfig

from core.reference_kinds import register_reference_kind


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = "Decisions"

    def ready(self):
        # Models load only once the app registry is ready.
        from .models import Decision

        register_reference_kind(
            Decision,
            url_name="decisions:decision_detail",
            text_fields=("wording", "area", "approval_comment"),
            # DAG-DEC76, and the older DAG-DEC-29.
            formats=(r"[A-Z]{2,12}-DEC-?[0-9]+",),
            example="DAG-DEC76",
            allocator_kind="decision",
            summary_field="wording",
        )
