from django.apps import AppConfig

from core.reference_kinds import register_reference_kind


class ChangerequestsConfig(AppConfig):
    name = "changerequests"
    verbose_name = "Change requests"

    def ready(self):
        # Models load only once the app registry is ready.
        from .models import ChangeRequest

        register_reference_kind(
            ChangeRequest,
            url_name="changerequests:cr_detail",
            # CR032, and the older CR013 and design CRs CR-D040.
            formats=(r"CR[0-9]{3,4}", r"CR-[A-Z][0-9]{2,4}"),
            example="CR032",
            allocator_kind="change_request",
            summary_field="title",
        )

        # The app's document kinds (documents/registry.py).
        from . import documents

        documents.register()
