"""CSV and GeoJSON exports of deployments (with the list page's filters), and the map data."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from contrechamp.api import serializers as s
from contrechamp.places.models import Commune
from contrechamp.registry.filters import DeploymentFilters, FilterError
from contrechamp.registry.models import Deployment

CSV_COLUMNS = [
    "id",
    "title",
    "status",
    "scope",
    "start_date",
    "end_date",
    "communes",
    "insee_codes",
    "departments",
    "technologies",
    "vendors",
    "funders",
    "amount_eur",
    "sources",
    "url",
]
EXPORT_PREFETCH = [
    "communes__department",
    "technologies",
    "vendors",
    "fundings__funder",
    "citations__source",
]


def _filtered(request: HttpRequest) -> Any:
    try:
        filters = DeploymentFilters.from_params(request.GET)
    except FilterError as e:
        return JsonResponse(
            {"error": {"code": "invalid_parameter", "message": e.message, "field": e.field}},
            status=400,
        )
    return filters.apply(Deployment.objects.published()).prefetch_related(*EXPORT_PREFETCH)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(qs: Any) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield f"# {s.LICENCE_TEXT}\n"
    yield writer.writerow(CSV_COLUMNS)
    for d in qs.iterator(chunk_size=500):
        communes = list(d.communes.all())
        fundings = list(d.fundings.all())
        amounts = [f.amount_eur for f in fundings if f.amount_eur is not None]
        yield writer.writerow(
            [
                d.id,
                d.title,
                d.status,
                d.scope,
                d.start_date,
                d.end_date,
                "; ".join(c.name for c in communes),
                "; ".join(c.code for c in communes),
                "; ".join(sorted({c.department.code for c in communes if c.department})),
                "; ".join(t.slug for t in d.technologies.all()),
                "; ".join(v.name for v in d.vendors.all()),
                "; ".join(f.funder.name for f in fundings),
                str(sum(amounts)) if amounts else "",
                " | ".join(c.source.url or c.source.title for c in d.citations.all()),
                settings.SITE_URL + d.get_absolute_url(),
            ]
        )


def deployments_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    qs = _filtered(request)
    if isinstance(qs, HttpResponse):
        return qs
    response = StreamingHttpResponse(_csv_rows(qs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contrechamp-deployments.csv"'
    return response


def _geojson_features(qs: Any) -> Iterator[bytes]:
    yield b'{"type":"FeatureCollection","licence":' + orjson.dumps(s.LICENCE_TEXT)
    yield b',"features":['
    first = True
    for d in qs.iterator(chunk_size=500):
        points = [[c.longitude, c.latitude] for c in d.communes.all() if c.longitude is not None]
        feature = {
            "type": "Feature",
            "geometry": {"type": "MultiPoint", "coordinates": points} if points else None,
            "properties": {
                "id": d.id,
                "slug": d.slug,
                "title": d.title,
                "status": d.status,
                "start_date": d.start_date or None,
                "end_date": d.end_date or None,
                "communes": [c.code for c in d.communes.all()],
                "technologies": [t.slug for t in d.technologies.all()],
                "vendors": [v.name for v in d.vendors.all()],
                "sources": [c.source.url or c.source.title for c in d.citations.all()],
            },
        }
        yield (b"" if first else b",") + orjson.dumps(feature)
        first = False
    yield b"]}"


def deployments_geojson(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    qs = _filtered(request)
    if isinstance(qs, HttpResponse):
        return qs
    response = StreamingHttpResponse(_geojson_features(qs), content_type="application/geo+json")
    response["Content-Disposition"] = 'attachment; filename="contrechamp-deployments.geojson"'
    return response


def map_communes(request: HttpRequest) -> HttpResponse:
    """One point per commune that has published deployments matching the filters."""
    qs = _filtered(request)
    if isinstance(qs, HttpResponse):
        return qs
    ids = qs.order_by().values("id")
    communes = (
        Commune.objects.filter(deployments__in=ids, latitude__isnull=False)
        .distinct()
        .prefetch_related("deployments")
    )
    matching = set(qs.order_by().values_list("id", flat=True))
    features = []
    for c in communes:
        deployments = [d for d in c.deployments.all() if d.id in matching]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [c.longitude, c.latitude]},
                "properties": {
                    "code": c.code,
                    "name": c.name,
                    "url": c.get_absolute_url(),
                    "deployments": [
                        {"title": d.title, "url": d.get_absolute_url()} for d in deployments
                    ],
                    "label": _("%(n)d deployment(s)") % {"n": len(deployments)},
                },
            }
        )
    return HttpResponse(
        orjson.dumps({"type": "FeatureCollection", "features": features}),
        content_type="application/geo+json",
    )
