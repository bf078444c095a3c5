"""Language tags for Django forms and models. The knowledge itself lives in
`agents.languages` (free of Django, shared with the agents and the checks); this module
only turns its refusal into a form's ValidationError."""

from django.core.exceptions import ValidationError

from agents.languages import LanguageTagError, is_cjk, normalise_tag, primary_language

__all__ = ["is_cjk", "normalise_language", "primary_language"]


def normalise_language(tag):
    """The canonical casing of a BCP 47 tag (`ZH_hant_hk` -> `zh-Hant-HK`), or a
    ValidationError saying what is wrong."""
    try:
        return normalise_tag(tag)
    except LanguageTagError as refused:
        raise ValidationError(str(refused)) from None
