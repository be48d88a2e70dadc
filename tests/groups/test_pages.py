"""The list of groups searched by place, the public page, and the place pages naming
the groups active there."""

import html
import re

import pytest
from django.urls import reverse

from contrechamp.groups import services
from contrechamp.places.models import Commune, Department, Epci


def test_the_list_finds_groups_by_place(group, other_group, client):
    lyon = Commune.objects.get(code="69123")
    for typed in ("Lyon", "lyon", "69123"):
        page = client.get(reverse("group-list"), {"lieu": typed}).content.decode()
        assert "Technopolice Lyon" in page and "Collectif Gironde" not in page
    # A commune of a department finds the department's group.
    page = client.get(reverse("group-list"), {"lieu": "Bordeaux"}).content.decode()
    assert "Collectif Gironde" in page and "Technopolice Lyon" not in page
    page = client.get(reverse("group-list"), {"lieu": "Gironde"}).content.decode()
    assert "Collectif Gironde" in page
    page = client.get(reverse("group-list"), {"lieu": "Brest"}).content.decode()
    assert "Technopolice Lyon" not in page and "Collectif Gironde" not in page
    page = client.get(reverse("group-list")).content.decode()
    assert "Technopolice Lyon" in page and "Collectif Gironde" in page
    assert lyon.name in page


def test_the_search_takes_anything_typed(group, client):
    for typed in ("\n\x00", "%", "'; DROP TABLE", "x" * 5000):
        assert client.get(reverse("group-list"), {"lieu": typed}).status_code == 200


def test_the_public_page(group, client):
    page = client.get(group.get_absolute_url()).content.decode()
    assert "<strong>vidéosurveillance</strong>" in page
    assert reverse("commune-detail", args=["69123"]) in page
    assert "2 membres" in page or "2 members" in page
    assert 'name="message"' in page and 'name="website"' in page


def test_the_description_is_rendered_safely(contributor, client):
    created = services.group_create(
        creator=contributor,
        name="Collectif test",
        description=(
            "<script>alert(1)</script>[x](javascript:alert(1)) <img src=x onerror=alert(1)>"
        ),
        communes=[Commune.objects.get(code="42218")],
    )
    page = client.get(created.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "javascript:" not in page and "onerror" not in page


def test_place_pages_show_the_groups_active_there(group, other_group, client):
    lyon = client.get(reverse("commune-detail", args=["69123"])).content.decode()
    assert group.get_absolute_url() in lyon and other_group.get_absolute_url() not in lyon
    bordeaux = client.get(reverse("commune-detail", args=["33063"])).content.decode()
    assert other_group.get_absolute_url() in bordeaux
    rhone = client.get(reverse("department-detail", args=["69"])).content.decode()
    assert group.get_absolute_url() in rhone
    metropole = Commune.objects.get(code="69123").epci
    assert metropole is not None
    page = client.get(reverse("epci-detail", args=[metropole.siren])).content.decode()
    assert group.get_absolute_url() in page and other_group.get_absolute_url() not in page
    # A group on an intercommunality shows on its communes' pages.
    group.epcis.add(Epci.objects.get(siren=metropole.siren))
    group.communes.clear()
    villeurbanne = client.get(reverse("commune-detail", args=["69266"])).content.decode()
    assert group.get_absolute_url() in villeurbanne


@pytest.mark.parametrize("code", ["75056", "13055"])
def test_place_pages_without_groups_say_nothing(code, client, db):
    page = client.get(reverse("commune-detail", args=[code])).content.decode()
    assert "/collectifs/" not in page.split("<main")[1].split("</main>")[0]
    assert Department.objects.exists()


def test_a_coordinator_edits_the_group_and_a_member_may_not(group, contributor, other_contributor):
    from django.test import Client

    from tests.groups.conftest import client_for

    url = reverse("group-edit", args=[group.slug])
    member = client_for(Client, other_contributor)
    assert member.get(url).status_code == 404
    assert member.post(url, {"name": "Pris", "communes": "69123"}).status_code == 404
    coordinator = client_for(Client, contributor)
    form = coordinator.get(url).content.decode()
    assert "Lyon (69123)" in form
    response = coordinator.post(
        url,
        {
            "name": "Technopolice Lyon et Villeurbanne",
            "communes": "69123, 69266",
            "edited_from": _edited_from(form),
        },
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Technopolice Lyon et Villeurbanne" and not group.contact_enabled
    assert sorted(group.communes.values_list("code", flat=True)) == ["69123", "69266"]
    assert group.slug == "technopolice-lyon"  # its address does not change


def _edited_from(page: str) -> str:
    return html.unescape(re.search(r'name="edited_from" value="([^"]*)"', page).group(1))


def test_two_tabs_editing_the_group_never_lose_a_save_silently(group, contributor):
    """A new user's walk: tab 1 renamed the group and saved, tab 2 then changed only the
    description and saved: the name went back without a word. Tab 2's save is refused,
    shows the saved version and keeps its text; saved again, it wins knowingly."""
    from django.test import Client

    from tests.groups.conftest import client_for

    url = reverse("group-edit", args=[group.slug])
    first, second = client_for(Client, contributor), client_for(Client, contributor)
    first_form, second_form = first.get(url).content.decode(), second.get(url).content.decode()
    renamed = {
        "name": "Technopolice Lyon Métropole",
        "communes": "69123",
        "description": "Nous suivons la **vidéosurveillance** à Lyon.",
    }
    assert first.post(url, {**renamed, "edited_from": _edited_from(first_form)}).status_code == 302
    described = {
        "name": "Technopolice Lyon",
        "communes": "69123",
        "description": "Une description écrite dans le second onglet.",
    }
    response = second.post(url, {**described, "edited_from": _edited_from(second_form)})
    assert response.status_code == 409
    page = response.content.decode()
    assert "pendant que vous le modifiiez" in page
    assert "Technopolice Lyon Métropole" in page  # the saved version, shown
    assert "Une description écrite dans le second onglet." in page  # theirs, kept
    group.refresh_from_db()
    assert group.name == "Technopolice Lyon Métropole"
    assert group.description == "Nous suivons la **vidéosurveillance** à Lyon."
    # Seen, saved again: the second tab's version is saved.
    response = second.post(url, {**described, "edited_from": _edited_from(page)})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.description == "Une description écrite dans le second onglet."


def test_a_group_form_without_its_version_changes_nothing(group, contributor):
    from django.test import Client

    from tests.groups.conftest import client_for

    url = reverse("group-edit", args=[group.slug])
    coordinator = client_for(Client, contributor)
    response = coordinator.post(url, {"name": "Sans version", "communes": "69123"})
    assert response.status_code == 400
    assert "Ce formulaire est incomplet" in response.content.decode()
    group.refresh_from_db()
    assert group.name == "Technopolice Lyon"
    # A version that is no version is a stale one, never a pass.
    response = coordinator.post(
        url, {"name": "Sans version", "communes": "69123", "edited_from": "n'importe quoi"}
    )
    assert response.status_code == 409
    group.refresh_from_db()
    assert group.name == "Technopolice Lyon"


def _hidden(page: str) -> dict[str, str]:
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'name="(edited_from|edited_base)" value="([^"]*)"', page)
    }


