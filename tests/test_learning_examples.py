"""similar_corrections: the approved corrections most like a batch's sources become the
Translator's few-shot examples, and the next drafting request carries them."""

import pytest

from tests.loopback_llm import document_data
from tests.test_corrections import edit, machine_draft, make_document
from workbench.feedback.learning import similar_corrections
from workbench.jobs.services import enqueue, run_job
from workbench.translation.services import do_send_back

CONVICTED = "The appellant was convicted of theft at the District Court."
CONVICTED_MACHINE = "原告人在區域法院被裁定盜竊罪成立。"
CONVICTED_FIXED = "上訴人在區域法院被裁定盜竊罪名成立。"


def approve_correction(project, source, machine, fixed, user, title="DCCC 1/2024"):
    segment = make_document(project, [source], title=title).segments.get()
    machine_draft(segment, machine)
    edit(segment, user, fixed, action="approve", role="reviewer")
    return segment


def test_it_offers_the_approved_corrections_most_like_the_sources(project, reviewer):
    approve_correction(project, CONVICTED, CONVICTED_MACHINE, CONVICTED_FIXED, reviewer)
    approve_correction(
        project,
        "The respondent was ordered to pay costs.",
        "答辯人須支付訟費",
        "答辯人須支付訟費。",
        reviewer,
    )
    approve_correction(project, "The hearing was adjourned.", "聆訊押後", "聆訊押後。", reviewer)

    examples = similar_corrections(
        project, ["The appellant was convicted of robbery at the High Court."], limit=3
    )

    assert [(e.source, e.machine_text, e.human_text) for e in examples] == [
        (CONVICTED, CONVICTED_MACHINE, CONVICTED_FIXED)
    ]


def test_it_ranks_the_closest_first_and_keeps_to_the_limit(project, reviewer):
    for n, source in enumerate(
        [
            "The appellant was convicted of theft.",
            "The appellant was convicted of theft at the District Court.",
            "The appellant was convicted of theft at the District Court in 2019.",
        ]
    ):
        approve_correction(project, source, f"機器譯文{n}", f"人工譯文{n}", reviewer)

    examples = similar_corrections(project, [CONVICTED], limit=2)

    assert [e.source for e in examples] == [
        CONVICTED,
        "The appellant was convicted of theft at the District Court in 2019.",
    ]


def test_it_leaves_out_unchanged_and_other_projects_corrections(project, zh_project, reviewer):
    approve_correction(project, CONVICTED, CONVICTED_MACHINE, CONVICTED_MACHINE, reviewer)
    approve_correction(zh_project, CONVICTED, "機器", "人工", reviewer)

    assert similar_corrections(project, [CONVICTED]) == []


def test_a_confirmed_correction_is_an_unreviewed_example_at_once(project, translator, reviewer):
    segment = make_document(project, [CONVICTED]).segments.get()
    machine_draft(segment, CONVICTED_MACHINE)
    edit(segment, translator, CONVICTED_FIXED)

    [example] = similar_corrections(project, [CONVICTED])
    assert (example.human_text, example.reviewed) == (CONVICTED_FIXED, False)

    edit(segment, reviewer, CONVICTED_FIXED, action="approve", role="reviewer")
    [example] = similar_corrections(project, [CONVICTED])
    assert (example.human_text, example.reviewed) == (CONVICTED_FIXED, True)


def test_sending_back_withdraws_the_example(project, translator, reviewer):
    segment = make_document(project, [CONVICTED]).segments.get()
    machine_draft(segment, CONVICTED_MACHINE)
    edit(segment, translator, CONVICTED_FIXED)
    segment.refresh_from_db()

    do_send_back(segment, user=reviewer, role="reviewer", text="Convicted of what?")

    assert similar_corrections(project, [CONVICTED]) == []


def test_an_approved_example_ranks_before_an_unreviewed_one_as_alike(project, translator, reviewer):
    unreviewed = make_document(project, [CONVICTED], title="A").segments.get()
    machine_draft(unreviewed, CONVICTED_MACHINE)
    edit(unreviewed, translator, "未經審核的譯文。")
    approve_correction(project, CONVICTED, CONVICTED_MACHINE, CONVICTED_FIXED, reviewer)

    examples = similar_corrections(project, [CONVICTED], limit=2)

    assert [(e.human_text, e.reviewed) for e in examples] == [
        (CONVICTED_FIXED, True),
        ("未經審核的譯文。", False),
    ]


def test_it_gives_nothing_for_no_sources(project):
    assert similar_corrections(project, []) == []
    assert similar_corrections(project, ["  "]) == []


@pytest.fixture
def endpoint(transactional_db, settings, loopback_llm):
    """The loopback server; the job's threads record calls on their own connections, so
    the test's rows must be committed."""
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    settings.OPENAI_TIMEOUT_SECONDS = 5
    return loopback_llm


def draft(document, user):
    job = enqueue("draft_document", project=document.project, document=document, user=user)
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    return job


def translator_payloads(loopback):
    return [document_data(body) for body in loopback.requests_for("TranslatorOutput")]


def test_the_next_drafting_request_carries_an_approved_correction(
    endpoint, project, manager, reviewer
):
    robbery = "The appellant was convicted of robbery at the District Court."
    draft(make_document(project, [robbery], title="Before"), manager)
    assert translator_payloads(endpoint)[0]["examples"] == []
    endpoint.reset()

    approve_correction(project, CONVICTED, CONVICTED_MACHINE, CONVICTED_FIXED, reviewer)
    draft(make_document(project, [robbery], title="After"), manager)

    (payload,) = translator_payloads(endpoint)
    assert payload["examples"] == [
        {
            "source": CONVICTED,
            "machine_text": CONVICTED_MACHINE,
            "human_text": CONVICTED_FIXED,
            "reviewed": True,
        }
    ]
