from django.apps import AppConfig


class TranslationConfig(AppConfig):
    name = "workbench.translation"