def test_saving_again_after_a_conflict_keeps_what_the_other_coordinator_changed(
    group, contributor, other_contributor
):
    """The review: coordinator A added a commune (places only); B, whose tab was open,
    changed the description, was refused, and saved again as the page said: A's commune
    was gone. What B left as B found it takes the saved version's value."""
    from django.test import Client

    from tests.groups.conftest import client_for

    services.membership_promote(
        membership=group.memberships.get(user=other_contributor), by=contributor
    )
    url = reverse("group-edit", args=[group.slug])
    a, b = client_for(Client, contributor), client_for(Client, other_contributor)
    page_a, page_b = a.get(url).content.decode(), b.get(url).content.decode()
    form = {
        "name": "Technopolice Lyon",
        "description": "Nous suivons la **vidéosurveillance** à Lyon.",
        "communes": "Lyon (69123)",
        "epcis": "",
        "departments": "",
    }
    response = a.post(url, {**form, "communes": "69123, 69266", **_hidden(page_a)})
    assert response.status_code == 302
    mine = {**form, "description": "Le texte de B."}
    refused = b.post(url, {**mine, **_hidden(page_b)})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Le texte de B." in page and "Villeurbanne (69266)" in page
    again = b.post(
        url,
        {
            **mine,
            "communes": re.search(r'name="communes"[^>]*value="([^"]*)"', page).group(1),
            **_hidden(page),
        },
    )
    assert again.status_code == 302
    group.refresh_from_db()
    assert group.description == "Le texte de B."
    assert sorted(group.communes.values_list("code", flat=True)) == ["69123", "69266"]


def test_a_field_both_changed_is_flagged_and_a_double_click_is_no_conflict(group, contributor):
    from django.test import Client

    from tests.groups.conftest import client_for

    url = reverse("group-edit", args=[group.slug])
    a, b = client_for(Client, contributor), client_for(Client, contributor)
    page_a, page_b = a.get(url).content.decode(), b.get(url).content.decode()
    form = {"name": "Technopolice Lyon", "communes": "Lyon (69123)", "description": "x"}
    saved = {**form, "name": "Nom de A", **_hidden(page_a)}
    assert a.post(url, saved).status_code == 302
    # The same form sent again (a double click): it is saved, not refused.
    second = a.post(url, saved)
    assert second.status_code == 302
    refused = b.post(url, {**form, "name": "Nom de B", **_hidden(page_b)})
    assert refused.status_code == 409
    assert "Modifié entre-temps en : Nom de A" in refused.content.decode()
