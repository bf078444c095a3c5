from django import forms

from workbench.projects.endpoints import ROLE_LABELS, ROLES

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


class AgentSettingsForm(forms.Form):
    """Endpoint and model per agent role, the round cap and the token budget per job.
    Endpoints are the administrator's; a manager chooses among them."""

    MAX_ROUNDS = 5
    MIN_BUDGET = 1_000

    max_rounds = forms.IntegerField(
        min_value=1,
        max_value=MAX_ROUNDS,
        label="Annotate ⇄ proofread rounds at most",
    )
    token_budget = forms.IntegerField(
        required=False,
        min_value=MIN_BUDGET,
        max_value=1_000_000_000,
        label="Tokens one drafting job may spend (empty: no limit)",
    )

    def __init__(self, *args, project, endpoints, **kwargs):
        initial = {
            "max_rounds": project.agent_max_rounds,
            "token_budget": project.job_token_budget,
            **{f"{role}_endpoint": project.agent_endpoints.get(role, "") for role in ROLES},
            **{f"{role}_model": project.agent_models.get(role, "") for role in ROLES},
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.project = project
        default = next(iter(endpoints.values())).title if endpoints else "none configured"
        choices = [("", f"The default ({default})")] + [
            (name, endpoint.title) for name, endpoint in endpoints.items()
        ]
        for role in ROLES:
            label = ROLE_LABELS[role]
            self.fields[f"{role}_endpoint"] = forms.ChoiceField(
                choices=choices,
                required=False,
                label=f"{label}: endpoint",
                error_messages={
                    "invalid_choice": "There is no endpoint “%(value)s”. The administrator "
                    "defines the endpoints (WORKBENCH_ENDPOINTS); choose one of the list."
                },
            )
            self.fields[f"{role}_model"] = forms.CharField(
                required=False,
                max_length=100,
                label=f"{label}: model",
                help_text="Empty: the endpoint's first model, else OPENAI_MODEL.",
            )

    def clean(self):
        data = super().clean()
        for role in ROLES:
            name = (data.get(f"{role}_model") or "").strip()
            if any(char.isspace() or not char.isprintable() for char in name):
                self.add_error(
                    f"{role}_model",
                    "A model name has no spaces or control characters; copy it as the "
                    "server lists it (e.g. gpt-4.1-mini, qwen2.5:14b).",
                )
            data[f"{role}_model"] = name
        return data

    def choice(self):
        """({role: endpoint name}, {role: model}) as chosen, empty ones left out."""
        data = self.cleaned_data
        endpoints = {role: data[f"{role}_endpoint"] for role in ROLES if data[f"{role}_endpoint"]}
        models = {role: data[f"{role}_model"] for role in ROLES if data[f"{role}_model"]}
        return endpoints, models

    def save(self):
        project = self.project
        project.agent_endpoints, project.agent_models = self.choice()
        project.agent_max_rounds = self.cleaned_data["max_rounds"]
        project.job_token_budget = self.cleaned_data["token_budget"]
        project.save(
            update_fields=[
                "agent_endpoints",
                "agent_models",
                "agent_max_rounds",
                "job_token_budget",
            ]
        )
        return project
