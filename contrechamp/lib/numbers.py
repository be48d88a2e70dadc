"""Whole numbers read from what people and other servers send (an address's query, a
form's field, a header), and figures rounded as they are shown."""

from decimal import ROUND_HALF_UP, Decimal

# The largest id or version a database column holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def digits(value: object) -> int | None:
    """`value` as a number written in ASCII digits, at most 19 of them, else None.
    str.isdigit() accepts “²”, which int() then refuses, and other scripts' digits; int()
    refuses a number of over 4,300 digits."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    return int(text)


def whole_number(value: object) -> int | None:
    """`value` as a positive whole number a database column holds (`digits`, from 1 to
    64 bits), else None, so that callers refuse it as they refuse a missing one."""
    number = digits(value)
    return number if number is not None and 0 < number <= MAX_ID else None


# Figures per 1,000 inhabitants and per km² are given with this many decimals wherever
# they are shown: the pages, the API and the CSV exports (docs/api.md says so), so that
# a figure read from one is the figure printed by the others.
FIGURE_DECIMALS = 2


def rounded_figure(value: float | None, decimals: int = FIGURE_DECIMALS) -> float | None:
    """`value` rounded half up to `decimals`, from its shortest decimal form, as the
    pages' `floatformat` rounds it (5.675 gives 5.68 on the page; Python's round() gave
    5.67, the binary float being 5.67499…). None stays None."""
    if value is None:
        return None
    exponent = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(exponent, rounding=ROUND_HALF_UP))
