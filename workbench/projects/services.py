"""Changing who is in a project and how it is set up. Each change locks the project row,
so two managers changing members at once see each other's change, and sends the news
(signals.py) inside its transaction.

A project always keeps a manager: without one nobody can upload, assign, export or add
members, so removing or demoting the last manager is refused."""

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from agents.languages import primary_language

from .capabilities import MANAGER, can
from .models import Membership, Project
from .signals import member_changed, project_copied, settings_changed

# What a project copied from a template keeps of its own: who and when, the demo mark,
# and what the person typed in the form.
NOT_COPIED = {"id", "name", "slug", "created_by", "created_at", "is_demo"}


class ProjectRefused(Exception):
    """The project could not be created as asked; the message says what to do."""


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


def unique_slug(name, source_language="", target_language=""):
    """A free web address for a project called `name`: its slug, with -2, -3... when that
    is taken. A name with no Latin letters (a Chinese name) gives the language pair,
    e.g. `zh-en`, and else `project`."""
    base = slugify(name)[:70].strip("-")
    if not base:
        pair = [primary_language(tag) for tag in (source_language, target_language) if tag]
        base = slugify("-".join(pair)) or "project"
    taken = set(
        Project.objects.filter(slug__regex=rf"^{base}(-[0-9]+)?$").values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


def do_create_project(form, *, by, attempts=3):
    """Create the project of a ProjectForm with `by` as its manager. From a template, it
    takes the template's settings and members, and `project_copied` lets the layers above
    copy the rest (glossary, memories, prices) in the same transaction."""
    typed = form.cleaned_data.get("slug")
    for _ in range(1 if typed else attempts):
        try:
            with transaction.atomic():
                return _create_project(form, by)
        except IntegrityError:
            # Another project took the address meanwhile; a made one is made again.
            form.instance.slug = typed
    raise ProjectRefused(
        f"The address “{typed or form.instance.name}” was taken by another project just now; "
        "choose another, or leave it empty to have one made from the name."
    )


def _create_project(form, by):
    template = form.cleaned_data.get("template")
    project = form.save(commit=False)
    if template is not None:
        typed = set(form.changed_data) | {"segmentation"}
        for field in Project._meta.concrete_fields:
            if field.name not in NOT_COPIED and field.name not in typed:
                setattr(project, field.attname, getattr(template, field.attname))
        project.source_language = form.cleaned_data["source_language"]
        project.target_language = form.cleaned_data["target_language"]
    if not project.slug:
        project.slug = unique_slug(project.name, project.source_language, project.target_language)
    project.created_by = by
    project.save()
    Membership.objects.create(project=project, user=by, role=MANAGER)
    if template is None:
        return project
    for membership in template.memberships.exclude(user=by).select_related("user"):
        do_set_member(project, membership.user, membership.role, by=by)
    project_copied.send(Project, project=project, template=template, by=by)
    return project
