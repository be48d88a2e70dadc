"""What the procurement watch keeps: one row per record of a source (a contract of the
DECP, a notice), scored, resolved against the places and the registry, and waiting in
the review queue when it scores as a candidate; and one row per import run."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One import or fetch: what it read and what it made of it (the connector's log)."""

    source = models.CharField(max_length=20)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    inputs = models.JSONField(default=list)
    read = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    candidates = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    # The first errors, each {"input", "position", "error"}: enough to find the record.
    error_samples = models.JSONField(default=list)
    # Where a fetch from the network got to (a publication date): the next one resumes
    # from there.
    cursor = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("watch import")
        verbose_name_plural = _("watch imports")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"


class WatchRecord(models.Model):
    """A record of a source, as last read, with what it resolves to and its score."""

    STATUSES = [
        ("below", _("below the threshold")),
        ("new", _("new candidate")),
        ("accepted", _("turned into a deployment")),
        ("attached", _("attached to a deployment")),
        ("rejected", _("rejected")),
        ("duplicate", _("duplicate")),
    ]
    source = models.CharField(max_length=20)
    # Unique within the source: DECP ids are unique only per buyer, so the buyer's
    # identifier and the id ("<siret>:<id>"); a notice's number for BOAMP and TED.
    key = models.CharField(max_length=250)
    record_id = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, default="contract")
    buyer_siret = models.CharField(max_length=14, blank=True)
    buyer_name = models.CharField(max_length=300, blank=True)
    object = models.TextField(blank=True)
    cpv = models.JSONField(default=list)
    amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    holders = models.JSONField(default=list)
    place_code = models.CharField(max_length=12, blank=True)
    place_type = models.CharField(max_length=40, blank=True)
    commune = models.ForeignKey(
        "places.Commune", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    epci = models.ForeignKey(
        "places.Epci", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.CharField(max_length=3, blank=True)
    # The region's INSEE code: of the department, or of a regional council buying.
    region = models.CharField(max_length=3, blank=True)
    # Records of one contract (its lots, its publication by two channels) share this:
    # the same buyer, object (lot numbers aside) and date. The queue shows them as one.
    group = models.CharField(max_length=40, blank=True, db_index=True)
    score = models.IntegerField(default=0)
    reasons = models.JSONField(default=list)
    technologies = models.JSONField(default=list)
    vendors = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=STATUSES, default="below")
    # The review: who decided, when, into which deployment, and why a rejection.
    deployment = models.ForeignKey(
        "registry.Deployment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    digest = models.CharField(max_length=64)
    # Each change of the record seen by an import: {"at", "run", "before": {field: value}}.
    history = models.JSONField(default=list)
    first_seen = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("watch record")
        verbose_name_plural = _("watch records")
        ordering = ["-score", "-date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="watch_record_unique_key")
        ]
        indexes = [models.Index(fields=["status", "-score"], name="watch_record_queue")]

    def __str__(self) -> str:
        return f"{self.source} {self.record_id}"
