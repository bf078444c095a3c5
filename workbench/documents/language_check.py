"""Which language and script a text is in, to refuse a file that is not in the project's
language pair.

    detect("上訴駁回。訟費由答辯人支付。") -> ("zh", "Hant")
    detect("The appeal is dismissed with costs.") -> ("en", "Latn")

The script comes from the letters themselves (Unicode character names), and for
Chinese, Traditional or Simplified from OpenCC's conversion tables: characters that
conversion to Simplified changes are Traditional, and the other way round. The language
of alphabetic text comes from py3langid's model, which ships inside the package; it is
only believed when it is sure. "" means "cannot tell": too little text, or a guess.

This module knows nothing of Django, so it can move to the shared language module.
"""

import unicodedata
from functools import cache

import opencc
from py3langid.langid import MODEL_FILE, LanguageIdentifier

SAMPLE_CHARS = 5000
MIN_LETTERS = 20  # fewer letters than this tell nothing reliable
MIN_LETTERS_FOR_LANGUAGE = 200  # telling English from French takes a paragraph
SURE = 0.99
# A text is in a script when at least this share of its letters are.
DOMINANT = 0.6
# Unicode name prefix -> ISO 15924 script.
SCRIPT_PREFIXES = [
    ("CJK UNIFIED IDEOGRAPH", "Hani"),
    ("CJK COMPATIBILITY IDEOGRAPH", "Hani"),
    ("HIRAGANA", "Jpan"),
    ("KATAKANA", "Jpan"),
    ("HANGUL", "Kore"),
    ("LATIN", "Latn"),
    ("CYRILLIC", "Cyrl"),
    ("GREEK", "Grek"),
    ("ARABIC", "Arab"),
    ("HEBREW", "Hebr"),
    ("THAI", "Thai"),
    ("DEVANAGARI", "Deva"),
]
LANGUAGE_OF_SCRIPT = {"Jpan": "ja", "Kore": "ko"}
# The script a language is written in when its tag does not say; a language not listed
# (or written in two, like Serbian) gets no script check.
SCRIPT_OF_LANGUAGE = {
    "zh": "Hani", "yue": "Hani", "ja": "Jpan", "ko": "Kore", "el": "Grek", "ar": "Arab",
    "fa": "Arab", "ur": "Arab", "he": "Hebr", "th": "Thai", "hi": "Deva", "mr": "Deva",
    "ne": "Deva",
    **dict.fromkeys(["ru", "uk", "be", "bg", "mk", "kk", "ky", "mn", "tg"], "Cyrl"),
    **dict.fromkeys(
        [
            "en", "fr", "de", "es", "pt", "it", "nl", "sv", "da", "no", "nb", "nn", "fi",
            "pl", "cs", "sk", "sl", "hr", "bs", "hu", "ro", "tr", "id", "ms", "vi", "tl",
            "ca", "eu", "gl", "et", "lv", "lt", "sq", "af", "sw", "ga", "cy", "is", "mt",
            "la",
        ],
        "Latn",
    ),
}  # fmt: skip
# Chinese regions whose tag without a script means one.
SCRIPT_OF_CHINESE_REGION = {"HK": "Hant", "MO": "Hant", "TW": "Hant", "CN": "Hans", "SG": "Hans"}
SCRIPT_NAMES = {
    "Hant": "Traditional Chinese",
    "Hans": "Simplified Chinese",
    "Hani": "Chinese characters",
    "Jpan": "Japanese",
    "Kore": "Korean",
    "Latn": "the Latin alphabet",
    "Cyrl": "Cyrillic",
    "Grek": "Greek",
    "Arab": "Arabic script",
    "Hebr": "Hebrew",
    "Thai": "Thai",
    "Deva": "Devanagari",
}


def detect(text):
    """(language, script) of `text`, each "" when it cannot be told."""
    sample = text[:SAMPLE_CHARS]
    scripts = {}
    for char in sample:
        script = _script_of(char)
        if script:
            scripts[script] = scripts.get(script, 0) + 1
    letters = sum(scripts.values())
    if letters < MIN_LETTERS:
        return "", ""
    script, count = max(scripts.items(), key=lambda item: item[1])
    if scripts.get("Jpan", 0) >= letters * 0.1:
        return "ja", "Jpan"  # Japanese mixes kana with Chinese characters
    if count < letters * DOMINANT:
        return "", ""
    if script == "Hani":
        return "zh", _chinese_script(sample)
    if script in LANGUAGE_OF_SCRIPT:
        return LANGUAGE_OF_SCRIPT[script], script
    language = ""
    if letters >= MIN_LETTERS_FOR_LANGUAGE:
        found, probability = _identifier().classify(sample)
        language = found if probability >= SURE else ""
    return language, script


def script_of_tag(tag):
    """The script a BCP 47 tag stands for: its script subtag, a Chinese region's
    script, or its language's usual script ("" when unknown)."""
    parts = tag.replace("_", "-").split("-")
    language = parts[0].lower()
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            return part.title()
    if language in ("zh", "yue"):
        for part in parts[1:]:
            if part.upper() in SCRIPT_OF_CHINESE_REGION:
                return SCRIPT_OF_CHINESE_REGION[part.upper()]
    return SCRIPT_OF_LANGUAGE.get(language, "")


def mismatch(text, tag):
    """A sentence saying what `text` is in when that is not the language `tag` names,
    else ""."""
    language, script = detect(text)
    expected_language = tag.replace("_", "-").split("-")[0].lower()
    expected_script = script_of_tag(tag)
    if not script:
        return ""
    if expected_script and not _same_script(script, expected_script):
        return f"is written in {SCRIPT_NAMES.get(script, script)}"
    if (
        language
        and language != expected_language
        and not {language, expected_language}
        <= {
            "zh",
            "yue",
        }
    ):
        return f"reads as {language}"
    return ""


def scripts_differ(tag, other):
    """Whether two tags name different scripts (zh-CN and zh-Hant-HK do; zh-HK and
    zh-Hant-HK do not)."""
    return not _same_script(script_of_tag(tag), script_of_tag(other))


def _same_script(found, expected):
    if not found or not expected:
        return True
    # Chinese characters alone do not tell Traditional from Simplified.
    if "Hani" in (found, expected):
        return {found, expected} <= {"Hani", "Hant", "Hans"}
    return found == expected


def _script_of(char):
    if not char.isalpha():
        return ""
    name = unicodedata.name(char, "")
    return next((script for prefix, script in SCRIPT_PREFIXES if name.startswith(prefix)), "")


def _chinese_script(text):
    """Hant or Hans by the characters only one of the two writes, Hani when the text
    does not say (characters both write the same)."""
    characters = {char for char in text if _script_of(char) == "Hani"}
    to_simplified, to_traditional = _converters()
    traditional = sum(1 for char in characters if to_simplified.convert(char) != char)
    simplified = sum(1 for char in characters if to_traditional.convert(char) != char)
    if traditional >= 2 and traditional > 2 * simplified:
        return "Hant"
    if simplified >= 2 and simplified > 2 * traditional:
        return "Hans"
    return "Hani"


@cache
def _converters():
    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


@cache
def _identifier():
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
