"""Local groups (collectives) tied to places: the group, who belongs to it and how, and
the items of its shared worklist.

A member's e-mail address is never stored here nor shown by anything here: the contact
form reads it from the account when it sends, one mail per member."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contrechamp.places.models import Commune, Department, Epci


class Group(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown: **bold**, *italics*, [links](…).")
    )
    communes = models.ManyToManyField(
        Commune, blank=True, related_name="local_groups", verbose_name=_("communes")
    )
    epcis = models.ManyToManyField(
        Epci, blank=True, related_name="local_groups", verbose_name=_("intercommunalities")
    )
    departments = models.ManyToManyField(
        Department, blank=True, related_name="local_groups", verbose_name=_("departments")
    )
    contact_enabled = models.BooleanField(_("visitors may write to the group"), default=True)
    # Counts the saves of the group's description: an edit opened on an older one is
    # refused, not written over the newer (`services.group_update`).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("local group")
        verbose_name_plural = _("local groups")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("group-detail", args=[self.slug])


class Membership(models.Model):
    ROLES = [("member", _("member")), ("coordinator", _("coordinator"))]
    STATES = [("requested", _("asked to join")), ("active", _("member"))]

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=ROLES, default="member")
    state = models.CharField(max_length=10, choices=STATES, default="requested")
    # Members are anonymous on the public page unless they choose otherwise.
    show_name = models.BooleanField(
        _("show my display name on the group's public page"), default=False
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    # What the person wrote when asking to join, for the coordinators; erased once they
    # approve (a refusal deletes the row).
    message = models.TextField(_("message"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group"),
            # A request to join is never a coordinator: the role comes with approval.
            models.CheckConstraint(
                condition=~models.Q(state="requested", role="coordinator"),
                name="coordinator_is_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id} ({self.role}, {self.state})"

    @property
    def is_active(self) -> bool:
        return self.state == "active"

    @property
    def is_coordinator(self) -> bool:
        return self.state == "active" and self.role == "coordinator"


class WorkItem(models.Model):
    """One thing the group means to do. Changed only by a conditional update on
    `version` (`services.work_item_change`): two members acting on the same item at
    once cannot overwrite each other."""

    KINDS = [
        ("request_send", _("request to send")),
        ("request_follow", _("request to follow")),
        ("document_review", _("document to review")),
        # What a contributor can do of a document: find where it comes from, check what
        # it says against other sources (reviewing it is the reviewers').
        ("sources_check", _("sources to gather or check")),
        # Ready for the watch app's candidates (not built yet): linked by URL meanwhile.
        ("candidate_check", _("candidate to check")),
        ("other", _("other")),
    ]
    STATES = [("open", _("to do")), ("done", _("done"))]

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="work_items")
    kind = models.CharField(_("kind"), max_length=16, choices=KINDS, default="other")
    access_request = models.ForeignKey(
        "access.AccessRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(
        "documents.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deployment = models.ForeignKey(
        "registry.Deployment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    state = models.CharField(max_length=5, choices=STATES, default="open")
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("worklist item")
        verbose_name_plural = _("worklist items")
        ordering = ["state", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.kind} ({self.state})"


class Invitation(models.Model):
    """A coordinator's invitation to join the group: sent to one e-mail address (used
    once, by the account with that address), or a link to share (used by anyone who has
    it, until it expires or is revoked). Both expire. Both work only while the
    coordinator who made them still coordinates the group.

    Only the SHA-256 of the token is kept: the link is in the mail, or shown once to the
    coordinator who made it, and a copy of the database lets no one in. The address is
    kept while the invitation waits (the coordinators see to whom it went, and only the
    account with that address may use it), and erased when it is used or cancelled, and
    by the daily purge once it has expired."""

    KINDS = [("email", _("by e-mail")), ("link", _("link to share"))]

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(max_length=5, choices=KINDS)
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField(blank=True)
    # A link's: who follows it asks to join, and a coordinator approves.
    needs_approval = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set by the service, with `expires_at` from the same instant.
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Why it was ended, when not by a coordinator cancelling it (or making a new link):
    # "maker", its maker stopped coordinating the group (removed, left, account
    # deleted), which the coordinators are told on the group's pages.
    ENDINGS = [("maker", _("its maker no longer coordinates the group"))]
    revoked_because = models.CharField(max_length=8, choices=ENDINGS, blank=True)
    # How many joined (or asked to) through it: once for an e-mail invitation.
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["email", "link"]), name="invitation_kind"
            ),
            # A link is nobody's: it never carries an address.
            models.CheckConstraint(
                condition=~models.Q(kind="link") | models.Q(email=""), name="link_has_no_address"
            ),
        ]

    def __str__(self) -> str:
        # Never the address: the audit log keeps this text for ever.
        return f"invitation {self.id} to group {self.group_id} ({self.kind})"


class Removal(models.Model):
    """A coordinator removed `user` from the group, or refused their request, at
    `removed_at`: no invitation made before that lets them in again (a link shared with
    the group before, an e-mail invitation still waiting). A new invitation, or a
    request a coordinator approves, does."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    removed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("removal from a group")
        verbose_name_plural = _("removals from a group")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_removal_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} removed from {self.group_id}"
