"""The demo replay model: an OpenAI-compatible server that answers the agents from the
demo's recordings, and tells anyone asking about other text how to connect a model."""

import openai
import pytest

from agents import prompts
from agents.context import LanguagePair, RevisionContext, SegmentInput
from agents.graph import make_brief, revise_segment
from agents.llm import LLMClient, LLMRefused
from agents.schemas import AnnotatorOutput, ProofreaderOutput, TranslatorOutput
from workbench.demo.recordings import RecordingBook
from workbench.demo.replay_model import MODEL, ReplayModel

PAIR = LanguagePair("en", "zh-Hant-HK")
# Segment 22 of the judgment: the Translator wrote 上訴法院, the Annotator flagged it and
# the Proofreader wrote 上訴法庭.
SOURCE = "His appeal against conviction was dismissed by the Court of Appeal.⟦1⟧"


@pytest.fixture(scope="module")
def replay():
    with ReplayModel() as server:
        yield server


@pytest.fixture
def llm(replay):
    client = LLMClient(replay.base_url, max_attempts=1)
    yield client
    client.close()


@pytest.fixture(scope="module")
def recording():
    return RecordingBook().find("zh-Hant-HK", SOURCE)


def translate(llm, source):
    messages = prompts.translator_messages(
        PAIR,
        [SegmentInput(id="7", source=source)],
        brief=None,
        fixed=[],
        before=[],
        after=[],
        glossary=[],
        tm_hints={},
        examples=[],
        lessons=[],
    )
    return llm.complete("translator", "v", MODEL, messages, TranslatorOutput)[0]


def review(llm, schema, target, issues=()):
    item = {"id": "7", "source": SOURCE, "target": target}
    if schema is AnnotatorOutput:
        messages = prompts.annotator_messages(
            PAIR, [{**item, "check_findings": []}], brief=None, glossary=[], lessons=[]
        )
    else:
        messages = prompts.proofreader_messages(
            PAIR, [{**item, "issues": list(issues)}], brief=None, glossary=[], lessons=[]
        )
    return llm.complete(schema.__name__.lower(), "v", MODEL, messages, schema)[0]


def test_it_lists_its_one_model(replay):
    client = openai.OpenAI(base_url=replay.base_url, api_key="none")

    assert [model.id for model in client.models.list()] == [MODEL]


def test_the_translator_gets_the_recorded_draft(llm, recording):
    answer = translate(llm, SOURCE)

    assert answer.segments[0].id == "7"
    assert answer.segments[0].target == recording.draft == "他針對定罪提出的上訴被上訴法院駁回。⟦1⟧"


def test_the_annotator_gets_the_recorded_issues_of_that_draft_only(llm, recording):
    on_draft = review(llm, AnnotatorOutput, recording.draft).segments[0].issues
    on_revision = review(llm, AnnotatorOutput, recording.revision).segments[0].issues

    assert [(i.span, i.severity, i.suggestion) for i in on_draft] == [
        ("上訴法院", "major", "上訴法庭")
    ]
    assert on_revision == []


def test_the_proofreader_gets_the_recorded_revision(llm, recording):
    issue = {
        "span": "上訴法院",
        "category": "terminology",
        "severity": "major",
        "suggestion": "上訴法庭",
        "explanation": "x",
    }

    answer = review(llm, ProofreaderOutput, recording.draft, [issue]).segments[0]

    assert answer.target == recording.revision
    assert answer.resolutions[0].resolution == "Replaced “上訴法院” with “上訴法庭”."


def test_the_brief_is_the_recorded_brief_of_the_document(llm):
    brief, record = make_brief(PAIR, f"[2024] HKCFA 12\n{SOURCE}", llm, MODEL)

    assert brief.case_number.startswith("FACC No. 5 of 2024")
    assert record.model == MODEL


def test_a_revision_on_request_offers_the_team_s_translation(llm, recording):
    context = RevisionContext(pair=PAIR, current_target=recording.draft)

    text, _ = revise_segment(
        SegmentInput(id="7", source=SOURCE), "use 上訴法庭", context, llm, MODEL
    )

    assert text == recording.team


def test_text_outside_the_demo_gets_how_to_connect_a_model(llm):
    with pytest.raises(LLMRefused) as refused:
        translate(llm, "The tenant shall pay the rent on the first day of each month.")

    message = str(refused.value)
    assert "HTTP 400" in message and "This is the demo replay model" in message
    assert "cannot translate “The tenant shall pay the rent" in message
    assert (
        "Connect a model to draft your own documents" in message
        and "WORKBENCH_ENDPOINTS" in message
    )


def test_it_answers_only_as_demo_replay(replay):
    client = LLMClient(replay.base_url, max_attempts=1)
    messages = [{"role": "user", "content": "Hello"}]

    with pytest.raises(LLMRefused, match="HTTP 404"):
        client.complete("translator", "v", "gpt-4.1-mini", messages, TranslatorOutput)
    client.close()
