"""The side panel of the active segment and its actions, as htmx fragments."""

import json

import pytest
from django.urls import reverse

from workbench.documents.models import Document, Revision, Segment
from workbench.jobs.models import Job
from workbench.memory.models import TranslationUnit
from workbench.memory.services import project_memory
from workbench.translation.models import Annotation, Comment, Suggestion


@pytest.fixture
def segment(project):
    document = Document.objects.create(
        project=project,
        title="FACC 1/2024",
        original_filename="judgment.docx",
        format=Document.Format.DOCX,
        status=Document.Status.READY,
    )
    source = "The appellant was fined $5,000 on 3 May 2023."
    return Segment.objects.create(
        document=document,
        position=1,
        source=source,
        target="申請人於2023年5月3日被罰款$5,000。",
        status="drafted",
        version=1,
        draft_origin="agent",
        source_hash=Segment.hash_source(source),
    )


def url(segment, name, *extra):
    document = segment.document
    return reverse(name, args=[document.project.slug, document.pk, segment.pk, *extra])


def test_the_panel_shows_the_agents_work_with_a_diff(client_for, translator, segment):
    Suggestion.objects.create(
        segment=segment,
        kind="revision",
        text="上訴人於2023年5月3日被罰款$5,000。",
        agent_role="proofreader",
        model_name="qwen-legal",
        prompt_version="p-2",
    )

    response = client_for(translator).get(url(segment, "segment_panel"), HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "Proofreader revision" in content
    assert "proofreader · qwen-legal · p-2" in content
    assert "<del>申請</del>" in content  # a character diff for Chinese
    assert "<ins>上訴</ins>" in content
    assert 'data-offer="1"' in content


def test_tm_matches_are_numbered_after_the_agents(client_for, translator, segment, project):
    Suggestion.objects.create(segment=segment, kind="draft", text="草稿", agent_role="translator")
    TranslationUnit.objects.create(
        memory=project_memory(project),
        source="The appellant was fined $6,000 on 3 May 2023.",
        target="上訴人於2023年5月3日被罰款$6,000。",
        origin="import",
        quality="approved",
    )

    content = client_for(translator).get(url(segment, "segment_panel")).content.decode()

    assert 'data-offer="2"' in content
    assert "TM 9" in content  # a fuzzy match, under 100%
    assert 'class="number">6' in content  # the differing number stands out


def test_the_panel_escapes_model_and_user_text(client_for, translator, segment):
    Suggestion.objects.create(
        segment=segment, kind="draft", text="<b>粗體</b>", agent_role="<i>translator</i>"
    )
    Comment.objects.create(segment=segment, author=translator, text="<script>x()</script>")

    content = client_for(translator).get(url(segment, "segment_panel")).content.decode()

    assert "<b>粗體" not in content and "<script>x()" not in content
    assert "&lt;script&gt;x()&lt;/script&gt;" in content
    assert "&lt;i&gt;translator&lt;/i&gt;" in content


def test_the_panel_shows_history_issues_and_qa(client_for, translator, segment):
    Revision.objects.create(
        segment=segment,
        origin="agent",
        agent_role="translator",
        model_name="qwen-legal",
        prompt_version="t-3",
        new_target=segment.target,
        new_status="drafted",
        version=1,
    )
    Annotation.objects.create(
        segment=segment,
        source="annotator",
        category="terminology",
        severity="major",
        span="申請人",
        suggestion="上訴人",
        explanation="“appellant” is 上訴人.",
    )

    content = client_for(translator).get(url(segment, "segment_panel")).content.decode()

    assert "translator · qwen-legal · t-3" in content
    assert "“appellant” is 上訴人." in content
    assert "Accept and apply" in content
    # Live QA finds what the Annotator found: the appellant rendered as 申請人.
    assert "The source refers to appellant" in content


def test_qa_is_recomputed_for_the_text_being_typed(client_for, translator, segment):
    client = client_for(translator)

    missing = client.post(url(segment, "segment_qa"), {"text": "上訴人於2023年5月3日被罰款。"})
    broken = client.post(url(segment, "segment_qa"), {"text": "上訴人 \u27e61"})

    assert "5,000" in missing.content.decode()
    assert "Number or date" in missing.content.decode()
    assert "broken tag" in broken.content.decode()
    assert Segment.objects.get(pk=segment.pk).version == 1  # nothing saved


def test_accepting_an_issue_sends_the_applied_text_to_the_editor(client_for, translator, segment):
    annotation = Annotation.objects.create(
        segment=segment,
        source="annotator",
        category="terminology",
        severity="major",
        span="申請人",
        suggestion="上訴人",
    )

    response = client_for(translator).post(
        url(segment, "annotation_accept", annotation.pk), {"text": "申請人被罰款。"}
    )

    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {
        "apply-text": {"segment": segment.pk, "text": "上訴人被罰款。"}
    }
    assert Annotation.objects.get(pk=annotation.pk).status == "accepted"


def test_dismissing_a_major_issue_without_a_reason_answers_400_in_the_panel(
    client_for, translator, segment
):
    annotation = Annotation.objects.create(
        segment=segment, source="annotator", category="accuracy", severity="major"
    )

    response = client_for(translator).post(
        url(segment, "annotation_dismiss", annotation.pk), {"reason": ""}
    )

    assert response.status_code == 400
    assert "Say why you dismiss this major issue" in response.content.decode()
    assert Annotation.objects.get(pk=annotation.pk).status == "open"


def test_comments_are_added_and_resolved_from_the_panel(client_for, translator, reviewer, segment):
    client_for(translator).post(url(segment, "comment_add"), {"text": "Is 罰款 right?"})
    comment = Comment.objects.get(segment=segment)

    response = client_for(reviewer).post(url(segment, "comment_resolve", comment.pk))

    assert "Is 罰款 right?" in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).resolved


