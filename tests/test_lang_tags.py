"""Chinese inside English text is marked with its language, and nothing else changes."""

from types import SimpleNamespace

from agents.languages import cjk_runs
from workbench.projects.templatetags.lang_tags import with_lang

EN_ZH = SimpleNamespace(source_language="en", target_language="zh-Hant-HK")
EN_FR = SimpleNamespace(source_language="en", target_language="fr")


def test_cjk_runs_split_chinese_from_english_in_order():
    text = "Tom commented on 20: 本人同意（常任法官）袁的判決。 Please check."
    assert cjk_runs(text) == [
        ("Tom commented on 20: ", False),
        ("本人同意（常任法官）袁的判決。", True),
        (" Please check.", False),
    ]
    assert "".join(piece for piece, _ in cjk_runs(text)) == text
    assert cjk_runs("No Chinese here") == [("No Chinese here", False)]
    assert cjk_runs("") == []


def test_with_lang_wraps_chinese_in_the_projects_cjk_language_and_escapes_the_rest():
    html = with_lang("<b>Mandy</b> asks: 上訴人?", EN_ZH)
    assert html == '&lt;b&gt;Mandy&lt;/b&gt; asks: <span lang="zh-Hant-HK">上訴人</span>?'


def test_with_lang_leaves_text_alone_when_the_project_has_no_cjk_language():
    assert with_lang("Le tribunal 法院", EN_FR) == "Le tribunal 法院"
