"""Which language an HTML page gives a piece of its text: the `lang` of the nearest
element around it that has one. The head is left out (the window's title says what the
page is about in the page's language)."""

from html.parser import HTMLParser

_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _Languages(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.stack: list[tuple[str, str | None]] = []
        self.found: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if self.text in data and not any(tag == "head" for tag, _lang in self.stack):
            self.found.append(next((lang for _t, lang in reversed(self.stack) if lang), None))


def languages_of(html: str, text: str) -> list[str | None]:
    """The language of each place `text` is written in the page (None: none given)."""
    reader = _Languages(text)
    reader.feed(html)
    reader.close()
    return reader.found


def unmarked(html: str, texts: list[str], language: str = "fr") -> list[str]:
    """Those of `texts` the page holds somewhere not marked as `language`, or not at all."""
    return [
        text
        for text in texts
        if not (found := languages_of(html, text)) or any(lang != language for lang in found)
    ]
