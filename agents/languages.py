"""What the workbench knows about languages, in one place and free of Django.

- Language tags (BCP 47) are read by `langcodes`: canonical casing, validity, the script
  a region implies (zh-HK is written in Traditional characters), and whether two tags
  name the same language for a memory or a glossary.
- Which languages and which characters are CJK, and which are written without spaces.
- Traditional against Simplified Chinese, from OpenCC's conversion tables (the
  `opencc-python-reimplemented` package ships them; nothing is downloaded): which
  characters of a text belong to the other script. A character both scripts use (后 in
  皇后, 干 in 干犯, 准 in 准許) is judged in its words, by converting them there and back.
"""

import functools
from dataclasses import dataclass
from importlib import resources

import langcodes
import regex
from opencc import OpenCC

# Characters of the CJK scripts, as the body of a `regex` character class: Han (with the
# iteration marks 々〆〇), kana with the prolonged-sound mark, hangul.
CJK_LETTERS = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\u3005-\u3007\u30fc"
# CJK punctuation and the full-width forms written among those characters.
CJK_MARKS = r"\u3000-\u303f\uff00-\uffef"
# Letters of the scripts written without spaces between words (not hangul).
UNSPACED_LETTERS = r"\p{Han}\p{Hiragana}\p{Katakana}\u3005-\u3007\u30fc"

_CJK_CHARACTER = regex.compile(f"[{CJK_LETTERS}{CJK_MARKS}]")
_UNSPACED_CHARACTER = regex.compile(f"[{UNSPACED_LETTERS}{CJK_MARKS}]")
_CJK_SCRIPTS = frozenset({"Hans", "Hant", "Hani", "Jpan", "Kore"})
_UNSPACED_SCRIPTS = frozenset({"Hans", "Hant", "Hani", "Jpan"})
_CHINESE_SCRIPTS = frozenset({"Hans", "Hant"})

LANGUAGE_NAMES = {
    "en": "English",
    "zh": "Chinese",
    "zh-hant": "Traditional Chinese",
    "zh-hant-hk": "Traditional Chinese as written in Hong Kong",
    "zh-hant-tw": "Traditional Chinese as written in Taiwan",
    "zh-hk": "Traditional Chinese as written in Hong Kong",
    "zh-tw": "Traditional Chinese as written in Taiwan",
    "zh-hant-mo": "Traditional Chinese as written in Macao",
    "zh-hans": "Simplified Chinese",
    "zh-hans-cn": "Simplified Chinese as written in mainland China",
    "zh-hans-sg": "Simplified Chinese as written in Singapore",
    "zh-cn": "Simplified Chinese",
    "en-gb": "British English",
    "en-us": "American English",
    "en-hk": "English as written in Hong Kong",
    "yue": "Cantonese",
    "fr": "French",
    "de": "German",
    "ja": "Japanese",
    "ko": "Korean",
    "pt": "Portuguese",
    "pt-pt": "European Portuguese",
    "es": "Spanish",
    "it": "Italian",
    "nl": "Dutch",
    "ru": "Russian",
    "ar": "Arabic",
    "vi": "Vietnamese",
    "th": "Thai",
    "id": "Indonesian",
    "ms": "Malay",
    "tl": "Tagalog",
    "hi": "Hindi",
    "ur": "Urdu",
    "ne": "Nepali",
}

# The tags a legal translation project in the region usually needs, offered first when a
# project is set up: the Hong Kong pair, then the other Chinese-speaking jurisdictions.
USUAL_TAGS = (
    "en",
    "zh-Hant-HK",
    "zh-Hans-CN",
    "zh-Hant-TW",
    "en-GB",
    "en-US",
    "en-HK",
    "zh-Hant-MO",
    "pt-PT",
    "zh-Hans-SG",
    "yue",
)


class LanguageTagError(ValueError):
    """A text that is not a BCP 47 language tag."""


@functools.lru_cache(maxsize=1024)
def normalise_tag(tag: str) -> str:
    """The canonical form of a BCP 47 tag: `ZH_hant_hk` → `zh-Hant-HK`. Raises
    LanguageTagError for anything that is not a valid tag."""
    text = (tag or "").strip().replace("_", "-")
    try:
        language = langcodes.Language.get(text)
    except (langcodes.LanguageTagError, ValueError):
        language = None
    if language is None or not language.is_valid():
        raise LanguageTagError(
            f"“{tag}” is not a BCP 47 language tag such as en or zh-Hant-HK. Choose a "
            "language from the list, or type its tag (language, then script and region: "
            "zh-Hant-HK)."
        )
    return str(language)


