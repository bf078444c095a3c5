from django import forms

from .models import Term


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = [
            "source_term",
            "target_term",
            "status",
            "part_of_speech",
            "domain",
            "case_sensitive",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "status": "Preferred: the translation to use. Admitted: also acceptable. "
            "Forbidden: must not be used; QA flags it.",
            "case_sensitive": "Match only with this exact capitalisation (e.g. “Cap.”).",
            "part_of_speech": "noun, verb, …; a noun also matches its plural, but not its "
            "“-ed” or “-ing” forms.",
        }


class GlossaryImportForm(forms.Form):
    file = forms.FileField(
        help_text="TBX (TBX-Basic with tig or ntig, or TBX v3), or CSV or TSV in the shapes "
        "the TM importer takes: two columns (source, target) without a header, or a header "
        "naming the columns: source_term, target_term, part_of_speech, note, domain, "
        "case_sensitive, status (or the two language codes, source and target, definition, "
        "part of speech, usage status)."
    )
