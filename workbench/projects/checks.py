from django.core.checks import Warning, register

from .endpoints import EndpointError, installed_endpoints


@register()
def endpoints_defined(app_configs, **kwargs):
    """A mistake in WORKBENCH_ENDPOINTS is shown at startup, not only when the agents
    first need a model. A warning: the rest of the workbench works without them."""
    try:
        installed_endpoints()
    except EndpointError as error:
        return [
            Warning(
                str(error),
                hint="Correct the endpoint definitions and restart the web server and workers.",
                id="projects.W001",
            )
        ]
    return []
