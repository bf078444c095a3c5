from xml.sax.saxutils import escape

from hypothesis import given
from hypothesis import strategies as st

from tests.files_xliff import segment, trans_unit, unit, xliff_1_2, xliff_2_0
from workbench.documents.importers import xliff
from workbench.documents.placeholders import check_tokens, restore, tokens_in

TAGS = {"⟦1⟧": '<g id="1">', "⟦/1⟧": "</g>", "⟦2⟧": '<x id="2"/>'}


def kinds(problems):
    return [(problem.kind, problem.token) for problem in problems]


def test_it_lists_the_tokens_of_a_text_in_order():
    assert tokens_in("⟦2⟧The ⟦1⟧appellant⟦/1⟧ ⟦12⟧") == ["⟦2⟧", "⟦1⟧", "⟦/1⟧", "⟦12⟧"]
    assert tokens_in("No tags [1] here") == []


def test_it_restores_the_tags_and_escapes_the_text_between():
    assert (
        restore("⟦1⟧Chan & Lee⟦/1⟧ <v> ⟦2⟧", TAGS)
        == '<g id="1">Chan &amp; Lee</g> &lt;v&gt; <x id="2"/>'
    )


def test_it_leaves_a_token_it_does_not_know_as_text():
    assert restore("See ⟦7⟧ and ⟦2⟧", TAGS) == 'See ⟦7⟧ and <x id="2"/>'


def test_it_finds_nothing_wrong_with_the_same_tokens_in_the_same_order():
    assert check_tokens("The ⟦1⟧appellant⟦/1⟧ appeals.⟦2⟧", "⟦1⟧上訴人⟦/1⟧提出上訴。⟦2⟧") == []


def test_it_reports_a_missing_token():
    problems = check_tokens("The ⟦1⟧appellant⟦/1⟧ appeals.⟦2⟧", "⟦1⟧上訴人⟦/1⟧提出上訴。")

    assert kinds(problems) == [("missing", "⟦2⟧")]
    assert str(problems[0]) == "Tag ⟦2⟧ is missing from the translation; put it back."


def test_it_reports_an_extra_token_including_a_duplicate():
    problems = check_tokens("Appeal dismissed.⟦2⟧", "⟦2⟧上訴駁回。⟦2⟧⟦3⟧")

    assert kinds(problems) == [("extra", "⟦2⟧"), ("extra", "⟦3⟧")]


def test_it_reports_reordered_tokens():
    problems = check_tokens("⟦1⟧Smith⟦/1⟧ v ⟦2⟧Jones⟦/2⟧", "⟦2⟧鍾斯⟦/2⟧ 對 ⟦1⟧史密夫⟦/1⟧")

    assert kinds(problems) == [("reordered", "⟦2⟧")]
    assert "check that the new order is intended" in str(problems[0])


def test_it_reports_a_pair_closed_before_it_opens():
    problems = check_tokens("⟦1⟧appellant⟦/1⟧", "⟦/1⟧上訴人⟦1⟧")

    assert ("unbalanced", "⟦/1⟧") in kinds(problems)


def test_it_reports_overlapping_pairs():
    problems = check_tokens("⟦1⟧a⟦2⟧b⟦/2⟧⟦/1⟧", "⟦1⟧甲⟦2⟧乙⟦/1⟧⟦/2⟧")

    assert kinds(problems) == [("reordered", "⟦/1⟧"), ("unbalanced", "⟦/1⟧")]
    assert "overlap" in str(problems[1])


# Inline markup as a CAT tool writes it: text (escaped), codes, and pairs around text.
TEXT = st.text(alphabet="ab 上訴&<>\"'", max_size=5)
LEAVES = st.one_of(
    st.tuples(st.just("text"), TEXT),
    st.tuples(st.just("x"), st.just("")),
    st.tuples(st.just("ph"), TEXT),
    st.tuples(st.just("bpt"), TEXT),
)
NODES = st.recursive(LEAVES, lambda inner: st.tuples(st.just("g"), st.lists(inner, max_size=3)))
CONTENT = st.lists(NODES, max_size=6)


def render_1_2(nodes, ids):
    parts = []
    for kind, value in nodes:
        if kind == "text":
            parts.append(escape(value))
            continue
        number = next(ids)
        if kind == "x":
            parts.append(f'<x id="{number}"/>')
        elif kind == "ph":
            parts.append(
                f'<ph id="{number}">{escape(value)}</ph>' if value else f'<ph id="{number}"/>'
            )
        elif kind == "bpt":
            parts.append(
                f'<bpt id="{number}">&lt;b&gt;</bpt>{escape(value)}<ept id="{number}">&lt;/b&gt;</ept>'
            )
        else:
            parts.append(f'<g id="{number}" ctype="x-&quot;q&quot;">{render_1_2(value, ids)}</g>')
    return "".join(parts)


def render_2_0(nodes, ids):
    parts = []
    for kind, value in nodes:
        if kind == "text":
            parts.append(escape(value))
            continue
        number = next(ids)
        if kind in {"x", "ph"}:
            parts.append(f'<ph id="{number}"/>')
        elif kind == "bpt":
            parts.append(f'<sc id="{number}"/>{escape(value)}<ec startRef="{number}"/>')
        else:
            parts.append(f'<pc id="{number}">{render_2_0(value, ids)}</pc>')
    return "".join(parts)


@given(CONTENT)
def test_restoring_tokenised_xliff_1_2_gives_back_the_original_markup(nodes):
    markup = "A" + render_1_2(nodes, iter(range(1, 1000)))

    block = xliff.parse(xliff_1_2(trans_unit("1", markup, markup))).blocks[0]

    assert restore(block.text, block.placeholders) == markup
    assert block.target == block.text
    assert check_tokens(block.text, block.target) == []


@given(CONTENT)
def test_restoring_tokenised_xliff_2_gives_back_the_original_markup(nodes):
    markup = "A" + render_2_0(nodes, iter(range(1, 1000)))

    block = xliff.parse(xliff_2_0(unit("u1", segment(markup, markup)))).blocks[0]

    assert restore(block.text, block.placeholders) == markup
    assert block.target == block.text
    assert check_tokens(block.text, block.target) == []


def test_restore_leaves_a_footnote_reference_token_alone():
    text = "The appeal is dismissed.⟦1⟧"
    placeholders = {"⟦1⟧": {"type": "footnote", "id": "3"}}
    assert restore(text, placeholders) == "The appeal is dismissed.⟦1⟧"
