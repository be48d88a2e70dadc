"""Redactions of document pages, the public figures that stay readable, and the pages
where detection ran (the published copy itself belongs to the library: documents)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contrechamp.documents.models import Document, Page
from contrechamp.places.models import Commune

DEFAULT_REASON = "CRPA L311-6"


class RedactionQuerySet(models.QuerySet["Redaction"]):
    def of(self, document: Document) -> "RedactionQuerySet":
        """The redactions of `document`: on its pages and on its title."""
        return self.filter(models.Q(page__document=document) | models.Q(title_of=document))


class Redaction(models.Model):
    KINDS = [
        ("email", _("e-mail address")),
        ("phone", _("phone number")),
        ("address", _("postal address")),
        ("iban", _("bank account")),
        ("person", _("name of a person")),
        ("plate", _("vehicle plate")),
        ("signature", _("signature")),
        ("photo", _("photo of a person")),
        ("text", _("every occurrence of a text")),
        ("manual", _("area drawn by hand")),
    ]
    STATUSES = [
        ("suggested", _("suggested")),
        ("accepted", _("accepted")),
        ("rejected", _("rejected")),
    ]
    # A redaction is on a page, or on a document's title (a file name or an e-mail's
    # subject, published with the copy): a title has no boxes, its published form has
    # the text replaced.
    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, null=True, blank=True, related_name="redactions"
    )
    title_of = models.ForeignKey(
        Document,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="title_redactions",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=KINDS)
    text = models.CharField(_("text"), max_length=500, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    # Boxes in PDF points on the page: [[x0, y0, x1, y1], ...]
    rects = models.JSONField(default=list)
    reason = models.CharField(_("reason"), max_length=200, default=DEFAULT_REASON)
    status = models.CharField(max_length=10, choices=STATUSES, default="suggested")
    confidence = models.FloatField(default=1.0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RedactionQuerySet.as_manager()

    class Meta:
        verbose_name = _("redaction")
        verbose_name_plural = _("redactions")
        ordering = ["page", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(page__isnull=False, title_of__isnull=True)
                | models.Q(page__isnull=True, title_of__isnull=False),
                name="redaction_on_a_page_or_a_title",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text or self.rects}"

    @property
    def page_number(self) -> int:
        """The number of its page, for a redaction on a page (a title has none)."""
        if self.page is None:
            raise ValueError("A redaction of a title has no page.")
        return self.page.number


class PublicFigure(models.Model):
    """A name that stays readable: for one document, or for every document of a place."""

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, null=True, blank=True, related_name="public_figures"
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, null=True, blank=True, related_name="public_figures"
    )

    class Meta:
        verbose_name = _("public figure")
        verbose_name_plural = _("public figures")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Detection(models.Model):
    """Detection of personal data ran on this page (with or without findings): a page
    without it cannot be published, since nobody looked for what it holds."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="redaction_detection")
    ran_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.page_id}: {self.ran_at:%Y-%m-%d %H:%M}"
