"""A local group made and used in two browsers: one creates it, the other asks to join,
the first approves, the new member puts something on the shared worklist.

Elements are found by their form's address and field names rather than their French
labels, which come with the translations."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_a_group_is_created_joined_and_worked_on(make_visitor):
    coordinator, member = make_visitor(), make_visitor(viewport={"width": 390, "height": 844})
    coordinator.log_in("camille")
    coordinator.goto("/collectifs/nouveau/")
    page = coordinator.page
    page.locator("main input[name=name]").fill("Collectif stéphanois")
    page.locator("main input[name=communes]").fill("42218")
    page.locator("main form.edit button[type=submit]").click()
    page.wait_for_url(re.compile(r"/collectifs/collectif-stephanois/$"))
    group_path = "/collectifs/collectif-stephanois/"
    assert page.locator("#worklist").count() == 1

    member.log_in("dominique")
    member.goto(group_path)
    assert member.page.locator("#worklist").count() == 0
    member.page.locator(f"form[action='{group_path}rejoindre/'] button").click()
    member.page.locator(f"form[action='{group_path}quitter/']").wait_for()
    assert member.page.locator("#worklist").count() == 0

    coordinator.goto(group_path + "membres/")
    page.locator("button[name=action][value=approve]").click()
    page.locator("button[name=action][value=promote]").wait_for()

    member.goto(group_path)
    # An empty item, refused: on a phone the answer opens at the form and its error, not
    # at the top of the page 1,500 px above (a walk).
    member.page.locator("#worklist form.edit button[type=submit]").click()
    error = member.page.locator("#worklist-add .error").first
    error.wait_for()
    box = error.bounding_box()
    assert box is not None and -2 < box["y"] < 844, box
    worklist = member.page.locator("#worklist")
    worklist.locator("textarea[name=note]").fill("Demander le marché de vidéoprotection")
    worklist.locator("form.edit button[type=submit]").click()
    member.page.locator("#worklist .card").first.wait_for()
    assert "Demander le marché de vidéoprotection" in member.page.locator("#worklist").inner_text()
    # The coordinator sees it too; a visitor does not.
    coordinator.goto(group_path)
    assert "Demander le marché" in page.locator("#worklist").inner_text()
    stranger = make_visitor()
    stranger.goto(group_path)
    assert "Demander le marché" not in stranger.page.content()
    assert not (coordinator.third_parties() | member.third_parties() | stranger.third_parties())
