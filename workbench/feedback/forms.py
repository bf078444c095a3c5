from django import forms

from workbench.memory.models.glossary import MAX_TERM_LENGTH, normalise_term_text, term_text_problem

from .models import Correction, Lesson, LqaError


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = ["text"]
        labels = {"text": "Lesson"}
        help_texts = {
            "text": "One preference the agents should follow in every draft of this project, "
            "e.g. “Write dates as 2024年3月5日.”"
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 2, "maxlength": Lesson.MAX_CHARS})}

    def clean_text(self):
        # One line: lessons are listed one per line in the prompt.
        text = normalise_term_text(self.cleaned_data["text"])
        problem = term_text_problem(text, max_length=Lesson.MAX_CHARS)
        if problem:
            raise forms.ValidationError(f"The lesson {problem}.")
        return text


class CandidateAcceptForm(forms.Form):
    source_term = forms.CharField(max_length=MAX_TERM_LENGTH, label="Source term")
    target_term = forms.CharField(max_length=MAX_TERM_LENGTH, label="Translation")
    forbid_machine_term = forms.BooleanField(
        required=False, label="Also mark the machine's term as forbidden for this source term"
    )

    def clean_source_term(self):
        return normalise_term_text(self.cleaned_data["source_term"])

    def clean_target_term(self):
        return normalise_term_text(self.cleaned_data["target_term"])


class CorrectionFilterForm(forms.Form):
    """Which corrections the manager sees: by where the machine text came from."""

    agent_role = forms.ChoiceField(required=False, label="Role")
    model_name = forms.ChoiceField(required=False, label="Model")
    prompt_version = forms.ChoiceField(required=False, label="Prompt version")
    event = forms.ChoiceField(
        required=False, choices=[("", "Confirmed or approved"), *Correction.Event.choices]
    )
    changed = forms.BooleanField(required=False, label="Changed by the person only")

    def __init__(self, corrections, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("agent_role", "model_name", "prompt_version"):
            values = corrections.exclude(**{name: ""}).values_list(name, flat=True)
            self.fields[name].choices = [("", "Any")] + [
                (value, value) for value in values.distinct().order_by(name)
            ]

    def filter(self, corrections):
        if not self.is_valid():
            return corrections
        data = self.cleaned_data
        chosen = {
            name: data[name]
            for name in ("agent_role", "model_name", "prompt_version", "event")
            if data.get(name)
        }
        corrections = corrections.filter(**chosen)
        if data.get("changed"):
            corrections = corrections.filter(edit_distance__gt=0)
        return corrections


class LqaErrorForm(forms.Form):
    """One error a reviewer records: a category of the typology, a severity, a note."""

    category = forms.ChoiceField(
        choices=[("", "Choose a category…"), *LqaError.Category.choices],
        label="Error category",
        error_messages={
            "required": "Choose the error's category.",
            "invalid_choice": "“%(value)s” is not an error category of the typology.",
        },
    )
    severity = forms.ChoiceField(
        choices=[
            (value, f"{label} ({LqaError.WEIGHTS[value]})")
            for value, label in LqaError.Severity.choices
        ],
        label="Severity",
        initial=LqaError.Severity.MINOR,
        error_messages={
            "required": "Choose the error's severity.",
            "invalid_choice": "“%(value)s” is not a severity; choose minor, major or critical.",
        },
    )
    note = forms.CharField(
        required=False,
        max_length=LqaError.MAX_NOTE,
        label="Note",
        widget=forms.TextInput(attrs={"placeholder": "What is wrong (optional)"}),
    )

    def __init__(self, *args, segment=None, **kwargs):
        super().__init__(*args, **kwargs)
        if segment is not None:
            self.auto_id = f"lqa-{segment.pk}-%s"

    def problems(self):
        return "; ".join(error for errors in self.errors.values() for error in errors)
