"""Risk routing end to end: the agents draft against the loopback model, every drafted
segment gets a risk with its reasons, and a project may let low-risk segments skip
review, recorded in the segment's history and the audit log."""

from pathlib import Path

import pytest

from agents.risk import FUNCTION_CUES, assess, functions_of
from tests.test_drafting import draft, endpoint, small_document  # noqa: F401
from workbench.audit.models import AuditEvent
from workbench.documents.models import Revision
from workbench.translation.services import CONFIRM, do_save_target

PLAIN = [
    "The appellant gave evidence at the trial.",
    "The witness was cross-examined by counsel for the respondent.",
    "The judge directed the jury on the burden of proof.",
]
PLANTED = "The appellant paid HK$38,500 on 3 March 2021 under s. 9 of the Theft Ordinance."
OF_LEGAL_EFFECT = [
    "ORDER",
    "It is ordered that the respondent pay the costs of the appeal.",
    "The appeal is dismissed.",
    "We hold that the judge misdirected the jury.",
    "Section 4 of the Theft Ordinance provides as follows.",
]


@pytest.fixture
def document(endpoint, project):  # noqa: F811
    endpoint.configure(flag_every=0)  # no Annotator issues: only the planted error
    document = small_document(project, [*PLAIN, PLANTED, *OF_LEGAL_EFFECT])
    planted = document.segments.get(source=PLANTED)
    endpoint.configure(drop_numbers_ids=[str(planted.pk)])
    return document


def by_source(document):
    return {segment.source: segment for segment in document.segments.all()}


def test_every_drafted_segment_gets_a_risk_with_reasons(document, manager):
    job = draft(document, manager, concurrency=1)

    assert job.status == "succeeded", job.error
    segments = by_source(document)
    for segment in segments.values():
        assert segment.risk in ("low", "medium", "high")
        assert segment.risk_reasons and all(r["reason"] for r in segment.risk_reasons)
        assert segment.status == "drafted"
    assert {segments[s].risk for s in PLAIN} == {"low"}
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.REVIEW_SKIPPED).exists()


def test_a_planted_critical_error_never_ends_low(document, manager, project):
    """Even where the project approves low-risk segments without any review."""
    project.low_risk_review = "approve"
    project.save()

    draft(document, manager, concurrency=1)

    planted = by_source(document)[PLANTED]
    assert "38,500" not in planted.target  # the error is in the text the agents stored
    assert planted.risk == "high"
    assert planted.risk_reasons[0]["level"] == "high"
    assert planted.risk_reasons[0]["reason"].startswith("Check:")
    assert planted.status == "drafted"
    assert not planted.revisions.filter(origin=Revision.Origin.POLICY).exists()


def test_orders_holdings_dispositions_and_quoted_statutes_are_never_low(document, manager, project):
    project.low_risk_review = "confirm"
    project.save()

    draft(document, manager, concurrency=1)

    segments = by_source(document)
    for source in OF_LEGAL_EFFECT:
        assert segments[source].risk != "low", source
        assert segments[source].status == "drafted"
        assert any("never low risk" in r["reason"] for r in segments[source].risk_reasons)


def test_a_skipped_review_is_in_the_history_and_the_audit_log(
    document, manager, project, client_for, reviewer
):
    project.low_risk_review = "confirm"
    project.save()

    draft(document, manager, concurrency=1)

    segment = by_source(document)[PLAIN[0]]
    assert segment.status == "translated"  # confirmed, never approved by this policy
    agent, policy = segment.revisions.order_by("pk")
    assert (agent.origin, agent.new_status) == ("agent", "drafted")
    assert (policy.origin, policy.old_status, policy.new_status) == (
        "policy",
        "drafted",
        "translated",
    )
    assert policy.new_target == agent.new_target and policy.author is None
    assert "skip review" in policy.reason and "low risk" in policy.reason
    assert policy.version == segment.version == 2
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.REVIEW_SKIPPED, project_pk=project.pk)
    assert sorted(e.details["segment"] for e in events) == sorted(
        by_source(document)[s].position for s in PLAIN
    )
    event = events.get(details__segment=segment.position)
    assert event.details["risk"] == "low" and event.details["status"] == "translated"
    assert event.details["reasons"] == [r["reason"] for r in segment.risk_reasons]
    # The manager sees it in the audit log.
    log = client_for(manager).get("/projects/hk/audit/").content.decode()
    assert "Review skipped by policy" in log and "Confirmed without translation review" in log
    # The reviewer sees who decided, and why, in the segment's history.
    panel = client_for(reviewer).get(
        f"/projects/hk/documents/{document.pk}/segments/{segment.pk}/panel/"
    )
    page = panel.content.decode()
    assert "Project policy" in page and "Confirmed without translation review" in page
    assert "Risk of the agents&#x27; draft" in page or "Risk of the agents' draft" in page


