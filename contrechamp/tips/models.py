"""Tips: what a person sent without an account, and the exchange that follows.

Nothing here can point back to the sender: no account, no address, no browser, the
day only (not the time), file names replaced, and the receipt code kept as a hash.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contrechamp.documents.models import Document
from contrechamp.places.models import Commune


class Tip(models.Model):
    STATUSES = [
        ("new", pgettext_lazy("tip", "new")),
        ("handling", pgettext_lazy("tip", "being handled")),
        ("closed", pgettext_lazy("tip", "closed")),
    ]

    text = models.TextField(_("text"))
    place = models.ForeignKey(
        Commune, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=STATUSES, default="new")
    # The day only: an exact time could be matched with other traces of the sender.
    received_on = models.DateField(_("received on"))
    # SHA-256 of the normalised receipt code; the code itself is shown once and never kept.
    receipt_hash = models.CharField(max_length=64, unique=True)
    documents = models.ManyToManyField(Document, blank=True, related_name="tips")
    # The draft deployment a reviewer made from the tip (`tip_to_deployment`); its
    # revision says "tip N" back.
    deployment = models.ForeignKey(
        "registry.Deployment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("draft deployment"),
    )

    class Meta:
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"tip {self.id}"


class TipMessage(models.Model):
    """A later message on a tip: the sender adding to it (through the receipt code), or
    a reviewer replying (shown to the sender)."""

    AUTHORS = [("sender", _("sender")), ("reviewer", _("reviewers"))]

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=10, choices=AUTHORS)
    text = models.TextField(_("text"), blank=True)
    documents = models.ManyToManyField(Document, blank=True, related_name="+")
    # Which reviewer replied, for the team; never shown to the sender. Empty for the sender.
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    written_on = models.DateField()
    # A hash of the random token of the sender's form: the same addition sent again (a
    # reload) is added once. Nothing else of the sending.
    once_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("message on a tip")
        verbose_name_plural = _("messages on tips")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"tip {self.tip_id}: {self.author}"