@functools.lru_cache(maxsize=1024)
def _parsed(tag: str) -> langcodes.Language | None:
    try:
        return langcodes.Language.get((tag or "").strip().replace("_", "-"))
    except (langcodes.LanguageTagError, ValueError):
        return None


def primary_language(tag: str) -> str:
    """The language subtag: `zh` for `zh-Hant-HK`."""
    parsed = _parsed(tag)
    if parsed is None or not parsed.language:
        return (tag or "").replace("_", "-").split("-")[0].lower()
    return parsed.language


def region_of(tag: str) -> str | None:
    parsed = _parsed(tag)
    return parsed.territory if parsed else None


@functools.lru_cache(maxsize=1024)
def script_of(tag: str) -> str | None:
    """The script a tag states, or the one its region implies (`zh-HK` → Hant), or None
    when it says neither (`zh`, `en`)."""
    parsed = _parsed(tag)
    if parsed is None:
        return None
    if parsed.script:
        return parsed.script
    if parsed.territory:
        return parsed.maximize().script
    return None


@functools.lru_cache(maxsize=1024)
def _usual_script(tag: str) -> str | None:
    """The script the language is usually written in, region or not (`zh` → Hans)."""
    parsed = _parsed(tag)
    return parsed.maximize().script if parsed else None


def chinese_script(tag: str) -> str | None:
    """'Hant', 'Hans' or None (not Chinese, or Chinese without a known script)."""
    if _usual_script(tag) not in _CHINESE_SCRIPTS:
        return None
    script = script_of(tag)
    return script if script in _CHINESE_SCRIPTS else None


def is_cjk(tag: str) -> bool:
    """Chinese, Japanese, Korean (and Cantonese, Classical Chinese...)."""
    return _usual_script(tag) in _CJK_SCRIPTS


def written_without_spaces(tag: str) -> bool:
    """Chinese and Japanese; Korean puts spaces between words."""
    return _usual_script(tag) in _UNSPACED_SCRIPTS


def same_language(found: str, wanted: str, *, regions_matter: bool = False) -> bool:
    """Whether a tag found in a file names the language `wanted`. Scripts must agree where
    both are known (zh-Hans is not zh-Hant-HK; zh-HK is); regions are variants of one
    language unless `regions_matter` (a glossary for zh-TW is not one for zh-Hant-HK)."""
    ours, theirs = _parsed(wanted), _parsed(found)
    if ours is None or theirs is None or not theirs.is_valid():
        return False
    if ours.language != theirs.language:
        return False
    our_script, their_script = script_of(wanted), script_of(found)
    if our_script and their_script and our_script != their_script:
        return False
    if regions_matter and ours.territory and theirs.territory:
        return ours.territory == theirs.territory
    return True


# The currency "$" and "元" stand for, by the region of the document's languages.
_REGION_CURRENCY = {"HK": "HKD", "MO": "MOP", "TW": "TWD", "CN": "CNY", "SG": "SGD"}


def local_currency(*tags: str) -> str:
    """What $ and 元 mean in a document in these languages: the currency of the first
    region they name, Renminbi for Simplified Chinese without one, else Hong Kong
    dollars (the workbench's judgments are Hong Kong's)."""
    for tag in tags:
        if region_of(tag) in _REGION_CURRENCY:
            return _REGION_CURRENCY[region_of(tag)]
    if any(chinese_script(tag) == "Hans" for tag in tags):
        return "CNY"
    return "HKD"


def language_name(tag: str) -> str:
    """ "Traditional Chinese as written in Hong Kong (zh-Hant-HK)", for prompts."""
    name = _plain_name(tag)
    return f"{name} ({tag})" if name != tag else tag


def tag_choices() -> list[tuple[str, str]]:
    """(tag, name) for a language picker: the usual tags of legal work first, then the
    other languages the workbench has a name for, by name."""
    usual = [(tag, _plain_name(tag)) for tag in USUAL_TAGS]
    taken = {tag.lower() for tag in USUAL_TAGS}
    others = sorted(
        ((normalise_tag(key), name) for key, name in LANGUAGE_NAMES.items() if key not in taken),
        key=lambda choice: choice[1],
    )
    return usual + others


