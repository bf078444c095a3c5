import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator

from .models import Membership, Project


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "slug",
            "source_language",
            "target_language",
            "segmentation",
            "description",
        ]


class ProjectSettingsForm(forms.ModelForm):
    """What a manager sets for the whole project: the TM's thresholds, the QA gate, the
    agents, and whether personal data is replaced before it goes to the model."""

    SEVERITIES = [("critical", "Critical"), ("major", "Major"), ("minor", "Minor")]

    qa_blocking_severities = forms.MultipleChoiceField(
        choices=SEVERITIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="QA findings that stop confirm and approve (unless overridden with a reason)",
    )
    pseudonymise = forms.TypedChoiceField(
        choices=[
            ("", "Automatic: when the model endpoint is outside this machine and network"),
            ("yes", "Always"),
            ("no", "Never"),
        ],
        coerce=lambda value: {"yes": True, "no": False}[value],
        empty_value=None,
        required=False,
        label="Replace personal data before it goes to the model",
        help_text=Project._meta.get_field("pseudonymise").help_text,
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "description",
            "tm_threshold",
            "tm_draft_threshold",
            "qa_blocking_severities",
            "auto_propagate",
            "lqa_max_points_per_1000",
            "agent_max_rounds",
            "job_token_budget",
            "pseudonymise",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.pseudonymise
        self.initial["pseudonymise"] = "" if current is None else ("yes" if current else "no")
        self.fields["tm_threshold"].validators += [MinValueValidator(50), MaxValueValidator(101)]
        self.fields["tm_draft_threshold"].validators += [
            MinValueValidator(50),
            MaxValueValidator(101),
        ]
        self.fields["agent_max_rounds"].validators += [MaxValueValidator(10)]
        # Empty keeps the threshold as it is (forms written before it existed leave it out).
        self.fields["lqa_max_points_per_1000"].required = False
        self.fields["lqa_max_points_per_1000"].validators += [
            MinValueValidator(0),
            MaxValueValidator(1000),
        ]

    def clean_lqa_max_points_per_1000(self):
        value = self.cleaned_data["lqa_max_points_per_1000"]
        return self.instance.lqa_max_points_per_1000 if value is None else value


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=Membership.Role.choices)

    def clean_username(self):
        username = self.cleaned_data["username"]
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(f"There is no active user called “{username}”.")
        return user


class DateField(forms.DateField):
    """A date a person can mean in the workbench, 1900 to 2999. Any other year is refused
    with a message, where it would otherwise fail a calculation later (a year 9999 plus
    a week does not exist)."""

    EARLIEST = datetime.date(1900, 1, 1)
    LATEST = datetime.date(2999, 12, 31)

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not self.EARLIEST <= value <= self.LATEST:
            raise forms.ValidationError(
                f"{value:%Y-%m-%d} is outside the years {self.EARLIEST.year}–"
                f"{self.LATEST.year}; check the date."
            )
