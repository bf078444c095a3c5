from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo a new user sees after `make run`: on top of every other app."""

    name = "workbench.demo"
