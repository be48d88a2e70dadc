"""The bundled demo dataset (registry/data/demo.json), built from the reference facts."""

import json
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from contrechamp.lib.relations import pointed_at
from contrechamp.lib.text import slug_of
from contrechamp.registry.models import (
    CameraCount,
    Citation,
    Deployment,
    Funding,
    LegalEvent,
    Organisation,
    Revision,
    Source,
)
from contrechamp.registry.services import (
    camera_count_create,
    deployment_create,
    organisation_create,
)

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.json"


def _resolve_citations(citations: list[dict], sources: dict[str, dict]) -> list[dict]:
    return [{**c, "source": sources[c["source"]]} for c in citations]


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Load what is missing of the demo dataset; returns how many rows it created.

    Idempotent: organisations are matched by name, deployments by slug, camera counts by
    commune, date and perimeter.
    """
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    sources = data["sources"]
    created = {"organisations": 0, "deployments": 0, "camera_counts": 0}
    for org in data["organisations"]:
        if not Organisation.objects.filter(name__iexact=org["name"]).exists():
            organisation_create(data=org, author=None, comment=_("demo data set"))
            created["organisations"] += 1
    for dep in data["deployments"]:
        if Deployment.objects.filter(slug=slug_of(dep["title"], "item")).exists():
            continue
        deployment_create(
            data={**dep, "citations": _resolve_citations(dep["citations"], sources)},
            author=None,
            comment=_("demo data set"),
        )
        created["deployments"] += 1
    for count in data["camera_counts"]:
        exists = CameraCount.objects.filter(
            commune__code=count["commune"], date=count["date"], perimeter=count["perimeter"]
        ).exists()
        if not exists:
            camera_count_create(
                commune_code=count["commune"],
                count=count["count"],
                date=count["date"],
                perimeter=count["perimeter"],
                approximate=count.get("approximate", False),
                citations=_resolve_citations(count["citations"], sources),
                author=None,
            )
            created["camera_counts"] += 1
    return created


def _untouched(kind: str, object_id: int) -> bool:
    """Whether the row is as the demo loaded it: one version, by nobody."""
    versions = list(Revision.objects.filter(kind=kind, object_id=object_id)[:2])
    return len(versions) == 1 and versions[0].author_id is None


@transaction.atomic
def demo_remove() -> dict[str, Any]:
    """Remove the demo dataset from a site that starts real work (`make run` loads it):
    its deployments, organisations and camera counts as the demo loaded them, their
    versions, and the demo's sources no longer cited. A row someone changed since, or
    that something else points at (a group's worklist, a request, another deployment),
    stays, and is listed under "kept"."""
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    removed = {"deployments": 0, "organisations": 0, "camera_counts": 0, "sources": 0}
    kept: list[str] = []
    # Its own parts, deleted with it.
    deployment_parts: set[type[Model]] = {Citation, Funding, LegalEvent}
    for dep in data["deployments"]:
        deployment = Deployment.objects.filter(slug=slug_of(dep["title"], "item")).first()
        if deployment is None:
            continue
        if not _untouched("deployment", deployment.id) or pointed_at(
            deployment, besides=deployment_parts
        ):
            kept.append(deployment.slug)
            continue
        Revision.objects.filter(kind="deployment", object_id=deployment.id).delete()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM registry_deployment_fts WHERE rowid = %s", [deployment.id]
                )
        deployment.delete()
        removed["deployments"] += 1
    for count in data["camera_counts"]:
        rows = CameraCount.objects.filter(
            commune__code=count["commune"],
            date=count["date"],
            perimeter=count["perimeter"],
            count=count["count"],
        )
        for row in rows:
            row.delete()
            removed["camera_counts"] += 1
    for org in data["organisations"]:
        organisation = Organisation.objects.filter(name__iexact=org["name"]).first()
        if organisation is None:
            continue
        if not _untouched("organisation", organisation.id) or pointed_at(organisation):
            kept.append(organisation.slug)
            continue
        Revision.objects.filter(kind="organisation", object_id=organisation.id).delete()
        organisation.delete()
        removed["organisations"] += 1
    titles = {source["title"] for source in data["sources"].values()}
    unused = Source.objects.filter(title__in=titles, citations__isnull=True, document__isnull=True)
    removed["sources"] = unused.delete()[0]
    return {**removed, "kept": kept}
