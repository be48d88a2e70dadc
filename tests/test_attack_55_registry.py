"""Hostile review 55: the registry's history, reverts and edit form, attacked (each
failed on the code before its mending)."""

import pytest
from django.urls import reverse

from contrechamp.registry import services as s
from contrechamp.registry.models import Deployment, Organisation, Revision
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db

NAME = "Jean-Baptiste Vautrin"


def _draft_cleaned_then_published(newcomer, reviewer):
    """A newcomer's draft names a private person (a municipal agent); the reviewer takes
    the name out of the draft, then publishes it. The draft's versions are private
    (`_shown_revisions`): the name was never public."""
    draft = s.deployment_create(
        data=deployment_data(
            title="Caméras du parc Sainte-Marie",
            description=f"Le projet est suivi par {NAME}, agent de la police municipale.",
            is_published=False,
        ),
        author=newcomer,
    )
    cleaned = s.deployment_update(
        deployment=draft,
        data={
            **s.deployment_snapshot(draft),
            "description": "Le projet est suivi par la police municipale.",
        },
        base_version=draft.version,
        author=reviewer,
        comment="nom d'un agent retiré",
    )
    return s.deployment_publish(deployment=cleaned, author=reviewer, seen_version=cleaned.version)


def test_a_trusted_contributor_cannot_restore_a_draft_version_they_may_not_read(
    client, newcomer, reviewer, other_contributor
):
    """A trusted contributor (not a reviewer, not the draft's author) may not read the
    draft's versions: the history lists the published one only, and
    /historique/1/ answers 404. But /historique/1/restaurer/ restores it all the same:
    the agent's name the reviewer took out before publication is now public, in the
    page, the API, the exports, by a person who never saw it (or who guessed it was
    there)."""
    published = _draft_cleaned_then_published(newcomer, reviewer)
    client.force_login(other_contributor)
    assert client.get(reverse("deployment-revision", args=[published.slug, 1])).status_code == 404
    history = client.get(reverse("deployment-history", args=[published.slug])).content.decode()
    assert NAME not in history

    response = client.post(
        reverse("deployment-revert", args=[published.slug, 1]), {"version": published.version}
    )

    published.refresh_from_db()
    assert NAME not in published.description, (
        "a version this person may not read was restored: the name taken out before "
        "publication is public"
    )
    assert response.status_code == 404


def _sole_trader_renamed(title, newcomer, reviewer) -> tuple[Deployment, Organisation]:
    """A newcomer's draft names a sole trader by his own name, a vendor as private as the
    draft; a reviewer renames it to its trade name, "Vautrin Sécurité"."""
    draft = s.deployment_create(
        data=deployment_data(title=title, vendors=[NAME], is_published=False),
        author=newcomer,
    )
    vendor = Organisation.objects.get(name=NAME)
    assert not vendor.is_public
    vendor = s.organisation_update(
        organisation=vendor,
        data={**s.organisation_snapshot(vendor), "name": "Vautrin Sécurité"},
        base_version=vendor.version,
        author=reviewer,
        comment="nom commercial",
    )
    return draft, vendor


def test_the_public_history_of_a_vendor_first_named_in_a_draft_hides_its_draft_name(
    client, newcomer, reviewer
):
    """A vendor first named in a draft is as private as the draft (`is_public=False`).
    The draft named a sole trader by his own name; before publishing, the reviewer
    renamed the organisation to its trade name. A deployment's draft versions are kept
    out of its public history; an organisation's hidden versions are not: version 1,
    with the person's name, is on the public history page of the vendor."""
    draft, vendor = _sole_trader_renamed("Caméras du marché couvert", newcomer, reviewer)
    draft = Deployment.objects.get(id=draft.id)
    s.deployment_publish(deployment=draft, author=reviewer, seen_version=draft.version)
    vendor.refresh_from_db()
    assert vendor.is_public and vendor.name == "Vautrin Sécurité"
    first = Revision.objects.get(kind="organisation", object_id=vendor.id, version=1)
    assert first.snapshot["name"] == NAME  # what the public pages below show

    pages = {
        "history": client.get(reverse("organisation-history", args=[vendor.slug])),
        "version 1": client.get(reverse("organisation-revision", args=[vendor.slug, 1])),
        "version 2": client.get(reverse("organisation-revision", args=[vendor.slug, 2])),
    }
    leaked = [name for name, page in pages.items() if NAME in page.content.decode()]
    assert not leaked, f"the name of the draft's vendor is public on: {leaked}"


def test_an_edit_form_missing_a_block_does_not_erase_what_it_did_not_show(client, contributor):
    """A trusted contributor corrects the title of a deployment. Her form reached the
    server without its "Legal events" block and its description (a page of an older
    release, a browser extension removing a block, a hand-made request: the same attack
    the formsets' "TOTAL_FORMS removed" mending was written for). The server reads a
    block that is absent as a block emptied on purpose: the CNIL opinion and the whole
    description are deleted, with "Deployment saved." and nothing else to say so."""
    from tests.registry.html_form import form_fields, set_field

    deployment = s.deployment_create(
        data=deployment_data(
            title="Drones de la préfecture",
            legal_events=[
                {
                    "kind": "cnil_opinion",
                    "date": "2024-05",
                    "authority": "CNIL",
                    "outcome": "unfavourable",
                    "summary": "Avis défavorable sur les drones.",
                }
            ],
        ),
        author=contributor,
    )
    client.force_login(contributor)
    url = reverse("deployment-edit", args=[deployment.slug])
    fields = form_fields(client.get(url).content.decode())
    set_field(fields, "title", "Drones de la préfecture de police")
    sent = {k: v for k, v in fields.items() if not k.startswith("legal-") and k != "description"}

    response = client.post(url, sent)

    deployment.refresh_from_db()
    kept = {
        "legal events": deployment.legal_events.count() == 1,
        "description": bool(deployment.description),
    }
    lost = [name for name, ok in kept.items() if not ok]
    assert not lost, f"erased by a form that did not carry them: {lost} ({response.status_code})"

    # The parts the form carried are saved; the person is told what was kept.
    assert deployment.title == "Drones de la préfecture de police"
    page = client.get(reverse("deployment-detail", args=[deployment.slug])).content.decode()
    assert "Part of the form did not arrive" in page or "Une partie du formulaire" in page


def test_another_drafts_author_reads_a_hidden_vendors_version_of_today_only(
    client, newcomer, reviewer, other_contributor
):
    """A vendor named only in drafts is read by reviewers and its drafts' authors. A
    reviewer renamed it to its trade name (the first draft named a sole trader by his
    own name); the author of a second draft naming the trade name read version 1, the
    person's name, in the vendor's history (the second hostile review)."""
    _draft, vendor = _sole_trader_renamed("Caméras du marché", newcomer, reviewer)
    s.deployment_create(
        data=deployment_data(
            title="Caméras de la halle", vendors=["Vautrin Sécurité"], is_published=False
        ),
        author=other_contributor,
    )
    vendor.refresh_from_db()
    assert not vendor.is_public
    client.force_login(other_contributor)
    history = client.get(reverse("organisation-history", args=[vendor.slug]))
    assert history.status_code == 200
    assert NAME not in history.content.decode()
    assert client.get(reverse("organisation-revision", args=[vendor.slug, 1])).status_code == 404
    assert (
        client.get(reverse("organisation-revision", args=[vendor.slug, vendor.version])).status_code
        == 200
    )
