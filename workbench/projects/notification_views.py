"""A person's notifications: work assigned to them, translations sent back to them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .models import Notification

SHOWN = 100


@login_required
@require_GET
def notifications(request):
    shown = request.user.notifications.select_related("project")[:SHOWN]
    return render(request, "projects/notifications.html", {"notifications": shown})


@login_required
@require_GET
def notification_open(request, notification_id):
    """Follow a notification to the page it is about; it counts as read from then on."""
    notification = get_object_or_404(request.user.notifications, pk=notification_id)
    notification.mark_read()
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notifications")


@login_required
@require_POST
def notifications_read_all(request):
    count = Notification.mark_all_read(request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications")
