"""The one rule for the query parameters of the API and the exports: a parameter the
address does not take, or one given twice, is an error that says which it takes.

A journalist's `?departement=92` (for `department`) returned every deployment without a
word, and `?department=92&department=93` one department of the two: an answer that
reads as complete and is not. Pages do not apply this rule (a link may carry tracking
parameters, and a form sends its empty fields); an empty value is the parameter left
out, as a form sends it."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Protocol

from django.http import JsonResponse
from django.utils.translation import gettext as _

# The only format the API answers in. Accepted everywhere (clients written for other
# APIs send it); any other value is refused rather than answered in JSON.
FORMAT = "format"
FORMATS = ("json",)


class ParameterError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class _Parameters(Protocol):
    def __iter__(self) -> Iterator[str]: ...

    def getlist(self, key: str) -> list[str]: ...


def check_parameters(
    params: _Parameters,
    accepted: Sequence[str],
    *,
    repeatable: Collection[str] = (),
    formats: Sequence[str] = (),
) -> None:
    """Raise ParameterError for the first parameter of `params` (a QueryDict) that is
    not in `accepted`, or that is given more than once without being `repeatable`; with
    `formats`, `format` is also taken, with one of those values."""
    names = sorted(params)
    for name in names:
        if name == FORMAT and formats and name not in accepted:
            value = params.getlist(name)[-1]
            if value not in formats:
                raise ParameterError(
                    name,
                    _("Unknown format “%(value)s”. This address answers in: %(formats)s.")
                    % {"value": value, "formats": ", ".join(formats)},
                )
        elif name not in accepted:
            if accepted:
                message = _("Unknown parameter “%(name)s”. Accepted: %(accepted)s.") % {
                    "name": name,
                    "accepted": ", ".join(accepted),
                }
            else:
                message = _("Unknown parameter “%(name)s”. This address takes none.") % {
                    "name": name
                }
            raise ParameterError(name, message)
    for name in names:
        if name not in repeatable and len(params.getlist(name)) > 1:
            raise ParameterError(
                name, _("The parameter “%s” is given more than once; it takes one value.") % name
            )


def error_body(field: str | None, message: str) -> dict[str, dict[str, str | None]]:
    """The API's error envelope, which the exports answer too."""
    return {"error": {"code": "invalid_parameter", "message": message, "field": field}}


def refused(params: _Parameters, accepted: Sequence[str] = ()) -> JsonResponse | None:
    """For an export outside the API: its 400 when `params` break the rule, else None."""
    try:
        check_parameters(params, accepted)
    except ParameterError as e:
        return JsonResponse(error_body(e.field, e.message), status=400)
    return None
