from django.apps import AppConfig


class TranslationConfig(AppConfig):
    name = "workbench.translation"

    def ready(self):
        from workbench.documents.signals import revisions_recorded

        from .issues import follow_text
        from .overrides import log_overrides

        revisions_recorded.connect(
            lambda sender, revisions, **kwargs: follow_text(revisions),
            weak=False,
            dispatch_uid="translation.issues_follow_text",
        )
        revisions_recorded.connect(
            lambda sender, revisions, **kwargs: log_overrides(revisions),
            weak=False,
            dispatch_uid="translation.log_overrides",
        )
