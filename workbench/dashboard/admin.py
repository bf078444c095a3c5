from django.contrib import admin

from .models import ModelPrice


@admin.register(ModelPrice)
class ModelPriceAdmin(admin.ModelAdmin):
    list_display = [
        "model",
        "project",
        "input_per_million",
        "output_per_million",
        "updated_by",
        "updated_at",
    ]
    list_filter = [("project", admin.EmptyFieldListFilter)]
    search_fields = ["model"]
    readonly_fields = ["updated_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
