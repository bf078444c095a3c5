"""Changing who is in a project and how it is set up. Each change locks the project row,
so two managers changing members at once see each other's change, and sends the news
(signals.py) inside its transaction.

A project always keeps a manager: without one nobody can upload, assign, export or add
members, so removing or demoting the last manager is refused."""

from django.db import transaction

from .capabilities import can
from .models import Membership, Project
from .signals import member_changed, settings_changed


class MembershipRefused(Exception):
    """The change would break a rule of the project; the message says which. Nothing
    changed."""


def _locked(project):
    return Project.objects.select_for_update().get(pk=project.pk)


def _check_keeps_a_manager(project, leaving):
    if not can(leaving.role, "project.manage"):
        return
    if not project.managers().exclude(pk=leaving.pk).exists():
        raise MembershipRefused(
            f"{leaving.user.get_username()} is the last manager of “{project.name}”. Make "
            "someone else a manager first: without one nobody can upload, assign or add "
            "members."
        )


@transaction.atomic
def do_set_member(project, user, role, *, by):
    """Add `user` with `role`, or change their role. Returns the membership."""
    project = _locked(project)
    membership = project.memberships.select_related("user").filter(user=user).first()
    if membership is None:
        membership = Membership.objects.create(project=project, user=user, role=role)
        member_changed.send(
            Membership,
            project=project,
            user=user,
            by=by,
            change="added",
            old_role="",
            new_role=role,
        )
        return membership
    if membership.role == role:
        return membership
    if not can(role, "project.manage"):
        _check_keeps_a_manager(project, membership)
    old_role, membership.role = membership.role, role
    membership.save(update_fields=["role"])
    member_changed.send(
        Membership,
        project=project,
        user=user,
        by=by,
        change="role_changed",
        old_role=old_role,
        new_role=role,
    )
    return membership


@transaction.atomic
def do_remove_member(membership, *, by):
    project = _locked(membership.project)
    membership = project.memberships.select_related("user").get(pk=membership.pk)
    if membership.user_id == by.pk:
        raise MembershipRefused("You cannot remove yourself; ask another manager.")
    _check_keeps_a_manager(project, membership)
    membership.delete()
    member_changed.send(
        Membership,
        project=project,
        user=membership.user,
        by=by,
        change="removed",
        old_role=membership.role,
        new_role="",
    )


@transaction.atomic
def do_change_settings(form, *, by):
    """Save a project's settings form; the news lists each field before and after."""
    project = _locked(form.instance)
    changes = {
        name: [_plain(getattr(project, name)), _plain(form.cleaned_data[name])]
        for name in form.changed_data
        if getattr(project, name) != form.cleaned_data[name]
    }
    saved = form.save()
    if changes:
        settings_changed.send(Project, project=saved, by=by, changes=changes)
    return saved, changes


def _plain(value):
    return (
        value if isinstance(value, (str, int, float, bool, list, dict, type(None))) else str(value)
    )
