from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("workbench.accounts.urls")),
    path("admin/rq/", include("django_rq.urls")),
    path("admin/", admin.site.urls),
    path("", include("workbench.projects.urls")),
    path("", include("workbench.projects.notification_urls")),
    path("", include("workbench.documents.urls")),
    path("", include("workbench.memory.tm_urls")),
    path("", include("workbench.memory.glossary_urls")),
    path("", include("workbench.memory.analysis_urls")),
    path("", include("workbench.jobs.urls")),
    path("", include("workbench.translation.urls")),
    path("", include("workbench.drafting.urls")),
    path("", include("workbench.feedback.export_urls")),
    path("", include("workbench.feedback.urls")),
    path("", include("workbench.dashboard.urls")),
    path("", include("workbench.audit.urls")),
    path("", include("workbench.api.urls")),
]
