"""No credential carried in an address reaches the server's log, whichever logger writes
the path and whichever route carries it, a route added tomorrow included."""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, include, path
from django.utils.regex_helper import normalize

from contrechamp.lib import logs
from contrechamp.lib.logs import MASK, RedactFilter

pytestmark = pytest.mark.django_db

SECRET = "Zq7SecretTokenValue0123456789abcdefghijKLMN"

# The names a route gives a credential parameter (what the URL configuration uses today:
# Django's "uidb64"/"token", the project's "token"; "key" and "secret" kept for them).
CREDENTIAL_PARAMETERS = {"token", "uidb64", "key", "secret"}

# The parameters of the URL configuration that carry no credential, each known for what
# it is. A parameter named otherwise fails `test_every_url_parameter_is_known`: name it
# as a credential (CREDENTIAL_PARAMETERS) if it is one, else add it here.
PLAIN_PARAMETERS = {
    "slug",
    "code",
    "siren",
    "kind",
    "version",
    "number",
    "url",
    "app_label",
    "pk",
    "id",
}


def _routes() -> list[tuple[str, list[str]]]:
    """Every route of the project's URL configuration, as Django's reverse formats."""
    found: list[tuple[str, list[str]]] = []

    def walk(entries, prefix: str) -> None:
        for entry in entries:
            regex = entry.pattern.regex.pattern
            regex = prefix + (regex[1:] if regex.startswith("^") else regex)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, regex)
            else:
                found.extend(normalize(regex))

    walk(get_resolver().url_patterns, "")
    return found


def _console_handler() -> logging.Handler:
    """The handler the settings give the root logger (not pytest's capture handler)."""
    return next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)


@pytest.fixture
def console():
    handler = _console_handler()
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def _configured_filter() -> RedactFilter:
    return next(f for f in _console_handler().filters if isinstance(f, RedactFilter))


def test_every_route_carrying_a_credential_is_masked_by_the_configured_filter():
    """Walks the URL configuration: an address of every route with a credential
    parameter, the credential in each of its parameters, is written masked."""
    redact = _configured_filter()
    carrying = [
        (route, params) for route, params in _routes() if CREDENTIAL_PARAMETERS & set(params)
    ]
    names = {route.split("%(")[0] for route, _params in carrying}
    # The routes this review found: a filter reading none of them would pass vacuously.
    for expected in (
        "collectifs/invitation/",
        "compte/confirmer/",
        "compte/reset/",
        "compte/adresse/",
        "demandes/echeances/",
        "abonnement/confirmer/",
        "abonnement/desabonner/",
    ):
        assert expected in names
    for route, params in carrying:
        address = "/" + route % {p: f"{SECRET}{i}" for i, p in enumerate(params)}
        line = redact.redact(f"Forbidden (CSRF cookie not set.): {address}")
        assert SECRET not in line, f"{route}: {line}"
        assert MASK in line


def test_the_filter_masks_every_credential_name():
    assert set(getattr(logs, "CREDENTIAL_PARAMETERS", ())) >= CREDENTIAL_PARAMETERS


def test_every_url_parameter_is_known():
    """A route added with a parameter of a new name (`<str:hash>/`) fails here until
    someone says whether it is a credential: the filter masks by name."""
    unknown = {
        (route, param)
        for route, params in _routes()
        for param in params
        if param not in CREDENTIAL_PARAMETERS
        and param not in PLAIN_PARAMETERS
        and not param.endswith("_id")
    }
    assert not unknown, f"say whether these carry a credential: {sorted(unknown)}"


def _shared(request, token):
    return HttpResponse("")


urlpatterns = [
    path("", include("contrechamp.urls")),
    path("partage/<int:number>/<str:token>/", _shared),
]


@override_settings(ROOT_URLCONF=__name__)
def test_a_route_added_with_a_token_is_masked_without_being_listed():
    """A route that carries a token, added without touching the settings: its address is
    masked (the patterns are read from the URL configuration, not kept by hand)."""
    line = RedactFilter([]).redact(f"Not Found: /partage/12/{SECRET}/ and //Partage/3/{SECRET}")
    assert SECRET not in line
    assert "/partage/12/" in line  # what comes before the credential stays readable


@pytest.mark.parametrize(
    "address",
    [
        f"/compte/reset/MQ/{SECRET}/",
        f"/compte/reset/MQ/set-password/?token={SECRET}",
        f"/compte/confirmer/MQ/{SECRET}/",
        f"/collectifs/invitation/{SECRET}/",
        f"/abonnement/confirmer/{SECRET}/",
        f"/abonnement/desabonner/{SECRET}/",
        f"/compte//RESET/MQ/{SECRET}/",
    ],
)
def test_a_post_refused_by_the_csrf_check_writes_no_credential(address, console):
    """The CSRF check writes the path of every POST it refuses (a blocked cookie, a
    session expired between the page and the button): on the console, masked."""
    response = Client(enforce_csrf_checks=True).post(address)
    assert response.status_code in (403, 404)
    log = console.getvalue()
    assert log, "the refusal is logged"
    assert SECRET not in log and "MQ" not in log, log


def test_pages_without_a_credential_stay_readable_in_the_log(console):
    """Masking by route, not everything: an operator still reads which page was refused."""
    Client(enforce_csrf_checks=True).post("/collectifs/technopolice-lyon/rejoindre/")
    assert "/collectifs/technopolice-lyon/rejoindre/" in console.getvalue()


def test_runserver_s_line_per_request_is_masked():
    """`contrechamp runserver` writes the path of every request, a 200 included, through
    its own handler (not the console's)."""
    logger = logging.getLogger("django.server")
    handler = next(h for h in logger.handlers if type(h) is logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)  # type: ignore[attr-defined]
    try:
        logger.info('"%s" %s %s', f"GET /compte/confirmer/MQ/{SECRET}/ HTTP/1.1", 200, 512)
    finally:
        handler.setStream(previous)  # type: ignore[attr-defined]
    line = stream.getvalue()
    assert "GET /compte/confirmer/" in line and SECRET not in line, line


def test_a_csrf_logger_s_own_handler_sees_the_masked_line():
    """An operator who sends `django.security.csrf` to a handler of its own (a file, a
    log host) gets the masked line: the filter is on the logger, not only the console."""
    logger = logging.getLogger("django.security.csrf")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    try:
        logger.warning(
            "Forbidden (%s): %s", "CSRF cookie not set.", f"/collectifs/invitation/{SECRET}/"
        )
    finally:
        logger.removeHandler(handler)
    assert re.search(r"/collectifs/invitation/\[redacted\]", stream.getvalue())
    assert SECRET not in stream.getvalue()
