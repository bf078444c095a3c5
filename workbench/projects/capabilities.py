"""Who may do what in a project: the one table that maps roles to actions.

Views ask through the access helpers (`get_project_for_user(..., action=...)`), services
through `check_can`, templates through the `can` filter (`{% if role|can:"segment.approve" %}`)
and JavaScript through the `data-can-*` attributes the templates write from it. Nothing
else compares role names.
"""

from django.core.exceptions import PermissionDenied

MANAGER, TRANSLATOR, REVIEWER = "manager", "translator", "reviewer"
ROLES = (MANAGER, TRANSLATOR, REVIEWER)

EVERYONE = frozenset(ROLES)
REVIEWING = frozenset({MANAGER, REVIEWER})
MANAGING = frozenset({MANAGER})

CAPABILITIES = {
    # The project
    "project.view": EVERYONE,
    "project.manage": MANAGING,  # settings, members, agent settings, prices
    "project.dashboard": MANAGING,
    "audit.view": MANAGING,  # the audit log of the project and of its members' logins
    # Documents
    "document.view": EVERYONE,
    "document.upload": MANAGING,
    "document.assign": MANAGING,
    # Given translation work without a word; a reviewer needs the manager's confirmation.
    "assignment.translate": frozenset({MANAGER, TRANSLATOR}),
    "document.delete": MANAGING,
    "document.brief.edit": REVIEWING,
    "pseudonyms.view": MANAGING,  # which personal data a placeholder stands for
    "document.draft": REVIEWING,  # start the agents on any document of the project
    "document.draft.assigned": frozenset({TRANSLATOR}),  # ... on a document assigned to them
    "document.download_translated": MANAGING,  # the translated original, back to the client
    "document.review_file": REVIEWING,  # the bilingual review file, out and back in
    # Segments
    "segment.edit": EVERYONE,  # save, confirm, restore, decide issues, ask the agents
    "segment.approve": REVIEWING,
    "segment.send_back": REVIEWING,
    "segment.reopen": REVIEWING,  # take an approved segment back to translated
    "segment.comment": EVERYONE,
    # Translation memory and glossary
    "memory.view": EVERYONE,
    "memory.manage": MANAGING,  # import, edit, delete units, pre-translate
    "glossary.view": EVERYONE,
    "glossary.manage": MANAGING,
    # The analysis by TM match band, for quoting and planning
    "analysis.view": EVERYONE,
    "analysis.run": MANAGING,
    # Background work, learning, exports
    "job.manage": MANAGING,  # cancel and retry
    "feedback.view": MANAGING,  # corrections and glossary candidates
    "lesson.write": REVIEWING,
    "export.create": MANAGING,
    # Quality assessment (LQA): reviewers record errors, everyone reads them
    "lqa.view": EVERYONE,  # a segment's errors and its document's quality report
    "lqa.record": REVIEWING,  # record an error; withdraw one's own
    "lqa.withdraw_any": MANAGING,  # withdraw anyone's error
    "lqa.project_report": REVIEWING,  # the project's report, per translator and agent
    # The REST API's webhooks and their delivery log
    "webhook.manage": MANAGING,
}


def can(role, action):
    """Whether a member with `role` may do `action`. An unknown action is a programming
    error, never a silent refusal."""
    try:
        allowed = CAPABILITIES[action]
    except KeyError:
        raise KeyError(f"No rule for “{action}” in the capability table.") from None
    return role in allowed


def roles_that_can(action):
    """The roles that may do `action`, e.g. to find a project's managers."""
    return sorted(role for role in ROLES if can(role, action))


def check_can(role, action, message="Your role in this project does not allow this."):
    if not can(role, action):
        raise PermissionDenied(message)
