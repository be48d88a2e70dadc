"""A coordinator made a link to share and an e-mail invitation, then was removed: the
link stops working at once, and the remaining coordinator reads it on the group's page
and its members' page, on a computer and a phone, in French and in English, with no
console error (a CSP violation is one) and nothing wider than the screen.

Screenshots of each page go to the test's temporary folder (`--basetemp` to keep them)."""

import re

import pytest

from tests.browser.test_invitations import COMPUTER, PHONE, _shot, _watch

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["fr-FR", "en-GB"])
def test_a_removed_coordinator_s_link_stops_and_the_others_are_told(
    make_visitor, site, tmp_path, language
):
    suffix = language[:2]
    camille = make_visitor(viewport=COMPUTER, locale=language)
    dominique = make_visitor(viewport=COMPUTER, locale=language)
    stranger = make_visitor(viewport=PHONE, locale=language)
    errors = _watch(camille) + _watch(dominique) + _watch(stranger)
    camille.log_in("camille")
    dominique.log_in("dominique")
    slug = f"depart-{suffix}"
    camille.goto("/collectifs/nouveau/")
    page = camille.page
    page.locator("main input[name=name]").fill(f"Depart {suffix}")
    page.locator("main input[name=communes]").fill("42218")
    page.locator("main form.edit button[type=submit]").click()
    page.wait_for_url(re.compile(f"/collectifs/{slug}/$"))

    # Dominique asks to join; Camille approves and makes her coordinator.
    dominique.goto(f"/collectifs/{slug}/")
    with dominique.page.expect_navigation():
        dominique.page.click(f"form[action='/collectifs/{slug}/rejoindre/'] button")
    members = f"/collectifs/{slug}/membres/"
    camille.goto(members)
    with page.expect_navigation():
        page.click("button[value=approve]")
    camille.goto(members)
    with page.expect_navigation():
        page.click("button[value=promote]")

    # As a coordinator, she makes a link and invites an address.
    dominique.goto(members)
    dominique.page.locator("#invitation-link form.edit button[type=submit]").click()
    dominique.page.wait_for_url(re.compile("#invitation-link$"))
    shared = dominique.page.locator("#fresh-link").input_value()
    shared = site + "/" + shared.split("://", 1)[1].split("/", 1)[1]
    dominique.page.locator("#invitations input[name=email]").fill(f"ami.{suffix}@example.org")
    dominique.page.locator("#invitations form.edit button[type=submit]").click()
    dominique.page.wait_for_url(re.compile("#invitations$"))
    assert stranger.page.goto(shared).status == 200

    # Camille removes her: the link stops working at once.
    camille.goto(members)
    with page.expect_navigation():
        page.click("button[value=remove]")
    assert stranger.page.goto(shared).status == 410
    _shot(stranger, tmp_path, f"maker-removed-link-{suffix}-390")

    told = "no longer coordinates" if suffix == "en" else "ne coordonne plus"
    for path, name in ((f"/collectifs/{slug}/", "group"), (members, "members")):
        camille.goto(path)
        notice = page.locator("#invitations-ended")
        assert told in notice.inner_text()
        _shot(camille, tmp_path, f"maker-removed-{name}-{suffix}-1366")
        phone = make_visitor(viewport=PHONE, locale=language)
        errors += _watch(phone)
        phone.log_in("camille")
        phone.goto(path)
        assert told in phone.page.locator("#invitations-ended").inner_text()
        _shot(phone, tmp_path, f"maker-removed-{name}-{suffix}-390")
    assert "No link works now" in page.inner_text("#invitation-link") or (
        "Aucun lien ne fonctionne" in page.inner_text("#invitation-link")
    )
    assert errors == []
    assert not (camille.third_parties() | stranger.third_parties())
