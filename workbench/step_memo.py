"""Answers kept for the length of one step, then forgotten.

A person's save consults the same things from several places (the QA gate, then the
issues that follow the text, then the document's consistency): within the step, the
first answer serves the others. Outside a step nothing is kept, so every other caller
reads afresh. Steps nest: an inner one shares the outer one's answers.
"""

from contextlib import contextmanager
from contextvars import ContextVar


class StepMemo:
    def __init__(self, name):
        self._answers = ContextVar(name, default=None)

    @contextmanager
    def step(self):
        token = self._answers.set({}) if self._answers.get() is None else None
        try:
            yield
        finally:
            if token is not None:
                self._answers.reset(token)

    def get(self, key, compute):
        """compute(), kept under `key` until the step ends; always afresh outside one."""
        answers = self._answers.get()
        if answers is None:
            return compute()
        if key not in answers:
            answers[key] = compute()
        return answers[key]
