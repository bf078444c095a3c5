from django.apps import AppConfig


class MemoryConfig(AppConfig):
    name = "workbench.memory"

    def ready(self):
        from workbench.documents.signals import revisions_recorded

        from . import checks  # noqa: F401  (registers the system check)
        from .services import follow_review

        revisions_recorded.connect(
            lambda sender, revisions, **kwargs: follow_review(revisions),
            weak=False,
            dispatch_uid="memory.follow_review",
        )
