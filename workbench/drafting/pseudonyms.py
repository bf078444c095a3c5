"""Personal data stays in the workbench: before any text goes to a model endpoint outside
this machine and network, the names of the parties and witnesses, HKID and passport
numbers, phone numbers, e-mail addresses, bank account numbers and street addresses in
it become placeholders, ⟦P1⟧, ⟦P2⟧…, and the answers get the real values back before
anything is stored.

- Per project (`Project.pseudonymise`): always, never, or automatically, which means on
  unless the endpoint is on this machine or a private network.
- The names come from the document brief (parties, and how the judgment refers to them)
  and, until there is a brief, from the parties' lines of the judgment's heading
  ("CHAN TAI MAN — Appellant"), so the excerpt the brief is made from goes out without
  them too. A name also stands for "Mr Chan" and the like. The other kinds are found by
  their shape.
- Hong Kong's own anonymisation is left as it is: "X", "Madam A", "the Applicant", and
  public parties such as HKSAR or the Secretary for Justice are not personal data.
- A placeholder is stable for the document: the same value always gets the same number,
  stored as a `Pseudonym` row, which the brief page shows to managers. Placeholders look
  like the inline tags (⟦1⟧), which the agents keep as they are; the checks report one
  that is lost (agents.checks.check_tokens), and a text that still holds an unknown one
  is refused by the lifecycle like a broken tag.
"""

import ipaddress
from dataclasses import replace
from urllib.parse import urlsplit

import regex
from django.db import transaction

from agents.schemas import DefinedTerm, KeyTerm, Party
from workbench.documents.models import Document
from workbench.projects import endpoints

from .models import Pseudonym

PLACEHOLDER = regex.compile(r"\u27e6P(\d{1,5})\u27e7")
HEADING_SEGMENTS = 40

ROLES = (
    "appellants?|respondents?|applicants?|plaintiffs?|defendants?|petitioners?|interveners?"
    "|accused|claimants?|interested part(?:y|ies)|witness(?:es)?"
)
ROLES_ZH = "上訴人|答辯人|申請人|原告人|原告|被告人|被告|呈請人|介入人|證人"
# A party's line in the heading: "CHAN TAI MAN — Appellant", "陳大文 — 上訴人".
PARTY_LINE = regex.compile(
    rf"^\s*(?P<name>[^\n]{{2,120}}?)\s*(?:[—–-]+|\s{{2,}}|\t)\s*(?:\(?\d+(?:st|nd|rd|th)\)?\s+)?"
    rf"(?:(?i:{ROLES})|{ROLES_ZH})\s*[.:]?\s*$"
)
# Not personal data: public parties, and the anonymisation the courts use themselves.
PUBLIC_OR_ANONYMOUS = regex.compile(
    r"^(?:(?i:hksar|hong kong special administrative region|the queen|r|secretary for justice"
    r"|attorney general|(?:the\s+)?(?:director|commissioner|secretary|registrar|chief executive"
    r"|board|commission)\b.*)"
    r"|香港特別行政區|律政司司長|.*(?:署長|處長|局長|委員會)"
    r"|(?:(?i:mr|mrs|ms|miss|madam|dr)\.?\s+)?[A-Z]{1,2}"
    rf"|(?i:(?:\d+(?:st|nd|rd|th)\s+)?(?:{ROLES}))"
    r"|(?i:the\s+).*)$"
)
HONORIFICS = r"(?:Mr|Mrs|Ms|Miss|Madam|Dr)\.?"

