from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class ModelPrice(models.Model):
    """What a model endpoint charges, so the dashboard can put a price on the agents'
    tokens, per model name as the agents report it (ModelCall.model).

    A project's managers set its own prices on the dashboard; they concern that project
    only. Rows without a project are the installation's prices, which only staff set (in
    the admin) and which apply where a project has none."""

    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="model_prices",
    )
    model = models.CharField(max_length=100)
    input_per_million = models.DecimalField(
        max_digits=10, decimal_places=4, help_text="US dollars per million input tokens"
    )
    output_per_million = models.DecimalField(
        max_digits=10, decimal_places=4, help_text="US dollars per million output tokens"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["model"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "model"], name="one_price_per_model", nulls_distinct=False
            )
        ]

    def __str__(self):
        return f"{self.model}: ${self.input_per_million} in / ${self.output_per_million} out"

    @classmethod
    def copy_prices(cls, template, project, by):
        """The template's own prices, for a project set up from it."""
        cls.objects.bulk_create(
            cls(
                project=project,
                model=price.model,
                input_per_million=price.input_per_million,
                output_per_million=price.output_per_million,
                updated_by=by,
            )
            for price in template.model_prices.all()
        )

    @classmethod
    def prices_for(cls, project, models_used):
        """{model: (input, output) per million tokens} for the models that have a price in
        `project`: its own, else the installation's, else settings.WORKBENCH_MODEL_PRICES."""
        prices = {}
        for model in models_used:
            defaults = settings.WORKBENCH_MODEL_PRICES
            default = defaults.get(model, defaults.get("*"))
            if default is not None:
                prices[model] = tuple(Decimal(str(price)) for price in default)
        rows = cls.objects.filter(
            Q(project=None) | Q(project=project), model__in=list(models_used)
        ).order_by(F("project").asc(nulls_first=True))
        for row in rows:
            prices[row.model] = (row.input_per_million, row.output_per_million)
        return prices

    @staticmethod
    def cost(price, tokens_in, tokens_out):
        if price is None:
            return None
        return (price[0] * tokens_in + price[1] * tokens_out) / Decimal(1_000_000)


# Tallies kept by PostgreSQL triggers (migration 0002), so the dashboard reads a few
# hundred rows instead of every segment and revision. The triggers fire once per
# statement, whatever writes the rows (save, bulk_create, queryset.update, COPY, raw
# SQL), and add each statement's change to the tally rows with INSERT … ON CONFLICT DO
# UPDATE, so concurrent writers never lose one another's counts. The foreign keys are
# PostgreSQL's own, ON DELETE CASCADE, rather than Django's: Django's cascade could
# delete a tally before the rows whose deletion the trigger then subtracts from it.


class StatusTally(models.Model):
    """How many segments of a document, and how many words, are in one status."""

    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    status = models.CharField(max_length=10)
    segments = models.IntegerField(default=0)
    words = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "status"], name="one_tally_per_status")
        ]

    def __str__(self):
        return f"{self.document_id} {self.status}: {self.segments} segments, {self.words} words"


class WorkTally(models.Model):
    """What one person did in a project in one quarter of an hour, from the revisions of
    people and of auto-propagation (which counts for the person who confirmed the text).

    Quarters rather than days: every time zone's midnight falls on a quarter of an hour,
    so the dashboard sums quarters into the local days of whatever the time zone is."""

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    # No database constraint: when a user is deleted their revisions lose their author,
    # and the trigger moves the figures to the rows without a person.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    quarter = models.DateTimeField(help_text="Start of the quarter hour (UTC-aligned)")
    revisions = models.IntegerField(default=0)
    words_translated = models.BigIntegerField(default=0)  # signed off by the person
    words_propagated = models.BigIntegerField(default=0)  # signed off by auto-propagation
    words_approved = models.BigIntegerField(default=0)
    timed_revisions = models.IntegerField(default=0)
    seconds = models.BigIntegerField(default=0)
    offered = models.IntegerField(default=0)  # sign-offs that started from machine text
    accepted = models.IntegerField(default=0)  # ... and kept it unchanged

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "quarter", "person"],
                name="one_tally_per_person_and_quarter",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.project_id} {self.person_id} {self.quarter:%Y-%m-%d %H:%M}"
