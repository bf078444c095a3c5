"""Writing an entry, and which entries a project's manager sees."""

from django.db.models import Q

from .address import client_address
from .middleware import current_request
from .models import AuditEvent

MAX_REPR = 300


def record(
    kind,
    *,
    user=None,
    username="",
    project=None,
    target=None,
    target_repr="",
    details=None,
    request=None,
):
    """Add an entry to the audit log and return it.

    `kind` is an `AuditEvent.Kind`. Who and from where come from `request` or else the
    request being answered (none in a worker); `user` (or only `username`, for a login
    with a name that matches no account) overrides who. `project` and `target` (any row)
    are stored as plain ids and names. `details` holds plain values, never the text of a
    document."""
    request = request or current_request.get()
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return AuditEvent.objects.create(
        kind=kind,
        user_pk=user.pk if user is not None else None,
        username=user.get_username() if user is not None else username[:150],
        address=client_address(request) if request is not None else None,
        project_pk=project.pk if project is not None else None,
        project_slug=project.slug if project is not None else "",
        object_type=target._meta.label_lower if target is not None else "",
        object_pk=str(target.pk) if target is not None else "",
        object_repr=(target_repr or (str(target) if target is not None else ""))[:MAX_REPR],
        details=details or {},
    )


def events_of(project):
    """What a project's manager sees: the project's entries, and the account entries
    (logins, passwords) of its present members."""
    members = project.memberships.values("user_id")
    return AuditEvent.objects.filter(
        Q(project_pk=project.pk) | Q(project_pk__isnull=True, user_pk__in=members)
    )
