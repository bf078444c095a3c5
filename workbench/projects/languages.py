"""BCP 47 language tags as translators write them: `en`, `zh-Hant-HK`, `zh-Hans`."""

import re

from django.core.exceptions import ValidationError

_SUBTAG = re.compile(r"^[A-Za-z0-9]{1,8}$")
CJK_LANGUAGES = {"zh", "ja", "ko", "yue"}


def normalise_language(tag):
    """Return the canonical casing of a BCP 47 tag, or raise ValidationError.

    Language lower case, script title case, region upper case: `ZH_hant_hk` -> `zh-Hant-HK`.
    """
    parts = (tag or "").strip().replace("_", "-").split("-")
    language = parts[0].lower()
    if not re.fullmatch(r"[a-z]{2,3}", language) or not all(_SUBTAG.match(p) for p in parts[1:]):
        raise ValidationError(f"“{tag}” is not a BCP 47 language tag such as en or zh-Hant-HK.")
    out = [language]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def primary_language(tag):
    return tag.replace("_", "-").split("-")[0].lower()


def is_cjk(tag):
    return primary_language(tag) in CJK_LANGUAGES
