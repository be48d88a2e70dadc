"""The bundled demo dataset (registry/data/demo.json), built from the reference facts."""

import json
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from contrechamp.lib.text import slug_of
from contrechamp.registry.models import CameraCount, Deployment, Organisation
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
                citations=_resolve_citations(count["citations"], sources),
                author=None,
            )
            created["camera_counts"] += 1
    return created
