import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from agents.languages import tag_choices

from .access import managed_by
from .languages import normalise_language
from .models import Membership, Project


class LanguageInput(forms.TextInput):
    """A text box for a BCP 47 tag with its own list of languages to search (a datalist:
    the browser filters it by tag and by name as one types), the usual legal ones first."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}_choices"
        return context

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        options = format_html_join(
            "", '<option value="{}">{}</option>', ((tag, label) for tag, label in tag_choices())
        )
        return box + format_html('<datalist id="{}_choices">{}</datalist>', attrs["id"], options)


class LanguageField(forms.CharField):
    """A BCP 47 tag, put in its canonical form (`ZH_hant_hk` → `zh-Hant-HK`)."""

    widget = LanguageInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 35)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalise_language(value) if value else value


class ProjectForm(forms.ModelForm):
    """A new project, empty or set up like one the person already manages."""

    template = forms.ModelChoiceField(
        queryset=Project.objects.none(),
        required=False,
        empty_label="No: start with the usual settings",
        error_messages={
            "invalid_choice": "Choose one of the projects you manage, or none to start afresh."
        },
        label="Copy from an existing project",
        help_text="Copies its settings (thresholds, QA, agents), glossary, members with their "
        "roles, and reads the same translation memories. Languages left empty come from it.",
    )
    source_language = LanguageField(
        required=False,
        label="Source language",
        help_text="Type to search by name or tag, e.g. en or English.",
    )
    target_language = LanguageField(
        required=False,
        label="Target language",
        help_text="Type to search, e.g. zh-Hant-HK or Hong Kong.",
    )

    class Meta:
        model = Project
        fields = [
            "template",
            "name",
            "slug",
            "source_language",
            "target_language",
            "segmentation",
            "description",
        ]
        labels = {"slug": "Web address"}
        help_texts = {
            "slug": "Part of the project's address; made from the name when left empty.",
        }
        error_messages = {
            "name": {"required": "Give the project a name, e.g. the case or the client."},
        }

    field_order = Meta.fields

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = managed_by(user)
        self.fields["slug"].required = False
        self.fields["slug"].widget.attrs.update(
            {"data-slug-from": "id_name", "placeholder": "made from the name"}
        )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug and Project.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                f"The address “{slug}” is taken by another project; choose another, or leave "
                "it empty to have one made from the name."
            )
        return slug

    def clean(self):
        data = super().clean()
        template = data.get("template")
        for field in ("source_language", "target_language"):
            if field in self.errors or data.get(field):
                continue
            if template is not None:
                data[field] = getattr(template, field)
                continue
            self.add_error(
                field,
                "Choose the language from the list, or type its tag (e.g. en or zh-Hant-HK).",
            )
        return data

    def _get_validation_exclusions(self):
        # An empty slug is made in the service, and a taken one refused in clean_slug.
        return super()._get_validation_exclusions() | {"slug"}


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
            "low_risk_review",
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
        if self.instance.pk:
            # The manager chooses the policy from the calibration table: a link beside it.
            field = self.fields["low_risk_review"]
            field.help_text = format_html(
                '{} <a href="{}#risk-calibration">See the risk calibration</a>.',
                field.help_text,
                reverse("dashboard", args=[self.instance.slug]),
            )
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
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.TRANSLATOR)

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
