"""The audit log: one row per action that changed data or rights, never updated nor deleted.

Three tables:
- `AuditEntry`, written in the same transaction as the change it records, so that a change
  and its entry commit (or roll back) together;
- `AuditLink`, the hash chain: on PostgreSQL written just after the commit by
  `services.audit_seal`, in a short transaction of its own that holds the single
  `AuditHead` row; on SQLite, whose one writer already holds the whole database, in the
  change's own transaction. Chaining inside the
  change's own transaction would hold that row until the change commits: every writer of the
  site would wait on it, and a transaction that locks a deployment after recording something
  would deadlock with one that recorded after locking it (PostgreSQL aborts one of them);
- `AuditHead`, the last link (position and hash): the lock that serialises the chain, and
  what makes a truncated tail visible.

Both `AuditEntry` and `AuditLink` refuse `save()` of an existing row and `delete()` here, and
database triggers (migration 0002) refuse UPDATE and DELETE on their tables whatever the
client: the ORM's `.update()`, a queryset delete, raw SQL.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Any] = {
    "created": _("created"),
    "changed": _("changed"),
    "deleted": _("deleted"),
    "logged_in": _("logged in"),
    "logged_out": _("logged out"),
    "login_failed": _("log-in failed"),
    "locked_out": _("locked out"),
    "role_changed": _("role changed"),
    "trust_changed": _("trust changed"),
    # A document's date, title, origin or source address corrected by hand.
    "details_corrected": _("details corrected"),
    # A reviewer's decision on a change waiting in the moderation queue.
    "proposal_accepted": _("proposal accepted"),
    "proposal_rejected": _("proposal rejected"),
    # A rejection undone: the proposal waits again (its reason stays in its decisions).
    "proposal_reopened": _("proposal reopened"),
}

# The recorded models of other packages whose names are not translated (django-otp's
# devices): named as the account pages name them.
KIND_NAMES: dict[str, Any] = {
    "otp_totp.totpdevice": _("two-factor authentication app"),
    "otp_static.staticdevice": _("set of recovery codes"),
    "otp_static.statictoken": _("recovery code"),
}


def kind_name(app: str, model: str) -> str:
    """A kind of object as a reader names it, in the active language: its model's name
    ("demande d’accès aux documents", not `access.accessrequest`); the label for a
    model gone since."""
    label = f"{app}.{model}"
    if label in KIND_NAMES:
        return str(KIND_NAMES[label])
    try:
        return str(apps.get_model(app, model)._meta.verbose_name)
    except LookupError:
        return label


class AppendOnlyError(Exception):
    """An attempt to change or remove a row of the audit log."""


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("the audit log is append-only: an entry cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("the audit log is append-only: an entry cannot be deleted")


class AuditEntry(AppendOnly):
    when = models.DateTimeField(_("when"), db_index=True)
    # The account's id as a plain integer, not a foreign key: deleting an account must not
    # update nor delete its entries. Null for the system and for anonymous visitors.
    actor_id = models.PositiveBigIntegerField(_("actor"), null=True, blank=True, db_index=True)
    # Outside a request: "command places", "task contrechamp.access.tasks.daily".
    actor_system = models.CharField(_("system actor"), max_length=120, blank=True)
    action = models.CharField(_("action"), max_length=40, db_index=True)
    target_app = models.CharField(max_length=50, blank=True)
    target_model = models.CharField(max_length=50, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    # The object's history page, computed when the entry is written (see services.py).
    target_url = models.CharField(max_length=300, blank=True)
    # Field names changed and, for rights, old → new; never personal content.
    details = models.JSONField(default=dict, blank=True)
    # HMAC of the client's network (/24, /48) under a monthly salt; never the address.
    origin = models.CharField(_("origin"), max_length=32, blank=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_app", "target_model"], name="audit_target")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.target_app}.{self.target_model}:{self.target_id}"

    @property
    def model_label(self) -> str:
        return kind_name(self.target_app, self.target_model) if self.target_app else ""

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, self.action.replace("_", " ")))


class AuditLink(AppendOnly):
    """One link of the chain: HMAC(previous link's hash, the entry's content)."""

    position = models.PositiveBigIntegerField(unique=True)
    # No database constraint: the chain must be able to show an entry that went missing.
    entry = models.OneToOneField(
        AuditEntry, on_delete=models.DO_NOTHING, db_constraint=False, related_name="link"
    )
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["position"]


class AuditHead(models.Model):
    """The single row (id 1) locked while a link is added."""

    position = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)
