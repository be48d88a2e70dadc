"""A reviewer works through the queue with the keyboard alone."""

import os
import subprocess
import sys

import pytest

from tests.browser.conftest import SITE_DATABASES
from tests.conftest import query_database

pytestmark = pytest.mark.browser

# Three camera counts from noa, a new contributor: each waits in the queue.
PROPOSE = """
from django.contrib.auth.models import User
from contrechamp.registry.proposals import camera_count_propose
noa = User.objects.get(username='noa')
for n, code in [(2400, '06088'), (2500, '13055'), (99000, '75056')]:
    camera_count_propose(
        author=noa, commune_code=code, count=n, date='2024', perimeter='voie publique',
        citations=[{'source': {'title': 'Bulletin municipal', 'url': f'https://example.org/c{n}'},
                    'quote': f'{n} caméras'}],
    )
"""


def _site_shell(site: str, code: str, tmp_path) -> None:
    env = {**os.environ, "DATABASE_URL": SITE_DATABASES[site]}
    env["CONTRECHAMP_DATA_DIR"] = str(tmp_path)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "-m", "contrechamp", "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
    )


def _states(site: str) -> dict[int, str]:
    rows = query_database(
        SITE_DATABASES[site],
        "SELECT c.count, p.state FROM registry_proposal p JOIN registry_cameracount c"
        " ON c.id = p.object_id WHERE p.target = 'camera_count' AND c.count IN (?, ?, ?)",
        (2400, 2500, 99000),
    )
    return dict(rows)


def test_a_reviewer_accepts_one_change_and_rejects_another_with_the_keyboard(
    make_visitor, site, tmp_path
):
    _site_shell(site, PROPOSE, tmp_path)
    reviewer = make_visitor()
    errors: list[str] = []
    reviewer.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    reviewer.log_in("rene")
    reviewer.goto("/moderation/")
    page = reviewer.page
    assert page.locator("dl.key-legend").is_visible()
    items = page.locator("li.proposal")
    assert items.count() >= 3
    first = items.nth(0).get_attribute("id")
    assert "2400" in items.nth(0).inner_text()

    # a: the first change (Nice, 2,400 cameras) is accepted; the queue comes back on the next.
    with page.expect_navigation():
        page.keyboard.press("a")
    assert page.locator(f"#{first}").count() == 0
    current = page.locator("li.proposal.current")
    assert "2500" in current.inner_text()
    # j moves to the next one (Paris, 99,000: ×99), k back, j again.
    page.keyboard.press("j")
    assert "99000" in page.locator("li.proposal.current").inner_text()
    page.keyboard.press("k")
    assert "2500" in page.locator("li.proposal.current").inner_text()
    page.keyboard.press("j")
    # r: the cursor goes to the reason; Ctrl+Enter rejects with it.
    page.keyboard.press("r")
    focused = page.evaluate("document.activeElement.name")
    assert focused == "reason"
    page.keyboard.type("Le chiffre cité est celui de toute l’Île-de-France.")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")

    states = _states(site)
    assert states == {2400: "accepted", 2500: "pending", 99000: "rejected"}
    reason = query_database(
        SITE_DATABASES[site], "SELECT reason FROM registry_proposal WHERE state = 'rejected'"
    )
    assert reason == [("Le chiffre cité est celui de toute l’Île-de-France.",)]
    # The accepted count is public; the rejected one is nowhere.
    visitor = make_visitor()
    visitor.goto("/communes/06088/")
    assert "2 400" in visitor.page.content() or "2400" in visitor.page.content()
    visitor.goto("/communes/75056/")
    assert "99 000" not in visitor.page.content() and "99000" not in visitor.page.content()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
