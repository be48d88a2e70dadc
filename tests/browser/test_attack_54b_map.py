"""Hostile review 54b: the keyboard on the map (static/js/map.js).

Each test fails on the code it was written against; see the report of the review."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_closing_a_circles_list_with_its_close_button_gives_the_focus_back(visitor):
    """A keyboard user opens a circle's deployments (Enter: the focus goes to the first
    link), Tabs to the popup's own "×" close button and presses Enter, as its role
    invites: the popup and its button are removed, and the focus falls to the top of the
    document (body). Only Escape gives it back to the circle; the next Tab starts again
    at the page's first link, and a screen reader says nothing."""
    page = visitor.page
    visitor.goto("/carte/?technology=detection-sonore")
    expect(page.locator("#map")).to_have_attribute("data-markers", "1")
    marker = page.locator("path.commune-marker")
    marker.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content a").first).to_be_focused()
    close = page.locator(".leaflet-popup-close-button")
    for _ in range(10):
        if close.evaluate("e => e === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(close).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content")).to_have_count(0)
    focused = page.evaluate(
        "() => document.activeElement && (document.activeElement.getAttribute('aria-label')"
        " || document.activeElement.tagName)"
    )
    assert focused.startswith("Saint-Étienne"), focused


def test_the_list_comes_before_the_circles_in_the_tab_order(visitor):
    """Every circle is a Tab stop: with many communes the link to the same deployments as
    a list came after them all. From the filter, Tab reaches the list first."""
    page = visitor.page
    visitor.goto("/carte/")
    expect(page.locator("#map")).not_to_have_attribute("data-markers", "0")
    page.locator("#map-technology").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#map-list-link")).to_be_focused()
