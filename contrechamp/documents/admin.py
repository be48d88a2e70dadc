from typing import Any

from django.contrib import admin

from contrechamp.documents.models import Document, Entity, Step


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    readonly_fields = ["name", "status", "attempts", "duration_ms", "output", "error"]
    can_delete = False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "kind", "status", "page_count", "origin", "created_at"]
    list_filter = ["status", "kind", "origin", "is_public"]
    search_fields = ["title", "filename", "sha256"]
    readonly_fields = [
        "sha256",
        "size",
        "kind",
        "mime",
        "status",
        "error",
        "page_count",
        "parent",
        "uploaded_by",
        "lease_until",
        "processed_at",
    ]
    raw_id_fields = ["places"]
    inlines = [StepInline]

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        # A bare delete here would leave the files on disk and the text in the search
        # index: documents are deleted from their page (/documents/ID/supprimer/), by
        # the library's service.
        return False


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "text", "value", "confidence", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["text", "value"]
    raw_id_fields = ["page", "commune", "organisation", "technology", "citation", "reviewed_by"]
