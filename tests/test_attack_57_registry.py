"""Hostile review 57: deployments and their revisions.

Each test fails on the code it was written against; see the report of the review."""

from __future__ import annotations

import re

import pytest

from contrechamp.registry.models import Deployment
from contrechamp.registry.services import deployment_create, deployment_update
from tests.conftest import TwoFactorClient
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db


def _form_fields(html: str, action: str) -> dict[str, str]:
    """The inputs of the form posting to `action`, as the browser would send them."""
    form = re.search(r'<form[^>]*action="' + re.escape(action) + r'"[^>]*>(.*?)</form>', html, re.S)
    assert form, f"no form to {action}"
    return {
        name: value
        for name, value in re.findall(
            r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form.group(1)
        )
    }


def test_restoring_a_version_does_not_silently_undo_an_edit_saved_meanwhile(
    contributor, other_contributor
):
    """Camille reads version 1 of a deployment on its history page (the current one is
    version 2) and decides to restore it. Meanwhile Dominique saves version 3: the
    CNIL's unfavourable opinion, found that morning, and the status "ruled unlawful".
    Camille's "Restore version 1" form carries no version of what she saw as current, and
    `deployment_revert` takes `base_version=deployment.version` read at the POST: her
    restore is saved as version 4, Dominique's edit is gone from the page, with no
    conflict shown to anyone -- the "no silent overwrite of a concurrent edit" the
    registry promises for every other edit (a stale form gets the merge page)."""
    deployment = deployment_create(data=deployment_data(), author=contributor)
    deployment = deployment_update(
        deployment=deployment,
        data=deployment_data(description="Un texte que Camille trouve faux."),
        base_version=1,
        author=contributor,
    )
    camille = TwoFactorClient()
    camille.force_login(contributor)
    page = camille.get(f"/dispositifs/{deployment.slug}/historique/1/")
    assert page.status_code == 200
    action = f"/dispositifs/{deployment.slug}/historique/1/restaurer/"
    fields = _form_fields(page.content.decode(), action)

    # Dominique's edit, saved while Camille reads.
    deployment_update(
        deployment=Deployment.objects.get(id=deployment.id),
        data=deployment_data(
            description="Un texte que Camille trouve faux.",
            status="unlawful",
            legal_events=[
                {
                    "kind": "cnil_opinion",
                    "date": "2024-05",
                    "authority": "CNIL",
                    "outcome": "unfavourable",
                    "summary": "Avis défavorable.",
                }
            ],
        ),
        base_version=2,
        author=other_contributor,
    )

    camille.post(action, fields)
    deployment.refresh_from_db()
    kept = deployment.status == "unlawful" and deployment.legal_events.exists()
    refused = deployment.version == 3
    assert kept or refused, (deployment.version, deployment.status)
