from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "workbench.feedback"

    def ready(self):
        from workbench.documents.signals import revisions_recorded

        from .corrections import learn_from

        revisions_recorded.connect(
            lambda sender, revisions, **kwargs: learn_from(revisions),
            weak=False,
            dispatch_uid="feedback.learn_from",
        )
