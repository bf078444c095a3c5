"""Glossary candidates: a machine term people keep replacing the same way is offered to
the manager, who accepts it into the glossary (and the agents get it in their next
request) or rejects it for good."""

import pytest

from tests.loopback_llm import document_data
from tests.test_corrections import edit, machine_draft, make_document
from workbench.feedback.models import CandidateRefused, GlossaryCandidate
from workbench.jobs.services import enqueue, run_job
from workbench.memory.models import Term

# The machine writes 原告 (plaintiff) where people want 上訴人 (appellant).
CASES = [
    ("The appellant was convicted of theft.", "原告被裁定盜竊罪成立。", "上訴人被裁定盜竊罪成立。"),
    ("The appellant appealed against sentence.", "原告對刑罰提出上訴。", "上訴人對刑罰提出上訴。"),
    (
        "Counsel for the appellant relied on the report.",
        "原告的大律師依賴該報告。",
        "上訴人的大律師依賴該報告。",
    ),
]


def correct(project, user, cases, title):
    """Each case drafted by the machine and confirmed by `user` as fixed, in one document."""
    document = make_document(project, [source for source, _, _ in cases], title=title)
    for segment, (_, machine, fixed) in zip(
        document.segments.order_by("position"), cases, strict=True
    ):
        machine_draft(segment, machine)
        edit(segment, user, fixed)
    return document


def candidates(project):
    return list(GlossaryCandidate.objects.filter(project=project))


def test_it_suggests_a_change_made_three_times_in_two_documents(project, translator):
    correct(project, translator, CASES[:2], "HCMA 1/2024")
    assert candidates(project) == []

    correct(project, translator, CASES[2:], "HCMA 2/2024")

    (candidate,) = candidates(project)
    assert (candidate.machine_term, candidate.target_term) == ("原告", "上訴人")
    assert candidate.source_term == "appellant"
    assert (candidate.corrections_count, candidate.documents_count) == (3, 2)
    assert candidate.status == "open"
    assert sorted(c.source for c in candidate.evidence.all()) == sorted(s for s, _, _ in CASES)


def test_it_wants_two_documents_however_often_the_change_is_made(project, translator):
    correct(project, translator, CASES, "HCMA 1/2024")

    assert candidates(project) == []


def test_the_thresholds_are_settings(project, translator, settings):
    settings.WORKBENCH_TERM_CANDIDATE_CORRECTIONS = 2
    settings.WORKBENCH_TERM_CANDIDATE_DOCUMENTS = 1

    correct(project, translator, CASES[:2], "HCMA 1/2024")

    assert [c.corrections_count for c in candidates(project)] == [2]


def test_it_proposes_the_glossarys_source_for_the_machine_term(project, translator):
    Term.objects.create(project=project, source_term="Appellant", target_term="原告")

    correct(project, translator, CASES[:2], "HCMA 1/2024")
    correct(project, translator, CASES[2:], "HCMA 2/2024")

    assert candidates(project)[0].source_term == "Appellant"


def test_it_suggests_nothing_the_glossary_already_has(project, translator):
    Term.objects.create(project=project, source_term="appellant", target_term="上訴人")

    correct(project, translator, CASES[:2], "HCMA 1/2024")
    correct(project, translator, CASES[2:], "HCMA 2/2024")

    assert candidates(project) == []


@pytest.fixture
def candidate(project, translator):
    correct(project, translator, CASES[:2], "HCMA 1/2024")
    correct(project, translator, CASES[2:], "HCMA 2/2024")
    return GlossaryCandidate.objects.get(project=project)


def test_a_rejected_change_is_not_suggested_again(project, translator, manager, candidate):
    candidate.reject(manager)

    correct(project, translator, CASES, "HCMA 3/2024")

    candidate.refresh_from_db()
    assert candidate.status == "rejected" and candidate.decided_by == manager
    assert candidate.corrections_count == 3
    assert len(candidates(project)) == 1
    assert not project.terms.exists()


def test_accepting_adds_the_term_and_optionally_forbids_the_machines(manager, candidate, project):
    term = candidate.accept(
        manager, source_term="appellant", target_term="上訴人", forbid_machine_term=True
    )

    assert (term.source_term, term.target_term, term.status) == ("appellant", "上訴人", "preferred")
    assert "3 corrections" in term.note
    forbidden = project.terms.get(target_term="原告")
    assert (forbidden.source_term, forbidden.status) == ("appellant", "forbidden")
    candidate.refresh_from_db()
    assert (candidate.status, candidate.term, candidate.decided_by) == ("accepted", term, manager)


def test_accepting_takes_the_managers_corrected_terms(manager, candidate, project):
    candidate.accept(manager, source_term="the  Appellant ", target_term="上訴人（刑事）")

    assert list(project.terms.values_list("source_term", "target_term", "status")) == [
        ("the Appellant", "上訴人（刑事）", "preferred")
    ]


def test_it_refuses_an_entry_the_glossary_has_and_changes_nothing(manager, candidate, project):
    Term.objects.create(project=project, source_term="appellant", target_term="上訴人")

    with pytest.raises(CandidateRefused, match="already has"):
        candidate.accept(manager, source_term="appellant", target_term="上訴人")

    candidate.refresh_from_db()
    assert candidate.status == "open" and project.terms.count() == 1


def test_it_refuses_to_decide_twice(manager, reviewer, candidate):
    candidate.reject(manager)

    with pytest.raises(CandidateRefused, match="mandy has already rejected"):
        candidate.accept(reviewer, source_term="appellant", target_term="上訴人")


def test_the_next_drafting_request_carries_an_accepted_candidate(
    transactional_db, settings, loopback_llm, manager, candidate, project
):
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    candidate.accept(
        manager, source_term="appellant", target_term="上訴人", forbid_machine_term=True
    )

    document = make_document(project, ["The appellant was sentenced to prison."], title="Next")
    job = enqueue("draft_document", project=project, document=document, user=manager)
    run_job(job.pk)

    (request,) = loopback_llm.requests_for("TranslatorOutput")
    glossary = document_data(request)["glossary"]
    assert {"source_term": "appellant", "target_term": "上訴人", "status": "preferred"} in glossary
    assert {"source_term": "appellant", "target_term": "原告", "status": "forbidden"} in glossary
