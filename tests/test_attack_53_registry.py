"""Hostile review 53: the registry, attacked (these fail on the code as it is)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contrechamp.registry import services as s
from contrechamp.registry.models import Deployment, Organisation
from contrechamp.registry.proposals import deployment_propose, deployment_submit, proposal_accept
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db


def _rename(org, name, author):
    return s.organisation_update(
        organisation=org,
        data={**s.organisation_snapshot(org), "name": name},
        base_version=org.version,
        author=author,
    )


def test_an_organisation_cannot_be_renamed_to_another_ones_name(contributor_client):
    """Creating an organisation named as another is refused ("already exists"); renaming
    one to that name is not: two organisations "IBM" on the public list, the API and
    every vendor filter, and every later save of a deployment naming "IBM" picks one of
    the two by chance (see the next test)."""
    thales = Organisation.objects.get(name="Thales")
    page = contributor_client.get(reverse("organisation-edit", args=[thales.slug]))
    assert page.status_code == 200
    response = contributor_client.post(
        reverse("organisation-edit", args=[thales.slug]),
        {
            "name": "IBM",
            "kind": thales.kind,
            "siren": thales.siren,
            "country": thales.country,
            "website": thales.website,
            "description": thales.description,
            "version": thales.version,
            "comment": "",
        },
    )
    assert Organisation.objects.filter(name__iexact="IBM").count() == 1, (
        "a second organisation is now named IBM"
    )
    assert response.status_code == 400


def test_an_unrelated_edit_of_a_deployment_does_not_move_it_to_another_vendor(contributor):
    """The Toulouse deployment is IBM's. Someone renames Thales "IBM" (a slip, or on
    purpose); then anyone corrects a word of the Toulouse title. The service resolves
    vendors by name again at every save (`organisation_get_or_create`, `.first()` of
    the same name): the deployment now belongs to the former Thales (its SIREN, website,
    description), IBM's public page loses it, and the history shows no vendor change."""
    toulouse = Deployment.objects.get(vendors__name="IBM")
    ibm = toulouse.vendors.get()
    thales = Organisation.objects.get(name="Thales")
    with pytest.raises(ValidationError):
        _rename(thales, "IBM", contributor)
    # Two of one name made before renames were refused (or by the admin site).
    Organisation.objects.filter(id=thales.id).update(name="IBM")
    data = s.deployment_snapshot(toulouse)
    data["title"] += " (corrigé)"
    s.deployment_update(
        deployment=toulouse, data=data, base_version=toulouse.version, author=contributor
    )
    assert list(toulouse.vendors.values_list("id", flat=True)) == [ibm.id], (
        "the deployment's vendor silently became another organisation"
    )


def test_restoring_an_old_version_after_a_vendor_was_renamed_makes_no_new_organisation(
    contributor,
):
    """Snapshots name vendors and funders by name. IBM is renamed "IBM France"
    (organisation edit: no deployment revision); the Toulouse deployment is edited,
    then its first version restored. The restore creates a new public organisation
    "IBM" (no SIREN, no description), the deployment leaves "IBM France" for it, and
    "IBM France" shows one deployment fewer: a phantom vendor, in every export."""
    toulouse = Deployment.objects.get(vendors__name="IBM")
    first = toulouse.version
    ibm = toulouse.vendors.get()
    _rename(ibm, "IBM France", contributor)
    organisations = Organisation.objects.count()
    data = s.deployment_snapshot(toulouse)
    data["status"] = "suspended"
    toulouse = s.deployment_update(
        deployment=toulouse, data=data, base_version=toulouse.version, author=contributor
    )
    toulouse = s.deployment_revert(
        deployment=toulouse, version=first, base_version=toulouse.version, author=contributor
    )
    assert Organisation.objects.count() == organisations, (
        "restoring a version created a duplicate organisation: "
        + ", ".join(
            Organisation.objects.filter(name__icontains="IBM").values_list("name", flat=True)
        )
    )
    assert list(toulouse.vendors.values_list("id", flat=True)) == [ibm.id]


