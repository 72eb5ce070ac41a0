from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People, memberships and accounts"

    def ready(self):
        from . import signals  # noqa: F401  (records each login's session)
