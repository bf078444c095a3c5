from django import template

from workbench.projects.capabilities import can as role_can

register = template.Library()


@register.filter
def can(role, action):
    """{% if role|can:"segment.approve" %}: the capability table, read by a template."""
    return role_can(role, action)
