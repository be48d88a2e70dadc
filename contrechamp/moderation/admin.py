"""Trust in the admin: administrators grant or withdraw it beside the person's role (the
queue's person page does the same for reviewers), and read the proposals."""

from typing import Any

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from contrechamp.accounts.models import Profile
from contrechamp.accounts.services import LastAdministrator, user_role_set
from contrechamp.registry.models import Proposal


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    # The account's user name and address beside the display name: profiles without one
    # read "-", and an administrator could not tell whose role they changed (a walk).
    list_display = [
        "user__username",
        "user__email",
        "public_name",
        "role",
        "trust",
        "accepted_changes",
    ]
    list_display_links = ["user__username"]
    list_editable = ["trust"]
    list_filter = ["role", "trust"]
    search_fields = ["public_name", "user__username", "user__email"]
    fields = ["public_name", "role", "trust", "accepted_changes"]
    list_select_related = ["user"]

    def save_model(self, request: Any, obj: Profile, form: Any, change: bool) -> None:
        """A role changed here goes through the role's service, as on the command line:
        an administrator gets Django's admin (staff, superuser) and loses it with the
        role (a superuser made reviewer here stayed an administrator), and the only
        administrator keeps the role."""
        if not (change and "role" in form.changed_data):
            super().save_model(request, obj, form, change)
            return
        role, obj.role = obj.role, form.initial["role"]
        super().save_model(request, obj, form, change)
        try:
            user_role_set(user=obj.user, role=role)
        except LastAdministrator:
            messages.error(
                request,
                _("This account is the only administrator: make another one first."),
            )
        obj.refresh_from_db()


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state", "created_at", "decided_at"]
    list_filter = ["state", "target", "action"]
    # Deciding goes through the queue (it applies the change); here one only reads.
    readonly_fields = [f.name for f in Proposal._meta.fields]

    def has_add_permission(self, request: object) -> bool:  # type: ignore[override]
        return False
