"""Every kind of answer carries the security headers; HSTS and Secure cookies on HTTPS
only (plain HTTP stays usable on a laptop)."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from contrechamp.documents.services import document_ingest
from tests.conftest import PASSWORD
from tests.documents import samples


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), path("", include("contrechamp.urls"))]


def assert_secure_headers(response, *, https: bool = False) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert csp, "no Content-Security-Policy"
    assert "default-src" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin"}
    assert headers.get("X-Frame-Options") == "DENY" or "frame-ancestors 'none'" in csp
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    if https:
        assert "max-age=" in headers["Strict-Transport-Security"]
    else:
        assert "Strict-Transport-Security" not in headers


@pytest.fixture
def document(db, reviewer):
    return document_ingest(
        data=samples.text_pdf(["Vidéoprotection du marché : 14 caméras."]),
        filename="deliberation.pdf",
        uploaded_by=reviewer,
    ).document


@pytest.fixture
def boom_urls(settings):
    settings.ROOT_URLCONF = __name__


@pytest.mark.parametrize("https", [False, True])
def test_every_kind_of_answer_carries_the_headers(
    client, reviewer, document, boom_urls, settings, https
):
    client.raise_request_exception = False
    pages = {
        "page": client.get("/", secure=https),
        "api": client.get("/api/v1/deployments", secure=https),
        "api error": client.get("/api/v1/nothing-here", secure=https),
        "static": client.get("/static/css/site.css", secure=https),
        "favicon": client.get("/favicon.ico", secure=https),
        "404": client.get("/no-such-page/", secure=https),
        "500": client.get("/boom/", secure=https),
    }
    # 403: a form sent without its CSRF token.
    csrf_client = type(client)(enforce_csrf_checks=True)
    pages["403"] = csrf_client.post("/compte/login/", {}, secure=https)
    # 429: past a limit.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "1/m"}
    client.get("/recherche/", {"q": "a"}, secure=https)
    pages["429"] = client.get("/recherche/", {"q": "a"}, secure=https)
    # A private file, for the reviewer.
    client.force_login(reviewer)
    pages["private file"] = client.get(f"/documents/{document.pk}/original/", secure=https)

    expected = {
        "page": 200,
        "api": 200,
        "api error": 404,
        "static": 200,
        "favicon": 200,
        "404": 404,
        "500": 500,
        "403": 403,
        "429": 429,
        "private file": 200,
    }
    assert {name: r.status_code for name, r in pages.items()} == expected
    for name, response in pages.items():
        try:
            assert_secure_headers(response, https=https)
        except (AssertionError, KeyError) as e:
            raise AssertionError(f"{name}: {e!r}") from e


def cookie_flags(response) -> dict[str, bool]:
    return {name: bool(morsel["secure"]) for name, morsel in response.cookies.items()}


def log_in(client, *, https: bool, **extra):
    client.get("/compte/login/", secure=https, **extra)
    return client.post(
        "/compte/login/", {"username": "camille", "password": PASSWORD}, secure=https, **extra
    )


def test_cookies_are_secure_over_https_without_any_setting(client, contributor, settings):
    assert settings.SESSION_COOKIE_SECURE is False
    page = client.get("/compte/login/", secure=True)
    assert cookie_flags(page) == {"csrftoken": True}
    response = log_in(client, https=True)
    assert response.status_code == 302
    flags = cookie_flags(response)
    assert flags["sessionid"] is True and all(flags.values())


def test_cookies_are_not_secure_over_plain_http(client, contributor):
    page = client.get("/compte/login/")
    assert cookie_flags(page) == {"csrftoken": False}
    response = log_in(client, https=False)
    assert response.status_code == 302
    assert cookie_flags(response)["sessionid"] is False
    # And the session works: the cookie came back with the next request.
    client.get("/")
    assert client.session.get("_auth_user_id") == str(contributor.pk)


def test_behind_a_declared_proxy_its_https_header_counts(client, contributor, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = log_in(client, https=False, HTTP_X_FORWARDED_PROTO="https")
    assert cookie_flags(response)["sessionid"] is True
    assert "Strict-Transport-Security" in response.headers


def test_a_forged_proto_header_counts_for_nothing_when_no_proxy_is_declared(client, contributor):
    response = log_in(client, https=False, HTTP_X_FORWARDED_PROTO="https")
    assert cookie_flags(response)["sessionid"] is False
    assert "Strict-Transport-Security" not in response.headers


def test_a_visitor_opening_a_page_for_a_role_is_asked_to_log_in(client, contributor, db):
    """A visitor opening the watch or a request's private file was told their account
    lacks a role, while the moderation pages sent them to log in (a new user's walk).
    Every such page now sends a visitor to log in and back; a logged-in user without the
    role, a form sent, and the API still get their 403."""
    response = client.get("/veille/?page=2")
    assert response.status_code == 302
    assert response["Location"] == "/compte/login/?next=/veille/%3Fpage%3D2"
    assert client.post("/veille/").status_code in (403, 405)
    client.force_login(contributor)
    assert client.get("/veille/").status_code == 403


@pytest.mark.django_db
def test_a_page_made_for_a_signed_in_person_is_kept_by_no_cache(client, contributor):
    # Their own uploads' titles, drafts, account: the back button after log-out on a
    # shared computer, or a cache on the way, must not show them again.
    document = document_ingest(
        data=samples.text_pdf(["Note interne."]),
        filename="note-camille-dupont.pdf",
        uploaded_by=contributor,
    ).document
    client.force_login(contributor)
    for address in ("/", "/documents/", document.get_absolute_url(), "/compte/"):
        response = client.get(address)
        assert response.status_code == 200, address
        assert "no-store" in response.headers.get("Cache-Control", ""), address
    # A public page for a visitor stays cacheable: nothing of anyone's is in it.
    client.logout()
    assert "no-store" not in client.get("/documents/").headers.get("Cache-Control", "")


@pytest.mark.django_db
def test_a_form_s_address_opened_as_a_link_says_so(client, contributor):
    """A POST-only address (a decision, a deletion) opened as a link, or reloaded,
    answered a blank 405 page (a new user's walk): now a page that says what it is, in the
    reader's language, with the Allow header kept. The API keeps its JSON envelope."""
    client.force_login(contributor)
    response = client.get("/demandes/1/supprimer/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    body = response.content.decode()
    assert "Ce n’est pas une page" in body and "<html" in body
    assert response["Content-Security-Policy"]
    api = client.delete("/api/v1/deployments")
    assert api.status_code == 405
    assert api["Content-Type"].startswith("application/json")
