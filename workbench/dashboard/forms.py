from django import forms

from .models import ModelPrice


class ModelPriceForm(forms.Form):
    """A model's price; saving a model that has one already replaces it."""

    model = forms.CharField(max_length=100, label="Model (as the agents report it)")
    input_per_million = forms.DecimalField(
        min_value=0, max_digits=10, decimal_places=4, label="US$ per million input tokens"
    )
    output_per_million = forms.DecimalField(
        min_value=0, max_digits=10, decimal_places=4, label="US$ per million output tokens"
    )

    def save(self, project, by):
        """The project's price of the model; the installation's stays as it is."""
        data = self.cleaned_data
        price, _ = ModelPrice.objects.update_or_create(
            project=project,
            model=data["model"].strip(),
            defaults={
                "input_per_million": data["input_per_million"],
                "output_per_million": data["output_per_million"],
                "updated_by": by,
            },
        )
        return price