def test_the_approve_policy_approves_low_risk_segments_only(document, manager, project):
    project.low_risk_review = "approve"
    project.save()

    draft(document, manager, concurrency=1)

    statuses = {s.source: (s.risk, s.status) for s in document.segments.all()}
    for source, (risk, status) in statuses.items():
        assert status == ("approved" if risk == "low" else "drafted"), source


def test_the_risk_stays_when_a_person_edits(document, manager, translator):
    draft(document, manager, concurrency=1)
    planted = by_source(document)[PLANTED]
    reasons = planted.risk_reasons

    do_save_target(
        planted,
        user=translator,
        role="translator",
        text=planted.target + "港幣38,500元",
        base_version=planted.version,
        action=CONFIRM,
        override_reason="The date and section are in the next sentence.",
    )

    planted.refresh_from_db()
    assert (planted.risk, planted.risk_reasons) == ("high", reasons)


# The assessment itself -------------------------------------------------------------------


def test_each_function_has_a_cue_that_finds_it():
    assert functions_of("ORDER") == ["an order"]
    assert functions_of("The appeal is allowed and the conviction quashed.") == ["the disposition"]
    assert functions_of("We would hold that the section applies.") == ["a holding"]
    assert functions_of("Section 4(1) of the Ordinance provides:") == ["a quoted statute"]
    assert functions_of("上訴駁回。") == ["the disposition"]
    assert functions_of("The witness arrived late.") == []
    assert set(FUNCTION_CUES) == {"an order", "the disposition", "a holding", "a quoted statute"}


def test_a_critical_annotator_issue_is_high_even_when_all_else_is_quiet():
    from agents.context import SegmentIssue

    issue = SegmentIssue("x", "accuracy", "critical", "", "Wrong party.")

    assert assess("The witness arrived late.", "證人遲到。", issues=[issue]).level == "high"


def test_a_rewrite_by_the_proofreader_is_medium():
    risk = assess(
        "The witness arrived late.",
        "證人較晚抵達法院。",
        draft="證人遲到。",
        revision="證人較晚抵達法院。",
    )

    assert risk.level == "medium"
    assert "rewrote the draft" in risk.reasons[0]["reason"]


def test_a_fuzzy_tm_match_as_the_text_is_never_low():
    assert assess("The witness arrived late.", "證人遲到。", tm_match=101).level == "low"
    fuzzy = assess("The witness arrived late.", "證人遲到。", tm_match=92)
    assert fuzzy.level == "medium"
    assert "fuzzy translation-memory match (92%)" in fuzzy.reasons[0]["reason"]


def test_no_planted_error_of_the_qa_corpus_ends_low():
    """The 218 planted errors of tests/data/qa, as drafts with the checks' findings."""
    from agents.checks import run_checks
    from workbench.translation.management.commands.qa_check import read_line

    data = Path(__file__).parent / "data" / "qa"
    lines = [
        line
        for name in ("planted.jsonl", "heldout_planted.jsonl")
        for line in (data / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    low = []
    for line in lines:
        source, target, pair, termbase, brief = read_line(line)
        risk = assess(source, target, issues=run_checks(source, target, pair, termbase, brief))
        if risk.level == "low":
            low.append(source)

    assert len(lines) >= 200 and low == []


def test_the_corpus_dispositions_are_never_low():
    for source in (
        "The appeal against conviction is dismissed.",
        "For these reasons, I would allow the appeal.",
        "There be no order as to costs.",
        "The sentence of 18 months' imprisonment is quashed.",
        "He was ordered to perform 240 hours of community service.",
        "原告人針對第二被告人的申索被駁回。",
        "不作訟費命令。",
    ):
        assert functions_of(source), source
        assert assess(source, "x").level != "low", source


def test_the_editor_filters_by_risk_and_says_when_a_level_is_unknown(
    project, client_for, translator
):
    from workbench.documents import lifecycle
    from workbench.documents.models import Document, Segment

    document = Document.objects.create(
        project=project,
        title="DCCC 9/2024",
        original_filename="x.txt",
        format="txt",
        status="ready",
    )
    rows = Segment.objects.bulk_create(
        Segment(document=document, position=n, source=f"Sentence {n}.", source_hash=str(n))
        for n in (1, 2, 3)
    )
    lifecycle.write_drafts(
        {s.pk: (0, "譯文。") for s in rows},
        risks={s.pk: (risk, []) for s, risk in zip(rows, ("low", "high", "medium"), strict=True)},
    )
    editor = f"/projects/hk/documents/{document.pk}/edit/"
    client = client_for(translator)

    high = client.get(editor + "?risk=high&risk=medium")
    unknown = client.get(editor + "?risk=severe")

    assert [s.position for s in high.context["rows"]] == [2, 3]
    assert unknown.status_code == 200
    assert "severe is not one of the available choices" in unknown.content.decode()
    assert len(unknown.context["rows"]) == 3
