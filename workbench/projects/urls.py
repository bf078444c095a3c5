from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<slug:slug>/members/", views.members, name="project_members"),
    path("projects/<slug:slug>/settings/", views.project_settings, name="project_settings"),
    path(
        "projects/<slug:slug>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="project_member_remove",
    ),
]
