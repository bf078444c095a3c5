from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "workbench.feedback"
