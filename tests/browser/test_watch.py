"""A reviewer works through the watch's candidates on a phone, with the keyboard."""

import os
import subprocess
import sys

import pytest

from tests.browser.conftest import SITE_DATABASES
from tests.conftest import query_database
from tests.watch.test_decp import SELECTION

pytestmark = pytest.mark.browser


def test_a_reviewer_rejects_a_candidate_and_turns_another_into_a_deployment(
    make_visitor, site, tmp_path
):
    env = {
        **os.environ,
        "DATABASE_URL": SITE_DATABASES[site],
        "CONTRECHAMP_DATA_DIR": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "-m", "contrechamp", "watch", "import", "decp", str(SELECTION)],
        env=env,
        check=True,
        capture_output=True,
    )
    for size in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):
        reviewer = make_visitor(viewport=size)
        errors: list[str] = []
        reviewer.page.on(
            "console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None
        )
        reviewer.log_in("rene")
        reviewer.goto("/veille/")
        page = reviewer.page
        if os.environ.get("SCREENSHOTS"):
            page.screenshot(path=f"{os.environ['SCREENSHOTS']}/watch-{size['width']}.png")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"{width} px wide at {size['width']}"
        assert not errors, errors
        assert reviewer.third_parties() == set()
    items = page.locator("li.proposal")
    assert "Pourquoi ce score" in items.nth(0).inner_text()
    # r then a reason and Ctrl+Enter: the first candidate is rejected, its reason kept.
    first = items.nth(0).get_attribute("id")
    page.keyboard.press("r")
    page.keyboard.type("Marché déjà connu du collectif.")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert page.locator(f"#{first}").count() == 0
    # The first card is a contract of several lots (Maubeuge): all of them are rejected.
    rows = query_database(
        SITE_DATABASES[site], "SELECT reason FROM watch_watchrecord WHERE status = 'rejected'"
    )
    assert rows and set(rows) == {("Marché déjà connu du collectif.",)}
    # a: the next becomes a draft deployment, opened for editing.
    with page.expect_navigation():
        page.keyboard.press("a")
    assert "/modifier/" in page.url
    assert "DECP" in page.content()
