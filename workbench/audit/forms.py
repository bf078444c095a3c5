from django import forms

from workbench.projects.forms import DateField

from .models import AuditEvent


class AuditFilter(forms.Form):
    """Which entries a manager looks at: a kind, a person, a stretch of days, a word in
    what the entry is about. Read from the query string, so a filtered view is a link."""

    kind = forms.ChoiceField(choices=[("", "Everything"), *AuditEvent.Kind.choices], required=False)
    person = forms.CharField(max_length=150, required=False, label="Person (username)")
    since = DateField(required=False)
    until = DateField(required=False)
    about = forms.CharField(max_length=200, required=False, label="About (name contains)")

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError("“Since” is after “until”; swap the two dates.")
        return data

    def filter(self, events):
        """The entries that pass the valid filters (the form shows the others' errors)."""
        if not self.is_valid():
            return events.none() if self.non_field_errors() else events
        data = self.cleaned_data
        if data["kind"]:
            events = events.filter(kind=data["kind"])
        if data["person"]:
            events = events.filter(username=data["person"])
        if data["since"]:
            events = events.filter(at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(at__date__lte=data["until"])
        if data["about"]:
            events = events.filter(object_repr__icontains=data["about"])
        return events
