from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "workbench.api"

    def ready(self):
        from workbench.documents.signals import revisions_recorded
        from workbench.jobs.signals import job_finished

        from . import events

        job_finished.connect(events.job_finished, dispatch_uid="api.webhooks_job_finished")
        revisions_recorded.connect(
            events.revisions_recorded, dispatch_uid="api.webhooks_document_approved"
        )
