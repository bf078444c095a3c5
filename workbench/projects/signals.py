"""News of changes to a project's people and settings, for the layers above (the audit
log) that this app must not import."""

from django.dispatch import Signal

# project, user (the member), by, change ("added", "role_changed", "removed"),
# old_role, new_role
member_changed = Signal()
# project, by, changes ({field: [before, after]})
settings_changed = Signal()
# project (new), template (the project it was set up from), by: the layers above copy
# what they own (glossary terms, memories read, prices) inside the creating transaction.
project_copied = Signal()