def _plain_name(tag: str) -> str:
    """The name of the tag's language ("British English"), else of its primary language,
    else the tag itself."""
    return LANGUAGE_NAMES.get(tag.lower()) or LANGUAGE_NAMES.get(primary_language(tag)) or tag


@functools.lru_cache(maxsize=256)
def office_language(tag: str) -> str:
    """The language id Word writes in w:lang: language and region, as office suites do
    not read script subtags. `zh-Hant-HK` → zh-HK, `zh-Hant` → zh-TW, `zh-Hans` → zh-CN,
    `en` → en-US (the region the language is most used in), `en-GB` stays."""
    parsed = _parsed(tag)
    if parsed is None or not parsed.language:
        return tag
    region = parsed.territory or parsed.maximize().territory
    return f"{parsed.language}-{region}" if region else parsed.language


def is_cjk_character(char: str) -> bool:
    """Han, kana, hangul, CJK punctuation and full-width forms."""
    return bool(_CJK_CHARACTER.match(char))


_CJK_RUN = regex.compile(f"[{CJK_LETTERS}][{CJK_LETTERS}{CJK_MARKS}\\d\\s]*(?<!\\s)")


def cjk_runs(text: str) -> list[tuple[str, bool]]:
    """Split `text` into (piece, is_cjk): the runs written in a CJK script (with the
    digits, spaces and punctuation inside them) and the rest, in order."""
    return split_by(_CJK_RUN, text)


def split_by(pattern, text: str) -> list[tuple[str, bool]]:
    """Split `text` into (piece, matched): the matches of the compiled `pattern` and the
    text between them, in order."""
    text = text or ""
    pieces, position = [], 0
    for match in pattern.finditer(text):
        if match.start() > position:
            pieces.append((text[position : match.start()], False))
        pieces.append((match.group(0), True))
        position = match.end()
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


def is_unspaced_character(char: str) -> bool:
    """A character of the scripts written without spaces between words, or their
    punctuation: two such characters are joined without a space."""
    return bool(_UNSPACED_CHARACTER.match(char))


# Traditional and Simplified Chinese


@dataclass(frozen=True)
class WrongScript:
    """A character of the other script at `index`, and what to write instead. `certain`
    is False for a character the wanted script usually writes as it is (周, 只), which
    only OpenCC's word list converts (十六周 → 十六週): usage differs by region there."""

    index: int
    character: str
    replacement: str
    certain: bool = True


# Words before which a character both scripts use is a surname, not a Simplified word:
# 于, 范, 余, 岳 are Traditional surnames, however a converter reads them.
_TITLE_AFTER = regex.compile(
    r"\p{Han}{0,2}?(?:先生|女士|小姐|太太|醫生|議員|主席|督察|警員|警長|警司)"
)


class _Tables:
    """OpenCC's character tables, read once per process."""

    def __init__(self):
        st = _read_table("STCharacters.txt")
        ts = _read_table("TSCharacters.txt")
        variants = [_read_table(name) for name in ("HKVariants.txt", "TWVariants.txt")]
        traditional = set(ts) | {c for forms in st.values() for c in forms}
        simplified = set(st) | {c for forms in ts.values() for c in forms}
        # Regional standards (說→説, 臺→台, 戶→户) are Traditional too.
        self.variants: dict[str, set[str]] = {}
        for table in variants:
            for standard, forms in table.items():
                traditional |= {standard, *forms}
                self.variants.setdefault(standard, set()).update(forms)
        self.to_traditional = {c: forms[0] for c, forms in st.items()}
        self.to_simplified = {c: forms[0] for c, forms in ts.items()}
        self.only_simplified = frozenset(c for c in st if c not in traditional)
        self.only_traditional = frozenset(c for c in ts if c not in simplified)
        self.shared_simplified = frozenset(c for c in st if c in traditional)
        self.shared_traditional = frozenset(c for c in ts if c in simplified)
        to_hans, to_hant = OpenCC("t2s"), OpenCC("s2t")
        # For a text wanted in a script: the characters only the other script writes,
        # those both write, the conversion to the other script and back, and the table of
        # each wrong character's usual form.
        self.wanting = {
            "Hant": (
                self.only_simplified,
                self.shared_simplified,
                to_hans,
                to_hant,
                self.to_traditional,
            ),
            "Hans": (
                self.only_traditional,
                self.shared_traditional,
                to_hant,
                to_hans,
                self.to_simplified,
            ),
        }


