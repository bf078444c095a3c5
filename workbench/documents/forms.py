from django import forms

from workbench.projects.capabilities import can
from workbench.projects.forms import DateField

from .models import Assignment, AssignmentRefused, Document


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
    """The document's due date. It shares the assign page with AssignForm, so its fields
    carry the prefix "deadline" (no two fields on one page share an id)."""

    prefix = "deadline"

    class Meta:
        model = Document
        fields = ["due_date"]
        labels = {"due_date": "The whole translation is due on"}
        field_classes = {"due_date": DateField}


class AssignForm(forms.ModelForm):
    """Give a member the document, or a range of its segments, to translate or review.

    Every refusal is a sentence saying what to do; the range errors are attached to the
    segment fields, so the model's check constraint (which says the same in its own words)
    is not run on top of them."""

    prefix = "assign"

    confirm_translate = forms.BooleanField(
        required=False,
        label="Yes, this person should translate, although their role is not translator",
        help_text="Needed only to give translation work to a reviewer.",
    )

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
        error_messages = {
            "assignee": {
                "required": "Choose the person who does the work.",
                "invalid_choice": "Choose one of the project’s members.",
            },
            "role": {"required": "Choose whether they translate or review."},
            "first_position": {"invalid": "Enter the first segment as a whole number, e.g. 1."},
            "last_position": {"invalid": "Enter the last segment as a whole number, e.g. 20."},
        }

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        people = self.fields["assignee"].queryset
        self.fields["assignee"].queryset = people.filter(
            memberships__project=document.project
        ).order_by("username")
        self.fields["assignee"].label_from_instance = self._member_label
        self.fields["role"].initial = Assignment.Role.TRANSLATOR
        self.roles = dict(document.project.memberships.values_list("user_id", "role"))

    def _member_label(self, user):
        return f"{user.get_username()} ({self.roles.get(user.pk, '')})"

    def clean(self):
        data = super().clean()
        first, last = data.get("first_position"), data.get("last_position")
        if "first_position" in self.errors or "last_position" in self.errors:
            return data
        if (first is None) != (last is None):
            self.add_error(
                "first_position" if first is None else "last_position",
                "Give both the first and the last segment of the range, or neither for the "
                "whole document.",
            )
            return data
        if first is not None and not self._range_fits(first, last):
            return data
        person, work = data.get("assignee"), data.get("role")
        if person and work:
            self._check_role(person, work, data.get("confirm_translate"))
            self._check_not_assigned_yet(person, work, first, last)
        return data

    def _range_fits(self, first, last):
        count = self.document.segments.count()
        if first > last:
            self.add_error(
                "last_position",
                f"The range {first}–{last} runs backwards: enter the lower segment number "
                f"first, e.g. {last}–{first}.",
            )
            return False
        if not 1 <= first <= last <= count:
            self.add_error(
                "last_position" if first >= 1 else "first_position",
                f"The range {first}–{last} is not within the document's segments 1–{count}; "
                "check the numbers.",
            )
            return False
        return True

    def _check_role(self, person, work, confirmed):
        role = self.roles.get(person.pk)
        name = person.get_username()
        if work == Assignment.Role.REVIEWER and not can(role, "segment.approve"):
            self.add_error(
                "assignee",
                f"{name} is a translator in this project and cannot approve; choose a "
                "reviewer, or change their role on the Members page first.",
            )
        elif (
            work == Assignment.Role.TRANSLATOR
            and not can(role, "assignment.translate")
            and not confirmed
        ):
            self.add_error(
                "confirm_translate",
                f"{name} is a reviewer in this project. To have them translate, tick "
                "“Yes, this person should translate”, or choose a translator.",
            )

    def _check_not_assigned_yet(self, person, work, first, last):
        refusal = Assignment.overlap_refusal(self.document, person, work, first, last)
        if refusal:
            self.add_error(None, refusal)

    def save(self, by):
        data = self.cleaned_data
        try:
            return self.document.assign(
                data["assignee"],
                role=data["role"],
                by=by,
                first_position=data["first_position"],
                last_position=data["last_position"],
                due_date=data["due_date"],
            )
        except AssignmentRefused as refused:
            self.add_error(None, str(refused))
            return None
