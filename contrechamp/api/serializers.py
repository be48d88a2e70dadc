"""Plain dicts of registry objects, shared by the API, the exports and the dump."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from contrechamp.lib.numbers import rounded_figure
from contrechamp.lib.siteurl import site_address
from contrechamp.places.models import Commune, Department, Epci
from contrechamp.registry.models import (
    CameraCount,
    Citation,
    Deployment,
    Funding,
    Organisation,
    Source,
    Technology,
    documents_public,
)
from contrechamp.registry.quotes import citation_quote
from contrechamp.registry.sitelinks import SiteDocument, site_document

LICENCE = "ODbL-1.0"
LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
LICENCE_TEXT = (
    "Contrechamp data, made available under the Open Database License (ODbL 1.0): "
    f"{LICENCE_URL} . Places: @etalab/decoupage-administratif "
    "(MIT) and IGN Admin Express COG 2018 (Licence Ouverte)."
)


def source_url(
    url: str, document_id: int | None, public: bool | None, published: set[int] | None = None
) -> str | None:
    """A source's address: its own, else the page of the library document it is, once
    that is published (the open data had no way to a cited document: a walk). Its own
    address naming one of this site's library documents ("/documents/4/") is given whole
    once that document is published, and is no address until then (it answered
    "not found"). `published`: the site's documents known to be published, when the
    caller read them at once for many sources; else they are read here."""
    return _source_address(url, site_document(url) if url else None, document_id, public, published)


def source_urls(rows: Iterable[tuple[str, int | None, bool | None]]) -> list[str | None]:
    """The addresses of many sources, each (its own address, its library document,
    whether that is published), as `source_url` gives them: every address is read once,
    and the site's documents they name in one query. (The export read each twice: once
    to learn which documents are published, once to write it.)"""
    rows = list(rows)
    found = [site_document(url) if url else None for url, _document, _public in rows]
    published = documents_public(f.number for f in found if f is not None)
    return [
        _source_address(url, named, document, public, published)
        for (url, document, public), named in zip(rows, found, strict=True)
    ]


def _source_address(
    url: str,
    found: SiteDocument | None,
    document_id: int | None,
    public: bool | None,
    published: set[int] | None,
) -> str | None:
    """`source_url`, its address already read (`found`: the site's document it names)."""
    if url:
        if found is None:
            return url
        known = published if published is not None else documents_public([found.number])
        return _whole(found.path) if found.number in known else None
    if document_id is not None and public:
        return _whole(reverse("document-detail", args=[document_id]))
    return None


# Every address the API and the exports give is absolute (docs/api.md).
absolute = _whole = site_address


def source_dict(source: Source, published: set[int] | None = None) -> dict[str, Any]:
    document = source.document if source.document_id else None
    return {
        "title": source.title,
        "publisher": source.publisher,
        "url": source_url(
            source.url,
            source.document_id,
            document is not None and document.is_public,
            published,
        ),
        "published_on": source.published_on or None,
    }


def citation_dict(c: Citation) -> dict[str, Any]:
    return {
        "source": source_dict(c.source),
        # A library document's words as anyone may see them (`registry.quotes`).
        "quote": citation_quote(None, c),
        "locator": c.locator,
        "accessed_on": c.accessed_on.isoformat() if c.accessed_on else None,
    }


def commune_ref(c: Commune) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "department": c.department.code if c.department else None,
        "latitude": c.latitude,
        "longitude": c.longitude,
    }


def _related(d: Deployment, name: str) -> list[Any]:
    """A relation of a deployment: the plain list DEPLOYMENT_PREFETCH left on it, else a query.

    Reading a prefetched relation through its manager (`d.communes.all()`) clones a queryset
    per row and relation (about 700 for a page of 100 deployments); the plain list does not.
    """
    rows = getattr(d, f"{name}_list", None)
    return rows if rows is not None else list(getattr(d, name).all())


