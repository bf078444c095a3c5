from django import forms

from workbench.projects.forms import DateField
from workbench.projects.models import Membership

from .models import Assignment, Document


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by the importer, not here, so that a
    bad file is reported by name and does not stop the others."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [file for file in files if file is not None]


class UploadForm(forms.Form):
    files = MultipleFileField(
        required=False, error_messages={"required": "Choose at least one file."}
    )
    format = forms.ChoiceField(
        choices=[("", "Detect from the file")] + Document.Format.choices, required=False
    )
    encoding = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Detect (text files)"),
            ("utf-8", "UTF-8"),
            ("utf-16", "UTF-16"),
            ("gb18030", "GB18030"),
            ("big5hkscs", "Big5-HKSCS"),
        ],
    )


class DeadlineForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["due_date"]
        labels = {"due_date": "The whole translation is due on"}
        field_classes = {"due_date": DateField}


class AssignForm(forms.ModelForm):
    """Give a member the document, or a range of its segments, to translate or review."""

    class Meta:
        model = Assignment
        fields = ["assignee", "role", "first_position", "last_position", "due_date"]
        labels = {
            "assignee": "Person",
            "role": "Work",
            "first_position": "From segment",
            "last_position": "To segment",
        }
        help_texts = {"first_position": "Leave both segment numbers empty for the whole document."}
        field_classes = {"due_date": DateField}

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        people = self.fields["assignee"].queryset
        self.fields["assignee"].queryset = people.filter(
            memberships__project=document.project
        ).order_by("username")
        self.fields["assignee"].label_from_instance = self._member_label
        self.roles = dict(document.project.memberships.values_list("user_id", "role"))

    def _member_label(self, user):
        return f"{user.get_username()} ({self.roles.get(user.pk, '')})"

    def clean(self):
        data = super().clean()
        first, last = data.get("first_position"), data.get("last_position")
        if (first is None) != (last is None):
            raise forms.ValidationError(
                "Give both the first and the last segment of the range, or neither for the "
                "whole document."
            )
        if first is not None:
            count = self.document.segments.count()
            if not 1 <= first <= last <= count:
                raise forms.ValidationError(
                    f"The range {first}–{last} is not within the document's segments 1–{count}; "
                    "check the numbers (the first may not come after the last)."
                )
        person = data.get("assignee")
        if (
            person
            and data.get("role") == Assignment.Role.REVIEWER
            and self.roles.get(person.pk) == Membership.Role.TRANSLATOR
        ):
            self.add_error(
                "assignee",
                f"{person.get_username()} is a translator in this project and cannot approve; "
                "choose a reviewer, or change their role on the Members page first.",
            )
        return data

    def save(self, by):
        data = self.cleaned_data
        return self.document.assign(
            data["assignee"],
            role=data["role"],
            by=by,
            first_position=data["first_position"],
            last_position=data["last_position"],
            due_date=data["due_date"],
        )
