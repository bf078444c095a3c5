from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "workbench.projects"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system check)
