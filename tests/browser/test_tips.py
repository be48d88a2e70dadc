"""An anonymous tip in real browsers: sent from the footer link with a photo, answered
by a reviewer, read and added to by the sender with the receipt code alone."""

import pytest
from playwright.sync_api import expect

from tests.tips import samples

pytestmark = pytest.mark.browser


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_a_visitor_sends_a_tip_a_reviewer_replies_and_the_visitor_reads_and_adds(
    make_visitor, tmp_path
):
    photo = tmp_path / "IMG_20250312_0914.jpg"
    photo.write_bytes(samples.jpeg_with_gps_and_xmp())

    sender = make_visitor(viewport={"width": 390, "height": 844})
    page = sender.page
    problems = watch_console(page)
    sender.goto("/documents/")
    page.locator("#footer-tip").click()
    page.wait_for_url(sender.base + "/signaler/")
    page.locator("#id_text").fill("Cameras a reconnaissance faciale testees au stade municipal.")
    page.locator("#id_files").set_input_files([str(photo)])
    page.locator("#tip-form button[type=submit]").click()
    code = page.locator("#receipt-code").inner_text().strip()
    assert len(code) == 29 and code.count("-") == 4
    # Nothing of the code in the address: it is shown in the answer to the post.
    assert code not in page.url
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    reviewer = make_visitor()
    reviewer.log_in("rene")
    reviewer.goto("/signaler/file/")
    tip = reviewer.page.locator("article.tip").filter(has_text="testees au stade municipal")
    expect(tip).to_have_count(1)
    expect(tip.locator(".tip-files a")).to_have_count(1)
    assert "IMG_20250312" not in tip.inner_text()
    tip.locator("textarea[name=text]").fill("Merci. Savez-vous depuis quand ?")
    tip.locator("form.tip-reply button[type=submit]").click()
    reviewer.page.wait_for_url("**/signaler/file/?status=handling*")
    expect(reviewer.page.locator("article.tip")).to_contain_text("Savez-vous depuis quand")

    sender.goto("/signaler/suivi/")
    page.locator("#id_code").fill(code.lower())
    page.locator("#code-form button[type=submit]").click()
    expect(page.locator("#tip-thread")).to_contain_text("Savez-vous depuis quand ?")
    page.locator("#add-form textarea[name=text]").fill("Depuis le match du 12 mars.")
    page.locator("#add-form button[type=submit]").click()
    expect(page.locator("#tip-thread")).to_contain_text("Depuis le match du 12 mars.")
    assert "/signaler/suivi/" == page.url.removeprefix(sender.base)
    assert problems == []
    assert sender.third_parties() == set()

    reviewer.goto("/signaler/file/?status=handling")
    expect(reviewer.page.locator("article.tip")).to_contain_text("Depuis le match du 12 mars.")


def test_a_double_click_sends_the_tip_once_and_shows_its_code(make_visitor):
    """A second click while the first sending is on its way would replace the answer that
    shows the receipt code; the server takes a form once, the page sends it once."""
    sender = make_visitor()
    page = sender.page
    problems = watch_console(page)
    sender.goto("/signaler/")
    # (Words of its own: the browser tests share one site, and another sends a tip.)
    page.locator("#id_text").fill("Un drone survole la rue des Glycines, cliqué deux fois.")
    page.locator("#tip-form button[type=submit]").dblclick()
    code = page.locator("#receipt-code").inner_text().strip()
    assert len(code) == 29
    reviewer = make_visitor()
    reviewer.log_in("rene")
    reviewer.goto("/signaler/file/")
    tips = reviewer.page.locator("article.tip").filter(has_text="rue des Glycines, cliqué")
    expect(tips).to_have_count(1)
    assert problems == []
