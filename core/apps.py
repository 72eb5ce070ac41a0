from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "People, groups and permissions"

    def ready(self):
        from .nul import use_clear_message

        use_clear_message()
