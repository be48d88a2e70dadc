"""The header on a phone: a reviewer's (the most links) took four rows of a 390-pixel
screen before the page began (a walk). The menu folds behind a button that works without
a script and from the keyboard; on a wide screen nothing changes."""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _header_height(v) -> float:
    return v.page.evaluate("document.querySelector('header.site').getBoundingClientRect().height")


def _line_height(v) -> float:
    return v.page.evaluate(
        "document.querySelector('header.site .brand').getBoundingClientRect().height"
    )


@pytest.mark.parametrize("script", [True, False])
def test_a_reviewers_header_is_one_row_on_a_phone_and_opens_from_the_keyboard(make_visitor, script):
    v = make_visitor(viewport=PHONE, java_script_enabled=script)
    v.log_in("rene")
    v.goto("/")
    assert _header_height(v) <= 2 * _line_height(v) + 24, "more than two rows"
    menu = v.page.locator("header.site summary")
    assert menu.is_visible()
    assert not v.page.locator("header.site nav a").first.is_visible()
    # From the keyboard: skip link, brand, the menu's button; Enter opens it.
    for _ in range(3):
        v.page.keyboard.press("Tab")
    assert v.page.evaluate("document.activeElement.tagName") == "SUMMARY"
    v.page.keyboard.press("Enter")
    v.page.keyboard.press("Tab")
    assert v.page.evaluate("document.activeElement.getAttribute('href')") == "/dispositifs/"
    assert v.page.locator("header.site a[href='/moderation/']").is_visible()
    for state in ("open", "closed"):
        width = v.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{state}: scrolls sideways ({width}px)"
        v.page.keyboard.press("Shift+Tab")
        v.page.keyboard.press("Enter")  # closes it again


def test_on_a_wide_screen_the_links_show_and_the_button_does_not(make_visitor):
    v = make_visitor(viewport={"width": 1366, "height": 900})
    v.log_in("rene")
    v.goto("/")
    assert not v.page.locator("header.site summary").is_visible()
    assert v.page.locator("header.site nav a[href='/dispositifs/']").is_visible()
    assert v.page.locator("header.site a[href='/moderation/']").is_visible()
