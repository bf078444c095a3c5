"""The demo's recordings: for each segment of the demo documents, what the team wrote and
what the agents answered when they drafted it, in files people can read and correct.

One file per document and target language, `recordings/<document>.<language>.txt`, one
block per segment, blocks in document order and separated by a blank line:

    source:    the segment's source text, as the importer cuts it (the key)
    team:      the team's translation, as it stands once reviewed
    draft:     the Translator's draft, where it differs from the team's
    issue:     severity category | span | suggestion | explanation (the Annotator, on the draft)
    revision:  the Proofreader's revision of the draft
    confirmed: the translator's first confirmed text, which the reviewer sent back
    sent-back: reviewer: reason (the translator then confirmed the team's text)
    waiting:   reviewer: reason (sent back; not confirmed again yet)
    comment:   author: text (a thread that was resolved; one line per comment)
    query:     author: text (a query still open)
    dismissed: author: reason (the Annotator's issue, dismissed)
    saved:     author: text (saved, not confirmed)

Lines starting with "#" are comments. Nothing here imports Django: the replay model
server reads the same files.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from workbench.demo import DEMO_DIR

RECORDINGS_DIR = DEMO_DIR / "recordings"
BRIEFS = RECORDINGS_DIR / "briefs.json"
KEYS = (
    "source",
    "team",
    "draft",
    "issue",
    "revision",
    "confirmed",
    "sent-back",
    "waiting",
    "comment",
    "query",
    "dismissed",
    "saved",
)
REPEATABLE = {"issue", "comment"}
LINE = re.compile(rf"^(?P<key>{'|'.join(map(re.escape, KEYS))}):\s?(?P<value>.*)$")


class RecordingError(ValueError):
    """A recordings file that does not follow the format; the message names the line."""


@dataclass(frozen=True)
class RecordedIssue:
    severity: str
    category: str
    span: str
    suggestion: str
    explanation: str


@dataclass(frozen=True)
class Said:
    """Something a demo person wrote: a comment, a reason, a saved text."""

    author: str
    text: str


@dataclass
class Recording:
    source: str
    team: str
    draft: str = ""
    issues: list[RecordedIssue] = field(default_factory=list)
    revision: str = ""
    confirmed: str = ""
    sent_back: Said | None = None
    waiting: Said | None = None
    comments: list[Said] = field(default_factory=list)
    query: Said | None = None
    dismissed: Said | None = None
    saved: Said | None = None

    @property
    def translator_draft(self):
        """What the Translator answered: its own draft, or the team's text it matched."""
        return self.draft or self.team

    @property
    def agents_final(self):
        """The text the agents left: the Proofreader's revision, else the draft."""
        return self.revision or self.translator_draft


def normalise(text):
    return " ".join(text.split())


def recordings_path(document_name, language):
    return RECORDINGS_DIR / f"{Path(document_name).stem}.{language}.txt"


def read_recordings(path):
    """The file's recordings in document order; RecordingError names a faulty line."""
    recordings, block = [], []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate([*lines, ""], start=1):
        if line.startswith("#"):
            continue
        if line.strip():
            block.append((number, line))
        elif block:
            recordings.append(_recording(path, block))
            block = []
    return recordings


def _recording(path, block):
    values = {}
    for number, line in block:
        match = LINE.match(line)
        if match is None:
            raise RecordingError(
                f"{Path(path).name}, line {number}: a line starts with one of "
                f"{', '.join(KEYS)} and a colon; this one does not: {line[:60]!r}"
            )
        key, value = match["key"], match["value"].strip()
        if key in values and key not in REPEATABLE:
            raise RecordingError(f"{Path(path).name}, line {number}: a second “{key}” line.")
        values.setdefault(key, []).append((number, value))
    first = block[0][0]
    for required in ("source", "team"):
        if required not in values:
            raise RecordingError(f"{Path(path).name}, line {first}: the block has no {required}.")

    def one(key):
        return values[key][0][1] if key in values else ""

    def said(key):
        if key not in values:
            return None
        number, value = values[key][0]
        return _said(path, number, value)

    return Recording(
        source=one("source"),
        team=one("team"),
        draft=one("draft"),
        issues=[_issue(path, number, value) for number, value in values.get("issue", [])],
        revision=one("revision"),
        confirmed=one("confirmed"),
        sent_back=said("sent-back"),
        waiting=said("waiting"),
        comments=[_said(path, number, value) for number, value in values.get("comment", [])],
        query=said("query"),
        dismissed=said("dismissed"),
        saved=said("saved"),
    )


def _issue(path, number, value):
    parts = [part.strip() for part in value.split("|")]
    head = parts[0].split()
    if len(parts) != 4 or len(head) != 2:
        raise RecordingError(
            f"{Path(path).name}, line {number}: an issue is “severity category | span | "
            "suggestion | explanation”."
        )
    return RecordedIssue(head[0], head[1], parts[1], parts[2], parts[3])


def _said(path, number, value):
    author, colon, text = value.partition(":")
    if not colon or not author.strip() or not text.strip():
        raise RecordingError(f"{Path(path).name}, line {number}: write “person: text”.")
    return Said(author.strip(), text.strip())


def read_briefs():
    """{document file name: the brief the Translator's brief call answered}."""
    return json.loads(BRIEFS.read_text(encoding="utf-8"))


class RecordingBook:
    """Every recording of the demo, looked up by target language and source text."""

    def __init__(self, directory=RECORDINGS_DIR):
        self.by_text = {}
        self.documents = {}
        for path in sorted(Path(directory).glob("*.txt")):
            document, language = path.stem.rsplit(".", 1)
            recordings = read_recordings(path)
            self.documents[(document, language.lower())] = recordings
            for recording in recordings:
                self.by_text.setdefault((language.lower(), normalise(recording.source)), recording)

    def find(self, language, source):
        return self.by_text.get((language.lower(), normalise(source)))

    def document_of(self, language, text):
        """The recorded document whose segments `text` quotes most, or None."""
        text = normalise(text)
        best, best_count = None, 0
        for (document, recorded_language), recordings in self.documents.items():
            if recorded_language != language.lower():
                continue
            count = sum(1 for r in recordings if normalise(r.source) in text)
            if count > best_count:
                best, best_count = document, count
        return best