def test_accepting_a_proposal_made_before_a_vendor_was_renamed_makes_no_new_organisation(
    newcomer, contributor, reviewer
):
    """The same through moderation, the ordinary path: a newcomer proposes a change of
    the Toulouse deployment's status; before a reviewer gets to it, a trusted editor
    renames its vendor "IBM" to "IBM France". Accepting the proposal (no conflict: the
    deployment itself did not change) creates a public organisation "IBM" and moves the
    deployment to it."""
    toulouse = Deployment.objects.get(vendors__name="IBM")
    ibm = toulouse.vendors.get()
    data = s.deployment_snapshot(toulouse)
    data["status"] = "suspended"
    proposal = deployment_propose(
        deployment=toulouse, data=data, base_version=toulouse.version, author=newcomer
    )
    _rename(ibm, "IBM France", contributor)
    organisations = Organisation.objects.count()
    proposal_accept(proposal=proposal, reviewer=reviewer)
    toulouse.refresh_from_db()
    assert toulouse.status == "suspended"
    assert Organisation.objects.count() == organisations, "accepting created organisation “IBM”"
    assert list(toulouse.vendors.values_list("id", flat=True)) == [ibm.id]


def test_a_reviewer_publishing_a_draft_from_its_page_does_not_publish_what_they_did_not_see(
    client, newcomer, reviewer
):
    """The moderation queue never publishes a submitted draft that its author changed
    after the reviewer's page was loaded (`proposal_accept(seen_version=…)`). The draft's
    own page offers the reviewer a "Publish" button whose form carries no version: the
    reviewer reads the draft, its (untrusted) author then adds a sentence naming a
    private person, the reviewer presses Publish, and the unseen sentence is public."""
    draft = s.deployment_create(
        data=deployment_data(is_published=False, title="Caméras du parc Monplaisir"),
        author=newcomer,
    )
    deployment_submit(deployment=draft, author=newcomer)
    client.force_login(reviewer)
    page = client.get(draft.get_absolute_url())
    assert page.status_code == 200
    assert reverse("deployment-publish", args=[draft.slug]) in page.content.decode()
    # Meanwhile the author edits their draft (theirs to edit while it waits).
    data = s.deployment_snapshot(draft)
    data["description"] += "\n\nSelon M. Jean Martin, 12 rue des Lilas, l'installation…"
    s.deployment_update(deployment=draft, data=data, base_version=draft.version, author=newcomer)
    client.post(reverse("deployment-publish", args=[draft.slug]))
    draft.refresh_from_db()
    assert not (draft.is_published and "Jean Martin" in draft.description), (
        "a version the reviewer never saw was published from the draft's page"
    )


def test_a_reviewer_publishing_a_submitted_draft_from_its_page_accepts_its_request(
    client, newcomer, reviewer
):
    """Published from its page after reading it as it is, the draft's request for review
    is accepted (it stayed waiting in the queue for a deployment already public) and
    its author credited; a form without the page's version publishes nothing."""
    draft = s.deployment_create(
        data=deployment_data(is_published=False, title="Caméras du square Vauban"),
        author=newcomer,
    )
    proposal = deployment_submit(deployment=draft, author=newcomer)
    client.force_login(reviewer)
    publish = reverse("deployment-publish", args=[draft.slug])
    client.post(publish)  # the version removed from the form
    draft.refresh_from_db()
    assert not draft.is_published
    page = client.get(draft.get_absolute_url()).content.decode()
    assert f'name="version" value="{draft.version}"' in page
    client.post(publish, {"version": str(draft.version)})
    draft.refresh_from_db()
    proposal.refresh_from_db()
    assert draft.is_published
    assert (proposal.state, proposal.reviewer_id) == ("accepted", reviewer.id)
