"""Segments through the API: the editor's filters and a cursor, saving with the version
(a stale one answers 409 with both texts), confirm and approve behind the QA gate,
send back, reopen, bulk approval and comments, all through translation.services."""

import pytest

from workbench.documents.models import Revision
from workbench.translation.models import Comment


def base(document):
    return f"/api/v1/projects/{document.project.slug}/documents/{document.pk}"


def seg_url(segment, tail=""):
    return f"{base(segment.document)}/segments/{segment.pk}{tail}"


def first(document):
    return document.segments.get(position=1)


def test_it_lists_segments_in_order_a_page_at_a_time(api_for, translator, judgment):
    api = api_for(translator)

    page = api.get(base(judgment) + "/segments?limit=3").json()
    rest = api.get(base(judgment) + f"/segments?limit=3&cursor={page['next_cursor']}").json()

    assert [s["position"] for s in page["results"]] == [1, 2, 3]
    assert [s["position"] for s in rest["results"]] == [4]
    assert rest["next_cursor"] is None
    assert page["results"][0]["source"] == "The appeal is dismissed."


def test_it_filters_as_the_editor_does(api_for, translator, judgment):
    api = api_for(translator)
    api.send("PUT", seg_url(first(judgment)), {"text": "上訴駁回。", "version": 0})

    drafted = api.get(base(judgment) + "/segments?status=drafted").json()["results"]
    found = api.get(base(judgment) + "/segments?q=Theft").json()["results"]

    assert [s["position"] for s in drafted] == [1]
    assert [s["position"] for s in found] == [2]


def test_it_refuses_a_cursor_it_did_not_give(api_for, translator, judgment):
    response = api_for(translator).get(base(judgment) + "/segments?cursor=bm9wZQ")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["errors"][0]["where"] == "query → cursor"
    assert "next_cursor" in problem["detail"]


def test_saving_returns_the_segment_with_its_new_version(api_for, translator, judgment):
    segment = first(judgment)

    response = api_for(translator).send(
        "PUT", seg_url(segment), {"text": "上訴駁回。", "version": 0}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["segment"]["target"], body["segment"]["version"]) == ("上訴駁回。", 1)
    assert body["changed"] is True
    revision = Revision.objects.get(segment=segment, origin="person")
    assert revision.author == translator


def test_a_stale_version_answers_409_with_both_texts(api_for, translator, reviewer, judgment):
    segment = first(judgment)
    api_for(reviewer).send("PUT", seg_url(segment), {"text": "上訴被駁回。", "version": 0})

    response = api_for(translator).send(
        "PUT", seg_url(segment), {"text": "駁回上訴。", "version": 0}
    )

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("#stale-version")
    assert problem["segment"]["target"] == "上訴被駁回。"
    assert problem["segment"]["version"] == 1
    assert problem["yours"] == "駁回上訴。"
    assert problem["saved_by"] == "rita"
    assert "version 1" in problem["detail"]
    segment.refresh_from_db()
    assert segment.target == "上訴被駁回。"


def test_confirm_stops_at_blocking_qa_findings_until_a_reason_is_given(
    api_for, translator, judgment
):
    segment = judgment.segments.get(position=3)  # HK$38,500.50
    api = api_for(translator)

    blocked = api.send(
        "POST", seg_url(segment, "/confirm"), {"text": "答辯人須支付款項。", "version": 0}
    )
    segment.refresh_from_db()
    assert blocked.status_code == 422
    assert blocked.json()["type"].endswith("#qa-blocked")
    assert blocked.json()["findings"]
    assert segment.version == 0

    overridden = api.send(
        "POST",
        seg_url(segment, "/confirm"),
        {
            "text": "答辯人須支付款項。",
            "version": 0,
            "override_reason": "Sum given in the schedule.",
        },
    )
    assert overridden.status_code == 200
    assert overridden.json()["segment"]["status"] == "translated"
    assert Revision.objects.get(segment=segment).reason == "Sum given in the schedule."


def test_confirm_without_text_confirms_the_current_target(api_for, translator, judgment):
    segment = first(judgment)
    api = api_for(translator)
    api.send("PUT", seg_url(segment), {"text": "上訴駁回。", "version": 0})

    response = api.send("POST", seg_url(segment, "/confirm"), {"version": 1})

    assert response.json()["segment"]["status"] == "translated"
    # The identical fourth segment got the same text (auto-propagation).
    assert response.json()["propagated"] == [judgment.segments.get(position=4).pk]


