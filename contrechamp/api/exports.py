"""CSV and GeoJSON exports of deployments (with the list page's filters), the departments'
figures in CSV, and the map data."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

import orjson
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import ngettext

from contrechamp.api import serializers as s
from contrechamp.lib.numbers import FIGURE_DECIMALS, rounded_figure
from contrechamp.lib.parameters import ParameterError, error_body, takes_parameters
from contrechamp.lib.spreadsheet import safe_row
from contrechamp.places.models import Commune
from contrechamp.registry.figures import (
    ORDER_PARAMETER,
    department_figures,
    department_order,
    departments_sorted,
)
from contrechamp.registry.filters import DeploymentFilters, FilterError
from contrechamp.registry.models import Citation, Deployment, Funding
from contrechamp.registry.schemas import DeploymentRow

# The columns are declared, with what each derives from, by the schema.
CSV_COLUMNS = DeploymentRow.columns()


# What the exports of deployments take: the list page's filters (`lib.parameters`).
deployment_filters = takes_parameters(*DeploymentFilters.names())


def _filtered(request: HttpRequest) -> QuerySet[Deployment] | JsonResponse:
    try:
        filters = DeploymentFilters.from_params(request.GET)
    except FilterError as e:
        return JsonResponse(error_body(e.field, e.message), status=400)
    return filters.apply(Deployment.objects.published())


CHUNK = 2000


def export_records(qs: QuerySet[Deployment]) -> Iterator[dict[str, Any]]:
    """Deployments as flat dicts, in the queryset's order, built from a handful of
    `values_list` queries per chunk of 2,000 rather than model instances and prefetches
    (the full export of 50,000 deployments went from 22 s to a few seconds)."""
    ids = list(qs.values_list("id", flat=True))
    through_c = Deployment.communes.through.objects
    through_t = Deployment.technologies.through.objects
    through_v = Deployment.vendors.through.objects
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        base = {
            row["id"]: row
            for row in Deployment.objects.filter(id__in=chunk).values(
                "id", "slug", "title", "status", "scope", "start_date", "end_date"
            )
        }
        related: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        for d, *rest in through_c.filter(deployment_id__in=chunk).values_list(
            "deployment_id",
            "commune__code",
            "commune__name",
            "commune__longitude",
            "commune__latitude",
            "commune__department__code",
        ):
            related["communes"][d].append(rest)
        for d, slug in through_t.filter(deployment_id__in=chunk).values_list(
            "deployment_id", "technology__slug"
        ):
            related["technologies"][d].append(slug)
        for d, name in through_v.filter(deployment_id__in=chunk).values_list(
            "deployment_id", "organisation__name"
        ):
            related["vendors"][d].append(name)
        for d, *rest in Deployment.epcis.through.objects.filter(
            deployment_id__in=chunk
        ).values_list("deployment_id", "epci__siren", "epci__name", "epci_id"):
            related["epcis"][d].append(rest)
        for d, funder, amount in Funding.objects.filter(deployment_id__in=chunk).values_list(
            "deployment_id", "funder__name", "amount_eur"
        ):
            related["fundings"][d].append((funder, amount))
        cited = list(
            Citation.objects.filter(deployment_id__in=chunk).values_list(
                "deployment_id",
                "source__url",
                "source__title",
                "source__document_id",
                "source__document__is_public",
                "source__published_on",
            )
        )
        addresses = s.source_urls(
            (url, document, public) for _d, url, _t, document, public, _p in cited
        )
        latest: dict[int, str] = {}
        for (d, _url, title, _document, _public, published_on), address in zip(
            cited, addresses, strict=True
        ):
            related["sources"][d].append(address or title)
            # As the API's `latest_source_on`: partial ISO dates sort as text.
            if published_on and published_on > latest.get(d, ""):
                latest[d] = published_on
        for d in chunk:
            yield {
                **base[d],
                **{
                    key: related[key].get(d, [])
                    for key in (
                        "communes",
                        "epcis",
                        "technologies",
                        "vendors",
                        "fundings",
                        "sources",
                    )
                },
                "latest_source_on": latest.get(d, ""),
            }


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(qs: QuerySet[Deployment]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The header is the first line (a comment line before it was read as the header by
    # every CSV reader); the licence is said in the response's headers and the docs.
    yield writer.writerow(CSV_COLUMNS)
    for d in export_records(qs):
        communes = d["communes"]
        amounts = [amount for _name, amount in d["fundings"] if amount is not None]
        row = {
            "id": d["id"],
            "title": d["title"],
            "status": d["status"],
            "scope": d["scope"],
            "start_date": d["start_date"],
            "end_date": d["end_date"],
            "communes": "; ".join(c[1] for c in communes),
            "insee_codes": "; ".join(c[0] for c in communes),
            "departments": "; ".join(sorted({c[4] for c in communes if c[4]})),
            "technologies": "; ".join(d["technologies"]),
            "vendors": "; ".join(d["vendors"]),
            "funders": "; ".join(name for name, _amount in d["fundings"]),
            # A Decimal, not a string: a number column, kept a number.
            "amount_eur": sum(amounts) if amounts else "",
            "sources": " | ".join(d["sources"]),
            "url": settings.SITE_URL + reverse("deployment-detail", args=[d["slug"]]),
            "intercommunalities": "; ".join(e[1] for e in d["epcis"]),
            "epci_sirens": "; ".join(e[0] for e in d["epcis"]),
            "latest_source_on": d["latest_source_on"],
        }
        yield writer.writerow(safe_row([row[column] for column in CSV_COLUMNS]))


@deployment_filters
def deployments_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    qs = _filtered(request)
    if isinstance(qs, HttpResponse):
        return qs
    response = StreamingHttpResponse(_csv_rows(qs), content_type="text/csv; charset=utf-8")
    return _csv_attachment(request, response, "contrechamp-deployments.csv")


_Response = TypeVar("_Response", HttpResponse, StreamingHttpResponse)


def _csv_attachment(request: HttpRequest, response: _Response, filename: str) -> _Response:
    """`response` as a download of `filename`, with the licence and the page crediting
    the places' sources (Etalab, IGN), which the CSV's cells have no room for."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    about = s.absolute(reverse("about-data"))
    response["Link"] = f'<{s.LICENCE_URL}>; rel="license", <{about}>; rel="describedby"'
    return response


