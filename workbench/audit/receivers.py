"""Logins, failed logins, lockouts and logouts, from the signals Django and django-axes
send, so every way of logging in is recorded whichever view it went through."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete
from django.dispatch import receiver

from workbench.projects.models import Project
from workbench.projects.signals import member_changed, settings_changed

from .log import record
from .models import AuditEvent


@receiver(user_logged_in, dispatch_uid="audit_login")
def logged_in(sender, request, user, **kwargs):
    record(AuditEvent.Kind.LOGIN, user=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    idle = getattr(request, "session_ended_idle", False)
    details = {"why": "idle for too long"} if idle else {}
    record(AuditEvent.Kind.LOGOUT, user=user, request=request, details=details)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    record(
        AuditEvent.Kind.LOGIN_FAILED,
        user=_account(username),
        username=username,
        request=request,
        details={"reason": _failure_reason(request)},
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def locked_out(sender, request, username, ip_address, **kwargs):
    record(
        AuditEvent.Kind.LOGIN_LOCKED,
        user=_account(username),
        username=username or "",
        request=request,
    )


def _failure_reason(request):
    if getattr(request, "axes_locked_out", False):
        return "the account is locked"
    return getattr(request, "login_failure_reason", "wrong username or password")


def _account(username):
    """The account a login attempt named, if there is one."""
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


# The projects app is below this one: it sends the news and the log keeps it.

MEMBER_KINDS = {
    "added": AuditEvent.Kind.MEMBER_ADDED,
    "role_changed": AuditEvent.Kind.MEMBER_ROLE_CHANGED,
    "removed": AuditEvent.Kind.MEMBER_REMOVED,
}


@receiver(member_changed, dispatch_uid="audit_member_changed")
def member_change(sender, project, user, by, change, old_role, new_role, **kwargs):
    role = f"{old_role} → {new_role}" if old_role and new_role else old_role or new_role
    record(
        MEMBER_KINDS[change],
        user=by,
        project=project,
        target=user,
        target_repr=user.get_username(),
        details={"role": role},
    )


@receiver(settings_changed, dispatch_uid="audit_settings_changed")
def settings_change(sender, project, by, changes, **kwargs):
    record(
        AuditEvent.Kind.SETTINGS_CHANGED,
        user=by,
        project=project,
        target=project,
        details={name: f"{before!r} → {after!r}" for name, (before, after) in changes.items()},
    )


@receiver(post_delete, sender=Project, dispatch_uid="audit_project_deleted")
def project_deleted(sender, instance, **kwargs):
    record(
        AuditEvent.Kind.PROJECT_DELETED,
        project=instance,
        target=instance,
        details={"name": instance.name},
    )
