"""Which model endpoint and model each agent role of a project uses.

The administrator defines the endpoints (agents/endpoints.py): OPENAI_BASE_URL with
OPENAI_API_KEY is the endpoint "default", WORKBENCH_ENDPOINTS or the file
WORKBENCH_ENDPOINTS_FILE add more. A project's managers choose an endpoint and a model
per role on its Agents page (`Project.agent_endpoints`, `Project.agent_models`); a role
without a choice uses the installation's default endpoint: "default" when
OPENAI_BASE_URL is set, else the first endpoint defined.
"""

from pathlib import Path

from django.conf import settings

from agents.endpoints import (
    DEFAULT_ENDPOINT,
    ROLES,
    EndpointError,
    RoleClients,
    default_endpoint,
    parse_endpoints,
)

NO_ENDPOINT = (
    "No model endpoint is configured, so the agents cannot work. Set OPENAI_BASE_URL (and "
    "OPENAI_API_KEY if the endpoint needs a key), or define endpoints in WORKBENCH_ENDPOINTS, "
    "for the web server and the workers, then restart them; the README's “Connecting a "
    "model” shows how."
)
ROLE_LABELS = {
    "translator": "Translator",
    "annotator": "Annotator",
    "proofreader": "Proofreader",
    "brief": "Brief",
}

# What the apps above use of the agents' endpoints, through here.
__all__ = ["NO_ENDPOINT", "ROLES", "EndpointError"]


def installed_endpoints():
    """{name: Endpoint}, the default first; EndpointError when the definitions are wrong."""
    endpoints = {}
    if settings.OPENAI_BASE_URL:
        endpoints[DEFAULT_ENDPOINT] = default_endpoint(
            settings.OPENAI_BASE_URL, settings.OPENAI_API_KEY, settings.OPENAI_ENDPOINT_LABEL
        )
    text, where = settings.WORKBENCH_ENDPOINTS, "WORKBENCH_ENDPOINTS"
    if settings.WORKBENCH_ENDPOINTS_FILE:
        where = f"The endpoints file {settings.WORKBENCH_ENDPOINTS_FILE}"
        try:
            text = Path(settings.WORKBENCH_ENDPOINTS_FILE).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise EndpointError(
                f"{where} (WORKBENCH_ENDPOINTS_FILE) cannot be read: {error}."
            ) from None
    if text.strip():
        defined = parse_endpoints(text, where=where)
        if DEFAULT_ENDPOINT in defined and DEFAULT_ENDPOINT in endpoints:
            raise EndpointError(
                f"{where} defines an endpoint called “{DEFAULT_ENDPOINT}”, which is the name "
                "of OPENAI_BASE_URL's endpoint; rename it."
            )
        endpoints.update(defined)
    return endpoints


def endpoint_for(project, role="translator", endpoints=None):
    """The Endpoint the role uses in the project; EndpointError says why there is none."""
    endpoints = installed_endpoints() if endpoints is None else endpoints
    if not endpoints:
        raise EndpointError(NO_ENDPOINT)
    chosen = (project.agent_endpoints or {}).get(role) if project else ""
    if not chosen:
        return next(iter(endpoints.values()))
    if chosen not in endpoints:
        raise EndpointError(
            f"The {ROLE_LABELS.get(role, role)} of “{project.name}” uses the endpoint "
            f"“{chosen}”, which this installation no longer defines ({', '.join(endpoints)} "
            "are). A manager chooses another on the project's Agents page."
        )
    return endpoints[chosen]


def model_for(project, role, endpoints=None):
    """The model name the role asks for: the project's choice, else the first model the
    role's endpoint lists, else OPENAI_MODEL."""
    chosen = (project.agent_models or {}).get(role) if project else ""
    if chosen:
        return chosen
    try:
        endpoint = endpoint_for(project, role, endpoints)
    except EndpointError:
        return settings.OPENAI_MODEL
    if endpoint.name != DEFAULT_ENDPOINT and endpoint.models:
        return endpoint.models[0]
    return settings.OPENAI_MODEL


def endpoint_problem(project):
    """Why the project's agents cannot call a model, in words, or "" when they can."""
    try:
        endpoints = installed_endpoints()
        for role in ROLES:
            problem = endpoint_for(project, role, endpoints).missing_key()
            if problem:
                return problem
    except EndpointError as error:
        return str(error)
    return ""


def agents_client(project, **options):
    """The client the agents of the project call models through: each role's calls go
    to its endpoint, with `options` for `agents.endpoints.RoleClients`. Raises
    EndpointError (see `endpoint_problem`)."""
    endpoints = installed_endpoints()
    by_role = {role: endpoint_for(project, role, endpoints) for role in ROLES}
    for endpoint in by_role.values():
        if endpoint.missing_key():
            raise EndpointError(endpoint.missing_key())
    return RoleClients(by_role, **options)


def agent_setup(project):
    """[(role, label, Endpoint or None, model)] for the pages, and the problem if any."""
    try:
        endpoints = installed_endpoints()
    except EndpointError as error:
        return [], str(error)
    setup = []
    for role in ROLES:
        try:
            endpoint = endpoint_for(project, role, endpoints)
        except EndpointError:
            endpoint = None
        setup.append((role, ROLE_LABELS[role], endpoint, model_for(project, role, endpoints)))
    return setup, endpoint_problem(project)
