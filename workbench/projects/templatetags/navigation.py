from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def current(context, *url_names):
    """` aria-current="page"` on the navigation link to the page being shown: put it in
    the link's tag with the URL names the link stands for."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name in url_names:
        return mark_safe(' aria-current="page"')
    return ""
