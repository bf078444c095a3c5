"""record_correction, through the editor's confirm and approve services: what a person
made of machine text is kept with its origin, the time spent, the issues decided and
the effort figures."""

import pytest

from workbench.documents import lifecycle
from workbench.documents.models import Document, Revision, Segment
from workbench.feedback.models import Correction
from workbench.translation.models import Annotation, Suggestion
from workbench.translation.services import do_bulk_approve, do_save_target

MODEL, PROMPT = "gpt-4.1-mini", "translator-2026-12-v3"


def make_document(project, sources, title="HCCC 1/2024"):
    document = Document.objects.create(
        project=project,
        title=title,
        original_filename="judgment.txt",
        format=Document.Format.TXT,
        status=Document.Status.READY,
    )
    for position, source in enumerate(sources, start=1):
        Segment.objects.create(
            document=document,
            position=position,
            source=source,
            source_hash=Segment.hash_source(source),
        )
    return document


def machine_draft(segment, text, origin=Revision.Origin.AGENT, role="translator", percent=None):
    """Write `text` as the agents (or the TM) do, through the lifecycle."""
    segment.refresh_from_db()
    if origin == Revision.Origin.TM:
        written = lifecycle.draft_from_tm(
            segment, text=text, percent=percent, base_version=segment.version
        )
    else:
        written = lifecycle.write_drafts(
            {segment.pk: (segment.version, text)},
            origin=origin,
            provenance=lambda pk: {
                "agent_role": role,
                "model_name": MODEL,
                "prompt_version": PROMPT,
            },
        )
    assert written
    segment.refresh_from_db()
    return segment


def edit(segment, user, text, action="confirm", role="translator", seconds=None, **extra):
    """A person's save, confirm or approve; QA findings are overridden with a reason, as
    these tests are about learning, not about the QA gate."""
    segment.refresh_from_db()
    extra.setdefault("override_reason", "Checked against the source.")
    return do_save_target(
        segment,
        user=user,
        role=role,
        text=text,
        base_version=segment.version,
        action=action,
        seconds_spent=seconds,
        **extra,
    ).segment


def levenshtein(a, b):
    """Character edit distance, the textbook way, to check rapidfuzz's figure."""
    row = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, char_b in enumerate(b, start=1):
            previous, row[j] = (
                row[j],
                min(row[j] + 1, row[j - 1] + 1, previous + (char_a != char_b)),
            )
    return row[-1]


MACHINE = "原告人被裁定罪名成立。"
FIXED = "上訴人被裁定罪名成立。"


@pytest.fixture
def segment(project):
    document = make_document(project, ["The appellant was convicted."])
    return machine_draft(document.segments.get(), MACHINE)


def test_it_records_a_confirmed_correction_of_an_agent_draft(segment, translator):
    edit(segment, translator, FIXED, seconds=40)

    correction = Correction.objects.get()
    assert (correction.segment, correction.project) == (segment, segment.document.project)
    assert correction.event == "confirm" and correction.is_current
    assert correction.source == "The appellant was convicted."
    assert (correction.machine_text, correction.final_text) == (MACHINE, FIXED)
    assert (correction.agent_role, correction.model_name, correction.prompt_version) == (
        "translator",
        MODEL,
        PROMPT,
    )
    assert correction.author == translator
    assert correction.seconds_spent == 40
    assert correction.revision == segment.revisions.latest("pk")
    # Two characters of eleven replaced: 原告 by 上訴.
    assert correction.edit_distance == 2
    assert correction.hter == pytest.approx(2 / 11)
    assert "asian:yes" in correction.ter_signature and "norm:yes" in correction.ter_signature
    assert 0 < correction.chrf < 100
    assert correction.chrf_signature.startswith("nrefs:1|case:mixed|eff:yes|nc:6|nw:0")


def test_it_counts_a_draft_accepted_unchanged(segment, translator):
    edit(segment, translator, MACHINE)

    correction = Correction.objects.get()
    assert correction.accepted_unchanged
    assert (correction.edit_distance, correction.hter, correction.chrf) == (0, 0, 100)


def test_it_uses_plain_ter_for_a_spaced_target(zh_project, translator):
    document = make_document(zh_project, ["上訴人被定罪。"])
    segment = machine_draft(document.segments.get(), "The appellant was convicted.")

    edit(segment, translator, "The appellant was found guilty.")

    correction = Correction.objects.get()
    assert "asian:no" in correction.ter_signature and "norm:no" in correction.ter_signature
    # "convicted." becomes "found", and "guilty." is added: two edits, five words.
    assert correction.hter == pytest.approx(2 / 5)
    assert correction.edit_distance == levenshtein(
        "The appellant was convicted.", "The appellant was found guilty."
    )


def test_it_records_nothing_for_a_save_that_is_not_a_confirmation(segment, translator):
    edit(segment, translator, FIXED, action="save")

    assert not Correction.objects.exists()


def test_it_records_nothing_for_text_typed_from_scratch(project, translator):
    segment = make_document(project, ["The appeal is dismissed."]).segments.get()

    edit(segment, translator, "上訴駁回。")

    assert not Correction.objects.exists()


