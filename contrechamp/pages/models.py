"""E-mail subscriptions: an address follows a place, a technology, an organisation or a
deployment (or, for a reviewer, the watch's new candidates) and receives a digest of what
changed there, daily or weekly. No account needed; the address is confirmed first, and
every digest carries a one-click link that deletes the subscription."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

KINDS = [
    ("commune", _("commune")),
    ("epci", _("intercommunality")),
    ("department", _("department")),
    ("technology", _("technology")),
    ("organisation", _("organisation")),
    ("deployment", _("deployment")),
    ("candidates", _("new candidates of the procurement watch")),
]
FREQUENCIES = [("daily", _("daily")), ("weekly", _("weekly"))]


class Subscription(models.Model):
    # Kept in lower case: one subscription per address and subject, however typed.
    email = models.EmailField(max_length=254)
    kind = models.CharField(max_length=20, choices=KINDS)
    # The commune's or department's code, the intercommunality's SIREN, the slug.
    key = models.CharField(max_length=100, blank=True)
    frequency = models.CharField(max_length=10, choices=FREQUENCIES, default="weekly")
    # The language of the page it was made on: the e-mails' language.
    language = models.CharField(max_length=8, default="fr")
    # Random, in the confirmation and unsubscribe links: whoever holds it may end it.
    token = models.CharField(max_length=64, unique=True)
    # A reviewer's subscription to new candidates: sent only while they review.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The next digest covers what changed after this moment.
    covered_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail subscription")
        verbose_name_plural = _("e-mail subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "kind", "key"], name="subscription_unique_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} ({self.frequency})"
