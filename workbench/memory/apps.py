from django.apps import AppConfig


class MemoryConfig(AppConfig):
    name = "workbench.memory"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system check)
