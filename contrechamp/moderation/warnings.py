"""Plausibility warnings on a pending change: what a reviewer should look at twice.

Each check reads the change as it would be (`proposal_before_after`) and returns zero or
more warnings; none refuses anything (a jump in a camera count may be real, a second
deployment in a town may be a new phase), they only say where to look."""

from __future__ import annotations

import dataclasses
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from contrechamp.lib.partialdate import partial_date_after
from contrechamp.lib.typography import elided
from contrechamp.registry.models import (
    CameraCount,
    Citation,
    Deployment,
    Proposal,
    documents_public,
    same_scope,
)
from contrechamp.registry.proposals import (
    latest_accepted_count,
    proposal_before_after,
    proposal_object,
)
from contrechamp.registry.quotes import source_document

# Technologies that existed before digital tools (analogue CCTV, card-index files): a
# date before 1990 is plausible for them only.
NOT_DIGITAL = {"videosurveillance", "fichiers-police"}
FIRST_DIGITAL_YEAR = 1990
# The largest plausible single funding, in euros, per technology (the largest of a
# deployment's technologies applies). Paris's video-protection plan is in the hundreds
# of millions; a reporting app or an audio sensor pilot in the millions at most.
AMOUNT_BOUNDS = {
    "videosurveillance": Decimal("500000000"),
    "hypervision": Decimal("300000000"),
    "fichiers-police": Decimal("500000000"),
    "lapi": Decimal("50000000"),
    "application-signalement": Decimal("5000000"),
    "detection-sonore": Decimal("10000000"),
    "reconnaissance-emotions": Decimal("10000000"),
}
DEFAULT_AMOUNT_BOUND = Decimal("100000000")


@dataclasses.dataclass(frozen=True)
class Warning:
    # other_scope, count_jump, future_date, early_date, amount, duplicate, source_reused,
    # unpublished_document
    kind: str
    message: str
    # Something to open for a closer look (the other deployment, the earlier count).
    url: str = ""


def _year(value: str) -> int | None:
    try:
        return int(value[:4]) if value else None
    except ValueError:
        return None


def _dates(after: dict[str, Any], target: str) -> list[tuple[str, str]]:
    """(label, value) of every date the change holds."""
    out: list[tuple[str, str]] = []
    if target == "camera_count":
        out.append((str(_("date of the figure")), str(after.get("date") or "")))
    else:
        out += [
            (str(_("start")), str(after.get("start_date") or "")),
            (str(_("end")), str(after.get("end_date") or "")),
        ]
        out += [
            (str(_("legal event")), str(e.get("date") or ""))
            for e in after.get("legal_events") or []
        ]
    for c in after.get("citations") or []:
        out.append(
            (
                str(_("publication date of a source")),
                str((c.get("source") or {}).get("published_on") or ""),
            )
        )
    return [(label, value) for label, value in out if value]


def date_warnings(target: str, after: dict[str, Any]) -> list[Warning]:
    today = timezone.localdate()
    digital = bool(set(after.get("technologies") or []) - NOT_DIGITAL)
    warnings = []
    for label, value in _dates(after, target):
        if partial_date_after(value, today):
            warnings.append(
                Warning(
                    "future_date",
                    _("Date in the future: %(what)s, %(date)s.") % {"what": label, "date": value},
                )
            )
        year = _year(value)
        if digital and target == "deployment" and year is not None and year < FIRST_DIGITAL_YEAR:
            warnings.append(
                Warning(
                    "early_date",
                    _("Date before %(year)d, early for a digital technology: %(what)s, %(date)s.")
                    % {"what": label, "date": value, "year": FIRST_DIGITAL_YEAR},
                )
            )
    return warnings


def amount_warnings(after: dict[str, Any]) -> list[Warning]:
    technologies = after.get("technologies") or []
    bound = max(
        (AMOUNT_BOUNDS.get(t, DEFAULT_AMOUNT_BOUND) for t in technologies),
        default=DEFAULT_AMOUNT_BOUND,
    )
    warnings = []
    for f in after.get("fundings") or []:
        try:
            amount = Decimal(str(f.get("amount_eur")))
        except (InvalidOperation, ValueError):
            continue
        if not amount.is_finite():
            continue
        if amount < 0 or amount > bound:
            funder = f.get("funder") or "?"
            warnings.append(
                Warning(
                    "amount",
                    elided(
                        _(
                            "The amount of %(amount)s € from %(funder)s is out of the "
                            "plausible range (0 to %(bound)s €)."
                        )
                        % {
                            "amount": f"{amount:,.0f}".replace(",", "\u202f"),
                            "funder": funder,
                            "bound": f"{bound:,.0f}".replace(",", "\u202f"),
                        },
                        funder,
                    ),
                )
            )
    return warnings


