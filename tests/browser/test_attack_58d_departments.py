"""The departments' figures on a phone (session 58d): 109 rows of nine columns are read
by scrolling the table inside its frame, the department's name held in view, never by
scrolling the page sideways nor by reading 109 cards of nine labelled lines."""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("locale", ["fr-FR", "en-GB"])
def test_the_departments_table_scrolls_inside_its_frame_on_a_phone(make_visitor, locale):
    v = make_visitor(viewport=PHONE, locale=locale)
    errors: list[str] = []
    v.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    v.goto("/departements/")
    page = v.page
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    frame = page.locator(".table-scroll")
    assert frame.evaluate("f => f.scrollWidth > f.clientWidth")  # every column, inside
    row = page.locator("table.departments tbody tr").filter(has_text="Alpes-Maritimes")
    # One row a department: its figures side by side, not one line each.
    name, cameras = row.locator("th"), row.locator("td").nth(2)
    assert abs(name.bounding_box()["y"] - cameras.bounding_box()["y"]) < 5
    frame.evaluate("f => { f.scrollLeft = f.scrollWidth; }")
    row.scroll_into_view_if_needed()
    # Scrolled to its last column, the department's name is still at the frame's left.
    assert abs(name.bounding_box()["x"] - frame.bounding_box()["x"]) < 2
    assert name.is_visible() and "Alpes-Maritimes" in name.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert errors == []
    assert v.third_parties() == set()