# The departments' table, one row a department (registry/figures.py says the rules). A
# department with no known count has empty camera cells, never 0: 0 is a count.
DEPARTMENT_COLUMNS = [
    "department_code",
    "department",
    "region",
    "population",
    "area_km2",
    "communes",
    "communes_with_area",
    "deployments",
    "cameras",
    "cameras_per_1000_inhabitants",
    "cameras_per_km2",
    "communes_counted",
    "population_counted",
    "population_counted_share",
    "earliest_count_date",
    "latest_count_date",
    "url",
]


def _rounded(value: float | None, digits: int) -> float | str:
    """Rounded as the pages round (`rounded_figure`); "" for no figure."""
    figure = rounded_figure(value, digits)
    return "" if figure is None else figure


@takes_parameters(ORDER_PARAMETER)
def departments_csv(request: HttpRequest) -> HttpResponse:
    """The departments' table, in the order its page shows (`?tri=`, by code when left
    out); an order that names none is refused with the accepted ones, as the exports
    refuse a parameter they do not take."""
    try:
        order = department_order(request.GET.get(ORDER_PARAMETER, ""))
    except ParameterError as e:
        return JsonResponse(error_body(e.field, e.message), status=400)
    writer = csv.writer(_Echo())
    lines = [writer.writerow(DEPARTMENT_COLUMNS)]
    for f in departments_sorted(department_figures(), order):
        d = f.department
        known = f.cameras is not None
        row = {
            "department_code": d.code,
            "department": d.name,
            "region": d.region.name if d.region else "",
            "population": "" if f.population is None else f.population,
            "area_km2": _rounded(f.area_km2, 1),
            "communes": f.communes,
            "communes_with_area": f.communes_with_area,
            "deployments": f.deployments,
            "cameras": f.cameras if known else "",
            "cameras_per_1000_inhabitants": _rounded(f.per_1000, FIGURE_DECIMALS),
            "cameras_per_km2": _rounded(f.per_km2, FIGURE_DECIMALS),
            "communes_counted": f.communes_counted,
            "population_counted": f.population_counted,
            "population_counted_share": _rounded(f.population_share, 4),
            "earliest_count_date": f.earliest_date,
            "latest_count_date": f.latest_date,
            "url": settings.SITE_URL + d.get_absolute_url(),
        }
        lines.append(writer.writerow(safe_row([row[column] for column in DEPARTMENT_COLUMNS])))
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    return _csv_attachment(request, response, "contrechamp-departements.csv")