def _read_table(name: str) -> dict[str, list[str]]:
    text = (resources.files("opencc") / "dictionary" / name).read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        key, _, forms = line.partition("\t")
        if key and forms:
            table[key] = forms.split()
    return table


@functools.cache
def _tables() -> _Tables:
    return _Tables()


def wrong_script_characters(
    text: str, script: str, names: tuple[str, ...] = ()
) -> list[WrongScript]:
    """The characters of `text` that belong to the other Chinese script, for a text that
    should be in `script` ("Hant" or "Hans"). `names` (people's and parties' names) are
    left alone: a surname may be a character the other script also uses."""
    if script not in ("Hant", "Hans"):
        return []
    only, shared, there, back, table = _tables().wanting[script]
    found = [WrongScript(i, c, table[c]) for i, c in enumerate(text) if c in only]
    shared_at = [i for i, c in enumerate(text) if c in shared]
    if not found and not shared_at:
        return []
    # Converting the words around a character (there and back) says what the wanted script
    # writes there, better than a character table: 历 is 歷 in 歷史 but 曆 in 日曆.
    converted = _converted_around(text, [w.index for w in found] + shared_at, there, back)
    found = [
        WrongScript(w.index, w.character, converted.get(w.index) or w.replacement)
        if converted.get(w.index) != w.character
        else w
        for w in found
    ]
    if shared_at:
        found += _misused_shared_characters(text, script, shared_at, converted, table, names)
        found.sort(key=lambda wrong: wrong.index)
    return found


# Characters on either side of a character that the conversion looks at: OpenCC's
# phrases are rarely longer.
_WINDOW = 6


def _converted_around(text, indices, there, back) -> dict[int, str]:
    """{index: the character the round trip writes there}, converting only windows of
    text around the given indices (a whole judgment paragraph costs a hundred times
    more). A window whose length the conversion changes gives nothing."""
    converted: dict[int, str] = {}
    windows: list[list[int]] = []
    for index in sorted(set(indices)):
        start, end = max(0, index - _WINDOW), min(len(text), index + _WINDOW + 1)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    for start, end in windows:
        piece = back.convert(there.convert(text[start:end]))
        if len(piece) == end - start:
            converted.update((start + offset, char) for offset, char in enumerate(piece))
    return converted


def _misused_shared_characters(text, script, shared_at, converted, table, names):
    """A character both scripts use, written where the wanted script has another in those
    words: 于 in 由于 (由於), 后 in 此后 (此後), but not 后 in 皇后 nor 干 in 干犯."""
    variants = _tables().variants if script == "Hant" else {}
    protected = _name_positions(text, names)
    found = []
    for index in shared_at:
        char, wanted = text[index], converted.get(index)
        if wanted is None or char == wanted or char in variants.get(wanted, ()):
            continue
        if index in protected or _TITLE_AFTER.match(text, index + 1):
            continue
        found.append(WrongScript(index, char, wanted, certain=table.get(char) != char))
    return found


def _name_positions(text: str, names: tuple[str, ...]) -> set[int]:
    positions: set[int] = set()
    for name in names:
        start = text.find(name)
        while name and start != -1:
            positions.update(range(start, start + len(name)))
            start = text.find(name, start + 1)
    return positions


# Which language and script a text is in ---------------------------------------------------
# To refuse a file that is not in the project's language pair. The script comes from the
# letters themselves (their Unicode script), Traditional or Simplified Chinese from
# OpenCC's tables (characters that conversion to Simplified changes are Traditional, and
# the other way round), and the language of alphabetic text from py3langid's model, which
# ships inside the package, believed only when it is sure. "" means "cannot tell".

