from django import template

from workbench.projects.models import Notification

register = template.Library()


@register.inclusion_tag("projects/_inbox.html", takes_context=True)
def inbox(context):
    """The top bar's link to the person's notifications, with how many are unread."""
    user = context["request"].user
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return {"unread": unread, "request": context["request"]}