def test_a_reviewer_sends_back_and_the_row_is_told_to_refresh(client_for, reviewer, segment):
    Segment.objects.filter(pk=segment.pk).update(status="approved")

    response = client_for(reviewer).post(url(segment, "segment_send_back"), {"text": "Use 上訴人."})

    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {"segment-changed": {"segment": segment.pk}}
    assert Segment.objects.get(pk=segment.pk).status == "rejected"
    assert Comment.objects.get(segment=segment).is_send_back


def test_a_translator_cannot_send_back(client_for, translator, segment):
    response = client_for(translator).post(url(segment, "segment_send_back"), {"text": "No."})

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_asking_the_agents_without_an_endpoint_says_so(client_for, translator, segment, settings):
    settings.OPENAI_BASE_URL = ""

    panel = client_for(translator).get(url(segment, "segment_panel")).content.decode()
    response = client_for(translator).post(
        url(segment, "segment_ask_revision"), {"instruction": "use 上訴人"}
    )

    assert "No model endpoint is configured" in panel
    assert response.status_code == 400
    assert "No model endpoint is configured" in response.content.decode()
    assert not Job.objects.exists()


def test_an_outsider_gets_404_for_the_panel(client_for, outsider, segment):
    assert client_for(outsider).get(url(segment, "segment_panel")).status_code == 404


def test_bulk_approve_lists_the_refused_segments(client_for, reviewer, translator, segment):
    Segment.objects.filter(pk=segment.pk).update(status="translated")
    Annotation.objects.create(
        segment=segment,
        source="annotator",
        category="number_date",
        severity="critical",
        explanation="The fine is wrong.",
    )
    document = segment.document
    bulk = reverse("bulk_approve", args=[document.project.slug, document.pk])

    shown = {"seen": f"{segment.pk}:{segment.version}"}
    refused_translator = client_for(translator).post(bulk, shown)
    response = client_for(reviewer).post(bulk, shown)

    assert refused_translator.status_code == 403
    content = response.content.decode()
    assert "0 segments approved." in content
    assert "Segment 1: open critical number or date issue: The fine is wrong." in content
    assert json.loads(response["HX-Trigger"]) == {"grid-changed": True}


def test_the_panel_says_a_long_segment_was_looked_up_only_as_the_same_text(
    client_for, translator, segment, project
):
    long_source = "The applicant relies on the affidavit filed in HCA 1234/2011. " * 20
    segment.source = long_source
    segment.save()
    TranslationUnit.objects.create(
        memory=project_memory(project),
        source=long_source,
        target="申請人依據誓章。",
        origin="import",
        quality="approved",
    )
    near = long_source.replace("affidavit", "affirmation", 1)
    segment_near = Segment.objects.create(
        document=segment.document,
        position=2,
        source=near,
        source_hash=Segment.hash_source(near),
    )

    exact = client_for(translator).get(url(segment, "segment_panel")).content.decode()
    fuzzy = client_for(translator).get(url(segment_near, "segment_panel")).content.decode()

    assert "longer than 1000 characters" in exact and "TM 100%" in exact
    assert "longer than 1000 characters" in fuzzy and "TM 9" not in fuzzy
    short = (
        client_for(translator)
        .get(
            url(
                Segment.objects.create(
                    document=segment.document, position=3, source="Costs.", source_hash="x"
                ),
                "segment_panel",
            )
        )
        .content.decode()
    )
    assert "longer than" not in short
