"""Partial dates: a year, a month or a day, stored as ISO text ("2018", "2018-06",
"2018-06-15") so that plain string order is date order."""

import calendar
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


def partial_date_of(first: dt.date | None, precision: str) -> str:
    """A date stored as the first day of its period, written as a partial date: "2025"
    (precision "year"), "2025-01" ("month"), "2025-01-20" ("day"); "" for None."""
    if first is None:
        return ""
    return first.isoformat()[: {"year": 4, "month": 7}.get(precision, 10)]


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


# A month or a day written the French way, day first: "05/2023", "15/05/2023" (dots too).
_DAY_FIRST = re.compile(r"^(?:(\d{1,2})[/.])?(\d{1,2})[/.](\d{4})$", re.ASCII)


def typed_period(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and the last day of the period a person typed: a year ("2023": 1 January
    to 31 December), a month ("2023-05" or "05/2023": 1 to 31 May), a day ("2023-05-15"
    or "15/05/2023", day first in every language). None for blank; ValidationError,
    quoting what was typed and saying why, for anything else ("2023-13" has no month 13,
    "31/02/2023" is not a day of the calendar): a date filter read as something else, or
    not read at all, lists the wrong documents unsaid."""
    typed = (value or "").strip()
    if not typed:
        return None
    written = typed
    if match := _DAY_FIRST.match(typed):
        day, month, year = match.groups()
        written = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    elif not _PATTERN.match(typed) or not typed.isascii():
        raise ValidationError(
            _(
                "“%(value)s” is not a date: write a year (2023), a month (2023-05 or "
                "05/2023) or a day (2023-05-15 or 15/05/2023)."
            ),
            code="invalid_date",
            params={"value": typed},
        )
    try:
        written = parse_partial_date(written)
    except ValidationError as error:
        # Said about what was typed ("31/02/2023"), not about its ISO spelling.
        params = dict(error.params or {})
        if "value" in params:
            params["value"] = typed
        if "month" in params and match:
            params["month"] = match.group(2)
        raise ValidationError(str(error.message), code=error.code, params=params) from None
    parts = [int(p) for p in written.split("-")]
    if len(parts) == 3:
        first = last = dt.date(*parts)
    elif len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        last = dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    else:
        first, last = dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    return first, last


def period_last_day(first: dt.date, precision: str) -> dt.date:
    """The last day of the period a date stored as its first day stands for: the day
    itself, the end of its month ("month") or of its year ("year")."""
    if precision == "year":
        return dt.date(first.year, 12, 31)
    if precision == "month":
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first


def latest_first_days(last: dt.date) -> dict[str, dt.date]:
    """By precision, the latest first day a period may have to end on or before `last`
    (a date filter's "to"): the day itself; the first of its month if `last` ends its
    month, else of the month before; 1 January of its year if `last` is 31 December,
    else of the year before. A period known to the month or the year is within a filter
    only whole: "May 2023" is not within 10 to 20 May 2023, nor up to 30 December 2023
    is "2023"."""
    month = last.replace(day=1)
    if period_last_day(month, "month") != last:
        month = (month - dt.timedelta(days=1)).replace(day=1)
    year = dt.date(last.year if (last.month, last.day) == (12, 31) else last.year - 1, 1, 1)
    return {"day": last, "month": month, "year": year}
