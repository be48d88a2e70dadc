"""A coordinator invites someone who has no account, by e-mail, from a computer; the
invited person, on a phone, follows the link, creates an account, confirms it and joins.
Then a link to share, made, used by a member-to-be, revoked. In French and in English:
no console error (a CSP violation is one), nothing wider than the screen.

Screenshots of each page go to the test's temporary folder (`--basetemp` to keep them)."""

import re
import time

import pytest

from tests.browser.conftest import SITE_MAIL_DIRS

pytestmark = pytest.mark.browser

WIDER = "document.documentElement.scrollWidth > window.innerWidth"
PHONE = {"width": 390, "height": 844}
COMPUTER = {"width": 1366, "height": 900}


def _link_mailed(site: str, address: str, pattern: str) -> str:
    """The first link matching `pattern` in an e-mail the site wrote to `address`."""
    folder = SITE_MAIL_DIRS[site]
    for _ in range(100):
        for path in sorted(folder.glob("*")) if folder.exists() else []:
            text = path.read_text(errors="replace")
            found = re.search(pattern, text)
            if f"To: {address}" in text and found:
                # Group mails link to SITE_URL, not to this test server: its path.
                return site + "/" + found.group(0).split("://", 1)[1].split("/", 1)[1]
        time.sleep(0.1)
    raise AssertionError(f"no e-mail to {address} with {pattern}")


def _watch(visitor) -> list[str]:
    errors: list[str] = []
    visitor.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def _shot(visitor, tmp_path, name: str) -> None:
    assert not visitor.page.evaluate(WIDER), name
    visitor.page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["fr-FR", "en-GB"])
def test_someone_without_an_account_is_invited_signs_up_and_joins(
    make_visitor, site, tmp_path, language
):
    suffix = language[:2]
    coordinator = make_visitor(viewport=COMPUTER, locale=language)
    invited = make_visitor(viewport=PHONE, locale=language)
    errors = _watch(coordinator) + _watch(invited)
    coordinator.log_in("camille")
    slug = f"invitations-{suffix}"
    coordinator.goto("/collectifs/nouveau/")
    page = coordinator.page
    page.locator("main input[name=name]").fill(f"Invitations {suffix}")
    page.locator("main input[name=communes]").fill("42218")
    page.locator("main form.edit button[type=submit]").click()
    page.wait_for_url(re.compile(f"/collectifs/{slug}/$"))

    members = f"/collectifs/{slug}/membres/"
    coordinator.goto(members)
    address = f"lou.{suffix}@example.org"
    page.locator("#invitations input[name=email]").fill(address)
    page.locator("#invitations form.edit button[type=submit]").click()
    page.wait_for_url(re.compile("membres/#invitations$"))
    assert address in page.locator("#invitations table").inner_text()
    _shot(coordinator, tmp_path, f"members-invited-{suffix}-1366")

    link = _link_mailed(site, address, r"http://\S+/collectifs/invitation/[A-Za-z0-9_-]+/")
    invited.page.goto(link)
    _shot(invited, tmp_path, f"invitation-visitor-{suffix}-390")
    invited.page.locator("main a[href^='/compte/inscription/']").click()
    invited.page.fill("input[name=email]", address)
    invited.page.fill("input[name=public_name]", f"Lou {suffix}")
    invited.page.fill("input[name=password]", "quatre mots bien choisis")
    with invited.page.expect_navigation():
        invited.page.click("main form button[type=submit]")
    invited.page.goto(_link_mailed(site, address, r"http://\S+/compte/confirmer/\S+"))
    with invited.page.expect_navigation():
        invited.page.click("main form button[type=submit]")
    # Back on the invitation, logged in: one button left.
    assert "/collectifs/invitation/" in invited.page.url
    _shot(invited, tmp_path, f"invitation-logged-in-{suffix}-390")
    with invited.page.expect_navigation():
        invited.page.click("main form.edit button[type=submit]")
    assert invited.page.url.endswith(f"/collectifs/{slug}/")
    assert invited.page.locator("#worklist").count() == 1
    _shot(invited, tmp_path, f"group-joined-{suffix}-390")
    # Used: the link now says so.
    response = invited.page.goto(link)
    assert response.status == 410
    _shot(invited, tmp_path, f"invitation-used-{suffix}-390")

    # A link to share, shown once, then revoked.
    coordinator.goto(members)
    page.locator("#invitation-link form.edit button[type=submit]").click()
    page.wait_for_url(re.compile("#invitation-link$"))
    shared = page.locator("#fresh-link").input_value()
    assert "/collectifs/invitation/" in shared
    shared = site + "/" + shared.split("://", 1)[1].split("/", 1)[1]
    _shot(coordinator, tmp_path, f"members-link-{suffix}-1366")
    phone_coordinator = make_visitor(viewport=PHONE, locale=language)
    errors += _watch(phone_coordinator)
    phone_coordinator.log_in("camille")
    phone_coordinator.goto(members)
    _shot(phone_coordinator, tmp_path, f"members-{suffix}-390")
    page.locator("#invitation-link button[value=revoke]").click()
    page.wait_for_url(re.compile("#invitation-link$"))
    assert page.locator("#fresh-link").count() == 0
    assert invited.page.goto(shared).status == 410
    wrong = invited.page.goto(shared[:-5] + "AAAA/")
    assert wrong.status == 404
    _shot(invited, tmp_path, f"invitation-unknown-{suffix}-390")
    assert errors == []
    assert not (coordinator.third_parties() | invited.third_parties())
