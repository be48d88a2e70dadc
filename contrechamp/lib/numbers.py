"""Whole numbers read from what people and other servers send (an address's query, a
form's field, a header)."""

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
