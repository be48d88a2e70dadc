"""Camera figures for places: latest count, density, rank among comparable places."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max, OuterRef, Subquery

from contrechamp.places.models import Commune
from contrechamp.registry.models import CameraCount, Deployment

# Comparable communes: same population band (INSEE-like size classes).
BANDS = [(0, 10_000), (10_000, 50_000), (50_000, 200_000), (200_000, 10**9)]


@dataclass
class CameraFigures:
    count: CameraCount | None
    per_km2: float | None
    per_1000: float | None
    rank: int | None
    rank_of: int | None
    band: tuple[int, int] | None


def latest_counts():
    """CameraCount rows that are the latest figure of their commune (largest on a tie)."""
    latest = (
        CameraCount.objects.filter(commune=OuterRef("commune"))
        .order_by("-date", "-count", "-id")
        .values("id")[:1]
    )
    return CameraCount.objects.filter(id=Subquery(latest)).select_related("commune")


def _band(population: int | None) -> tuple[int, int] | None:
    if population is None:
        return None
    for low, high in BANDS:
        if low <= population < high:
            return (low, high)
    return None


def commune_figures(commune: Commune) -> CameraFigures:
    count = latest_counts().filter(commune=commune).first()
    if count is None:
        return CameraFigures(None, None, None, None, None, _band(commune.population))
    per_km2 = count.count / commune.area_km2 if commune.area_km2 else None
    per_1000 = count.count * 1000 / commune.population if commune.population else None
    band = _band(commune.population)
    rank = rank_of = None
    if band and per_1000 is not None:
        peers = [
            c.count * 1000 / c.commune.population
            for c in latest_counts().filter(
                commune__population__gte=band[0], commune__population__lt=band[1]
            )
        ]
        rank_of = len(peers)
        rank = 1 + sum(1 for p in peers if p > per_1000)
    return CameraFigures(count, per_km2, per_1000, rank, rank_of, band)


def national_figures() -> dict[str, int]:
    published = Deployment.objects.published()
    counted = latest_counts()
    return {
        "deployments": published.count(),
        "communes": Commune.objects.filter(deployments__is_published=True).distinct().count(),
        "departments": Commune.objects.filter(deployments__is_published=True)
        .values("department")
        .distinct()
        .count(),
        "cameras_counted": sum(c.count for c in counted),
        "communes_counted": counted.count(),
        "latest_count_date": CameraCount.objects.aggregate(d=Max("date"))["d"] or "",
    }