def _replaces(count: CameraCount, previous: CameraCount) -> bool:
    """Whether `count`, accepted, would be the commune's figure instead of `previous`
    (the latest by date, the largest on a tie: `registry.figures.latest_counts`)."""
    if partial_date_after(count.date, timezone.localdate()):
        return False
    return (count.date, count.count, count.id) > (previous.date, previous.count, previous.id)


def count_scope_warnings(count: CameraCount) -> list[Warning]:
    """A count of another perimeter than the commune's current figure: it is no
    correction of that figure (the queue's before/after would read as one), it counts
    other cameras, and accepting it replaces the figure or adds to its history."""
    previous = latest_accepted_count(count.commune_id, exclude=count.id)
    if previous is None or same_scope(count.perimeter, previous.perimeter):
        return []
    facts = {
        "new": count.perimeter,
        "old": previous.perimeter,
        "n": number_format(previous.count, force_grouping=True),
        "date": previous.date_text,
    }
    if count.perimeter and previous.perimeter:
        what = (
            _(
                "A count of another perimeter: “%(new)s”, where the commune’s current "
                "figure (%(n)s cameras, %(date)s) counts “%(old)s”. It does not correct "
                "that figure: it counts other cameras."
            )
            % facts
        )
    else:
        what = (
            _(
                "This count or the commune’s current figure (%(n)s cameras, %(date)s) does "
                "not say what it counted: check that both count the same cameras before "
                "reading one as a correction of the other."
            )
            % facts
        )
    if _replaces(count, previous):
        then = _(
            "Accepted, it will replace that figure on the commune’s page, in the totals "
            "and in the rank; the earlier count stays in the commune’s history."
        )
    else:
        then = _(
            "Accepted, it will sit beside that figure in the commune’s history; the "
            "commune’s figure stays the current one, more recent."
        )
    return [Warning("other_scope", f"{what} {then}", previous.commune.get_absolute_url())]


def count_jump_warnings(count: CameraCount) -> list[Warning]:
    """A count far above or below the commune's latest accepted one (of the same
    perimeter, or of one not stated: counts of two stated perimeters differ anyway)."""
    previous = latest_accepted_count(count.commune_id, exclude=count.id)
    if previous is None or previous.count == 0:
        return []
    if (
        count.perimeter
        and previous.perimeter
        and not same_scope(count.perimeter, previous.perimeter)
    ):
        return []
    factor = settings.MODERATION_COUNT_JUMP
    if count.count > previous.count * factor or count.count * factor < previous.count:
        return [
            Warning(
                "count_jump",
                _(
                    "%(new)d cameras against %(old)d in the latest accepted count "
                    "(%(date)s): more than ×%(factor)d."
                )
                % {
                    "new": count.count,
                    "old": previous.count,
                    "date": previous.date,
                    "factor": factor,
                },
                previous.commune.get_absolute_url(),
            )
        ]
    return []


def duplicate_warnings(deployment_id: int | None, after: dict[str, Any]) -> list[Warning]:
    """Another deployment in the same place with the same technology and vendor (or, both
    naming no vendor, the same technology)."""
    communes, epcis = after.get("communes") or [], after.get("epcis") or []
    technologies, vendors = after.get("technologies") or [], after.get("vendors") or []
    if not technologies or not (communes or epcis):
        return []
    qs = Deployment.objects.filter(
        Q(communes__code__in=communes) | Q(epcis__siren__in=epcis),
        technologies__slug__in=technologies,
    )
    if vendors:
        qs = qs.filter(vendors__name__in=vendors)
    else:
        qs = qs.filter(vendors=None)
    if deployment_id:
        qs = qs.exclude(id=deployment_id)
    return [
        Warning(
            "duplicate",
            _(
                "“%(title)s” is already in the registry in the same place with the same "
                "technology and vendor."
            )
            % {"title": d.title},
            d.get_absolute_url(),
        )
        for d in qs.distinct().order_by("id")[:5]
    ]


