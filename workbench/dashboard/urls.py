from django.urls import path

from . import agent_views, views

urlpatterns = [
    path("projects/<slug:slug>/agents/", agent_views.agent_settings, name="agent_settings"),
    path("projects/<slug:slug>/agents/test/", agent_views.agent_test, name="agent_test"),
    path("projects/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("projects/<slug:slug>/dashboard/prices/", views.model_prices, name="model_prices"),
    path("projects/<slug:slug>/dashboard/quality/", views.quality, name="dashboard_quality"),
    path("projects/<slug:slug>/dashboard/<slug:name>/", views.dataset, name="dashboard_dataset"),
    # The inbox belongs to the projects app; it is reached through here until
]
