"""A visitor signs up, follows the link e-mailed to them, is logged in, and finds their
account page; the e-mails are files written by the running site."""

import re
import time

import pytest

from tests.browser.conftest import SITE_MAIL_DIRS

pytestmark = pytest.mark.browser


def _mail_to(site: str, address: str) -> str:
    folder = SITE_MAIL_DIRS[site]
    for _ in range(50):
        for path in sorted(folder.glob("*")) if folder.exists() else []:
            text = path.read_text(errors="replace")
            if f"To: {address}" in text:
                return text
        time.sleep(0.1)
    raise AssertionError(f"no e-mail to {address}")


def test_a_visitor_signs_up_confirms_by_the_link_and_is_logged_in(make_visitor, site):
    v = make_visitor()
    page = v.page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    v.goto("/")
    page.click("header a[href='/compte/inscription/']")
    page.fill("input[name=email]", "lison@example.org")
    page.fill("input[name=public_name]", "Lison des Pentes")
    page.fill("input[name=password]", "quatre mots bien choisis")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith("/compte/inscription/envoye/")
    # Not logged in yet.
    assert page.locator("header a[href='/compte/']").count() == 0

    link = re.search(r"http://\S+/compte/confirmer/\S+/", _mail_to(site, "lison@example.org"))
    assert link is not None
    assert link.group(0).startswith(site)
    page.goto(link.group(0))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith("/compte/")
    assert "Lison des Pentes" in page.inner_text("main")
    assert page.locator("header a[href='/compte/']").count() == 1
    assert errors == []  # no CSP violation, no script error
    # The link works once.
    response = page.goto(link.group(0))
    assert response.status == 400
    assert v.third_parties() == set()
