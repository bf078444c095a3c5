from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The whole log, for administrators: read only, as the database enforces anyway."""

    list_display = ["at", "kind", "username", "address", "project_slug", "object_repr"]
    list_filter = ["kind"]
    search_fields = ["username", "project_slug", "object_repr"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
