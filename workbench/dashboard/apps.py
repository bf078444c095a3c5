from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "workbench.dashboard"

    def ready(self):
        from workbench.projects.signals import project_copied

        from .models import ModelPrice

        project_copied.connect(
            lambda sender, project, template, by, **kwargs: ModelPrice.copy_prices(
                template, project, by
            ),
            weak=False,
            dispatch_uid="dashboard.copy_prices",
        )
