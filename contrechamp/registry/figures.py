"""Camera figures for places: latest count, density, rank among comparable places.

The rules a figure follows (docs/features.md, "Places, figures and the map", says them
to the reader too):

- A commune's figure is its latest accepted count dated today or before: a count dated
  after today is refused when entered, and one stored earlier is never the latest.
- A city divided into municipal arrondissements (Paris, Lyon, Marseille) is one commune
  with one figure, never its own count plus its arrondissements': its own latest count,
  or the sum of its arrondissements' latest counts when every arrondissement has one and
  the oldest of them is more recent than the city's own (the sum is only as recent as
  its oldest part). A city with no count of its own adds up the counts its
  arrondissements have. National and department figures and the ranking read these
  figures; an arrondissement's own page shows its own count, unranked (it is not a
  commune).
- Per-inhabitant and per-km² figures need a population and an area above zero (the
  six villages of the Meuse "morts pour la France" have no inhabitant): otherwise none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from contrechamp.places.models import Commune
from contrechamp.registry.models import CameraCount, CountFigures, Deployment

# Comparable communes: same population band (INSEE-like size classes).
BANDS = [(0, 10_000), (10_000, 50_000), (50_000, 200_000), (200_000, 10**9)]


@dataclass
class CommuneCameras(CountFigures):
    """The camera figure of one commune (or, on its own page, of one arrondissement)."""

    commune: Commune
    count: int
    date: str
    # How many arrondissements' counts it adds up (0: the commune's own count), and of
    # how many the city has.
    parts: int = 0
    parts_of: int = 0


@dataclass
class CameraFigures:
    count: CommuneCameras | None
    per_km2: float | None
    per_1000: float | None
    rank: int | None
    rank_of: int | None
    band: tuple[int, int] | None


def not_future() -> Q:
    """Counts dated today or before. Partial dates are ISO text, so "2025" and "2025-06"
    sort before "2025-06-03": a year or month holding today is not in the future."""
    return Q(date__lte=timezone.localdate().isoformat())


def latest_counts() -> QuerySet[CameraCount]:
    """CameraCount rows that are the latest figure of their commune or arrondissement
    (largest on a tie), among those not dated after today."""
    latest = (
        CameraCount.objects.filter(not_future(), commune=OuterRef("commune"))
        .order_by("-date", "-count", "-id")
        .values("id")[:1]
    )
    return CameraCount.objects.filter(id=Subquery(latest)).select_related("commune")


def commune_cameras(rows: Iterable[CameraCount] | None = None) -> list[CommuneCameras]:
    """One figure per commune with a count, a city once (see the module's rules), from
    `rows` (by default `latest_counts()`), the largest first."""
    own: dict[int, CommuneCameras] = {}
    parts: dict[int, list[CameraCount]] = defaultdict(list)
    for row in latest_counts() if rows is None else rows:
        if row.commune.parent_id is not None:
            parts[row.commune.parent_id].append(row)
        else:
            own[row.commune_id] = CommuneCameras(row.commune, row.count, row.date)
    if parts:
        sizes = dict(
            Commune.objects.filter(parent_id__in=parts)
            .values("parent_id")
            .annotate(n=Count("id"))
            .values_list("parent_id", "n")
        )
        cities = Commune.objects.in_bulk(list(parts))
        for city_id, counted in parts.items():
            whole = len(counted) == sizes.get(city_id)
            oldest = min(c.date for c in counted)
            mine = own.get(city_id)
            if mine is None or (whole and oldest > mine.date):
                own[city_id] = CommuneCameras(
                    cities[city_id],
                    sum(c.count for c in counted),
                    oldest,
                    parts=len(counted),
                    parts_of=sizes.get(city_id, 0),
                )
    return sorted(own.values(), key=lambda f: (-f.count, f.commune.name_key))


def _band(population: int | None) -> tuple[int, int] | None:
    if population is None:
        return None
    for low, high in BANDS:
        if low <= population < high:
            return (low, high)
    return None


def commune_figures(commune: Commune) -> CameraFigures:
    band = _band(commune.population)
    if commune.parent_id is not None:
        # An arrondissement: its own count, unranked (the ranking is of communes).
        row = latest_counts().filter(commune=commune).first()
        mine = CommuneCameras(commune, row.count, row.date) if row else None
        if mine is None:
            return CameraFigures(None, None, None, None, None, band)
        return CameraFigures(mine, mine.per_km2, mine.per_1000, None, None, band)
    figures = commune_cameras()
    mine = next((f for f in figures if f.commune.id == commune.id), None)
    if mine is None:
        return CameraFigures(None, None, None, None, None, band)
    per_1000 = mine.per_1000
    rank = rank_of = None
    if band and per_1000 is not None:
        # Peers of no inhabitant have no figure per inhabitant, hence no rank.
        peers = [
            p
            for f in figures
            if (p := f.per_1000) is not None and _band(f.commune.population) == band
        ]
        rank_of = len(peers)
        rank = 1 + sum(1 for p in peers if p > per_1000)
    return CameraFigures(mine, mine.per_km2, per_1000, rank, rank_of, band)


def national_figures() -> dict[str, int | str]:
    published = Deployment.objects.published()
    counted = commune_cameras()
    # A deployment of an arrondissement is its city's: the city counts once.
    concerned = (
        Commune.objects.filter(deployments__is_published=True)
        .annotate(city=Coalesce("parent_id", "id"))
        .values("city")
        .distinct()
    )
    return {
        "deployments": published.count(),
        "communes": concerned.count(),
        "departments": Commune.objects.filter(deployments__is_published=True)
        .values("department")
        .distinct()
        .count(),
        "cameras_counted": sum(f.count for f in counted),
        "communes_counted": len(counted),
        "latest_count_date": max((f.date for f in counted), default=""),
        # The total adds each commune's latest figure, of whatever year: the home page
        # says the span when they are of several years.
        "earliest_count_date": min((f.date for f in counted), default=""),
    }
