"""Partial dates: a year, a month or a day, stored as ISO text ("2018", "2018-06",
"2018-06-15") so that plain string order is date order."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def parse_partial_date(value: str) -> str:
    """Return the normalised partial date, or raise ValidationError with a clear reason."""
    value = (value or "").strip()
    if not value:
        return ""
    match = _PATTERN.match(value)
    if not match:
        raise ValidationError(
            _("“%(value)s” is not a date: write YYYY, YYYY-MM or YYYY-MM-DD."),
            code="invalid_date",
            params={"value": value},
        )
    year, month, day = match.groups()
    if not 1900 <= int(year) <= 2100:
        raise ValidationError(
            _("Year %(year)s is out of range (1900–2100)."),
            code="invalid_date",
            params={"year": year},
        )
    if month and not 1 <= int(month) <= 12:
        raise ValidationError(
            _("“%(value)s” has no month %(month)s."),
            code="invalid_date",
            params={"value": value, "month": month},
        )
    if day:
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a day of the calendar."),
                code="invalid_date",
                params={"value": value},
            ) from None
    return value


def partial_date_year(value: str) -> int | None:
    return int(value[:4]) if value else None


def format_partial_date(value: str, language: str = "fr") -> str:
    """Human text for a partial date: "juin 2018", "15 juin 2018", "2018"."""
    if not value:
        return ""
    parts = value.split("-")
    months = MONTHS_FR if language.startswith("fr") else MONTHS_EN
    if len(parts) == 1:
        return parts[0]
    month = months[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    day = int(parts[2])
    if language.startswith("fr"):
        return f"{'1er' if day == 1 else day} {month} {parts[0]}"
    return f"{day} {month} {parts[0]}"


def partial_date_after(value: str, day: dt.date) -> bool:
    """Whether the partial date begins after `day`: "2026" and "2025-07" are after
    2025-06-03, "2025" and "2025-06" (which hold that day) are not."""
    return bool(value) and value > day.isoformat()[: len(value)]
