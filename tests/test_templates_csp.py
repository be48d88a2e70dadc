"""Every template obeys the site's Content-Security-Policy by construction: no `style`
attribute, no inline event handler, no inline script. The browser crawl
(tests/browser/test_crawl.py) catches what a template renders; this check names the file
and line at once, without a browser, for the pages the crawl cannot reach with data."""

import re
from pathlib import Path

import django.conf
import pytest

import contrechamp

TEMPLATES = Path(contrechamp.__file__).parent / "templates"

# `style=` as an attribute (not `data-style=`); `onchange=`, `onclick=`... after a space.
STYLE = re.compile(r"(?<![\w-])style\s*=", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
# A script element with text between its tags; a JSON data block is not run, so allowed.
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.IGNORECASE | re.DOTALL)


def _violations(text: str) -> list[str]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if STYLE.search(line):
            found.append(f"{number}: style attribute")
        if HANDLER.search(line):
            found.append(f"{number}: inline event handler")
    for match in SCRIPT.finditer(text):
        attributes, body = match.groups()
        if body.strip() and "application/json" not in attributes:
            number = text.count("\n", 0, match.start()) + 1
            found.append(f"{number}: inline script")
    return found


def test_it_finds_each_kind_of_inline_code():
    page = (
        '<p style="color: red">\n'
        '<select onchange="this.form.submit()">\n'
        "<script>alert(1)</script>\n"
        '<script src="/static/js/site.js" defer></script>\n'
        '<script type="application/json" id="data">{"a": 1}</script>\n'
        '<a data-style="x" class="button">\n'
    )
    assert _violations(page) == [
        "1: style attribute",
        "2: inline event handler",
        "3: inline script",
    ]


def test_it_no_template_holds_inline_style_handler_or_script():
    assert django.conf.settings.TEMPLATES[0]["DIRS"] == [TEMPLATES]
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 30
    problems = {
        str(path.relative_to(TEMPLATES)): found
        for path in templates
        if (found := _violations(path.read_text(encoding="utf-8")))
    }
    assert problems == {}


# Nothing here depends on the database engine: CI runs it once, on SQLite.
pytestmark = pytest.mark.one_database
