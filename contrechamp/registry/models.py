"""The registry: technologies, organisations, deployments, their sources and history."""

import re
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from contrechamp.lib.partialdate import format_partial_date
from contrechamp.lib.text import name_key
from contrechamp.places.models import Commune, Epci
from contrechamp.registry.sitelinks import SiteDocument, site_document


class Technology(models.Model):
    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    definition_fr = models.TextField(_("definition (French)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("technology")
        verbose_name_plural = _("technologies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr

    @property
    def definition(self) -> str:
        if (get_language() or "fr").startswith("en"):
            return self.definition_en
        return self.definition_fr

    def get_absolute_url(self) -> str:
        return reverse("technology-detail", args=[self.slug])


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def public(self) -> "OrganisationQuerySet":
        return self.filter(is_public=True)


class Organisation(models.Model):
    KINDS = [
        ("vendor", _("vendor")),
        ("funder", _("funder")),
        ("public_body", _("public body")),
        ("other", _("other")),
    ]
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=200, unique=True, verbose_name=_("slug"))
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS, default="vendor")
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    country = models.CharField(_("country"), max_length=2, default="FR")
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # False for a vendor or funder first named in a draft: its name is then as private
    # as the draft, until a deployment naming it is published (see services).
    is_public = models.BooleanField(default=True, verbose_name=_("public"))
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation-detail", args=[self.slug])


# The statuses of a deployment that runs: an end date in the past contradicts them.
RUNNING = ("experimenting", "deployed")


def ended_before_today(end_date: str) -> bool:
    """Whether a partial date ("2018", "2018-02", "2018-02-14") is wholly past: February
    2018 ended before today, the current year or month has not."""
    if not end_date:
        return False
    today = timezone.localdate().isoformat()
    return end_date < today[: len(end_date)]


class DeploymentQuerySet(models.QuerySet["Deployment"]):
    def published(self) -> "DeploymentQuerySet":
        return self.filter(is_published=True)


class Deployment(models.Model):
    STATUSES = [
        ("announced", _("announced")),
        ("planned", _("planned")),
        ("experimenting", _("experimenting")),
        ("deployed", _("deployed")),
        ("suspended", _("suspended")),
        ("abandoned", _("abandoned")),
        ("unlawful", _("ruled unlawful")),
    ]
    SCOPES = [("local", _("local")), ("national", _("national"))]

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(max_length=320, unique=True)
    scope = models.CharField(_("scope"), max_length=10, choices=SCOPES, default="local")
    communes = models.ManyToManyField(Commune, blank=True, related_name="deployments")
    epcis = models.ManyToManyField(Epci, blank=True, related_name="deployments")
    technologies = models.ManyToManyField(Technology, related_name="deployments")
    status = models.CharField(_("status"), max_length=20, choices=STATUSES)
    start_date = models.CharField(_("start"), max_length=10, blank=True)
    end_date = models.CharField(_("end"), max_length=10, blank=True)
    vendors = models.ManyToManyField(Organisation, blank=True, related_name="deployments_supplied")
    description = models.TextField(_("description"), blank=True)
    is_published = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Concatenated text for full-text search, rebuilt by the service on every write.
    search_text = models.TextField(blank=True, editable=False)

    objects = DeploymentQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("deployment")
        indexes = [
            # The public list in its default order: page, deep page (OFFSET walks this
            # index only) and COUNT. `is_published` is repeated as a column so SQLite
            # sees the index as covering the `WHERE is_published` term (without it SQLite
            # counts by scanning the table: 25 ms instead of 1 ms on 50,000 rows).
            models.Index(
                fields=["-updated_at", "-id", "is_published"],
                condition=Q(is_published=True),
                name="registry_deployment_public",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deployment-detail", args=[self.slug])

    @property
    def ended_meanwhile(self) -> bool:
        """Its status says it runs (experimenting, deployed) but its end date is past: the
        status was not updated when it ended (a walk read "experimenting, 2017 – February
        2018"). Its pages say it ended; the form refuses the pair (`forms`)."""
        return self.status in RUNNING and ended_before_today(self.end_date)

    @property
    def latest_source_on(self) -> str:
        """The publication date of its latest dated source ("2024-03"), or "": how
        recent the evidence is that it runs (the list annotates it; else one query)."""
        if "latest_source" in self.__dict__:
            return self.__dict__["latest_source"] or ""
        latest = self.citations.aggregate(latest=models.Max("source__published_on"))["latest"]
        return latest or ""

    @property
    def latest_source_text(self) -> str:
        return format_partial_date(self.latest_source_on, get_language() or "fr")

    @property
    def end_text(self) -> str:
        return format_partial_date(self.end_date, get_language() or "fr")

    @property
    def period(self) -> str:
        """When it ran, as lists and pages show it after its status: "2017 – 2018",
        "since 2012" (a bare "deployed · 2012" read as a date of deployment, or of
        nothing: a walk), "start date unknown – 2018"."""
        lang = get_language() or "fr"
        start = format_partial_date(self.start_date, lang)
        end = format_partial_date(self.end_date, lang)
        if not start:
            unknown = str(_("start date unknown"))
            return f"{unknown} – {end}" if end else unknown
        if end:
            return f"{start} – {end}"
        if self.status not in RUNNING:
            # "abandoned · since 2012" would date the abandonment.
            return str(_("start: %(date)s") % {"date": start})
        if len(self.start_date) == 10:
            return str(pgettext_lazy("a day", "since %(date)s") % {"date": start})
        return str(_("since %(date)s") % {"date": start})


class Funding(models.Model):
    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="fundings")
    funder = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="fundings")
    amount_eur = models.DecimalField(
        _("amount (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    programme = models.CharField(_("programme"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        ordering = ["id"]
        indexes = [
            # A funder's first funding, for the list page's funder filter: with the
            # funder's index alone, PostgreSQL scanned the whole funding table for each
            # organisation that funds nothing (0.9 ms with this index, 14 ms without).
            models.Index(fields=["funder", "id"], name="registry_funding_funder_first"),
        ]


class LegalEvent(models.Model):
    KINDS = [
        ("cnil_opinion", _("CNIL opinion")),
        ("cnil_decision", _("CNIL decision or formal notice")),
        ("court_ruling", _("court ruling")),
        ("council_vote", _("council vote")),
        ("other", _("other")),
    ]
    OUTCOMES = [
        ("favourable", _("favourable")),
        ("unfavourable", _("unfavourable")),
        ("mixed", _("mixed")),
        ("pending", _("pending")),
        ("unknown", _("unknown")),
    ]
    deployment = models.ForeignKey(
        Deployment, on_delete=models.CASCADE, related_name="legal_events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS)
    date = models.CharField(_("date"), max_length=10, blank=True)
    authority = models.CharField(_("authority"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=OUTCOMES, default="unknown")
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("legal event")
        verbose_name_plural = _("legal events")
        ordering = ["date", "id"]


class Source(models.Model):
    """A publication or web page that facts are taken from."""

    title = models.CharField(_("title"), max_length=400)
    publisher = models.CharField(_("publication or publisher"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    published_on = models.CharField(_("publication date"), max_length=10, blank=True)
    # A document of the library; the citation's locator then names the page.
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        verbose_name=_("document"),
    )

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def published_text(self) -> str:
        return format_partial_date(self.published_on, get_language() or "fr")

    @cached_property
    def site_document(self) -> SiteDocument | None:
        """The library document of this site its address names, if it does."""
        return site_document(self.url)

    @cached_property
    def link(self) -> str:
        """The address a reader follows, or "": its own address, except one of this
        site's library documents not published (or gone), which would answer a visitor
        with "not found"; else the page of its library document once published."""
        if self.url:
            found = self.site_document
            if found is None:
                return self.url
            return found.path if found.number in documents_public([found.number]) else ""
        document = self.document if self.document_id else None
        if document is not None and document.is_public:
            return str(document.get_absolute_url())
        return ""

    @property
    def no_link_text(self) -> str:
        """Why a source shows no link ("" when it has one): a library document not yet
        published, or no address online (a paper document, a meeting)."""
        if self.link:
            return ""
        if self.url or self.document_id:
            return str(_("document not yet published"))
        return str(_("no online address"))


def documents_public(numbers: Iterable[int]) -> set[int]:
    """Which of these library documents are published (a missing one is not). The
    library's model is reached through the source's foreign key: the registry sits below
    the library and never imports it."""
    wanted = {n for n in numbers if n}
    if not wanted:
        return set()
    documents = Source._meta.get_field("document").related_model
    return set(
        documents._default_manager.filter(id__in=wanted, is_public=True).values_list(  # type: ignore[union-attr]
            "id", flat=True
        )
    )


class AcceptedCameraCounts(models.Manager["CameraCount"]):
    """Camera counts that a reviewer accepted (or that a trusted person entered): the
    only ones any figure, page, API answer or export reads. The default manager, so that
    code written before moderation existed cannot show a pending count by accident."""

    def get_queryset(self) -> models.QuerySet["CameraCount"]:
        return super().get_queryset().filter(state="accepted")


# "(environ)", "(about)"… closing a perimeter: an estimate written where the form had no
# other room for it (the demo's Paris count was one), read as the `approximate` flag.
ESTIMATE_MARKER = re.compile(
    r"\s*[(\[]\s*(?:environ|approx(?:\.|imately)?|about|estimat(?:e|ion))\s*[)\]]\s*$", re.I
)


def scope_key(perimeter: str) -> str:
    """The form of a count's perimeter used to tell two perimeters apart: case, accents,
    punctuation and spacing ignored ("Voie publique, Préfecture de police" and "voie
    publique – préfecture de police" are one). "" for a perimeter not stated, which is
    the same as no other, not even another unstated one: nobody knows what either
    counted."""
    return " ".join(re.sub(r"[^\w]+", " ", name_key(perimeter)).split())


def same_scope(a: str, b: str) -> bool:
    """Whether two counts' perimeters are known to be the same (`scope_key`)."""
    key = scope_key(a)
    return bool(key) and key == scope_key(b)


class CountFigures:
    """A count's figures from the place it covers (a count's row: its commune; a city's
    sum of its arrondissements' in `registry.figures`: the arrondissements counted): its
    date as read, per km² and per thousand inhabitants (None for a place of no
    inhabitant, or of unknown area)."""

    commune: Commune
    count: int
    date: str
    # What was counted (free text: "the town's cameras", "public roads, police
    # prefecture"), "" when the source does not say; and whether the source gives an
    # estimate ("about 1,000") rather than a count.
    perimeter: str
    approximate: bool

    @property
    def scope_key(self) -> str:
        """The perimeter as compared with another (`scope_key`), "" when not stated."""
        return scope_key(self.perimeter)

    @property
    def date_text(self) -> str:
        return format_partial_date(self.date, get_language() or "fr")

    @property
    def covered_population(self) -> int | None:
        """The inhabitants the count is of: its commune's."""
        return self.commune.population

    @property
    def covered_area_km2(self) -> float | None:
        return self.commune.area_km2

    @property
    def per_km2(self) -> float | None:
        area = self.covered_area_km2
        return self.count / area if area else None

    @property
    def per_1000(self) -> float | None:
        population = self.covered_population
        return self.count * 1000 / population if population else None


class CameraCount(CountFigures, models.Model):
    STATES = [
        ("pending", _("waiting for review")),
        ("accepted", _("accepted")),
        ("rejected", _("rejected")),
        ("withdrawn", _("withdrawn")),
    ]
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="camera_counts")
    count = models.PositiveIntegerField(_("cameras"))
    date = models.CharField(_("date of the figure"), max_length=10)
    perimeter = models.CharField(
        _("perimeter"),
        max_length=200,
        blank=True,
        help_text=_("What was counted, e.g. “public roads, municipal police”."),
    )
    approximate = models.BooleanField(
        _("estimate"),
        default=False,
        help_text=_("The source gives an estimate (“about 1,000”), not a count."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    # A count entered by a contributor not yet trusted stays "pending" until a reviewer
    # accepts it (registry/proposals.py); `objects` reads accepted counts only.
    state = models.CharField(_("state"), max_length=10, choices=STATES, default="accepted")

    objects = AcceptedCameraCounts()
    all_objects = models.Manager()

    class Meta:
        verbose_name = _("camera count")
        verbose_name_plural = _("camera counts")
        ordering = ["commune", "date"]
        # Django's own machinery (admin, dumpdata, related managers) sees every count:
        # a backup or the admin must not lose the pending ones.
        default_manager_name = "all_objects"


class Citation(models.Model):
    """One source backing one claim, with the quote that supports it."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    deployment = models.ForeignKey(
        Deployment, on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    camera_count = models.ForeignKey(
        CameraCount, on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    quote = models.TextField(_("quote"), blank=True)
    locator = models.CharField(_("page or section"), max_length=100, blank=True)
    accessed_on = models.DateField(_("accessed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(deployment__isnull=False, camera_count__isnull=True)
                    | Q(deployment__isnull=True, camera_count__isnull=False)
                ),
                name="citation_cites_one_claim",
            )
        ]


class Revision(models.Model):
    """A full snapshot of an object after a change, with who made it and why."""

    KINDS = [("deployment", _("deployment")), ("organisation", _("organisation"))]
    kind = models.CharField(max_length=20, choices=KINDS)
    object_id = models.PositiveBigIntegerField()
    version = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "version"], name="revision_version_unique"
            )
        ]

    @property
    def of_a_draft(self) -> bool:
        """A version of a deployment while it was a draft, or of an organisation while
        only drafts named it (not public: read by reviewers and the draft's author
        only)."""
        return not self.snapshot.get("is_published", True) or not self.snapshot.get(
            "is_public", True
        )


class Proposal(models.Model):
    """A change by a contributor not yet trusted, waiting for a reviewer: nothing public
    changes until it is accepted (registry/proposals.py applies it through the same
    services as a direct edit)."""

    TARGETS = [
        ("deployment", _("deployment")),
        ("organisation", _("organisation")),
        ("camera_count", _("camera count")),
    ]
    ACTIONS = [
        ("create", _("creation")),
        ("update", _("change")),
        ("publish", _("publication")),
    ]
    STATES = [
        ("pending", _("waiting for review")),
        ("accepted", _("accepted")),
        ("rejected", _("rejected")),
        ("withdrawn", _("withdrawn")),
    ]
    target = models.CharField(max_length=20, choices=TARGETS, verbose_name=_("kind of object"))
    action = models.CharField(max_length=10, choices=ACTIONS, verbose_name=_("action"))
    object_id = models.PositiveBigIntegerField(verbose_name=_("object"))
    # The version the contributor's form was loaded from (updates): accepting on a newer
    # version goes through the same merge as two concurrent edits, never overwrites it.
    base_version = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("version proposed from")
    )
    # The proposed object as plain data (DeploymentData / OrganisationData snapshot);
    # for a publication or a camera count, the object as it was submitted.
    data = models.JSONField(default=dict, verbose_name=_("proposed data"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposals",
        verbose_name=_("author"),
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=STATES, default="pending")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals_reviewed",
        verbose_name=_("reviewer"),
    )
    reason = models.TextField(_("reason"), blank=True)
    # Accepted after the reviewer changed it ("edit then accept"): its author is told so.
    edited = models.BooleanField(_("changed by the reviewer"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["state", "created_at"], name="registry_proposal_queue")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(reason=""),
                name="proposal_rejection_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.get_target_display()} #{self.object_id}"


class ProposalDecision(models.Model):
    """One step of a proposal's review, kept when the next one comes: a rejection
    reopened by mistake keeps its reason here, and a reviewer's list of her decisions
    reads these rows (registry/proposals.py writes them with every decision)."""

    STATES = [
        ("accepted", _("accepted")),
        ("rejected", _("rejected")),
        ("reopened", _("reopened")),
    ]
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="decisions")
    state = models.CharField(_("decision"), max_length=10, choices=STATES)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal_decisions",
    )
    reason = models.TextField(_("reason"), blank=True)
    # The version of what the proposal changes at the decision (deployments and
    # organisations): a rejection is reopened only while it is still that version.
    object_version = models.PositiveIntegerField(null=True, blank=True)
    # The author was e-mailed the decision: a reopening of it is mailed too.
    notified = models.BooleanField(default=False)
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = _("decision on a proposal")
        verbose_name_plural = _("decisions on proposals")
        ordering = ["-decided_at", "-id"]
        indexes = [
            models.Index(fields=["reviewer", "-decided_at"], name="registry_decision_mine"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.state}"
