"""Two browsers editing one deployment at once lose nothing."""

import re

import pytest
from django.utils.text import slugify

pytestmark = pytest.mark.browser


def _both_open(make_visitor, title):
    camille, dominique = make_visitor(), make_visitor()
    camille.log_in("camille")
    dominique.log_in("dominique")
    slug = slugify(title)
    for v in (camille, dominique):
        v.goto(f"/dispositifs/{slug}/modifier/")
    return camille, dominique, slug


def _save(v):
    v.page.locator("form.edit button[type=submit]").click()


def test_two_browsers_editing_one_deployment_at_once_lose_nothing(make_visitor):
    camille, dominique, slug = _both_open(
        make_visitor, "Vidéosurveillance algorithmique à Nîmes (Briefcam)"
    )
    camille.page.locator("#id_fundings-0-funder").fill("FIPD")
    camille.page.locator("#id_fundings-0-amount_eur").fill("45 000")
    _save(camille)
    camille.page.wait_for_url(re.compile(f"/dispositifs/{slug}/$"))

    dominique.page.get_by_label("Statut").select_option("suspended")
    _save(dominique)
    conflict = dominique.page.locator(".conflict")
    conflict.wait_for()
    assert "FIPD" in conflict.inner_text()
    # The form now holds the newer version with Dominique's change re-applied.
    assert dominique.page.locator("#id_fundings-0-funder").input_value() == "FIPD"
    assert dominique.page.get_by_label("Statut").input_value() == "suspended"
    _save(dominique)
    dominique.page.wait_for_url(re.compile(f"/dispositifs/{slug}/$"))

    facts = dominique.page.inner_text("dl.facts")
    assert "FIPD" in facts and re.search(r"45\s000\s€", facts), facts
    assert "suspendu" in dominique.page.inner_text(".meta")
    assert camille.third_parties() == set() and dominique.third_parties() == set()


def test_a_field_both_changed_is_chosen_between_the_two_values_side_by_side(make_visitor):
    camille, dominique, slug = _both_open(
        make_visitor, "Vidéosurveillance algorithmique à Toulouse (IBM)"
    )
    camille.page.get_by_label("Titre", exact=True).fill(
        "Toulouse : la VSA d'IBM (titre de Camille)"
    )
    _save(camille)
    camille.page.wait_for_url(re.compile(f"/dispositifs/{slug}/$"))

    dominique.page.get_by_label("Titre", exact=True).fill("Toulouse et IBM (titre de Dominique)")
    dominique.page.get_by_label("Description").fill("Texte revu par Dominique.")
    _save(dominique)
    choice = dominique.page.locator(".conflict fieldset.choice")
    choice.wait_for()
    mine, theirs = choice.locator("label.choice-value").all()
    assert "titre de Dominique" in mine.inner_text()
    assert "titre de Camille" in theirs.inner_text()
    # Side by side on a wide screen: the two values share a row.
    assert abs(mine.bounding_box()["y"] - theirs.bounding_box()["y"]) < 2
    assert mine.bounding_box()["x"] < theirs.bounding_box()["x"]

    # Saving without choosing is refused; then the choice is made.
    _save(dominique)
    dominique.page.locator(".conflict fieldset.choice").wait_for()
    assert dominique.page.locator("p.error").count() >= 1
    dominique.page.locator(".conflict input[name=choose-title][value=theirs]").check()
    _save(dominique)
    dominique.page.wait_for_url(re.compile(f"/dispositifs/{slug}/$"))
    assert dominique.page.get_by_role("heading", level=1).inner_text() == (
        "Toulouse : la VSA d'IBM (titre de Camille)"
    )
    assert "Texte revu par Dominique." in dominique.page.inner_text(".description")
