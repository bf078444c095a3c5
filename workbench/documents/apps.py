from django.apps import AppConfig
from django.db.models.signals import post_delete


class DocumentsConfig(AppConfig):
    name = "workbench.documents"

    def ready(self):
        from .files import remove_original
        from .models import Document

        post_delete.connect(remove_original, sender=Document, dispatch_uid="documents.original")
