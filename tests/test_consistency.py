"""Consistency across a document: deviating segments get an issue that follows the text,
and the QA report lists every finding of the document, as a page and as CSV."""

import csv
import io

import pytest

from agents.consistency import SegmentText, find_inconsistencies
from agents.context import GlossaryConstraint, LanguagePair
from agents.schemas import DocumentBrief, KeyTerm
from tests.conftest import make_project
from workbench.audit.models import AuditEvent
from workbench.documents import lifecycle
from workbench.documents.models import Document, Segment
from workbench.jobs.models import Job
from workbench.jobs.services import run_job
from workbench.memory.models import Term
from workbench.translation import consistency
from workbench.translation.models import Annotation
from workbench.translation.report import qa_report
from workbench.translation.services import CONFIRM, do_save_target

EN_ZH = LanguagePair("en", "zh-Hant-HK")
DRAFTS = [
    ("The respondent made a claim against the appellant.", "答辯人向上訴人提出申索。"),
    ("The claim of the respondent was dismissed.", "答辯人的申索被駁回。"),
    ("The respondent then withdrew the claim.", "被上訴人其後撤回索償。"),
    ("Appeal dismissed.", "駁回上訴。"),
    ("Appeal dismissed.", "上訴駁回。"),
    ("Appeal dismissed.", "駁回上訴。"),
]


def segments(pairs):
    return [SegmentText(n, n, source, target) for n, (source, target) in enumerate(pairs, 1)]


def test_a_term_rendered_two_ways_flags_the_minority():
    glossary = [
        GlossaryConstraint("claim", "申索"),
        GlossaryConstraint("claim", "索償", "admitted"),
    ]

    found = find_inconsistencies(segments(DRAFTS[:3]), EN_ZH, glossary)

    terms = [f for f in found if f.kind == "term"]
    assert [(f.position, f.used, f.usual, f.elsewhere) for f in terms] == [
        (3, "索償", "申索", (1, 2))
    ]


def test_a_party_role_rendered_two_ways_flags_the_minority():
    found = find_inconsistencies(segments(DRAFTS[:3]), EN_ZH)

    assert [(f.kind, f.position, f.used, f.usual) for f in found] == [
        ("role", 3, "被上訴人", "答辯人")
    ]


def test_identical_sources_translated_differently_are_flagged():
    found = find_inconsistencies(segments(DRAFTS[3:]), EN_ZH)

    assert [(f.kind, f.position, f.usual) for f in found] == [("segment", 2, "駁回上訴。")]


def test_a_consistent_document_has_no_findings():
    consistent = [(s, t.replace("被上訴人", "答辯人").replace("索償", "申索")) for s, t in DRAFTS]
    consistent[4] = (consistent[4][0], "駁回上訴。")
    glossary = [
        GlossaryConstraint("claim", "申索"),
        GlossaryConstraint("claim", "索償", "admitted"),
    ]

    assert find_inconsistencies(segments(consistent), EN_ZH, glossary) == []


def test_the_brief_key_terms_count_as_renderings():
    brief = DocumentBrief(
        court="",
        case_number="",
        parties=[],
        judges=[],
        defined_terms=[],
        key_terms=[KeyTerm(source="Court of Appeal", target=t) for t in ("上訴法庭", "上訴庭")],
        notes="",
    )
    pairs = [
        ("The Court of Appeal held so.", "上訴法庭如此裁定。"),
        ("The Court of Appeal agreed.", "上訴法庭同意。"),
        ("The Court of Appeal erred.", "上訴庭出錯。"),
    ]

    found = find_inconsistencies(segments(pairs), EN_ZH, (), brief)

    assert [(f.position, f.used, f.usual) for f in found] == [(3, "上訴庭", "上訴法庭")]


# In the workbench ----------------------------------------------------------------------


