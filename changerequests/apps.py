from django.apps import AppConfig

from core.reference_kinds import register_reference_kind


class ChangerequestsConfig(AppConfig):
    name = "changerequests"
    verbose_name = "Change requests"

    def ready(self):
        # Models load only once the app registry is ready.
        from .models import ChangeRequest

        register_reference_kind(ChangeRequest, url_name="changerequests:cr_detail")

        # The app's document kinds (documents/registry.py).
        from . import documents

        documents.register()
