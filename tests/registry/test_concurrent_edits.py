"""Two people editing one deployment or organisation lose nothing, and a careless or
hostile form (version removed, blank, 0, stale) cannot overwrite someone else's work."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from contrechamp.registry.models import Citation, Deployment, Organisation
from contrechamp.registry.services import deployment_create, deployment_update
from tests.factories import deployment_data
from tests.registry.html_form import form_fields, set_field


@pytest.fixture
def deployment(contributor):
    return deployment_create(data=deployment_data(fundings=[]), author=contributor)


@pytest.fixture
def two(client, contributor, other_contributor):
    """Camille and Dominique, each logged in in their own browser."""
    client.force_login(contributor)
    other = Client()
    other.force_login(other_contributor)
    return client, other


def _open(client, slug):
    response = client.get(reverse("deployment-edit", args=[slug]))
    assert response.status_code == 200
    return form_fields(response.content.decode())


def _save(client, slug, fields):
    return client.post(reverse("deployment-edit", args=[slug]), fields)


def test_it_keeps_both_changes_when_the_conflict_screen_is_saved_again(deployment, two):
    camille, dominique = two
    form_a, form_b = _open(camille, deployment.slug), _open(dominique, deployment.slug)
    set_field(form_a, "fundings-0-funder", "FIPD")
    set_field(form_a, "fundings-0-amount_eur", "45 000")
    assert _save(camille, deployment.slug, form_a).status_code == 302
    set_field(form_b, "status", "deployed")
    response = _save(dominique, deployment.slug, form_b)
    assert response.status_code == 409
    # The page invites to save again: what it holds must be the newer version plus
    # Dominique's change, not the stale form.
    response = _save(dominique, deployment.slug, form_fields(response.content.decode()))
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.version == 3 and deployment.status == "deployed"
    assert [(f.funder.name, f.amount_eur) for f in deployment.fundings.all()] == [
        ("FIPD", Decimal("45000.00"))
    ]


@pytest.mark.parametrize(
    "choice, expected", [("theirs", "Titre de Camille"), ("mine", "Titre de Dominique")]
)
def test_a_field_changed_by_both_is_shown_side_by_side_and_chosen(
    deployment, two, choice, expected
):
    camille, dominique = two
    form_a, form_b = _open(camille, deployment.slug), _open(dominique, deployment.slug)
    set_field(form_a, "title", "Titre de Camille")
    assert _save(camille, deployment.slug, form_a).status_code == 302
    set_field(form_b, "title", "Titre de Dominique")
    set_field(form_b, "description", "Description de Dominique.")
    response = _save(dominique, deployment.slug, form_b)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Titre de Camille" in html and "Titre de Dominique" in html
    fields = form_fields(html)
    assert "choose-title" not in fields  # nobody chose for the person
    # Saving without choosing is refused and writes nothing.
    response = _save(dominique, deployment.slug, fields)
    assert response.status_code == 400
    deployment.refresh_from_db()
    assert deployment.version == 2 and deployment.title == "Titre de Camille"
    fields = form_fields(response.content.decode())
    set_field(fields, "choose-title", choice)
    assert _save(dominique, deployment.slug, fields).status_code == 302
    deployment.refresh_from_db()
    assert deployment.title == expected
    assert deployment.description == "Description de Dominique."
    assert deployment.version == 3


@pytest.mark.parametrize("version", [None, "", "0", "-1", "deux"])
@pytest.mark.parametrize("someone_saved_first", [True, False])
def test_a_form_without_a_real_version_is_refused(
    deployment, two, other_contributor, version, someone_saved_first
):
    camille, _ = two
    form = _open(camille, deployment.slug)
    if someone_saved_first:
        deployment_update(
            deployment=deployment,
            data=deployment_data(fundings=[], status="suspended"),
            base_version=1,
            author=other_contributor,
        )
    set_field(form, "description", "Écrasé ?")
    if version is None:
        del form["version"]
    else:
        set_field(form, "version", version)
    response = _save(camille, deployment.slug, form)
    assert response.status_code == 400
    deployment.refresh_from_db()
    assert deployment.description != "Écrasé ?"
    assert deployment.status == ("suspended" if someone_saved_first else "experimenting")


def test_a_version_from_the_future_is_refused(deployment, two):
    camille, _ = two
    form = _open(camille, deployment.slug)
    set_field(form, "version", "7")
    set_field(form, "description", "Écrasé ?")
    assert _save(camille, deployment.slug, form).status_code in (400, 409)
    deployment.refresh_from_db()
    assert deployment.description != "Écrasé ?" and deployment.version == 1


def test_citations_keep_their_identity_across_edits(deployment, two):
    camille, dominique = two
    before = list(deployment.citations.values_list("id", flat=True))
    form = _open(camille, deployment.slug)
    set_field(form, "description", "Une autre description.")
    assert _save(camille, deployment.slug, form).status_code == 302
    form = _open(dominique, deployment.slug)
    set_field(form, "citations-0-quote", "Le conseil autorise l'expérimentation pour un an.")
    assert _save(dominique, deployment.slug, form).status_code == 302
    assert list(deployment.citations.values_list("id", flat=True)) == before
    assert Citation.objects.get(id=before[0]).quote.endswith("pour un an.")


def test_a_form_cannot_take_over_another_deployments_citation(deployment, two, contributor):
    camille, _ = two
    other = deployment_create(data=deployment_data(title="Autre"), author=contributor)
    foreign = other.citations.get()
    form = _open(camille, deployment.slug)
    set_field(form, "citations-0-id", str(foreign.id))
    assert _save(camille, deployment.slug, form).status_code == 302
    foreign.refresh_from_db()
    assert foreign.deployment_id == other.id


# --- organisations ---------------------------------------------------------------------


def _open_org(client, slug):
    response = client.get(reverse("organisation-edit", args=[slug]))
    assert response.status_code == 200
    return form_fields(response.content.decode())


def test_two_organisation_edits_both_survive(two):
    camille, dominique = two
    org = Organisation.objects.get(name="Wintics")
    form_a, form_b = _open_org(camille, org.slug), _open_org(dominique, org.slug)
    set_field(form_a, "siren", "830787512")
    assert camille.post(reverse("organisation-edit", args=[org.slug]), form_a).status_code == 302
    set_field(form_b, "website", "https://example.org/wintics")
    response = dominique.post(reverse("organisation-edit", args=[org.slug]), form_b)
    assert response.status_code == 409
    response = dominique.post(
        reverse("organisation-edit", args=[org.slug]), form_fields(response.content.decode())
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.siren, org.website) == ("830787512", "https://example.org/wintics")


@pytest.mark.parametrize("version", [None, "", "0", "stale"])
def test_an_organisation_form_without_a_real_version_is_refused(two, version):
    camille, dominique = two
    org = Organisation.objects.get(name="Wintics")
    form = _open_org(camille, org.slug)
    first = _open_org(dominique, org.slug)
    set_field(first, "siren", "830787512")
    assert dominique.post(reverse("organisation-edit", args=[org.slug]), first).status_code == 302
    set_field(form, "siren", "000000000")
    if version is None:
        del form["version"]
    elif version != "stale":
        set_field(form, "version", version)
    response = camille.post(reverse("organisation-edit", args=[org.slug]), form)
    assert response.status_code in (400, 409)
    org.refresh_from_db()
    assert org.siren == "830787512"


def test_an_unfinished_service_call_without_version_is_refused(deployment, contributor):
    from django.core.exceptions import ValidationError

    for bad in (None, 0):
        with pytest.raises(ValidationError):
            deployment_update(
                deployment=deployment,
                data=deployment_data(fundings=[], title="Sans version"),
                base_version=bad,  # type: ignore[arg-type]
                author=contributor,
            )
    assert Deployment.objects.get(id=deployment.id).title != "Sans version"


# --- the merge itself ------------------------------------------------------------------


def _funding(funder, amount):
    return {"funder": funder, "amount_eur": amount, "programme": ""}


def test_fundings_added_by_both_are_both_kept(deployment, contributor, other_contributor):
    from contrechamp.registry.services import StaleEdit

    deployment_update(
        deployment=deployment,
        data=deployment_data(fundings=[_funding("FIPD", "45000")]),
        base_version=1,
        author=contributor,
    )
    with pytest.raises(StaleEdit) as excinfo:
        deployment_update(
            deployment=deployment,
            data=deployment_data(fundings=[_funding("Région", "10000")]),
            base_version=1,
            author=other_contributor,
        )
    assert excinfo.value.conflicts == []
    assert [f["funder"] for f in excinfo.value.merged["fundings"]] == ["FIPD", "Région"]


def test_one_funding_rewritten_by_both_is_a_conflict_not_a_duplicate(
    contributor, other_contributor
):
    from contrechamp.registry.services import StaleEdit

    d = deployment_create(data=deployment_data(), author=contributor)  # FIPD 45,000
    deployment_update(
        deployment=d,
        data=deployment_data(fundings=[_funding("FIPD", "46000")]),
        base_version=1,
        author=contributor,
    )
    with pytest.raises(StaleEdit) as excinfo:
        deployment_update(
            deployment=d,
            data=deployment_data(fundings=[_funding("FIPD", "47000")]),
            base_version=1,
            author=other_contributor,
        )
    assert excinfo.value.conflicts == ["fundings"]
    assert excinfo.value.theirs["fundings"][0]["amount_eur"] == "46000.00"
    assert excinfo.value.merged["fundings"][0]["amount_eur"] == "47000.00"


def test_a_choice_survives_a_mistake_elsewhere_in_the_form(deployment, two):
    camille, dominique = two
    form_a, form_b = _open(camille, deployment.slug), _open(dominique, deployment.slug)
    set_field(form_a, "title", "Titre de Camille")
    assert _save(camille, deployment.slug, form_a).status_code == 302
    set_field(form_b, "title", "Titre de Dominique")
    fields = form_fields(_save(dominique, deployment.slug, form_b).content.decode())
    set_field(fields, "choose-title", "theirs")
    set_field(fields, "start_date", "au printemps")
    response = _save(dominique, deployment.slug, fields)
    assert response.status_code == 400
    fields = form_fields(response.content.decode())
    assert fields["choose-title"] == ["theirs"] and fields["conflict"] == ["title"]
    set_field(fields, "start_date", "2024-04")
    assert _save(dominique, deployment.slug, fields).status_code == 302
    deployment.refresh_from_db()
    assert (deployment.title, deployment.start_date) == ("Titre de Camille", "2024-04")


def _restore_fields(client, url_name, slug, version):
    """The restore form of a version's page, as the browser sends it."""
    page = client.get(reverse(url_name.replace("revert", "revision"), args=[slug, version]))
    action = reverse(url_name, args=[slug, version])
    html = page.content.decode()
    form = html[html.index(f'action="{action}"') :]
    form = form[: form.index("</form>")]
    return action, dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))


