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
must learn to carry over. The instruction names the language pair and the domain: the
project's description, else Hong Kong legal judgments.
"""

import json

from django.conf.locale import LANG_INFO

DEFAULT_DOMAIN = "Hong Kong legal judgments"


def language_name(tag):
    """ "Traditional Chinese (zh-Hant-HK)": Django's name for the most specific known
    part of the tag, and the tag itself."""
    parts = tag.lower().split("-")
    for length in range(len(parts), 0, -1):
        info = LANG_INFO.get("-".join(parts[:length]))
        if info and "name" in info:
            return f"{info['name']} ({tag})"
    return tag


def instruction(project):
    domain = " ".join(project.description.split()) or DEFAULT_DOMAIN
    return (
        f"You translate {domain} from {language_name(project.source_language)} into "
        f"{language_name(project.target_language)}. Translate the user's text completely and "
        "faithfully, keep legal terms, case citations, numbers and dates exact, carry over "
        "every tag such as ⟦1⟧ unchanged, and answer with the translation only."
    )


def _line(example):
    return (json.dumps(example, ensure_ascii=False) + "\n").encode()


def write_sft(corpus, tally):
    system = {"role": "system", "content": instruction(corpus.project)}
    for segment in corpus.stream():
        tally.read()
        yield _line(
            {
                "messages": [
                    system,
                    {"role": "user", "content": segment.source},
                    {"role": "assistant", "content": segment.target},
                ]
            }
        )
        tally.wrote()


def write_preferences(corpus, tally):
    system = {"role": "system", "content": instruction(corpus.project)}
    for segment in corpus.stream_with_machine_text():
        tally.read()
        if not changed_by_person(segment.machine_text, segment.target):
            continue
        yield _line(
            {
                "input": {"messages": [system, {"role": "user", "content": segment.source}]},
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