KINDS = {
    "email": r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
    # A123456(7), AB123456(A), A1234567
    "hkid": r"(?<![A-Za-z0-9])[A-Z]{1,2}\d{6}(?:\s?\(\s?[0-9A]\s?\)|[0-9A](?![A-Za-z0-9(]))",
    "passport": r"(?<![A-Za-z0-9])[A-Z]{1,2}\d{7,8}(?![A-Za-z0-9])"
    r"|(?<=(?i:passport)(?:\s+(?i:no\.?|number))?\s*[:：]?\s*)(?=[A-Z]*\d)[A-Z0-9]{6,12}(?![A-Za-z0-9])",
    "bank_account": r"(?<![\d-])\d{3}-\d{3,6}-\d{3,9}(?:-\d{1,3})?(?![\d-])"
    r"|(?<=(?i:account)(?:\s+(?i:no\.?|number))?\s*[:：]?\s*)\d[\d -]{7,20}\d(?!\d)",
    "phone": r"(?<![\w$.,/+-])(?:\+|00)852[\s-]?\d{4}[\s-]?\d{4}(?!\d)"
    r"|(?<![\w$.,/+-])\+(?!852)\d{1,3}[\s-]?\d(?:[\s-]?\d){6,13}(?!\d)"
    r"|(?<![\w$.,/-])(?!(?:19|20)\d\d[ -](?:19|20)\d\d)[2-9]\d{3}[ -]\d{4}(?![\d,.]\d|\d)"
    r"|(?<=(?i:tel|phone|mobile|fax|telephone)(?:\s+(?i:no\.?|number))?\s*[:：.]?\s*"
    r"|電話|手提電話|傳真)[2-9]\d{7}(?!\d)",
    "address": r"(?:(?i:flat|room|unit|shop)\s+[\w-]{1,6},\s*)?(?:(?:\d{1,3}/F|G/F|[\w-]+\s+(?i:floor)),\s*)?"
    r"(?:(?i:block|tower)\s+\w{1,3},\s*)?"
    r"(?:(?:[A-Z][\w'’]*\s+){1,4}(?:Building|Court|House|Mansion|Estate|Centre|Gardens?|Villa|Plaza),\s*)?"
    r"\d{1,5}[A-Z]?(?:-\d{1,5}[A-Z]?)?\s+(?:[A-Z][\w'’]*\s+){1,4}"
    r"(?:Road|Street|Avenue|Lane|Drive|Terrace|Path|Crescent|Boulevard|Square|Rd|St)\b"
    r"(?:\s+(?:Central|East|West|North|South))?"
    r"(?:(?:,\s*(?:[A-Z][\w'’]*\s?){1,3})?,\s*(?:Kowloon|Hong Kong|New Territories|N\.T\.))?"
    # 九龍旺角彌敦道88號12樓A室; not the words before it (住在, 位於 …)
    r"|(?:(?![住在於位居向從到往的及和])[\u4e00-\u9fff]){1,14}?(?:道|街|路|里|徑)\d{1,5}"
    r"(?:-\d{1,5})?號(?:[\u4e00-\u9fff\w]{0,12}?(?:\d{1,3}[A-Z]?|[A-Z])(?:樓|室|座|舖))*",
}


def endpoint_is_outside(url):
    """Whether the model endpoint at `url` is outside this machine and its private
    network. A host name other than localhost counts as outside: it is not resolved,
    and a name can point anywhere."""
    host = (urlsplit(url or "").hostname or "").rstrip(".").lower()
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True
    return not (address.is_loopback or address.is_private or address.is_link_local)


def applies_to(project):
    """Whether `project` replaces personal data before it goes to the model."""
    if project.pseudonymise is not None:
        return project.pseudonymise
    try:
        installed = endpoints.installed_endpoints()
        chosen = {
            endpoints.endpoint_for(project, role, installed).base_url for role in endpoints.ROLES
        }
    except endpoints.EndpointError:
        return False  # no endpoint: nothing leaves the workbench
    return any(endpoint_is_outside(url) for url in chosen)


def names_of(brief):
    """The personal names in a brief: its parties and how the judgment refers to them,
    public parties and anonymised ones ("X", "the Applicant") left out."""
    if brief is None:
        return []
    names = []
    for party in brief.parties:
        names += [party.name, party.referred_to_as]
    return _personal(names)


def names_in_heading(document):
    """The parties named in the lines of the judgment's heading ("CHAN TAI MAN —
    Appellant"), for before the document has a brief."""
    opening = document.segments.order_by("position").values_list("source", flat=True)
    return _personal(
        match["name"]
        for source in opening[:HEADING_SEGMENTS]
        if (match := PARTY_LINE.match(source))
    )


def _personal(names):
    cleaned = [" ".join((name or "").split()).strip(" ,;:") for name in names]
    found = [name for name in cleaned if len(name) >= 2 and not PUBLIC_OR_ANONYMOUS.match(name)]
    return list(dict.fromkeys(found))


def _name_pattern(name):
    """A name, in any letter case, and for a name of several words "Mr Chan" (its first
    word) and "Mr Smith" (its last): which is the surname depends on where it is from."""
    words = name.split()
    # Word boundaries for names in Latin letters; Chinese is written without spaces.
    boundary = r"(?<![\w])" if name[0].isascii() else ""
    end = r"(?![\w])" if name[-1].isascii() else ""
    pattern = boundary + r"\s+".join(regex.escape(word) for word in words) + end
    if len(words) > 1 and name.isascii():
        surnames = "|".join(regex.escape(word) for word in dict.fromkeys([words[0], words[-1]]))
        pattern += rf"|(?<![\w]){HONORIFICS}\s+(?:{surnames})(?![\w])"
    return pattern


