"""Sources that name one of this site's own library documents by its address.

A contributor may cite an upload of the library by pasting its address ("/documents/4/",
or whole on any host name of the site) rather than through the library's "cite" button.
Such a source stays a typed address (tying it to the document row would let anyone link a
claim to a private document by typing a number: list it as "cited by" on the document,
block the document's deletion, learn from the retitled source that the number exists),
but the registry knows which document it names (`cited_document`, the one answer to
"which document does this source cite", whatever the source's form): pages link to it
only once it is published, say "not yet published" until then, the API and dumps give no
address for it meanwhile (a walk met a 404 for such a source), and its quote obeys the
library's rule exactly as a quote cited through the button does (`registry.quotes`).

The registry sits below the library: the document is recognised by the site's own URL
patterns (any route that takes a `document_id`), never by importing the library."""

from __future__ import annotations

import dataclasses
import posixpath
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from django.conf import settings
from django.http.request import validate_host
from django.urls import Resolver404, resolve, reverse

from contrechamp.lib.numbers import whole_number

_DEFAULT_PORTS = {"http": 80, "https": 443}
# A page number beyond this is no page of a document (the query is dropped).
_MAX_PAGE = 100_000


@dataclasses.dataclass(frozen=True)
class SiteDocument:
    """A library document an address names: its number, and the address of its page on
    this site ("/documents/4/", "/documents/4/?page=3"), relative to the site."""

    number: int
    path: str


def _host(scheme: str, netloc: str) -> tuple[str, int | None] | None:
    """(host, port) of an address, the scheme's default port as None; None when the
    port is not a number. The host is read as a browser reads it: percent-decoded
    ("contrechamp%2Eexample.org" is the site), without a final dot, in lower case."""
    parts = urlsplit(f"{scheme}://{netloc}")
    try:
        port = parts.port
    except ValueError:
        return None
    if port == _DEFAULT_PORTS.get(scheme.lower()):
        port = None
    return unquote(parts.hostname or "").rstrip(".").lower(), port


def _site_hosts() -> list[str]:
    """The host names the site answers to besides SITE_URL's (ALLOWED_HOSTS: a
    "www." name, an old domain kept, ".example.org" for every subdomain), as Django
    compares a request's host with them. "*" is left out: a site answering to any host
    would take every other site's "/documents/4/" for its own."""
    return [h for h in settings.ALLOWED_HOSTS if h and h != "*"]


def _on_this_site(scheme: str, netloc: str) -> bool:
    """Whether an absolute address's host is one of the site's: SITE_URL's, or one of
    ALLOWED_HOSTS on SITE_URL's port (or the scheme's own). The scheme is not compared:
    "http://" and "https://" of the same host reach the same library. The host is read
    as a browser reads it ("https://site@elsewhere/" is elsewhere)."""
    if scheme.lower() not in _DEFAULT_PORTS:
        return False
    site = urlsplit(settings.SITE_URL)
    mine = _host(site.scheme or "http", site.netloc)
    theirs = _host(scheme, netloc)
    if mine is None or theirs is None or not theirs[0]:
        return False
    if theirs == mine:
        return True
    host, port = theirs
    if port not in (None, mine[1]):
        return False
    # ALLOWED_HOSTS writes an IPv6 address between brackets, as a Host header does.
    return validate_host(f"[{host}]" if ":" in host else host, _site_hosts())


def _resolved_document(path: str) -> tuple[int, int | None] | None:
    """(document number, page number) of a path of this site, read as the server reads
    it (percent-decoded, "." and ".." resolved as a browser does): any of the document's
    pages ("/documents/4/corriger/", "/documents/4/pages/3.png") names the document."""
    path = posixpath.normpath(unquote(path))
    if path.startswith("//"):
        return None
    for candidate in (path, path.rstrip("/") + "/"):
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        number = whole_number(match.kwargs.get("document_id"))
        if number is None:
            return None
        page = match.kwargs.get("number") if match.url_name == "document-page-image" else None
        return number, page
    return None


def site_document(url: str) -> SiteDocument | None:
    """The library document of this site that `url` names, relative ("/documents/4/")
    or absolute on one of the site's host names; None for any other address (another host, a page of
    the site that is not a document's, a number no database row can have)."""
    # A browser reads a backslash of an http(s) address as a slash
    # ("https://site\documents\4" opens the document): so does this.
    text = (url or "").strip().replace("\\", "/")
    if not text:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        if not _on_this_site(parts.scheme, parts.netloc):
            return None
    elif not parts.path.startswith("/"):
        return None
    path = parts.path
    # A site served under a path ("https://example.org/contrechamp"): its addresses
    # carry that path, its URL patterns do not.
    prefix = urlsplit(settings.SITE_URL).path.rstrip("/")
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix) :] or "/"
    found = _resolved_document(path)
    if found is None:
        return None
    number, page = found
    if page is None:
        pages = parse_qs(parts.query).get("page") or [""]
        page = whole_number(pages[0])
    query = f"page={page}" if page is not None and page <= _MAX_PAGE else ""
    return SiteDocument(
        number, urlunsplit(("", "", reverse("document-detail", args=[number]), query, ""))
    )


def site_document_path(url: str) -> str:
    """`url` as stored for a source: an address of this site's library document becomes
    its page's address relative to the site (SITE_URL may change: a stored
    "http://127.0.0.1:8000/documents/4/" would lead to the developer's machine); any
    other address is kept as typed."""
    found = site_document(url)
    return found.path if found is not None else url


def cited_document(document: object, url: str) -> int | None:
    """The library document a source cites: the one it is tied to (`document`, the
    library's "cite" button), else the one of this site its address names; None for a
    source of no library document. What a source cites is read here only: the quote
    rule, the links and the warnings must not each decide it (a quote cited by address
    escaped the rule a quote cited through the button obeyed)."""
    if document:
        return whole_number(document)
    found = site_document(url)
    return found.number if found is not None else None
