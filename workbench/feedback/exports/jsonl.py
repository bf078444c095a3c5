"""JSON Lines for fine-tuning, one example per line, in OpenAI's formats.

Supervised fine-tuning (chat format), one per segment:
    {"messages": [{"role": "system", "content": <instruction>},
                  {"role": "user", "content": <source>},
                  {"role": "assistant", "content": <reviewed target>}]}

Preference pairs (OpenAI's preference fine-tuning format, for DPO), one per segment a
person changed after a machine wrote it:
    {"input": {"messages": [<system>, <user: source>]},
     "preferred_output": [{"role": "assistant", "content": <the person's text>}],
     "non_preferred_output": [{"role": "assistant", "content": <the machine's text>}]}

Texts keep the workbench's protected tokens ("⟦1⟧"), which is what the agents see and
must learn to carry over. The instruction names the language pair and what the
document's brief says (court, case, parties), per document.
"""

import json

from agents.context import LanguagePair
from agents.prompts import fine_tuning_instruction
from agents.schemas import stored_brief


class Instructions:
    """The system message for each document's examples (agents/prompts.py builds it
    from the language pair and the document's brief), made once per document."""

    def __init__(self, corpus):
        self.pair = LanguagePair(corpus.source_language, corpus.target_language)
        self.documents = corpus.documents
        self.made = {}

    def for_segment(self, segment):
        document_id = segment.document_id
        if document_id not in self.made:
            document = self.documents.get(document_id)
            brief = stored_brief(document.brief) if document is not None else None
            self.made[document_id] = {
                "role": "system",
                "content": fine_tuning_instruction(self.pair, brief),
            }
        return self.made[document_id]


def _line(example):
    return (json.dumps(example, ensure_ascii=False) + "\n").encode()


def write_sft(corpus, tally):
    instructions = Instructions(corpus)
    for segment in corpus.stream():
        tally.read()
        yield _line(
            {
                "messages": [
                    instructions.for_segment(segment),
                    {"role": "user", "content": segment.source},
                    {"role": "assistant", "content": segment.target},
                ]
            }
        )
        tally.wrote()


def write_preferences(corpus, tally):
    instructions = Instructions(corpus)
    for segment in corpus.stream_with_machine_text():
        tally.read()
        if not changed_by_person(segment.machine_text, segment.target):
            continue
        yield _line(
            {
                "input": {
                    "messages": [
                        instructions.for_segment(segment),
                        {"role": "user", "content": segment.source},
                    ]
                },
                "preferred_output": [{"role": "assistant", "content": segment.target}],
                "non_preferred_output": [{"role": "assistant", "content": segment.machine_text}],
            }
        )
        tally.wrote()


def changed_by_person(machine_text, human_text):
    """A pair teaches something only when the person changed more than spacing."""
    if not machine_text or not machine_text.strip():
        return False
    return machine_text.split() != human_text.split()