def _citations_of(proposal: Proposal, after: dict[str, Any], obj: Any) -> list[dict[str, Any]]:
    if isinstance(obj, CameraCount):
        return [
            {
                "source": {"url": c.source.url, "document": c.source.document_id},
                "locator": c.locator,
            }
            for c in obj.citations.select_related("source")
        ]
    return list(after.get("citations") or [])


def _source_key(citation: dict[str, Any]) -> tuple[str, str] | None:
    source = citation.get("source") or {}
    if source.get("document"):
        return ("document", f"{source['document']}/{citation.get('locator')}")
    if source.get("url"):
        return ("url", source["url"])
    return None


def source_warnings(
    proposal: Proposal, after: dict[str, Any], obj: Any, before: dict[str, Any] | None = None
) -> list[Warning]:
    """A web address, or a page of a library document, that already backs something
    else: a copy-paste mistake, or a source stretched beyond what it says. Only the
    sources the change adds: those the version it edits cited already (`before`) were
    looked at when they came."""
    warnings = []
    seen: set[tuple[str, str]] = {
        key for c in (before or {}).get("citations") or [] if (key := _source_key(c))
    }
    for c in _citations_of(proposal, after, obj):
        key = _source_key(c)
        if key is None or key in seen:
            continue
        seen.add(key)
        source = c["source"]
        if key[0] == "document":
            others = Citation.objects.filter(
                source__document_id=source["document"], locator=c.get("locator") or ""
            )
            label = _("document %(n)s, %(page)s") % {
                "n": source["document"],
                "page": c.get("locator") or "—",
            }
        else:
            others = Citation.objects.filter(source__url=source["url"])
            label = source["url"]
        if proposal.target == "deployment":
            others = others.exclude(deployment_id=proposal.object_id)
        elif proposal.target == "camera_count":
            others = others.exclude(camera_count_id=proposal.object_id)
        for other in others.select_related("deployment", "camera_count__commune")[:3]:
            if other.deployment is not None:
                if not other.deployment.is_published:
                    continue
                what, url = other.deployment.title, other.deployment.get_absolute_url()
            elif other.camera_count is not None and other.camera_count.state == "accepted":
                commune = other.camera_count.commune.name
                what = elided(
                    _("camera count for %(commune)s (%(date)s)")
                    % {"commune": commune, "date": other.camera_count.date},
                    commune,
                )
                url = other.camera_count.commune.get_absolute_url()
            else:
                continue
            warnings.append(
                Warning(
                    "source_reused",
                    _("The source %(source)s is already cited for “%(what)s”.")
                    % {"source": label, "what": what},
                    url,
                )
            )
    return warnings


def unpublished_document_warnings(
    proposal: Proposal, after: dict[str, Any], obj: Any
) -> list[Warning]:
    """A source citing a library document not published (or no longer there): once the
    change is public, visitors see that source without a link until the document is
    published. The same words for a missing and a private document."""
    warnings = []
    cited = [
        (c, source_document(c.get("source") or {})) for c in _citations_of(proposal, after, obj)
    ]
    published = documents_public(n for _c, n in cited if n is not None)
    seen: set[int] = set()
    for c, number in cited:
        if number is None or number in published or number in seen:
            continue
        seen.add(number)
        source = c.get("source") or {}
        warnings.append(
            Warning(
                "unpublished_document",
                _(
                    "The source “%(title)s” cites document %(n)s of the library, which is "
                    "not published: visitors will see it without a link until it is."
                )
                % {"title": source.get("title") or source.get("url") or "?", "n": number},
                reverse("document-detail", args=[number]),
            )
        )
    return warnings


def proposal_warnings(proposal: Proposal) -> list[Warning]:
    """Every warning on this pending change, most telling first."""
    obj = proposal_object(proposal)
    before, after = proposal_before_after(proposal)
    warnings: list[Warning] = []
    if isinstance(obj, CameraCount):
        warnings += count_scope_warnings(obj)
        warnings += count_jump_warnings(obj)
    warnings += date_warnings(proposal.target, after)
    if proposal.target == "deployment":
        warnings += amount_warnings(after)
        warnings += duplicate_warnings(proposal.object_id, after)
    # An edit's own sources only; a new object's are all its own.
    edited = before if proposal.action == "update" else None
    warnings += source_warnings(proposal, after, obj, edited)
    warnings += unpublished_document_warnings(proposal, after, obj)
    return warnings
