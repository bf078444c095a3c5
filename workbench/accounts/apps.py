from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class AccountsConfig(AppConfig):
    name = "workbench.accounts"

    def ready(self):
        from workbench.middleware import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="accounts.idle_clock")