def test_it_sums_the_persons_seconds_since_the_machine_text(segment, translator, reviewer):
    edit(segment, translator, "上訴人被裁定", action="save", seconds=30)
    edit(segment, translator, "上訴人被裁定罪名", action="save", seconds=20)
    edit(segment, translator, FIXED, seconds=5)
    edit(segment, reviewer, FIXED, action="approve", role="reviewer", seconds=7)

    confirmed, approved = Correction.objects.order_by("pk")
    assert confirmed.seconds_spent == 55
    assert approved.seconds_spent == 7
    assert approved.author == reviewer


def test_it_keeps_the_issues_people_accepted_or_dismissed(segment, translator):
    def issue(status, reason="", by=translator):
        return Annotation.objects.create(
            segment=segment,
            source="annotator",
            category="terminology",
            severity="major",
            span="原告人",
            suggestion="上訴人",
            status=status,
            dismiss_reason=reason,
            resolved_by=by,
        )

    issue("accepted")
    issue("dismissed", reason="The judgment calls him the plaintiff here.")
    issue("dismissed", reason="The agents drafted the segment again.", by=None)
    issue("open", by=None)

    edit(segment, translator, FIXED)

    issues = Correction.objects.get().issues
    assert [(i["status"], i["reason"], i["by"]) for i in issues] == [
        ("dismissed", "The judgment calls him the plaintiff here.", "tom"),
        ("accepted", "", "tom"),
    ]
    assert issues[0]["span"] == "原告人" and issues[0]["category"] == "terminology"


def test_it_takes_the_machine_text_from_an_inserted_suggestion(segment, translator):
    suggestion = Suggestion.objects.create(
        segment=segment,
        kind="revision",
        text="上訴人被定罪。",
        agent_role="proofreader",
        model_name="gpt-4.1",
        prompt_version="proofreader-v2",
        round=1,
    )

    edit(segment, translator, FIXED, started_from=f"suggestion:{suggestion.pk}")

    correction = Correction.objects.get()
    assert correction.machine_text == "上訴人被定罪。"
    assert (correction.agent_role, correction.model_name, correction.prompt_version) == (
        "proofreader",
        "gpt-4.1",
        "proofreader-v2",
    )


def test_it_files_a_tm_match_under_the_tm_with_its_percent(project, translator):
    segment = make_document(project, ["The appeal is dismissed."]).segments.get()
    machine_draft(segment, "上訴被駁回。", origin=Revision.Origin.TM, percent=87)

    edit(segment, translator, "上訴駁回。")

    correction = Correction.objects.get()
    assert (correction.agent_role, correction.tm_percent) == ("tm", 87)
    assert correction.origin_label == "TM match 87%"


def test_it_files_propagated_text_under_propagation(project, translator, reviewer):
    document = make_document(project, ["The appeal is dismissed.", "The appeal is dismissed."])
    first, second = document.segments.order_by("position")
    machine_draft(first, "上訴被駁回。")
    machine_draft(second, "上訴被駁回。")

    edit(first, translator, "上訴駁回。")
    edit(second, reviewer, "上訴駁回。", action="approve", role="reviewer")

    propagated = Correction.objects.get(segment=second)
    assert propagated.agent_role == "propagation"
    assert propagated.machine_text == "上訴駁回。" and propagated.accepted_unchanged


def test_the_same_person_approving_what_they_confirmed_keeps_one_correction(segment, manager):
    edit(segment, manager, FIXED, role="manager", seconds=10)
    edit(segment, manager, FIXED, action="approve", role="manager", seconds=3)

    correction = Correction.objects.get()
    assert correction.event == "approve"
    assert correction.seconds_spent == 13
    assert correction.revision.new_status == "approved"


def test_a_later_correction_replaces_the_earlier_as_current(segment, translator, reviewer):
    edit(segment, translator, "上訴人被定罪。")
    edit(segment, reviewer, FIXED, action="approve", role="reviewer")

    earlier, later = Correction.objects.order_by("pk")
    assert not earlier.is_current and later.is_current
    # The reviewer is measured against the machine text too, not the translator's.
    assert later.machine_text == MACHINE and later.final_text == FIXED
    assert list(Correction.objects.current()) == [later]


def test_a_bulk_approval_records_a_correction_per_segment(project, translator, reviewer):
    document = make_document(project, ["The appeal is allowed.", "The appeal is dismissed."])
    first, second = document.segments.order_by("position")
    machine_draft(first, "上訴得直")
    machine_draft(second, "上訴被駁回。")
    edit(first, translator, "上訴得直。")
    edit(second, translator, "上訴駁回。")

    seen = dict(document.segments.values_list("pk", "version"))
    result = do_bulk_approve(document, seen, user=reviewer, role="reviewer")

    assert len(result.approved) == 2
    approved = Correction.objects.approved().order_by("segment__position")
    assert [(c.author, c.machine_text, c.final_text) for c in approved] == [
        (reviewer, "上訴得直", "上訴得直。"),
        (reviewer, "上訴被駁回。", "上訴駁回。"),
    ]
    assert [c.edit_distance for c in approved] == [1, 1]
    assert Correction.objects.filter(is_current=False).count() == 2


def test_it_gives_a_very_long_text_no_ter_but_still_the_other_figures(project, translator):
    source = "The court considered the evidence. " * 40
    segment = make_document(project, [source]).segments.get()
    machine_draft(segment, "法院考慮了證據。" * 140)

    edit(segment, translator, "本院考慮了證據。" * 140)

    correction = Correction.objects.get()
    assert correction.hter is None and correction.ter_signature == ""
    assert correction.edit_distance == 140
    assert 0 < correction.chrf < 100
