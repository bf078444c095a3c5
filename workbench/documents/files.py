"""A document's original file goes with its row: when the row is deleted (on its own or
with its project), the file is removed once the deletion has committed, so a deletion
that rolls back loses no file and a committed one leaves none behind."""

from django.db import transaction


def remove_file_on_commit(field_file):
    """Delete the stored file of `field_file` after the current transaction commits."""
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name
    transaction.on_commit(lambda: storage.delete(name))


def remove_original(sender, instance, **kwargs):
    remove_file_on_commit(instance.original_file)
