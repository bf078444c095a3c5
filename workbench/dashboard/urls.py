from django.urls import path

from . import views

urlpatterns = [
    path("projects/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("projects/<slug:slug>/dashboard/prices/", views.model_prices, name="model_prices"),
    path("projects/<slug:slug>/dashboard/<slug:name>/", views.dataset, name="dashboard_dataset"),
    # The inbox belongs to the projects app; it is reached through here until
]