DETECTION_SAMPLE = 5000
MIN_LETTERS = 20  # fewer letters than this tell nothing reliable
MIN_LETTERS_FOR_LANGUAGE = 200  # telling English from French takes a paragraph
SURE = 0.99
DOMINANT = 0.6  # a text is in a script when at least this share of its letters are
_SCRIPT_OF_LETTER = [
    (regex.compile(r"\p{Han}"), "Hani"),
    (regex.compile(r"[\p{Hiragana}\p{Katakana}]"), "Jpan"),
    (regex.compile(r"\p{Hangul}"), "Kore"),
    (regex.compile(r"\p{Latin}"), "Latn"),
    (regex.compile(r"\p{Cyrillic}"), "Cyrl"),
    (regex.compile(r"\p{Greek}"), "Grek"),
    (regex.compile(r"\p{Arabic}"), "Arab"),
    (regex.compile(r"\p{Hebrew}"), "Hebr"),
    (regex.compile(r"\p{Thai}"), "Thai"),
    (regex.compile(r"\p{Devanagari}"), "Deva"),
]
_LANGUAGE_OF_SCRIPT = {"Jpan": "ja", "Kore": "ko"}


def detect(text: str) -> tuple[str, str]:
    """(language, script) of `text`, each "" when it cannot be told:
    detect("上訴駁回。訟費由答辯人支付。") → ("zh", "Hant")."""
    sample = text[:DETECTION_SAMPLE]
    scripts: dict[str, int] = {}
    for char in sample:
        script = _script_of_letter(char)
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
        return "zh", _chinese_script_of_text(sample)
    if script in _LANGUAGE_OF_SCRIPT:
        return _LANGUAGE_OF_SCRIPT[script], script
    language = ""
    if letters >= MIN_LETTERS_FOR_LANGUAGE:
        found, probability = _identifier().classify(sample)
        language = found if probability >= SURE else ""
    return language, script


def expected_script(tag: str) -> str:
    """The script a tag's text should be in: the one it states or its region implies,
    Chinese characters of either kind for Chinese that says neither (`zh`), else the
    language's usual script ("" when unknown)."""
    stated = script_of(tag)
    if stated:
        return stated
    usual = _usual_script(tag) or ""
    return "Hani" if usual in _CHINESE_SCRIPTS else usual


def text_mismatch(text: str, tag: str) -> str:
    """A phrase saying what `text` is in when that is not the language `tag` names
    ("is written in Simplified Chinese"), else ""."""
    language, script = detect(text)
    if not script:
        return ""
    expected = expected_script(tag)
    if expected and not _same_script(script, expected):
        return f"is written in {SCRIPT_NAMES.get(script, script)}"
    wanted = primary_language(tag)
    if language and language != wanted and not {language, wanted} <= {"zh", "yue"}:
        return f"reads as {language_name(language)}"
    return ""


def scripts_differ(tag: str, other: str) -> bool:
    """Whether two tags name different scripts (zh-CN and zh-Hant-HK do; zh-HK and
    zh-Hant-HK do not)."""
    return not _same_script(expected_script(tag), expected_script(other))


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


def _same_script(found: str, expected: str) -> bool:
    if not found or not expected:
        return True
    # Chinese characters alone do not tell Traditional from Simplified.
    if "Hani" in (found, expected):
        return {found, expected} <= {"Hani", "Hant", "Hans"}
    return found == expected


def _script_of_letter(char: str) -> str:
    if not char.isalpha():
        return ""
    return next((script for pattern, script in _SCRIPT_OF_LETTER if pattern.match(char)), "")


def _chinese_script_of_text(text: str) -> str:
    """Hant or Hans by the characters only one of the two writes, Hani when the text
    does not say (characters both write the same)."""
    characters = {char for char in text if _script_of_letter(char) == "Hani"}
    tables = _tables()
    traditional = len(characters & tables.only_traditional)
    simplified = len(characters & tables.only_simplified)
    if traditional >= 2 and traditional > 2 * simplified:
        return "Hant"
    if simplified >= 2 and simplified > 2 * traditional:
        return "Hans"
    return "Hani"


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def side_of_query(text: str, source_tag: str, target_tag: str) -> str:
    """Which side of a language pair a short query is written in, "source" or "target",
    told by its characters (a phrase is too short for `detect`); "" when both sides are
    written alike or the query has no letters: side_of_query("上訴人", "en", "zh-HK") →
    "target"."""
    letters = [char for char in text if char.isalpha()]
    if not letters or is_cjk(source_tag) == is_cjk(target_tag):
        return ""
    cjk = sum(1 for char in letters if is_cjk_character(char))
    in_cjk = cjk >= len(letters) * DOMINANT
    return "target" if in_cjk == is_cjk(target_tag) else "source"
