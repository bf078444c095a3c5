from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "workbench.jobs"

    def ready(self):
        from . import checks, registry  # noqa: F401  (checks registers itself)

        registry.autodiscover()