def test_a_reviewer_approves_sends_back_and_reopens(api_for, translator, reviewer, judgment):
    segment = first(judgment)
    api_for(translator).send(
        "POST", seg_url(segment, "/confirm"), {"text": "上訴駁回。", "version": 0}
    )
    api = api_for(reviewer)

    approved = api.send("POST", seg_url(segment, "/approve"), {"version": 1})
    reopened = api.send("POST", seg_url(segment, "/reopen"), {"reason": "Wrong term."})
    sent_back = api.send("POST", seg_url(segment, "/send-back"), {"reason": "Use 駁回上訴."})

    assert approved.json()["segment"]["status"] == "approved"
    assert reopened.json()["status"] == "translated"
    assert sent_back.json()["status"] == "rejected"
    assert Comment.objects.get(segment=segment, is_send_back=True).text == "Use 駁回上訴."


def test_a_translator_may_not_approve(api_for, translator, judgment):
    segment = first(judgment)

    response = api_for(translator).send(
        "POST", seg_url(segment, "/approve"), {"text": "上訴駁回。", "version": 0}
    )

    assert response.status_code == 403
    assert "reviewers" in response.json()["detail"]
    segment.refresh_from_db()
    assert segment.status == "new"


def test_send_back_of_an_unconfirmed_segment_is_refused_with_the_reason(
    api_for, reviewer, judgment
):
    response = api_for(reviewer).send(
        "POST", seg_url(first(judgment), "/send-back"), {"reason": "No."}
    )

    assert response.status_code == 422
    assert "not confirmed yet" in response.json()["detail"]


def test_bulk_approval_takes_the_versions_seen_and_lists_what_it_left_out(
    api_for, translator, reviewer, judgment
):
    translating = api_for(translator)
    one, two = judgment.segments.get(position=1), judgment.segments.get(position=2)
    translating.send("POST", seg_url(one, "/confirm"), {"text": "上訴駁回。", "version": 0})
    translating.send(
        "POST",
        seg_url(two, "/confirm"),
        {"text": "上訴人根據《盜竊罪條例》(第210章)第9條被定罪。", "version": 0},
    )

    response = api_for(reviewer).send(
        "POST",
        base(judgment) + "/approve",
        {"segments": [{"id": one.pk, "version": 1}, {"id": two.pk, "version": 0}]},
    )

    body = response.json()
    assert body["approved"] == [one.pk]
    assert body["skipped"] == [
        {"position": 2, "reason": "changed since you loaded it; review it again"}
    ]


def test_comments_are_added_listed_and_resolved(api_for, translator, reviewer, judgment):
    segment = first(judgment)
    added = api_for(translator).send(
        "POST", seg_url(segment, "/comments"), {"text": "Is “dismissed” right here?"}
    )
    comment = added.json()

    resolved = api_for(reviewer).send(
        "POST", seg_url(segment, f"/comments/{comment['id']}/resolve")
    )
    listed = api_for(reviewer).get(seg_url(segment, "/comments")).json()

    assert added.status_code == 201
    assert comment["author"] == "tom"
    assert resolved.json()["resolved_by"] == "rita"
    assert [c["resolved"] for c in listed] == [True]


def test_an_empty_comment_is_refused_and_nothing_stored(api_for, translator, judgment):
    response = api_for(translator).send(
        "POST", seg_url(first(judgment), "/comments"), {"text": "  "}
    )

    assert response.status_code == 422
    assert "empty" in response.json()["detail"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "body, where",
    [
        ({"text": "x"}, "body → version"),
        ({"text": "x", "version": -1}, "body → version"),
        ({"version": 0}, "body → text"),
    ],
)
def test_a_malformed_save_names_the_field(api_for, translator, judgment, body, where):
    response = api_for(translator).send("PUT", seg_url(first(judgment)), body)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert where in [error["where"] for error in response.json()["errors"]]


def test_it_gives_and_filters_by_the_drafts_risk(api_for, translator, judgment):
    from workbench.documents import lifecycle

    segments = list(judgment.segments.order_by("position"))
    lifecycle.write_drafts(
        {s.pk: (s.version, "譯文。") for s in segments[:2]},
        risks={
            segments[0].pk: ("high", [{"level": "high", "reason": "A planted error."}]),
            segments[1].pk: ("low", [{"level": "low", "reason": "Nothing found."}]),
        },
    )
    api = api_for(translator)

    high = api.get(base(judgment) + "/segments?risk=high").json()["results"]
    both = api.get(base(judgment) + "/segments?risk=high&risk=low").json()["results"]
    wrong = api.get(base(judgment) + "/segments?risk=severe")

    assert [(s["position"], s["risk"]) for s in high] == [(1, "high")]
    assert high[0]["risk_reasons"] == [{"level": "high", "reason": "A planted error."}]
    assert [s["position"] for s in both] == [1, 2]
    assert wrong.status_code == 422
