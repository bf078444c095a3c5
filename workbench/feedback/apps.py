from django.apps import AppConfig
from django.db.models.signals import post_delete


class FeedbackConfig(AppConfig):
    name = "workbench.feedback"

    def ready(self):
        from workbench.documents.signals import revisions_recorded
        from workbench.jobs.signals import worker_swept

        from .corrections import learn_from
        from .models import Export
        from .retention import remove_export_file, sweep_on_timer

        post_delete.connect(remove_export_file, sender=Export, dispatch_uid="feedback.export_file")
        worker_swept.connect(sweep_on_timer, dispatch_uid="feedback.export_retention")

        revisions_recorded.connect(
            lambda sender, revisions, **kwargs: learn_from(revisions),
            weak=False,
            dispatch_uid="feedback.learn_from",
        )
