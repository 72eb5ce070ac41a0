from django.apps import AppConfig


class ChangerequestsConfig(AppConfig):
    name = "changerequests"
    verbose_name = "Change requests"
