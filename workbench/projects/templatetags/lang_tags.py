from django import template
from django.utils.html import format_html, format_html_join

from agents.languages import cjk_runs, is_cjk

register = template.Library()


@register.filter
def cjk_tag(project):
    """The project's language written in a CJK script (source or target), or ""."""
    for tag in (project.target_language, project.source_language):
        if is_cjk(tag):
            return tag
    return ""


@register.filter
def with_lang(text, project):
    """`text` (a notification, a message) with each run of CJK writing in a
    <span lang> of the project's CJK language, so screen readers and fonts read it as
    that language inside an English page."""
    tag = cjk_tag(project) if project else ""
    if not tag:
        return text
    return format_html_join(
        "",
        "{}",
        (
            (format_html('<span lang="{}">{}</span>', tag, piece) if cjk else piece,)
            for piece, cjk in cjk_runs(str(text))
        ),
    )
