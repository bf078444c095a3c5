from decimal import Decimal

from django.conf import settings
from django.db import models


class ModelPrice(models.Model):
    """What a model endpoint charges, so the dashboard can put a price on the agents'
    tokens. One row per model name as the agents report it (ModelCall.model)."""

    model = models.CharField(max_length=100, unique=True)
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

    def __str__(self):
        return f"{self.model}: ${self.input_per_million} in / ${self.output_per_million} out"

    @classmethod
    def prices_for(cls, models_used):
        """{model: (input, output) per million tokens} for the models that have a price,
        from the rows here, else from settings.WORKBENCH_MODEL_PRICES."""
        prices = {}
        for model in models_used:
            defaults = settings.WORKBENCH_MODEL_PRICES
            default = defaults.get(model, defaults.get("*"))
            if default is not None:
                prices[model] = tuple(Decimal(str(price)) for price in default)
        for row in cls.objects.filter(model__in=list(models_used)):
            prices[row.model] = (row.input_per_million, row.output_per_million)
        return prices

    @staticmethod
    def cost(price, tokens_in, tokens_out):
        if price is None:
            return None
        return (price[0] * tokens_in + price[1] * tokens_out) / Decimal(1_000_000)
