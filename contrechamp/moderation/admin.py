"""Trust in the admin: administrators grant or withdraw it beside the person's role (the
queue's person page does the same for reviewers), and read the proposals."""

from django.contrib import admin

from contrechamp.accounts.models import Profile
from contrechamp.registry.models import Proposal


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["public_name", "role", "trust", "accepted_changes"]
    list_editable = ["trust"]
    list_filter = ["role", "trust"]
    search_fields = ["public_name"]
    fields = ["public_name", "role", "trust", "accepted_changes"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state", "created_at", "decided_at"]
    list_filter = ["state", "target", "action"]
    # Deciding goes through the queue (it applies the change); here one only reads.
    readonly_fields = [f.name for f in Proposal._meta.fields]

    def has_add_permission(self, request: object) -> bool:  # type: ignore[override]
        return False