def test_a_stale_restore_of_a_deployment_gets_the_merge_page_and_loses_nobodys_edit(
    deployment, two
):
    """Camille opens version 1 to restore it; Dominique saves a status meanwhile. The
    restore is not applied over it: the edit form comes back (409) with version 1's
    description re-applied to Dominique's version, and saving it keeps both."""
    camille, dominique = two
    deployment = deployment_update(
        deployment=deployment,
        data=deployment_data(fundings=[], description="Texte de la version 2."),
        base_version=1,
        author=None,
    )
    action, fields = _restore_fields(camille, "deployment-revert", deployment.slug, 1)
    assert fields["version"] == "2"
    form = _open(dominique, deployment.slug)
    set_field(form, "status", "unlawful")
    assert _save(dominique, deployment.slug, form).status_code == 302

    response = camille.post(action, fields)
    assert response.status_code == 409
    deployment.refresh_from_db()
    assert deployment.version == 3
    html = response.content.decode()
    assert f'action="{reverse("deployment-edit", args=[deployment.slug])}"' in html
    response = _save(camille, deployment.slug, form_fields(html))
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.version == 4 and deployment.status == "unlawful"
    assert deployment.description == deployment_data()["description"]


def test_a_restore_without_the_version_seen_restores_nothing(deployment, two):
    camille, _dominique = two
    deployment_update(
        deployment=deployment,
        data=deployment_data(fundings=[], status="deployed"),
        base_version=1,
        author=None,
    )
    camille.post(reverse("deployment-revert", args=[deployment.slug, 1]))
    deployment.refresh_from_db()
    assert deployment.version == 2 and deployment.status == "deployed"


def test_a_stale_restore_of_an_organisation_is_refused_and_merged(two):
    camille, dominique = two
    org = Organisation.objects.get(name="Wintics")
    first = org.version
    form = _open_org(camille, org.slug)
    set_field(form, "website", "https://example.org/ancien")
    assert camille.post(reverse("organisation-edit", args=[org.slug]), form).status_code == 302
    action, fields = _restore_fields(camille, "organisation-revert", org.slug, first)
    form = _open_org(dominique, org.slug)
    set_field(form, "siren", "830787512")
    assert dominique.post(reverse("organisation-edit", args=[org.slug]), form).status_code == 302

    response = camille.post(action, fields)
    assert response.status_code == 409
    org.refresh_from_db()
    assert org.version == first + 2 and org.siren == "830787512"
    html = response.content.decode()
    assert f'action="{reverse("organisation-edit", args=[org.slug])}"' in html
    response = camille.post(reverse("organisation-edit", args=[org.slug]), form_fields(html))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.siren == "830787512" and org.website != "https://example.org/ancien"
