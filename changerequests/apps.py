from django.apps import AppConfig


class ChangerequestsConfig(AppConfig):
    name = "changerequests"
    verbose_name = "Change requests"

    def ready(self):
        # The app's document kinds (documents/registry.py).
        from . import documents

        documents.register()
