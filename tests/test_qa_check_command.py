"""manage.py qa_check FILE.jsonl: the editor's checks on a file of pairs, one JSON line
out per line in; bad lines are reported by number and make the exit status 1."""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from workbench.documents.models import Document, Segment
from workbench.memory.models import Term
from workbench.translation.qa import qa_warnings

PAIR = {"source_language": "en", "target_language": "zh-Hant-HK"}


def write(tmp_path, *items):
    path = tmp_path / "pairs.jsonl"
    lines = [
        item if isinstance(item, str) else json.dumps(item, ensure_ascii=False) for item in items
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(path, *options):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("qa_check", str(path), *options, stdout=out, stderr=err)
        failed = None
    except CommandError as error:
        failed = str(error)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue(), failed


def test_it_prints_one_line_of_findings_per_pair(tmp_path):
    path = write(
        tmp_path,
        {"source": "The appeal is dismissed.", "target": "上訴被駁回。", **PAIR},
        {"source": "He was remanded for six months.", "target": "他被還押六年。", **PAIR},
    )

    lines, err, failed = run(path)

    assert (err, failed) == ("", None)
    assert [line["line"] for line in lines] == [1, 2]
    assert lines[0]["findings"] == []
    [finding] = lines[1]["findings"]
    assert finding["check"] == "units"
    assert (finding["category"], finding["severity"], finding["blocking"]) == (
        "number_date",
        "major",
        True,
    )
    assert "6 months" in finding["message"] or "six months" in finding["message"]
    assert set(finding) == {
        "check",
        "category",
        "severity",
        "message",
        "span",
        "suggestion",
        "blocking",
    }


def test_it_uses_the_glossary_and_the_brief_of_each_line(tmp_path):
    brief = {
        "court": "Court of Appeal",
        "case_number": "CACC 1/2024",
        "parties": [
            {"name": "Chan Tai Man 陳大文", "role": "appellant", "referred_to_as": "the appellant"},
            {"name": "HKSAR", "role": "respondent", "referred_to_as": "the respondent"},
        ],
        "judges": [],
        "defined_terms": [],
        "key_terms": [],
        "notes": "",
    }
    path = write(
        tmp_path,
        {
            "source": "The appellant appealed.",
            "target": "上訴方提出上訴。",
            **PAIR,
            "glossary": [["appellant", "上訴人"], ["appellant", "上訴方", "forbidden"]],
        },
        {
            "source": "The appellant, Chan Tai Man, is 35.",
            "target": "答辯人陳大文現年35歲。",
            **PAIR,
            "brief": brief,
        },
    )

    lines, _, failed = run(path)

    assert failed is None
    assert {f["check"] for f in lines[0]["findings"]} == {"terminology"}
    assert [f["check"] for f in lines[1]["findings"]] == ["parties"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "line 1: not valid JSON"),
        ('["a list"]', "line 1: not a JSON object"),
        (
            '{"source": "a", "target": "b"}',
            "line 1: missing “source_language” and “target_language”",
        ),
        (
            '{"source": 1, "target": "b", "source_language": "en", "target_language": "fr"}',
            "line 1: “source” must be a string",
        ),
        (
            '{"source": "a", "target": "b", "source_language": "xx", "target_language": "en"}',
            "line 1: “xx” is not a BCP 47 language tag",
        ),
        (
            '{"source": "a", "target": "b", "source_language": "en", "target_language": "zh-Hant-HK", "glossary": [["x"]]}',
            "line 1: “glossary” must be a list of [source_term, target_term] pairs",
        ),
        (
            '{"source": "a", "target": "b", "source_language": "en", "target_language": "zh-Hant-HK", "brief": {"court": "x"}}',
            "line 1: “brief” is not a document brief (case_number: Field required",
        ),
    ],
)
def test_it_refuses_a_bad_line_with_its_number_and_exit_status_1(tmp_path, line, message):
    lines, err, failed = run(write(tmp_path, line))

    assert lines == []
    assert err.startswith(message), err
    assert "1 line could not be checked" in failed


def test_it_still_checks_the_good_lines_around_a_bad_one(tmp_path):
    good = {"source": "The appeal is dismissed.", "target": "上訴被駁回。", **PAIR}
    path = write(tmp_path, good, "{broken", "", good)

    lines, err, failed = run(path)

    assert [line["line"] for line in lines] == [1, 4]
    assert err.startswith("line 2: not valid JSON")
    assert failed


def test_it_refuses_a_line_that_is_not_utf8(tmp_path):
    path = tmp_path / "pairs.jsonl"
    path.write_bytes(b'{"source": "\xff"}\n')

    _, err, failed = run(path)

    assert err.startswith("line 1: not UTF-8")
    assert failed


def test_it_refuses_a_missing_file_and_an_unknown_severity(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("qa_check", str(tmp_path / "nothing.jsonl"))
    with pytest.raises(CommandError, match="Unknown severity huge"):
        call_command("qa_check", str(write(tmp_path)), "--blocking", "major,huge")


def test_the_blocking_severities_are_a_setting(tmp_path):
    path = write(
        tmp_path, {"source": "He was fined $5,000.", "target": "他被罰款5,000美元。", **PAIR}
    )

    default, _, _ = run(path)
    only_critical, _, _ = run(path, "--blocking", "critical")

    assert [f["blocking"] for f in default[0]["findings"]] == [True]
    assert [f["blocking"] for f in only_critical[0]["findings"]] == [False]


def test_it_reads_standard_input_and_prints_no_traceback():
    bad = "not json\n"
    completed = subprocess.run(
        [sys.executable, "manage.py", "qa_check", "-"],
        input=bad.encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 1
    assert b"line 1: not valid JSON" in completed.stderr
    assert b"Traceback" not in completed.stderr


def test_the_command_and_the_editor_report_the_same_findings(tmp_path, project):
    Term.objects.create(project=project, source_term="appellant", target_term="上訴人")
    document = Document.objects.create(
        project=project,
        title="CACC 1/2024",
        original_filename="j.docx",
        format=Document.Format.DOCX,
        status=Document.Status.READY,
    )
    source = "The appellant was not sentenced to 6 months under ss. 4 and 5."
    segment = Segment.objects.create(
        document=document, position=1, source=source, source_hash=Segment.hash_source(source)
    )
    target = "申請人被判監禁6年，根據第4條。"
    path = write(
        tmp_path,
        {"source": source, "target": target, **PAIR, "glossary": [["appellant", "上訴人"]]},
    )

    lines, _, _ = run(path)
    from_command = [(f["check"], f["severity"], f["message"]) for f in lines[0]["findings"]]
    from_editor = [(w.check, w.severity, w.message) for w in qa_warnings(segment, target, project)]

    assert from_command == from_editor
    assert {"negation", "units", "references", "terminology"} <= {
        check for check, _, _ in from_editor
    }
