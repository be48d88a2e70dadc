"""Hostile review 53b: publishing from a draft's page, former names, a department's
intercommunalities, attacked (these fail on the code as it is)."""

import pytest
from django.test import Client
from django.urls import reverse

from contrechamp.places.models import Commune
from contrechamp.registry import proposals
from contrechamp.registry import services as s
from contrechamp.registry.models import Deployment
from contrechamp.registry.proposals import deployment_submit
from tests.factories import deployment_data
from tests.test_attack_53_registry import _rename

pytestmark = pytest.mark.django_db


def test_publishing_a_submitted_draft_from_its_page_checks_the_version_under_the_lock(
    client, newcomer, reviewer, monkeypatch
):
    """The draft's page now carries its version, and a draft published directly is
    checked against it under the row's lock (`deployment_publish(seen_version=…)`). A
    draft its author submitted for review goes through `proposal_accept` instead, which
    compares the version it read *without* a lock, then calls `deployment_publish`
    without the version: the author's save that lands between the two (the author edits
    while the reviewer presses Publish) is published unread, exactly what the version
    was added to prevent, on the path every submitted draft takes."""
    draft = s.deployment_create(
        data=deployment_data(is_published=False, title="Caméras du parc de la Tête d'Or"),
        author=newcomer,
    )
    deployment_submit(deployment=draft, author=newcomer)
    client.force_login(reviewer)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert f'name="version" value="{draft.version}"' in page
    real = proposals.deployment_publish

    def publish_after_the_authors_save(*, deployment, author, **kwargs):
        # The author's save, committed after the version was compared and before the
        # publication locks the row.
        current = Deployment.objects.get(id=deployment.id)
        data = s.deployment_snapshot(current)
        data["description"] += "\n\nSelon M. Jean Martin, 12 rue des Lilas, l'installation…"
        s.deployment_update(
            deployment=current, data=data, base_version=current.version, author=newcomer
        )
        return real(deployment=deployment, author=author, **kwargs)

    monkeypatch.setattr(proposals, "deployment_publish", publish_after_the_authors_save)
    client.post(reverse("deployment-publish", args=[draft.slug]), {"version": draft.version})
    draft.refresh_from_db()
    assert not (draft.is_published and "Jean Martin" in draft.description), (
        "a version the reviewer never saw was published from the draft's page"
    )


def test_a_name_corrected_by_a_rename_does_not_capture_another_company(contributor):
    """A contributor wrote "Axis" for a vendor that was in fact Axians (Vinci's integrator);
    the organisation, named in that one deployment only, is corrected by renaming it
    "Axians" (its SIREN, site and description are Axians'). Former names now find their
    organisation whatever the deployment: the next deployment whose
    vendor is Axis Communications, the camera maker, named "Axis" in the form, is filed
    under Axians; its page, Axians' page, the vendor filter and the exports all say
    Axians, and "Axis" can never be created from a deployment again."""
    first = s.deployment_create(
        data=deployment_data(title="Caméras de la gare", vendors=["Axis"]), author=contributor
    )
    axis = first.vendors.get()
    _rename(axis, "Axians", contributor)
    second = s.deployment_create(
        data=deployment_data(
            title="Caméras Axis du parking Saint-Antoine",
            vendors=["Axis"],
            communes=["69123"],
        ),
        author=contributor,
    )
    assert list(second.vendors.values_list("name", flat=True)) == ["Axis"], (
        "the deployment names Axis in its form; it was filed under "
        + ", ".join(second.vendors.values_list("name", flat=True))
    )


def test_the_departments_list_counts_a_deployment_of_an_intercommunality_alone(reviewer):
    """The department filter now covers the intercommunalities of its communes: the
    Haute-Garonne page, list, CSV and API show the metropolis' supervision centre. The
    list of departments, whose "Deployments" column links to those pages, still counts
    only deployments naming a commune (`Count("communes__deployments")`): it says one
    number, the page it links to lists more."""

    def count(code):
        response = Client().get(reverse("department-list"))
        figures = response.context["figures"]  # one a department, since session 58d
        return next(f.deployments for f in figures if f.department.code == code)

    toulouse = Commune.objects.select_related("epci", "department").get(code="31555")
    code = toulouse.department.code
    before = count(code)
    s.deployment_create(
        data=deployment_data(
            title="Centre de supervision intercommunal de la métropole",
            communes=[],
            epcis=[toulouse.epci.siren],
        ),
        author=reviewer,
    )
    page = Client().get(reverse("department-detail", args=[code])).content.decode()
    assert "Centre de supervision intercommunal de la métropole" in page  # the page lists it
    assert count(code) == before + 1, "the list of departments does not count it"


def test_restoring_a_version_keeps_the_vendor_it_named_after_another_takes_its_old_name(
    contributor,
):
    """The mended case, one step further. IBM is renamed "IBM France"; later a reviewer
    creates the group's own organisation under the name now free, "IBM" (allowed: no
    organisation is named so). The Toulouse deployment, IBM France's, is edited and its
    first version restored: that version names "IBM", the current name is looked up
    before any former one, and the deployment silently moves to the other organisation
    (IBM France's page loses it, the new one gains it): a snapshot's name is resolved
    by what it means now, not by what it meant when the version was saved."""
    toulouse = Deployment.objects.get(vendors__name="IBM")
    first = toulouse.version
    ibm = toulouse.vendors.get()
    _rename(ibm, "IBM France", contributor)
    parent = s.organisation_create(
        data={"name": "IBM", "kind": "vendor", "country": "US"}, author=contributor
    )
    data = s.deployment_snapshot(toulouse)
    data["status"] = "suspended"
    toulouse = s.deployment_update(
        deployment=toulouse, data=data, base_version=toulouse.version, author=contributor
    )
    toulouse = s.deployment_revert(
        deployment=toulouse, version=first, base_version=toulouse.version, author=contributor
    )
    assert list(toulouse.vendors.values_list("id", flat=True)) == [ibm.id], (
        f"restoring a version moved the deployment from IBM France to organisation "
        f"{parent.id} ({parent.name}), which took the old name"
    )