class Pseudonymiser:
    """One document's placeholders, for the job thread that sends its text out: `mask`
    gives text with placeholders (numbering new values as it meets them), `restore`
    the text with the real values back. `names` are the personal names to look for
    (see context.pseudonymiser_for); the other kinds are found by their shape."""

    def __init__(self, document, names=()):
        self.document = document
        self.values = dict(document.pseudonyms.values_list("number", "value"))
        self.numbers = {value: number for number, value in self.values.items()}
        self.names = _personal(names)
        alternatives = [f"(?P<{kind}>{pattern})" for kind, pattern in KINDS.items()]
        if self.names:
            longest_first = sorted(self.names, key=len, reverse=True)
            names_pattern = "|".join(_name_pattern(name) for name in longest_first)
            alternatives.insert(0, f"(?P<name>(?i:{names_pattern}))")
        self.finder = regex.compile("|".join(alternatives))

    # Masking

    def mask(self, text):
        if not text:
            return text
        return self.finder.sub(self._placeholder, text)

    def _placeholder(self, match):
        return f"\u27e6P{self._number(match.group(), match.lastgroup)}\u27e7"

    def _number(self, value, kind):
        number = self.numbers.get(value)
        if number is not None:
            return number
        with transaction.atomic():
            # One numbering per document, whichever job meets the value first: the
            # document row is the lock.
            list(Document.objects.select_for_update().filter(pk=self.document.pk).values("pk"))
            existing = self.document.pseudonyms.filter(value=value).first()
            if existing is None:
                latest = self.document.pseudonyms.order_by("-number").first()
                existing = Pseudonym.objects.create(
                    document=self.document,
                    number=(latest.number if latest else 0) + 1,
                    kind=kind,
                    value=value,
                )
        self.numbers[value] = existing.number
        self.values[existing.number] = value
        return existing.number

    def mask_brief(self, brief):
        if brief is None:
            return None
        mask = self.mask
        return brief.model_copy(
            update={
                "court": mask(brief.court),
                "case_number": mask(brief.case_number),
                "parties": [
                    Party(name=mask(p.name), role=p.role, referred_to_as=mask(p.referred_to_as))
                    for p in brief.parties
                ],
                "judges": [mask(judge) for judge in brief.judges],
                "defined_terms": [
                    DefinedTerm(term=mask(t.term), meaning=mask(t.meaning))
                    for t in brief.defined_terms
                ],
                "key_terms": [
                    KeyTerm(source=mask(t.source), target=mask(t.target)) for t in brief.key_terms
                ],
                "notes": mask(brief.notes),
            }
        )

    def mask_batch(self, batch):
        """A BatchInput as it may leave the workbench (its brief is masked apart, see
        context.BriefOrder)."""
        mask = self.mask
        return replace(
            batch,
            segments=[
                replace(s, source=mask(s.source), human_target=mask(s.human_target))
                for s in batch.segments
            ],
            brief=self.mask_brief(batch.brief),
            before=[replace(n, source=mask(n.source), target=mask(n.target)) for n in batch.before],
            after=[replace(n, source=mask(n.source), target=mask(n.target)) for n in batch.after],
            glossary=[
                replace(g, source_term=mask(g.source_term), target_term=mask(g.target_term))
                for g in batch.glossary
            ],
            tm_hints={
                key: [replace(h, source=mask(h.source), target=mask(h.target)) for h in hints]
                for key, hints in batch.tm_hints.items()
            },
            examples=[
                replace(
                    e,
                    source=mask(e.source),
                    machine_text=mask(e.machine_text),
                    human_text=mask(e.human_text),
                )
                for e in batch.examples
            ],
            lessons=[mask(lesson) for lesson in batch.lessons],
        )

    def mask_revision(self, context):
        """A RevisionContext as it may leave the workbench."""
        mask = self.mask
        return replace(
            context,
            current_target=mask(context.current_target),
            brief=self.mask_brief(context.brief),
            before=[
                replace(n, source=mask(n.source), target=mask(n.target)) for n in context.before
            ],
            after=[replace(n, source=mask(n.source), target=mask(n.target)) for n in context.after],
            glossary=[
                replace(g, source_term=mask(g.source_term), target_term=mask(g.target_term))
                for g in context.glossary
            ],
            lessons=[mask(lesson) for lesson in context.lessons],
        )

    # Restoring

    def restore(self, text):
        return restore(text, self.values)

    def restore_brief(self, brief):
        return restore_brief(brief, self.values)


def restore(text, values):
    """`text` with each known placeholder replaced by its value; an unknown one stays
    (the lifecycle then refuses the text as holding a broken tag)."""
    if not text or "\u27e6P" not in text:
        return text
    return PLACEHOLDER.sub(lambda m: values.get(int(m.group(1)), m.group()), text)


def restore_brief(brief, values):
    if brief is None or not values:
        return brief
    data = brief.model_dump()

    def walk(value):
        if isinstance(value, str):
            return restore(value, values)
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        return value

    return type(brief).model_validate(walk(data))


def restore_result(document, result):
    """A BatchResult with the real values back in every text a person or the workbench
    will read: the drafts, revisions and final texts, the issues and resolutions."""
    values = dict(document.pseudonyms.values_list("number", "value"))
    if not values:
        return result

    def back(text):
        return restore(text, values)

    def issue(found):
        return replace(
            found,
            span=back(found.span),
            suggestion=back(found.suggestion),
            explanation=back(found.explanation),
        )

    segments = [
        replace(
            segment,
            final_target=back(segment.final_target),
            draft=back(segment.draft),
            revision=back(segment.revision),
            reason=back(segment.reason),
            issues=[issue(found) for found in segment.issues],
            annotations=[[issue(found) for found in round_] for round_ in segment.annotations],
            resolutions=[
                replace(r, issue=back(r.issue), resolution=back(r.resolution))
                for r in segment.resolutions
            ],
        )
        for segment in result.segments
    ]
    return replace(result, segments=segments, brief=restore_brief(result.brief, values))
