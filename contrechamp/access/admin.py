from django.contrib import admin

from contrechamp.access.letters import DEFAULTS
from contrechamp.access.models import (
    AccessRequest,
    Event,
    LetterTemplate,
    PublicBody,
    RequestSeries,
)


@admin.register(PublicBody)
class PublicBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "email"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["commune", "epci", "department"]


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    raw_id_fields = ["document", "created_by"]


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "status", "sent_on"]
    list_filter = ["status", "channel"]
    search_fields = ["title", "body__name"]
    raw_id_fields = ["body", "requester", "places", "deployments", "documents", "series"]
    inlines = [EventInline]


@admin.register(RequestSeries)
class RequestSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "created_by", "created_at"]


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """Administrators edit the letters here; a kind without a row uses the default."""

    list_display = ["kind", "subject", "updated_at"]

    def get_changeform_initial_data(self, request):  # type: ignore[no-untyped-def]
        initial = super().get_changeform_initial_data(request)
        kind = request.GET.get("kind")
        if kind in DEFAULTS:
            initial["subject"], initial["body"] = DEFAULTS[kind]
        return initial
