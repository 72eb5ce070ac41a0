from django.apps import AppConfig


class ChangerequestsConfig(AppConfig):
    name = "changerequests"
    verbose_name = "Change requests"

    def ready(self):
        from core.reference_kinds import register_reference_kind

        from .models import ChangeRequest

        register_reference_kind(ChangeRequest, url_name="changerequests:cr_detail")
