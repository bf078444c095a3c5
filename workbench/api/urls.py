from django.urls import path, re_path

from . import views
from .problems import answering_wrong_methods
from .v1 import api

api_patterns, api_app, api_namespace = api.urls
for pattern in api_patterns:
    pattern.callback = answering_wrong_methods(pattern.callback)

urlpatterns = [
    path("account/tokens/", views.tokens, name="api_tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="api_token_revoke"),
    path("projects/<slug:slug>/webhooks/", views.webhooks, name="webhooks"),
    path(
        "projects/<slug:slug>/webhooks/<int:webhook_id>/remove/",
        views.webhook_remove,
        name="webhook_remove",
    ),
    path(
        "projects/<slug:slug>/webhooks/deliveries/<int:delivery_id>/redeliver/",
        views.delivery_redeliver,
        name="webhook_redeliver",
    ),
    path("api/v1/problems/", views.problem_types, name="api_problems"),
    path("api/v1/", (api_patterns, api_app, api_namespace)),
    # Anything else under the API answers as the API does: a problem document.
    re_path(r"^api/(?P<rest>.*)$", views.unknown_address, name="api_unknown"),
]