def _geojson_features(qs: QuerySet[Deployment]) -> Iterator[bytes]:
    yield b'{"type":"FeatureCollection","licence":' + orjson.dumps(s.LICENCE_TEXT)
    yield b',"features":['
    first = True
    centres = epci_centres(
        Deployment.epcis.through.objects.filter(
            deployment_id__in=qs.order_by().filter(communes__isnull=True).values("id")
        ).values_list("epci_id", flat=True)
    )
    for d in export_records(qs):
        points = [[c[2], c[3]] for c in d["communes"] if c[2] is not None]
        if not points and d["epcis"]:
            # A deployment of its intercommunalities alone: at their middles.
            points = [list(centre) for e in d["epcis"] if (centre := centres.get(e[2]))]
        feature = {
            "type": "Feature",
            "geometry": {"type": "MultiPoint", "coordinates": points} if points else None,
            "properties": {
                "id": d["id"],
                "slug": d["slug"],
                "title": d["title"],
                "status": d["status"],
                "start_date": d["start_date"] or None,
                "end_date": d["end_date"] or None,
                "communes": [c[0] for c in d["communes"]],
                "intercommunalities": [e[0] for e in d["epcis"]],
                "technologies": d["technologies"],
                "vendors": d["vendors"],
                "funders": [
                    {"name": name, "amount_eur": float(amount) if amount is not None else None}
                    for name, amount in d["fundings"]
                ],
                "sources": d["sources"],
                "url": settings.SITE_URL + reverse("deployment-detail", args=[d["slug"]]),
            },
        }
        yield (b"" if first else b",") + orjson.dumps(feature)
        first = False
    yield b"]}"


@deployment_filters
def deployments_geojson(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    qs = _filtered(request)
    if isinstance(qs, HttpResponse):
        return qs
    response = StreamingHttpResponse(_geojson_features(qs), content_type="application/geo+json")
    response["Content-Disposition"] = 'attachment; filename="contrechamp-deployments.geojson"'
    return response


@deployment_filters
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
                    "kind": "commune",
                    "code": c.code,
                    "name": c.name,
                    "url": c.get_absolute_url(),
                    "deployments": [
                        {"title": d.title, "url": d.get_absolute_url()} for d in deployments
                    ],
                    "label": ngettext("%(n)d deployment", "%(n)d deployments", len(deployments))
                    % {"n": len(deployments)},
                },
            }
        )
    features += _intercommunality_features(qs)
    return HttpResponse(
        orjson.dumps({"type": "FeatureCollection", "features": features}),
        content_type="application/geo+json",
    )


def epci_centres(ids: Iterable[int]) -> dict[int, tuple[float, float]]:
    """The middle of each intercommunality's communes, weighed by their population, as
    (longitude, latitude): where a deployment of the intercommunality alone is put."""
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for epci_id, lat, lon, population in Commune.objects.filter(
        epci_id__in=list(ids), latitude__isnull=False, longitude__isnull=False
    ).values_list("epci_id", "latitude", "longitude", "population"):
        if lat is None or lon is None or epci_id is None:
            continue
        weight = float(population or 1)
        total = sums[epci_id]
        total[0] += lat * weight
        total[1] += lon * weight
        total[2] += weight
    return {
        epci_id: (round(lon / weight, 5), round(lat / weight, 5))
        for epci_id, (lat, lon, weight) in sums.items()
    }


def _intercommunality_features(qs: QuerySet[Deployment]) -> list[dict[str, Any]]:
    """One point per intercommunality whose matching deployments name none of its
    communes (a supervision centre of the agglomeration): at the middle of its communes,
    weighed by their population, so that the map shows them rather than nothing."""
    alone = qs.order_by().filter(communes__isnull=True, epcis__isnull=False)
    by_epci: dict[int, list[Deployment]] = defaultdict(list)
    names: dict[int, tuple[str, str]] = {}
    for d in alone.prefetch_related("epcis").distinct():
        for epci in d.epcis.all():
            by_epci[epci.id].append(d)
            names[epci.id] = (epci.name, epci.get_absolute_url())
    centres = epci_centres(by_epci)
    features = []
    for epci_id, deployments in sorted(by_epci.items(), key=lambda item: names[item[0]][0]):
        if epci_id not in centres:
            continue  # (no commune of it has coordinates: nowhere to put it)
        lon, lat = centres[epci_id]
        name, url = names[epci_id]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "kind": "intercommunality",
                    "name": name,
                    "url": url,
                    "deployments": [
                        {"title": d.title, "url": d.get_absolute_url()}
                        for d in sorted(deployments, key=lambda d: d.title)
                    ],
                    "label": ngettext("%(n)d deployment", "%(n)d deployments", len(deployments))
                    % {"n": len(deployments)},
                },
            }
        )
    return features