def deployment_dict(d: Deployment) -> dict[str, Any]:
    citations = _related(d, "citations")
    return {
        "id": d.id,
        "slug": d.slug,
        "url": absolute(d.get_absolute_url()),
        "title": d.title,
        "scope": d.scope,
        "status": d.status,
        "start_date": d.start_date or None,
        "end_date": d.end_date or None,
        "communes": [commune_ref(c) for c in _related(d, "communes")],
        "epcis": [{"siren": e.siren, "name": e.name} for e in _related(d, "epcis")],
        "technologies": [t.slug for t in _related(d, "technologies")],
        "vendors": [{"slug": v.slug, "name": v.name} for v in _related(d, "vendors")],
        "fundings": [
            {
                "funder": {"slug": f.funder.slug, "name": f.funder.name},
                "amount_eur": float(f.amount_eur) if f.amount_eur is not None else None,
                "programme": f.programme,
            }
            for f in _related(d, "fundings")
        ],
        "legal_events": [
            {
                "kind": e.kind,
                "date": e.date or None,
                "authority": e.authority,
                "outcome": e.outcome,
                "summary": e.summary,
            }
            for e in _related(d, "legal_events")
        ],
        "description": d.description,
        "citations": [citation_dict(c) for c in citations],
        # As the page and the year filter read it (`Deployment.latest_source_on`), from the
        # citations listed above: partial ISO dates sort as text.
        "latest_source_on": max(
            (c.source.published_on for c in citations if c.source.published_on), default=None
        ),
        "version": d.version,
        "updated_at": d.updated_at.isoformat(),
    }


# The foreign keys under a prefetch are joined into its query (select_related) rather
# than prefetched in turn: one query less each, and Django builds the IN list of such a
# second-level prefetch slowly on SQLite (`a = 1 OR a = 2 OR …`, 15 ms for 100 rows).
# Each relation lands in a plain list (`to_attr`), read by `_related`.
DEPLOYMENT_PREFETCH: list[str | Prefetch[Any, Any, Any]] = [
    Prefetch(
        "communes", queryset=Commune.objects.select_related("department"), to_attr="communes_list"
    ),
    Prefetch("epcis", to_attr="epcis_list"),
    Prefetch("technologies", to_attr="technologies_list"),
    Prefetch("vendors", to_attr="vendors_list"),
    Prefetch(
        "fundings", queryset=Funding.objects.select_related("funder"), to_attr="fundings_list"
    ),
    Prefetch("legal_events", to_attr="legal_events_list"),
    Prefetch(
        "citations",
        queryset=Citation.objects.select_related("source__document"),
        to_attr="citations_list",
    ),
]


def organisation_dict(o: Organisation) -> dict[str, Any]:
    return {
        "id": o.id,
        "slug": o.slug,
        "name": o.name,
        "kind": o.kind,
        "siren": o.siren or None,
        "country": o.country,
        "website": o.website or None,
        "description": o.description,
        "version": o.version,
    }


def technology_dict(t: Technology) -> dict[str, Any]:
    return {
        "slug": t.slug,
        "name_fr": t.name_fr,
        "name_en": t.name_en,
        "definition_fr": t.definition_fr,
        "definition_en": t.definition_en,
    }


def camera_count_dict(c: CameraCount) -> dict[str, Any]:
    return {
        "id": c.id,
        "commune": c.commune.code,
        "commune_name": c.commune.name,
        "count": c.count,
        "date": c.date,
        "perimeter": c.perimeter,
        "approximate": c.approximate,
        # The figures the commune's page shows beside the count, from the commune's
        # area and population in the places dataset (null when unknown, or zero),
        # rounded as the page rounds them.
        "per_km2": rounded_figure(c.per_km2),
        "per_1000": rounded_figure(c.per_1000),
        "citations": [citation_dict(x) for x in c.citations.all()],
    }


def commune_dict(c: Commune) -> dict[str, Any]:
    return {
        "code": c.code,
        "country": c.country,
        "name": c.name,
        "kind": c.kind,
        "department": c.department.code if c.department else None,
        "epci": c.epci.siren if c.epci else None,
        "siren": c.siren or None,
        "population": c.population,
        "area_km2": c.area_km2,
        "latitude": c.latitude,
        "longitude": c.longitude,
    }


def epci_dict(e: Epci) -> dict[str, Any]:
    return {
        "siren": e.siren,
        "country": e.country,
        "name": e.name,
        "kind": e.kind,
        "population": e.population,
    }


def department_dict(d: Department) -> dict[str, Any]:
    return {
        "code": d.code,
        "country": d.country,
        "name": d.name,
        "region": d.region.code if d.region else None,
    }
