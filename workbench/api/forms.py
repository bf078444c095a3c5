from django import forms

from .models import ApiToken, Webhook


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="What will use it, e.g. “court DMS sync”, so you can tell tokens apart.",
    )
    days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        choices=list(ApiToken.LIFETIMES.items()),
        initial=90,
    )


class WebhookForm(forms.Form):
    url = forms.CharField(label="Receiver URL", max_length=500)
    events = forms.MultipleChoiceField(
        choices=Webhook.Event.choices, widget=forms.CheckboxSelectMultiple
    )
