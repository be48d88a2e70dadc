"""Requests for administrative documents (CRPA), the bodies they go to, series of the
same request to many bodies, the timeline of each request, and the letter templates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contrechamp.lib.text import name_key
from contrechamp.places.models import Commune, Department, Epci, Region


class PublicBody(models.Model):
    KINDS = [
        ("commune", _("commune")),
        ("epci", _("intercommunality")),
        ("department", _("department")),
        ("region", _("region")),
        ("prefecture", _("prefecture")),
        ("ministry", _("ministry")),
        ("company", _("public company")),
        ("other", _("other public body")),
    ]
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=KINDS, default="commune")
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    epci = models.ForeignKey(
        Epci, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("intercommunality")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("department")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    address = models.TextField(_("postal address"), blank=True)
    # `contrechamp.lib.text.name_key(name)`, kept by `save`: bodies added by hand are
    # searched by it in the database (accents and dashes optional).
    name_key = models.CharField(
        max_length=300,
        db_index=True,
        blank=True,
        editable=False,
        verbose_name=_("search key of the name"),
    )

    class Meta:
        verbose_name = _("public body")
        verbose_name_plural = _("public bodies")
        # By the folded name: "Établissement…" among the E, not after "Ville de…".
        ordering = ["name_key", "name"]
        # The bodies made from the places dataset: one of each per place.
        constraints = [
            models.UniqueConstraint(
                fields=["commune"],
                condition=models.Q(kind="commune"),
                name="body_one_per_commune",
            ),
            models.UniqueConstraint(
                fields=["epci"], condition=models.Q(kind="epci"), name="body_one_per_epci"
            ),
            models.UniqueConstraint(
                fields=["kind", "department"],
                condition=models.Q(kind__in=["department", "prefecture"]),
                name="body_one_per_department",
            ),
            models.UniqueConstraint(
                fields=["region"], condition=models.Q(kind="region"), name="body_one_per_region"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def department_code(self) -> str | None:
        if self.department_id:
            return self.department.code  # type: ignore[union-attr]
        if self.commune_id and self.commune.department_id:  # type: ignore[union-attr]
            return self.commune.department.code  # type: ignore[union-attr]
        return None


class DirectoryEntry(models.Model):
    """A body of the places dataset a request can go to (a region's council, a
    department's council and its prefecture, an intercommunality), under the key its
    place's name is searched by: the bodies directory, searched in the database rather
    than by normalising every place name on each keystroke. Rebuilt from the places
    tables when a new places load is seen (`places_load`); the communes are searched in
    their own table (`Commune.name_key`)."""

    reference = models.CharField(max_length=24, unique=True)
    kind = models.CharField(max_length=12, choices=PublicBody.KINDS)
    name = models.CharField(max_length=300)
    name_key = models.CharField(max_length=300, db_index=True)
    # The place's code (SIREN of an intercommunality), matched whole.
    code = models.CharField(max_length=10, db_index=True)
    # The order of the search's answers: regions, departments, intercommunalities.
    position = models.PositiveIntegerField()
    places_load = models.PositiveIntegerField(help_text="The PlaceDataLoad it was built from.")

    class Meta:
        verbose_name = _("directory entry")
        ordering = ["position"]
        verbose_name_plural = "directory entries"

    def __str__(self) -> str:
        return self.reference


class RequestSeries(models.Model):
    """A series of requests ("série de demandes"): the same request sent to many bodies
    at once, followed together. For the CADA it is a series in the sense of L342-1 CRPA
    once enough of them are sent: the refusals are then referred together, on one of
    them. (Not a "campaign": that word is kept for petitions.)"""

    title = models.CharField(_("title"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    referral_lead = models.ForeignKey(
        "AccessRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The refusal the grouped referral to the CADA is made on."),
        verbose_name=_("request leading the referral"),
    )
    referred_on = models.DateField(_("date of the grouped referral"), null=True, blank=True)

    class Meta:
        verbose_name = _("series of requests")
        verbose_name_plural = _("series of requests")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("series-detail", args=[self.id])


class AccessRequest(models.Model):
    """A request for administrative documents (CRPA) to one public body."""

    CHANNELS = [("email", _("e-mail")), ("post", _("registered post"))]
    STATUSES = [
        ("draft", _("draft")),
        ("sent", _("sent, awaiting an answer")),
        ("answered", _("answered")),
        ("partial", _("partly answered")),
        ("refused", _("refused")),
        ("cada", _("referred to the CADA")),
        ("court", _("before the court")),
        ("closed", _("closed")),
        ("withdrawn", _("withdrawn")),
    ]
    body = models.ForeignKey(
        PublicBody, on_delete=models.PROTECT, related_name="requests", verbose_name=_("public body")
    )
    series = models.ForeignKey(
        RequestSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("series"),
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="access_requests",
        verbose_name=_("requester"),
    )
    show_requester = models.BooleanField(_("show my name on the public page"), default=False)
    title = models.CharField(_("subject"), max_length=300)
    documents_asked = models.TextField(
        _("documents asked for"), help_text=_("One document per line.")
    )
    places = models.ManyToManyField(
        Commune, blank=True, related_name="access_requests", verbose_name=_("places")
    )
    deployments = models.ManyToManyField(
        "registry.Deployment",
        blank=True,
        related_name="access_requests",
        verbose_name=_("deployments"),
    )
    documents = models.ManyToManyField(
        "documents.Document",
        blank=True,
        related_name="access_requests",
        verbose_name=_("documents"),
    )
    channel = models.CharField(_("sent by"), max_length=5, choices=CHANNELS, default="email")
    sent_on = models.DateField(_("date of sending"), null=True, blank=True)
    received_on = models.DateField(_("date of receipt"), null=True, blank=True)
    letter = models.TextField(_("letter"), blank=True)
    status = models.CharField(
        max_length=10, choices=STATUSES, default="draft", verbose_name=_("status")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name_plural = _("access-to-documents requests")
        ordering = ["-created_at", "-id"]
        verbose_name = _("access-to-documents request")

    def __str__(self) -> str:
        return f"{self.title} — {self.body}"

    def get_absolute_url(self) -> str:
        return reverse("request-detail", args=[self.id])

    def asked(self) -> list[str]:
        return [line.strip() for line in self.documents_asked.splitlines() if line.strip()]


class Event(models.Model):
    KINDS = [
        ("acknowledgement", _("acknowledgement of receipt")),
        ("reminder", _("reminder sent")),
        ("reply", _("reply with the documents")),
        ("partial", _("partial answer")),
        ("refusal", _("explicit refusal")),
        ("implicit_refusal", _("implicit refusal")),
        ("cada_referral", _("referral to the CADA")),
        ("cada_ack", _("CADA registration of the referral")),
        ("cada_opinion", _("CADA opinion")),
        ("decision", _("administration's decision after the opinion")),
        ("court", _("application to the tribunal administratif")),
        ("judgment", _("judgment")),
        ("withdrawal", _("withdrawal")),
    ]
    request = models.ForeignKey(
        AccessRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("request")
    )
    kind = models.CharField(_("event"), max_length=20, choices=KINDS)
    date = models.DateField(_("date"))
    favourable = models.BooleanField(
        _("favourable"),
        null=True,
        blank=True,
        help_text=_("For an opinion, a decision or a judgment: in the requester's favour?"),
    )
    note = models.TextField(_("note"), blank=True)
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("document"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )
    # Recorded by Contrechamp from the rules (an implicit refusal once its date has come),
    # not by a person; kept in step with the facts it follows from.
    automatic = models.BooleanField(default=False, verbose_name=_("automatic"))
    # Recorded for every request of a series at once (grouped referral, its registration,
    # the one opinion the CADA gives on the series).
    series = models.BooleanField(default=False, verbose_name=_("series"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("event of a request")
        verbose_name_plural = _("events of requests")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.kind} {self.date}"


class Attachment(models.Model):
    """A proof kept with a request: the registered-post receipt, the e-mail as sent, the
    acknowledgement of receipt. Private: only the requester and reviewers get it (it
    carries the requester's name and address); joined to the CADA referral file."""

    KINDS = [
        ("sending", _("proof of sending")),
        ("receipt", _("proof of receipt")),
        ("other", _("other proof")),
    ]
    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=KINDS, default="sending")
    filename = models.CharField(_("file name"), max_length=255)
    mime = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proof")
        verbose_name_plural = _("proofs")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def path(self) -> str:
        return f"access/attachments/{self.request_id}/{self.sha256}"


class LetterTemplate(models.Model):
    """A letter as administrators edited it (the defaults ship with the code)."""

    KINDS = [
        ("request_email", _("request, by e-mail")),
        ("request_post", _("request, by registered post")),
        ("reminder", _("reminder before the implicit refusal")),
        ("cada_referral", _("referral to the CADA")),
        ("after_opinion", _("letter after a favourable CADA opinion")),
        ("cada_referral_series", _("grouped referral of a series to the CADA")),
        ("series_notice", _("notice of the grouped referral to each administration")),
    ]
    kind = models.CharField(max_length=20, choices=KINDS, unique=True, verbose_name=_("kind"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(
        _("body"),
        help_text=_("Django template syntax: {{ request }}, {{ body }}, {{ deadlines }}…"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")

    def __str__(self) -> str:
        return self.get_kind_display()


class ReminderLog(models.Model):
    """One reminder e-mail per user and day: the daily task may run twice, not send twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_reminder_a_day")]


class FeedToken(models.Model):
    """The key in the address of a requester's private Atom feed of deadlines (a feed
    reader cannot log in). Random, not derived from the user; only its SHA-256 is kept,
    so a copy of the database opens no feed; making a new one replaces it, and the old
    address stops working. One per user: the feed is the user's, not a request's."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deadline_feed"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("private feed address")
        verbose_name_plural = _("private feed addresses")

    def __str__(self) -> str:
        return f"feed of {self.user_id}"