@pytest.fixture
def document(project):
    Term.objects.create(project=project, source_term="claim", target_term="申索")
    Term.objects.create(project=project, source_term="claim", target_term="索償", status="admitted")
    document = Document.objects.create(
        project=project,
        title="CACV 12/2024",
        original_filename="judgment.txt",
        format=Document.Format.TXT,
        status=Document.Status.READY,
    )
    rows = Segment.objects.bulk_create(
        Segment(document=document, position=n, source=s, source_hash=Segment.hash_source(s))
        for n, (s, _) in enumerate(DRAFTS, 1)
    )
    lifecycle.write_drafts(
        {row.pk: (0, target) for row, (_, target) in zip(rows, DRAFTS, strict=True)}
    )
    return document


def consistency_issues(document, status="open"):
    return {
        (issue.segment.position, issue.explanation)
        for issue in Annotation.objects.filter(
            segment__document=document, category="consistency", status=status
        ).select_related("segment")
    }


def test_drafting_flags_the_deviating_segments(document):
    issues = consistency_issues(document)

    assert sorted(position for position, _ in issues) == [3, 3, 5]
    assert any("“respondent” is translated “被上訴人” here but “答辯人”" in m for _, m in issues)
    assert all(
        a.source == "check" and a.severity == "minor"
        for a in Annotation.objects.filter(category="consistency")
    )


def test_the_flag_follows_the_text_when_a_person_fixes_the_segment(document, translator):
    third = document.segments.get(position=3)

    do_save_target(
        third,
        user=translator,
        role="translator",
        text="答辯人其後撤回申索。",
        base_version=third.version,
        action=CONFIRM,
    )

    assert sorted(p for p, _ in consistency_issues(document)) == [5]
    assert sorted(p for p, _ in consistency_issues(document, "outdated")) == [3, 3]


def test_changing_the_majority_moves_the_flag(document, translator):
    """Editing segments 4 and 6 makes segment 5's rendering the usual one."""
    for position in (4, 6):
        segment = document.segments.get(position=position)
        do_save_target(
            segment,
            user=translator,
            role="translator",
            text="上訴駁回。",
            base_version=segment.version,
        )

    assert sorted(p for p, _ in consistency_issues(document)) == [3, 3]


def test_a_dismissed_finding_stays_dismissed_while_it_stands(document, translator, reviewer):
    issue = Annotation.objects.get(segment__position=5, category="consistency")
    issue.resolve(Annotation.Status.DISMISSED, reviewer, "Both word orders are fine here.")
    first = document.segments.get(position=1)

    do_save_target(
        first,
        user=translator,
        role="translator",
        text="答辯人向上訴人提出申索！",
        base_version=first.version,
    )

    issue.refresh_from_db()
    assert issue.status == "dismissed"
    assert not Annotation.objects.filter(segment__position=5, category="consistency", status="open")


# The QA report ---------------------------------------------------------------------------


def report_url(document, suffix="qa/"):
    return f"/projects/{document.project.slug}/documents/{document.pk}/{suffix}"


def test_the_report_page_lists_consistency_and_check_findings(document, client_for, translator):
    fourth = document.segments.get(position=4)
    do_save_target(
        fourth,
        user=translator,
        role="translator",
        text="駁回上訴 5 次。",
        base_version=fourth.version,
    )

    response = client_for(translator).get(report_url(document))

    assert response.status_code == 200
    page = response.content.decode()
    assert "QA report" in page
    assert "被上訴人" in page and "keep one translation throughout" in page
    numbers = [f for f in response.context["report"].findings if f.check == "numbers"]
    assert [f.position for f in numbers] == [4]
    editor_row = f"/projects/hk/documents/{document.pk}/edit/?go=3#seg-{document.segments.get(position=3).pk}"
    assert editor_row in page


