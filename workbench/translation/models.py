from django.conf import settings
from django.db import models

from workbench.documents.models import Segment


class Revision(models.Model):
    """One change of a segment's target: by a person, or by an agent or the TM."""

    class Origin(models.TextChoices):
        PERSON = "person", "Person"
        AGENT = "agent", "Agent"
        TM = "tm", "Translation memory"
        IMPORT = "import", "Imported file"
        PROPAGATION = "propagation", "Auto-propagation"

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="revisions")
    origin = models.CharField(max_length=12, choices=Origin.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agent_role = models.CharField(max_length=20, blank=True)
    model_name = models.CharField(max_length=100, blank=True)
    prompt_version = models.CharField(max_length=40, blank=True)
    old_target = models.TextField(blank=True)
    new_target = models.TextField(blank=True)
    old_status = models.CharField(max_length=10, blank=True)
    new_status = models.CharField(max_length=10)
    version = models.PositiveIntegerField(help_text="The segment's version after this change")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["segment", "created_at", "pk"]
        indexes = [models.Index(fields=["segment", "-created_at"])]

    def __str__(self):
        return f"{self.segment} v{self.version} ({self.origin})"

    @property
    def who(self):
        if self.author_id:
            return self.author.get_username()
        if self.origin == self.Origin.AGENT:
            return f"{self.agent_role} · {self.model_name} · {self.prompt_version}"
        return self.get_origin_display()
