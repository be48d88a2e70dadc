"""A reviewer's first log-in: two-factor authentication set up from the page alone (the key
read in text, a code computed as an app would), the recovery codes shown once, then the
reviewers' pages; and a later log-in with a recovery code instead of the phone. The pages
fit a phone, obey the site's Content-Security-Policy and ask nothing of another host."""

import os
from base64 import b32decode
from pathlib import Path

import pytest
from django_otp.oath import TOTP

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


class Watched:
    """Screenshots of each page at both sizes, and what went wrong on it."""

    def __init__(self, visitor, folder: Path):
        self.visitor = visitor
        self.page = visitor.page
        self.folder = folder
        self.problems: list[str] = []
        visitor.context.add_init_script(WATCH_CSP)
        self.page.on(
            "console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}")
        )

    def look(self, name: str) -> None:
        for size, viewport in SIZES.items():
            self.page.set_viewport_size(viewport)
            self.page.screenshot(path=self.folder / f"twofactor-{name}-{size}.png", full_page=True)
            wide = self.page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
            if wide:
                self.problems.append(f"{name} is wider than the {size}")
        self.problems += [f"{name}: CSP {v}" for v in self.page.evaluate("window.__violations")]
        self.page.set_viewport_size(SIZES["desktop"])


def log_in_with_password(visitor, username: str) -> None:
    visitor.goto("/compte/login/")
    visitor.page.fill("input[name=username]", username)
    visitor.page.fill("input[name=password]", PASSWORD)
    with visitor.page.expect_navigation():
        visitor.page.click("main button[type=submit]")


def test_a_reviewer_sets_up_two_factor_then_logs_in_with_a_recovery_code(
    make_visitor, site, tmp_path
):
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    visitor = make_visitor(viewport=SIZES["desktop"])
    watched = Watched(visitor, folder)
    page = visitor.page

    # The password alone leads to the set-up, not to the queue.
    log_in_with_password(visitor, "sacha")
    assert page.url.startswith(site + "/compte/deux-facteurs/")
    assert visitor.goto("/moderation/").url.startswith(site + "/compte/deux-facteurs/")
    assert page.locator(".qr-code svg").count() == 1
    watched.look("setup")

    # The key, typed into an app instead of scanning the QR code.
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("input[name=code]", f"{TOTP(key).token():06d}")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    watched.look("recovery-codes")

    with page.expect_navigation():
        page.click("main a.button")
    assert page.url.startswith(site + "/moderation/")
    response = visitor.goto("/moderation/")
    assert response.status == 200 and page.url == site + "/moderation/"

    visitor.goto("/compte/deux-facteurs/")
    assert page.locator("form[action$='/codes/'] input[name=code]").count() == 1
    watched.look("settings")

    # Logged out, then in again, the phone left at home: a recovery code.
    with page.expect_navigation():
        page.click("header form[action$='/logout/'] button")
    log_in_with_password(visitor, "sacha")
    assert page.url.startswith(site + "/compte/deux-facteurs/")
    assert page.locator("#totp-secret").count() == 0  # no new key offered to a password
    watched.look("verify")
    page.fill("input[name=code]", codes[0].upper())
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert visitor.goto("/moderation/").status == 200 and page.url == site + "/moderation/"

    # The same recovery code, once more, in another browser: refused.
    other = make_visitor(viewport=SIZES["desktop"])
    log_in_with_password(other, "sacha")
    other.page.fill("input[name=code]", codes[0])
    with other.page.expect_navigation():
        other.page.click("main form button[type=submit]")
    assert other.page.url.startswith(site + "/compte/deux-facteurs/")
    assert other.page.locator("main .error").count() >= 1
    assert other.goto("/moderation/").url.startswith(site + "/compte/deux-facteurs/")

    assert watched.problems == []
    assert visitor.third_parties() == set() and other.third_parties() == set()


def test_the_log_in_helper_passes_the_second_factor_twice_within_a_time_step(make_visitor, site):
    """Two log-ins of the same reviewer within 30 s: the second code is the next step's,
    as django-otp refuses a step already used."""
    for _ in range(2):
        visitor = make_visitor()
        visitor.log_in("rene")
        assert visitor.goto("/moderation/").status == 200
        assert visitor.page.url == site + "/moderation/"
