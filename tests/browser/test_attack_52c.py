"""Hostile review 52c, in a real browser: the tip form's `data-once` guard (static/js/
site.js) marks the form sent at its first submit and never unmarks it. A sending that
does not complete (the person presses Stop or Esc during a slow upload over Tor, the
connection drops) leaves the form on screen, its words and files still there, and its
button silently dead: no second sending, no message; only a reload (a new form) works."""

import pytest

from tests.browser.test_tips import watch_console

pytestmark = pytest.mark.browser


def test_a_tip_whose_sending_was_stopped_can_be_sent_again(make_visitor):
    sender = make_visitor()
    page = sender.page
    watch_console(page)
    sender.goto("/signaler/")
    page.locator("#id_text").fill("Un drone survole le quartier des Lilas chaque soir.")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    # The first sending is stopped on its way (as the Stop button or a dropped line does:
    # the page stays, with what was typed).
    page.route(
        "**/signaler/",
        lambda route: (
            route.abort("aborted") if route.request.method == "POST" else route.continue_()
        ),
    )
    page.locator("#tip-form button[type=submit]").click()
    page.wait_for_timeout(500)
    page.unroute("**/signaler/")
    assert page.locator("#id_text").input_value().startswith("Un drone")
    assert len(posts) == 1

    # The person clicks "Send" again.
    page.locator("#tip-form button[type=submit]").click()
    page.wait_for_timeout(1500)
    assert len(posts) == 2, "the second click sent nothing: the form stays marked as sent"
