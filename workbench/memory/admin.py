from django.contrib import admin

from .models import Term, TranslationMemory, TranslationUnit


@admin.register(TranslationMemory)
class TranslationMemoryAdmin(admin.ModelAdmin):
    list_display = ["name", "source_language", "target_language", "owner", "created_at"]
    search_fields = ["name"]
    filter_horizontal = ["readers"]
    raw_id_fields = ["owner"]


@admin.register(TranslationUnit)
class TranslationUnitAdmin(admin.ModelAdmin):
    list_display = ["source", "target", "memory", "origin", "quality", "updated_at"]
    list_filter = ["origin", "quality", "memory"]
    search_fields = ["source", "target"]
    raw_id_fields = ["memory", "document", "segment", "created_by"]
    readonly_fields = ["source_hash", "target_hash", "previous_hash", "next_hash"]
    list_select_related = ["memory"]
    show_full_result_count = False


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["source_term", "target_term", "status", "project"]
    list_filter = ["status"]
    search_fields = ["source_term", "target_term"]
