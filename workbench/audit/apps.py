from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "workbench.audit"

    def ready(self):
        from . import receivers  # noqa: F401  (logins, logouts and lockouts)
