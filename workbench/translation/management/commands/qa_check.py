"""`manage.py qa_check FILE.jsonl`: the editor's deterministic checks on a file of
translation pairs, one JSON line out per line in.

Each input line is an object with "source", "target", "source_language" and
"target_language" (BCP 47), and optionally "glossary" ([[source_term, target_term], ...],
a third item "preferred", "admitted" or "forbidden") and "brief" (a document brief:
court, case_number, parties with name, role and referred_to_as, judges, defined_terms,
key_terms, notes). Each output line is {"line": N, "findings": [...]}, a finding being
its check, category, severity, message, span, suggestion and whether it blocks. A line
that cannot be read is reported on stderr with its number and the other lines are still
checked; the command then exits with status 1.
"""

import contextlib
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from pydantic import ValidationError

from agents.checks import run_checks
from agents.context import GlossaryConstraint, LanguagePair
from agents.glossary import Termbase
from agents.languages import LanguageTagError, normalise_tag
from agents.schemas import BLOCKING_SEVERITIES, ISSUE_SEVERITIES, DocumentBrief

FIELDS = ("source", "target", "source_language", "target_language")
STATUSES = ("preferred", "admitted", "forbidden")


class BadLine(ValueError):
    """A line that is not a translation pair the checks can read."""


class Command(BaseCommand):
    help = "Run the deterministic QA checks on a JSONL file of translation pairs."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSONL file of pairs, or - for standard input.")
        parser.add_argument(
            "--blocking",
            default=",".join(sorted(BLOCKING_SEVERITIES)),
            metavar="SEVERITIES",
            help="Comma-separated severities that block (default: critical,major).",
        )

    def handle(self, *args, file, blocking, **options):
        blocking_severities = _severities(blocking)
        bad = 0
        with _open(file) as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    source, target, pair, termbase, brief = read_line(_decoded(line))
                except BadLine as refused:
                    bad += 1
                    self.stderr.write(f"line {number}: {refused}")
                    continue
                findings = run_checks(source, target, pair, termbase, brief, blocking_severities)
                self.stdout.write(
                    json.dumps(
                        {"line": number, "findings": [_finding(f) for f in findings]},
                        ensure_ascii=False,
                    )
                )
        if bad:
            raise CommandError(
                f"{bad} line{'' if bad == 1 else 's'} could not be checked; see the messages above."
            )


def read_line(line: str):
    """(source, target, pair, termbase, brief) from one JSON line, or BadLine saying what
    is wrong with it."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadLine(
            f"not valid JSON ({error.msg} at column {error.colno}); each line must be one "
            "JSON object."
        ) from None
    if not isinstance(item, dict):
        raise BadLine("not a JSON object; each line must be one object with " + _fields() + ".")
    missing = [name for name in FIELDS if name not in item]
    if missing:
        raise BadLine(f"missing {_names(missing)}; each line needs {_fields()}.")
    for name in FIELDS:
        if not isinstance(item[name], str):
            raise BadLine(f"“{name}” must be a string.")
    try:
        pair = LanguagePair(
            normalise_tag(item["source_language"]), normalise_tag(item["target_language"])
        )
    except LanguageTagError as refused:
        raise BadLine(str(refused)) from None
    termbase = Termbase(_glossary(item.get("glossary") or []), pair.source, pair.target)
    return item["source"], item["target"], pair, termbase, _brief(item.get("brief"))


def _glossary(entries) -> list[GlossaryConstraint]:
    shape = (
        "“glossary” must be a list of [source_term, target_term] pairs, with an optional "
        "third item preferred, admitted or forbidden"
    )
    if not isinstance(entries, list):
        raise BadLine(shape + ".")
    terms = []
    for position, entry in enumerate(entries, 1):
        valid = (
            isinstance(entry, list)
            and len(entry) in (2, 3)
            and all(isinstance(part, str) and part.strip() for part in entry)
            and (len(entry) == 2 or entry[2] in STATUSES)
        )
        if not valid:
            raise BadLine(f"{shape}; entry {position} is {json.dumps(entry, ensure_ascii=False)}.")
        terms.append(GlossaryConstraint(*entry))
    return terms


def _brief(data) -> DocumentBrief | None:
    if data is None:
        return None
    try:
        return DocumentBrief.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or 'brief'}: {problem['msg']}"
            for problem in error.errors()[:3]
        )
        raise BadLine(f"“brief” is not a document brief ({problems}).") from None


def _finding(issue) -> dict:
    return {
        "check": issue.check,
        "category": issue.category,
        "severity": issue.severity,
        "message": issue.explanation,
        "span": issue.span,
        "suggestion": issue.suggestion,
        "blocking": issue.blocking,
    }


def _severities(text: str) -> frozenset[str]:
    chosen = {part.strip() for part in text.split(",") if part.strip()}
    unknown = chosen - set(ISSUE_SEVERITIES)
    if unknown:
        raise CommandError(
            f"Unknown severity {', '.join(sorted(unknown))}; choose from "
            f"{', '.join(ISSUE_SEVERITIES)}."
        )
    return frozenset(chosen)


def _open(file: str):
    """The file's lines as bytes, each decoded on its own so one bad line is one error."""
    if file == "-":
        return contextlib.nullcontext(sys.stdin.buffer)
    try:
        return open(file, "rb")  # noqa: SIM115 (closed by the caller's with)
    except OSError as error:
        raise CommandError(f"Cannot read {file}: {error.strerror}.") from None


def _decoded(line: bytes) -> str:
    try:
        return line.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadLine(
            f"not UTF-8 (byte {error.start + 1} of the line); save the file as UTF-8."
        ) from None


def _fields() -> str:
    return ", ".join(FIELDS[:-1]) + " and " + FIELDS[-1]


def _names(names) -> str:
    quoted = [f"“{name}”" for name in names]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1] if len(quoted) > 1 else quoted[0]
