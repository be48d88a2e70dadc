"""Whole numbers read from what people and other servers send (an address's query, a
form's field, a header)."""

# The largest id or version a database column holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def whole_number(value: object) -> int | None:
    """`value` as a positive whole number written in ASCII digits, else None (so callers
    refuse it as they refuse a missing one). str.isdigit() accepts “²”, which int() then
    refuses, and other scripts' digits; a number past 64 bits overflows the database, and
    int() refuses one of over 4,300 digits."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def is_whole_number(value: str) -> bool:
    """Whether `value` is what `whole_number` reads."""
    return whole_number(value) is not None
