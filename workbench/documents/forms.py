from django import forms

from .models import Document


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


class AssignForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["assignees", "due_date"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignees"].queryset = self.fields["assignees"].queryset.filter(
            memberships__project=project
        )
        self.fields["assignees"].widget = forms.CheckboxSelectMultiple()
        self.fields["assignees"].queryset = self.fields["assignees"].queryset.order_by("username")