def test_the_report_csv_has_one_row_per_finding(document, client_for, reviewer):
    response = client_for(reviewer).get(report_url(document, "qa.csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["segment", "paragraph", "severity"]
    consistency = [row for row in rows[1:] if row[5] == "consistency"]
    assert sorted(int(row[0]) for row in consistency) == [3, 3, 5]
    assert len(rows) - 1 == len(qa_report(document).findings)
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.DATA_DOWNLOADED, object_pk=str(document.pk)
    ).exists()


def test_the_csv_neutralises_formulas(project, client_for, translator):
    document = Document.objects.create(
        project=project, title="=cmd", original_filename="x.txt", format="txt", status="ready"
    )
    rows = Segment.objects.bulk_create(
        Segment(document=document, position=n, source=s, source_hash=Segment.hash_source(s))
        for n, s in ((1, "Appeal dismissed."), (2, "Appeal dismissed."))
    )
    lifecycle.write_drafts({rows[0].pk: (0, "=HYPERLINK(1)"), rows[1].pk: (0, "駁回上訴。")})

    response = client_for(translator).get(report_url(document, "qa.csv"))

    assert ",=HYPERLINK" not in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("suffix", ["qa/", "qa.csv"])
def test_outsiders_and_bad_ids_get_404(document, client_for, outsider, translator, manager, suffix):
    assert client_for(outsider).get(report_url(document, suffix)).status_code == 404
    member = client_for(translator)
    assert member.get(f"/projects/hk/documents/999999/{suffix}").status_code == 404
    other = make_project("other", "Other", "en", "zh-Hant-HK", [(manager, "manager")])
    assert member.get(f"/projects/{other.slug}/documents/{document.pk}/{suffix}").status_code == 404
    assert member.post(report_url(document, suffix)).status_code == 405


def test_the_report_asks_for_a_login(document, client):
    response = client.get(report_url(document))

    assert response.status_code == 302 and "login" in response["Location"]


def test_a_court_rendered_two_ways_is_flagged_without_a_glossary():
    pairs = [
        ("The Court of Appeal dismissed the appeal.", "上訴法庭駁回上訴。"),
        ("The Court of Appeal gave leave.", "上訴庭批予許可。"),
        (
            "A Justice of Appeal of the Court of Appeal sat alone.",
            "一名上訴法庭法官獨任審理上訴法庭案件。",
        ),
        ("The Court of Appeal was right.", "上訴法庭是正確的。"),
    ]

    found = find_inconsistencies(segments(pairs), EN_ZH)

    assert [(f.position, f.item, f.used, f.usual) for f in found] == [
        (2, "Court of Appeal", "上訴庭", "上訴法庭")
    ]


def test_checking_again_after_one_change_gives_the_same_as_from_scratch():
    glossary = [
        GlossaryConstraint("claim", "申索"),
        GlossaryConstraint("claim", "索償", "admitted"),
    ]
    texts = segments(DRAFTS)
    first = find_inconsistencies(texts, EN_ZH, glossary)
    texts[2] = SegmentText(3, 3, DRAFTS[2][0], "答辯人其後撤回申索。")

    again = find_inconsistencies(texts, EN_ZH, glossary)

    assert [f.position for f in first] == [3, 3, 5]
    assert [f.position for f in again] == [5]


def test_a_large_document_is_checked_again_in_one_background_job(document, translator, monkeypatch):
    """Above the inline limit, saves queue the check instead of rereading the document:
    one waiting job however many saves, and the job finds what the save would have."""
    monkeypatch.setattr(consistency, "INLINE_SEGMENTS", 2)
    for text in ("答辯人其後撤回。", "答辯人其後撤回申索。"):  # two saves of segment 3
        third = document.segments.get(position=3)
        do_save_target(
            third, user=translator, role="translator", text=text, base_version=third.version
        )

    waiting = Job.objects.filter(kind="consistency", document=document)
    assert waiting.count() == 1 and waiting.get().status == Job.Status.QUEUED
    assert sorted(p for p, _ in consistency_issues(document)) == [3, 3, 5]  # not yet

    run_job(waiting.get().pk)

    assert sorted(p for p, _ in consistency_issues(document)) == [5]
    assert sorted(p for p, _ in consistency_issues(document, "outdated")) == [3, 3]
