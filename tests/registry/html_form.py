"""Read a page's POST form as a browser would submit it, so that a test "saves again" with
exactly what the page holds rather than with what the test believes it holds."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_form = False
        self.done = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: list[str] | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and "edit" in a.get("class", "").split() and not self.done:
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input":
            kind, name = a.get("type", "text"), a.get("name")
            if not name or kind in ("submit", "button", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.fields.append((name, a.get("value", default)))
        elif tag == "textarea":
            self._textarea = [a.get("name", ""), ""]
        elif tag == "select":
            self._select, self._options = a.get("name"), []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if not self.in_form:
            return
        if tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that follows <textarea>.
            name, text = self._textarea
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = [v for v, selected in self._options if selected]
            value = chosen[0] if chosen else (self._options[0][0] if self._options else "")
            self.fields.append((self._select, value))
            self._select = None
        elif tag == "form":
            self.in_form, self.done = False, True


def form_fields(html: str) -> dict[str, list[str]]:
    """The first form of class "edit" in `html` as {name: [values]}, ready for the test client."""
    reader = _FormReader()
    reader.feed(html)
    out: dict[str, list[str]] = {}
    for name, value in reader.fields:
        out.setdefault(name, []).append(value)
    return out


def set_field(fields: dict[str, list[str]], name: str, value: str) -> None:
    fields[name] = [value]
