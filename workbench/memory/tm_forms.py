from django import forms

from .models import TranslationUnit

MAX_QUERY_CHARS = 300


class UnitForm(forms.ModelForm):
    class Meta:
        model = TranslationUnit
        fields = ["source", "target"]
        widgets = {
            "source": forms.Textarea(attrs={"rows": 3}),
            "target": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        source = (cleaned.get("source") or "").strip()
        target = (cleaned.get("target") or "").strip()
        if source and target and self.instance.memory_id:
            same = self.instance.memory.units.filter(
                source_hash=TranslationUnit.hash_text(source),
                target_hash=TranslationUnit.hash_text(target),
            ).exclude(pk=self.instance.pk)
            if same.exists():
                raise forms.ValidationError(
                    "The memory already holds this source with this target; edit that unit instead."
                )
        cleaned["source"], cleaned["target"] = source, target
        return cleaned


class MemoryImportForm(forms.Form):
    file = forms.FileField(
        help_text="TMX (from OmegaT, Trados, memoQ or the workbench), a two-column CSV or "
        "Excel sheet (source, target; a header row is optional), or a bilingual file: XLIFF, "
        "Trados SDLXLIFF or memoQ MQXLIFF. Untranslated units are skipped and counted."
    )


class ConcordanceForm(forms.Form):
    # Bounded here: the lookup's trigram search is quick for a phrase, not for a page.
    q = forms.CharField(label="Phrase", max_length=MAX_QUERY_CHARS, required=False)
    side = forms.ChoiceField(
        choices=[("source", "Source text"), ("target", "Target text")],
        initial="source",
        required=False,
    )


class PretranslateForm(forms.Form):
    threshold = forms.IntegerField(
        min_value=50,
        max_value=101,
        help_text="Fill new segments whose best match scores at least this much "
        "(100 = exact, 101 = exact in the same context).",
    )
