from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "REST API"

    def ready(self):
        from rest_framework import fields

        from core.nul import MESSAGE

        from . import schema  # noqa: F401 - registers the token's security scheme

        # A NUL character in a JSON string is refused with the same words as in a form
        # (core/nul.py), at the field: DRF's CharField adds Django's validator with this
        # message of its own.
        fields.CharField.default_error_messages["null_characters_not_allowed"] = MESSAGE
