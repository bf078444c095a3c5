from django.apps import AppConfig


class MemoryConfig(AppConfig):
    name = "workbench.memory"

    def ready(self):
        from workbench.documents.signals import document_imported, revisions_recorded
        from workbench.projects.signals import project_copied

        from . import checks  # noqa: F401  (registers the system check)
        from .analysis import analyse_imported
        from .copying import copy_from_template
        from .services import follow_review

        project_copied.connect(
            lambda sender, project, template, by, **kwargs: copy_from_template(
                project, template, by
            ),
            weak=False,
            dispatch_uid="memory.copy_from_template",
        )
        revisions_recorded.connect(
            lambda sender, revisions, **kwargs: follow_review(revisions),
            weak=False,
            dispatch_uid="memory.follow_review",
        )
        document_imported.connect(
            lambda sender, document, **kwargs: analyse_imported(document),
            weak=False,
            dispatch_uid="memory.analyse_imported",
        )
