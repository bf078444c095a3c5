from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """One thing that happened: who (by id and name as they were), when, from which
    address, in which project, to what, and the particulars.

    Plain values, no foreign keys: an entry must still say who deleted a document after
    the document, its project and even the person's account are gone. Never the text of
    a confidential document, only what it is and what was done with it. The table takes
    inserts only; a trigger (migration 0001) refuses UPDATE, DELETE and TRUNCATE."""

    class Kind(models.TextChoices):
        # Accounts
        LOGIN = "login", "Logged in"
        LOGIN_FAILED = "login.failed", "Login failed"
        LOGIN_LOCKED = "login.locked", "Account locked after wrong passwords"
        LOGOUT = "logout", "Logged out"
        PASSWORD_CHANGED = "password.changed", "Password changed"
        PASSWORD_RESET_REQUESTED = "password.reset_requested", "Password reset asked for"
        PASSWORD_RESET = "password.reset", "Password reset by e-mail link"
        TWO_FACTOR_ENROLLED = "two_factor.enrolled", "Authenticator app set up"
        TWO_FACTOR_REMOVED = "two_factor.removed", "Authenticator app removed"
        # Documents
        DOCUMENT_IMPORTED = "document.imported", "Document imported"
        DOCUMENT_VIEWED = "document.viewed", "Document viewed"
        DOCUMENT_DOWNLOADED = "document.downloaded", "Document downloaded"
        DOCUMENT_DELETED = "document.deleted", "Document deleted"
        BRIEF_CHANGED = "brief.changed", "Document brief changed"
        # Exports and downloads
        EXPORT_CREATED = "export.created", "Export started"
        EXPORT_DOWNLOADED = "export.downloaded", "Export downloaded"
        DATA_DOWNLOADED = "data.downloaded", "Data downloaded"
        # People
        MEMBER_ADDED = "member.added", "Member added"
        MEMBER_ROLE_CHANGED = "member.role_changed", "Member's role changed"
        MEMBER_REMOVED = "member.removed", "Member removed"
        ASSIGNMENT_CREATED = "assignment.created", "Work assigned"
        ASSIGNMENT_REMOVED = "assignment.removed", "Assignment removed"
        # Other deletions
        TM_UNIT_DELETED = "tm_unit.deleted", "Translation unit deleted"
        TERM_DELETED = "term.deleted", "Glossary term deleted"
        PROJECT_DELETED = "project.deleted", "Project deleted"
        # Settings and policies
        SETTINGS_CHANGED = "settings.changed", "Project settings changed"
        PRICE_CHANGED = "price.changed", "Model price changed"
        # Review
        QA_OVERRIDDEN = "review.qa_overridden", "QA findings overridden"
        REVIEW_SKIPPED = "review.skipped", "Review skipped by policy"
        LQA_ERROR_WITHDRAWN = "review.lqa_withdrawn", "Quality error withdrawn"
        # Agents
        AGENT_JOB = "agents.job", "Agent job finished"
        # The REST API: a call that read a document or changed something
        API_CALL = "api.call", "API call"

    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    user_pk = models.BigIntegerField(null=True, blank=True)
    username = models.CharField(max_length=150, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    project_pk = models.BigIntegerField(null=True, blank=True)
    project_slug = models.CharField(max_length=80, blank=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_pk = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["project_pk", "-at"], name="audit_of_project"),
            models.Index(fields=["user_pk", "-at"], name="audit_of_person"),
            models.Index(fields=["-at"], name="audit_recent"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or 'the workbench'} {self.kind}"

    @property
    def who(self):
        return self.username or "the workbench"

    @property
    def summary(self):
        """The particulars as one line: "role: translator → reviewer; reason: …"."""
        return "; ".join(
            f"{key.replace('_', ' ')}: {_plain(value)}" for key, value in self.details.items()
        )


def _plain(value):
    if isinstance(value, dict):
        return ", ".join(f"{key} {_plain(item)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value)
    return str(value)
