"""What the segment lifecycle tells the apps above it.

`revisions_recorded` is sent by `documents.lifecycle` after every change of segments,
inside the same transaction, with the saved `Revision` rows (`revisions=[...]`). What
derives from a change (the issues of a text, the TM unit of an approved segment, the
correction that teaches the agents) is written by its own app's receiver and commits or
rolls back with the change itself. Receivers must not change segments.

`document_imported` is sent with `document=` once an import has committed (the document
is ready, with all its segments), e.g. to analyse it in the background. It is sent
robustly: a receiver's failure is logged and the import stands.
"""

from django.dispatch import Signal

revisions_recorded = Signal()
document_imported = Signal()
