"""JSONL exports for fine-tuning: every line checked against the OpenAI chat format and
preference format (strict pydantic models: no missing, extra or mistyped field)."""

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tests.test_export_fixtures import (
    CONTROL_CHARACTERS,
    add_segment,
    exported,
    make_document,
    revise,
)


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    role: Literal["system", "user", "assistant"]
    content: str = Field(min_length=1)


class ChatExample(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    messages: list[Message] = Field(min_length=3, max_length=3)


class AssistantMessage(Message):
    role: Literal["assistant"]


class PreferenceInput(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    messages: list[Message] = Field(min_length=2, max_length=2)


class PreferenceExample(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    input: PreferenceInput
    preferred_output: list[AssistantMessage] = Field(min_length=1, max_length=1)
    non_preferred_output: list[AssistantMessage] = Field(min_length=1, max_length=1)


def lines(data, model):
    return [model.model_validate_json(line) for line in data.decode().splitlines()]


def test_each_approved_segment_is_a_chat_example(project):
    document = make_document(project)
    add_segment(document, "The appeal is dismissed.", "上訴駁回。")
    add_segment(document, "Costs follow the event.", "訟費跟隨事件結果。")
    add_segment(document, "Still a draft.", "草稿。", status="drafted")

    data, tally = exported(project, "jsonl-sft")

    examples = lines(data, ChatExample)
    assert tally.units == len(examples) == 2
    assert [[m.role for m in e.messages] for e in examples] == [["system", "user", "assistant"]] * 2
    assert [(e.messages[1].content, e.messages[2].content) for e in examples] == [
        ("The appeal is dismissed.", "上訴駁回。"),
        ("Costs follow the event.", "訟費跟隨事件結果。"),
    ]
    assert "上訴駁回。".encode() in data  # UTF-8 as it is, not \\u escapes


def test_the_instruction_names_the_language_pair_and_is_never_built_from_the_description(
    project, zh_project
):
    add_segment(make_document(project), "Held.", "裁定。")
    zh_project.description = "tenancy tribunal decisions, batch 2 (ask Mandy)"
    zh_project.save()
    add_segment(make_document(zh_project), "裁定。", "Held.")

    hk, _ = exported(project, "jsonl-sft")
    zh, _ = exported(zh_project, "jsonl-sft")

    system = lines(hk, ChatExample)[0].messages[0].content
    assert system.startswith(
        "You are a legal translator. Translate the user's text from English (en) into "
        "Traditional Chinese as written in Hong Kong (zh-Hant-HK) completely and faithfully, "
        "and answer with the translation only. The text is from a court judgment. Keep case "
        "citations"
    )
    system = lines(zh, ChatExample)[0].messages[0].content
    assert "from Traditional Chinese as written in Hong Kong (zh-Hant-HK) into English (en)" in (
        system
    )
    assert "Mandy" not in system and "tenancy" not in system


BRIEF = {
    "court": "Court of Final Appeal",
    "case_number": "FACC 5/2024",
    "parties": [
        {"name": "HKSAR", "role": "respondent", "referred_to_as": "the respondent"},
        {"name": "Chan Tai Man", "role": "appellant", "referred_to_as": "Chan"},
        {"name": "", "role": "intervener", "referred_to_as": ""},
    ],
    "judges": ["Cheung CJ"],
    "defined_terms": [],
    "key_terms": [{"source": "appellant", "target": "上訴人"}],
    "notes": "",
}


def test_the_instruction_tells_the_court_the_case_and_the_parties_of_each_document(project):
    with_brief = make_document(project, title="HKSAR v Chan")
    with_brief.brief = BRIEF
    with_brief.save()
    add_segment(with_brief, "The appeal is dismissed.", "上訴駁回。")
    add_segment(make_document(project, title="No brief"), "Held.", "裁定。")

    data, _ = exported(project, "jsonl-sft")

    first, second = (example.messages[0].content for example in lines(data, ChatExample))
    assert (
        "The text is from a judgment of the Court of Final Appeal in FACC 5/2024. Name the "
        "parties the same way throughout: HKSAR, the respondent; Chan Tai Man, the appellant, "
        "referred to as “Chan”. Render these terms as shown: appellant → 上訴人. Keep case "
        "citations"
    ) in first
    assert "The text is from a court judgment." in second and "HKSAR" not in second
    for system in (first, second):
        sentences = [s for s in system.split(". ") if s]
        assert all(s[0].isupper() for s in sentences), system  # no broken sentence
        assert system.endswith("unchanged.") and ".." not in system and " ." not in system


def test_texts_round_trip_exactly_with_tokens_and_control_characters(project):
    document = make_document(project)
    source = f"See ⟦1⟧below⟦/1⟧.{CONTROL_CHARACTERS}\u2028"
    add_segment(document, source, "見下文⟦1⟧。\ufffe", placeholders={"⟦1⟧": "<g>", "⟦/1⟧": "</g>"})

    data, _ = exported(project, "jsonl-sft")

    assert len(data.splitlines()) == 1  # a line separator inside a text stays escaped
    messages = json.loads(data)["messages"]
    assert (messages[1]["content"], messages[2]["content"]) == (source, "見下文⟦1⟧。\ufffe")


def test_a_preference_pair_holds_the_persons_text_over_the_machines(project, reviewer):
    document = make_document(project)
    corrected = add_segment(document, "The appellant appeals.", "上訴人提出上訴。")
    revise(corrected, "agent", "申請人上訴。")
    revise(corrected, "person", "上訴人上訴。", author=reviewer)
    revise(corrected, "agent", "a later machine suggestion")
    revise(corrected, "person", "上訴人提出上訴。", author=reviewer)

    data, tally = exported(project, "jsonl-dpo")

    (pair,) = lines(data, PreferenceExample)
    assert tally.units == 1
    assert [m.role for m in pair.input.messages] == ["system", "user"]
    assert pair.input.messages[1].content == "The appellant appeals."
    assert pair.preferred_output[0].content == "上訴人提出上訴。"
    assert pair.non_preferred_output[0].content == "申請人上訴。"


def test_the_machine_text_is_the_last_one_before_the_first_human_edit(project, reviewer):
    document = make_document(project)
    segment = add_segment(document, "Costs.", "訟費。")
    revise(segment, "tm", "費用。")
    revise(segment, "agent", "堂費。")
    revise(segment, "person", "訟費。", author=reviewer)

    data, _ = exported(project, "jsonl-dpo")

    assert lines(data, PreferenceExample)[0].non_preferred_output[0].content == "堂費。"


def test_only_segments_a_person_changed_become_pairs(project, reviewer):
    document = make_document(project)
    confirmed = add_segment(document, "Confirmed as is.", "照確認。")
    revise(confirmed, "tm", "照確認。")
    revise(confirmed, "person", "照確認。", author=reviewer)
    respaced = add_segment(document, "Only spacing.", "只是 空格。")
    revise(respaced, "agent", "只是  空格。 ")
    revise(respaced, "person", "只是 空格。", author=reviewer)
    typed = add_segment(document, "Typed by hand.", "人手輸入。")
    revise(typed, "person", "人手輸入。", author=reviewer)
    add_segment(document, "Machine, never touched.", "機器。")
    revise(document.segments.last(), "agent", "機器。")
    draft = add_segment(document, "Changed but not approved.", "改了。", status="translated")
    revise(draft, "agent", "未改。")
    revise(draft, "person", "改了。", author=reviewer)

    data, tally = exported(project, "jsonl-dpo")

    assert data == b""
    assert tally.units == 0
    assert tally.segments == 4
