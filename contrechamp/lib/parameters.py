"""The one rule for the query parameters of the API and the exports: a parameter the
address does not take, or one given twice, is an error that says which it takes.

A journalist's `?departement=92` (for `department`) returned every deployment without a
word, and `?department=92&department=93` one department of the two: an answer that
reads as complete and is not. Pages do not apply this rule (a link may carry tracking
parameters, and a form sends its empty fields); an empty value is the parameter left
out, as a form sends it."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any, Protocol, TypeVar

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils.translation import gettext as _

# The only format the API answers in. Accepted everywhere (clients written for other
# APIs send it); any other value is refused rather than answered in JSON.
FORMAT = "format"
FORMATS = ("json",)

# The attribute a view that follows the rule carries: the parameters it accepts. A test
# walks the URL configuration and fails on an export or API address without it
# (tests/api/test_parameters_declared.py), so that a new one cannot forget the rule.
ACCEPTED = "accepted_parameters"


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


def refused(
    params: _Parameters, accepted: Sequence[str] = (), *, formats: Sequence[str] = ()
) -> JsonResponse | None:
    """For an export outside the API: its 400 when `params` break the rule, else None."""
    try:
        check_parameters(params, accepted, formats=formats)
    except ParameterError as e:
        return JsonResponse(error_body(e.field, e.message), status=400)
    return None


_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


def declare_parameters(view: Any, accepted: Sequence[str]) -> None:
    """Record on `view` the parameters it accepts, for a view that applies the rule
    itself (the API's operations, `api.refuse_unknown_parameters`)."""
    setattr(view, ACCEPTED, tuple(accepted))


def declared_parameters(view: Any) -> tuple[str, ...] | None:
    """The parameters `view` declared it accepts, or None when it declared none."""
    found = getattr(view, ACCEPTED, None)
    return tuple(found) if found is not None else None


def takes_parameters(*accepted: str, formats: Sequence[str] = ()) -> Callable[[_View], _View]:
    """Decorate an export outside the API with the rule: a parameter not in `accepted`,
    or one given twice, answers the API's 400 envelope naming the accepted ones, before
    the view reads anything. With no name, the address takes none (but `format`, with
    one of `formats`, when given)."""

    def decorate(view: _View) -> _View:
        @functools.wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if (error := refused(request.GET, accepted, formats=formats)) is not None:
                return error
            return view(request, *args, **kwargs)

        declare_parameters(checked, accepted)
        return checked  # type: ignore[return-value]

    return decorate
