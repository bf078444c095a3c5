"""Registering job handlers."""

import pytest

from workbench.jobs.registry import UnknownJobKind, handler_for, job_handler


def test_it_finds_the_handler_of_a_kind():
    import tests.job_kinds

    assert handler_for("test.draft") is tests.job_kinds.draft_segments


def test_it_refuses_a_second_handler_for_the_same_kind():
    with pytest.raises(
        ValueError, match="“test.draft” is handled by tests.job_kinds.draft_segments"
    ):

        @job_handler("test.draft")
        def impostor(job):
            pass

    import tests.job_kinds

    assert handler_for("test.draft") is tests.job_kinds.draft_segments


def test_it_tells_what_to_do_about_an_unknown_kind():
    with pytest.raises(UnknownJobKind, match="restart the workers, then retry the job"):
        handler_for("no.such.kind")
