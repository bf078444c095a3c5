from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, slugify

from . import capabilities, endpoints
from .languages import normalise_language


def default_blocking_severities():
    return ["major", "critical"]


class Project(models.Model):
    class Segmentation(models.TextChoices):
        SENTENCE = "sentence", "Sentence by sentence"
        PARAGRAPH = "paragraph", "Paragraph by paragraph"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    source_language = models.CharField(max_length=35, help_text="BCP 47, e.g. en")
    target_language = models.CharField(max_length=35, help_text="BCP 47, e.g. zh-Hant-HK")
    segmentation = models.CharField(
        max_length=12, choices=Segmentation.choices, default=Segmentation.SENTENCE
    )
    description = models.TextField(blank=True)
    tm_threshold = models.PositiveSmallIntegerField(
        default=75, help_text="Lowest TM match percentage shown and used for pre-translation"
    )
    tm_draft_threshold = models.PositiveSmallIntegerField(
        default=100,
        help_text="Drafting with the agents fills segments from TM matches at or above this "
        "(101 is in context) first and does not send them to the Translator",
    )
    qa_blocking_severities = models.JSONField(
        default=default_blocking_severities,
        blank=True,
        help_text="QA findings of these severities stop confirm and approve unless "
        "overridden with a reason",
    )
    agent_models = models.JSONField(
        default=dict,
        blank=True,
        help_text='Model per agent role, e.g. {"translator": "gpt-4.1", "annotator": "..."}; '
        "roles not named use their endpoint's first model, else OPENAI_MODEL.",
    )
    agent_endpoints = models.JSONField(
        default=dict,
        blank=True,
        help_text="Model endpoint per agent role, by the name the administrator gave it, e.g. "
        '{"translator": "office-gpu"}; roles not named use the default endpoint.',
    )
    agent_max_rounds = models.PositiveSmallIntegerField(
        default=2, help_text="Annotate ⇄ proofread rounds at most"
    )
    job_token_budget = models.PositiveIntegerField(
        null=True, blank=True, help_text="Tokens one drafting job may spend; empty: no limit"
    )
    auto_propagate = models.BooleanField(
        default=True,
        help_text="On confirm, fill identical untouched source segments of the document",
    )

    class LowRiskReview(models.TextChoices):
        """What happens to a segment the agents drafted with low risk (drafting/risk)."""

        REVIEW = "review", "A person reviews it, like every other segment"
        CONFIRM = "confirm", "Confirm it without translation review (a reviewer still approves)"
        APPROVE = "approve", "Approve it without any review"

    low_risk_review = models.CharField(
        max_length=8,
        choices=LowRiskReview.choices,
        default=LowRiskReview.REVIEW,
        verbose_name="Low-risk segments",
        help_text="Segments the agents drafted with low risk may skip review; each is "
        "recorded in its history and the audit log with the reasons. The dashboard's risk "
        "calibration shows how often people changed segments of each risk level.",
    )
    lqa_max_points_per_1000 = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=10,
        verbose_name="Quality threshold (LQA error points per 1,000 words)",
        help_text="A document passes the reviewers' quality assessment when its error points "
        "(minor 1, major 5, critical 25) per 1,000 reviewed words are at most this.",
    )
    # Whether names, identity numbers, addresses and the like are replaced by
    # placeholders before text goes to the model endpoint (drafting/pseudonyms.py).
    # None: automatic, on unless the endpoint is on this machine or a private network.
    pseudonymise = models.BooleanField(
        null=True,
        blank=True,
        default=None,
        choices=[
            (None, "Automatic: when the model endpoint is outside this machine and network"),
            (True, "Always"),
            (False, "Never"),
        ],
        verbose_name="Replace personal data before it goes to the model",
        help_text="Party and witness names from the brief, HKID and passport numbers, "
        "phone numbers, e-mail addresses, bank accounts and street addresses become "
        "placeholders such as ⟦P1⟧ in what is sent, and are put back in the answers.",
    )
    # Made by `seed_demo`: its people's work and its agents' runs are recordings, and
    # every page of it says so.
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.clean()
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)

    def clean(self):
        self.source_language = normalise_language(self.source_language)
        self.target_language = normalise_language(self.target_language)

    @property
    def language_pair(self):
        return f"{self.source_language} → {self.target_language}"

    def model_for(self, role):
        """The model an agent role uses in this project (see endpoints.model_for)."""
        return endpoints.model_for(self, role)

    def managers(self):
        """The memberships whose role may manage the project."""
        return self.memberships.filter(role__in=capabilities.roles_that_can("project.manage"))

    def role_of(self, user):
        """The user's role in this project, or None for an outsider."""
        if not user.is_authenticated:
            return None
        membership = self.memberships.filter(user=user).first()
        return membership.role if membership else None


class Membership(models.Model):
    class Role(models.TextChoices):
        MANAGER = capabilities.MANAGER, "Project manager"
        TRANSLATOR = capabilities.TRANSLATOR, "Translator"
        REVIEWER = capabilities.REVIEWER, "Reviewer"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_role_per_member")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.project}"

    def can(self, action):
        """Whether this member may do `action` (the capability table)."""
        return capabilities.can(self.role, action)


class Notification(models.Model):
    """A line in a person's inbox: work was assigned to them, or a reviewer sent their
    translation back. Shown in the top bar until read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_inbox")]

    def __str__(self):
        return f"To {self.user}: {self.text}"

    def mark_read(self):
        if self.read_at is None:
            self.read_at = timezone.now()
            self.save(update_fields=["read_at"])

    @classmethod
    def mark_all_read(cls, user):
        return cls.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())

    @classmethod
    def for_assignment(cls, assignment):
        document = assignment.document
        by = assignment.assigned_by.get_username() if assignment.assigned_by else "A manager"
        verb = "translate" if assignment.role == "translator" else "review"
        due = f", due {assignment.due_date:%-d %b %Y}" if assignment.due_date else ""
        return cls.objects.create(
            user=assignment.assignee,
            project=document.project,
            text=Truncator(
                f"{by} assigned you to {verb} {assignment.scope} of “{document.title}”{due}."
            ).chars(500),
            url=reverse("editor", args=[document.project.slug, document.pk]) + "?mine=on",
        )

    @classmethod
    def for_send_back(cls, segment, *, reviewer, reason):
        """Tell the translators of the segment (those assigned to it, or else whoever
        confirmed it last) that the reviewer sent it back, and why."""
        document = segment.document
        covering = Q(first_position__isnull=True) | Q(
            first_position__lte=segment.position, last_position__gte=segment.position
        )
        people = set(
            document.assignments.filter(covering, role="translator").values_list(
                "assignee_id", flat=True
            )
        )
        if not people:
            last_confirmer = (
                segment.revisions.filter(origin="person", new_status="translated")
                .exclude(author=None)
                .order_by("-created_at", "-pk")
                .values_list("author_id", flat=True)
                .first()
            )
            people = {last_confirmer} if last_confirmer else set()
        people.discard(reviewer.pk)
        text = Truncator(
            f"{reviewer.get_username()} sent back segment {segment.position} of "
            f"“{document.title}”: {reason}"
        ).chars(500)
        url = reverse("editor", args=[document.project.slug, document.pk]) + (
            f"?go={segment.position}"
        )
        return cls.objects.bulk_create(
            cls(user_id=person, project=document.project, text=text, url=url)
            for person in sorted(people)
        )
