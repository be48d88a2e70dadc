"""An anonymous visitor crawls the whole site and the API and never gets anything private.

The seed puts private things beside public ones, each holding words found nowhere else:
documents never published (an upload, an e-mail and its attachment, an answer to an
access request), a published one whose redacted words must stay hidden, a draft
deployment naming a vendor known from it alone, a draft access request, a sent one whose
requester did not choose to be named, its proofs of sending and receipt, a series of
requests sent together and another still in draft, and a feed key.

The visitor then requests every URL pattern the resolver knows (the API's among them),
each parameter filled with every id of the seed, with a few query strings, by GET and by
POST, and follows every link that any answer gives (HTML attributes, addresses in JSON:
`next` cursors, `url` fields). No answer may hold one of those words, the bytes of an
original or of a proof, the requester's name or address, or the feed key; no file may be
served (PDF, image) except what belongs to the published document; and no anonymous post
may change anything.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import deque
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote, urljoin, urlparse

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from contrechamp.access import services as access
from contrechamp.accounts.services import user_create
from contrechamp.documents import files
from contrechamp.documents.models import Document, Entity, Page
from contrechamp.documents.services import document_process
from contrechamp.places.models import Commune
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import document_publish, redactions_suggest
from contrechamp.registry.models import Deployment, Organisation
from contrechamp.registry.services import deployment_create
from tests.conftest import PASSWORD
from tests.documents import samples
from tests.documents.conftest import add
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db

PRIVATE = (
    "Délibération confidentielle. Le dossier de Mme Zéphyrine Quintal-Barbezieux, "
    "joignable au 06 98 76 54 32, porte sur la vidéoprotection du marché Xylophone."
)
PUBLISHED = (
    "Délibération du conseil municipal sur les capteurs sonores.\n"
    "Affaire suivie par : M. Anatole Vercingétorix, anatole.vercingetorix@mairie.example.fr."
)
ANSWER = "Réponse de la mairie : le contrat Axolotl-Hydrangée est joint, signé par M. Ptolémée."
PROOF_SENT = "Preuve de dépôt. Expéditeur : Quokka Tamarinier, 12 rue des Quenouilles-Bleues."
PROOF_RECEIVED = "Avis de réception signé le 3 mars par Mme Esméralda Wapiti-Fourmilière."
# The requester, who did not choose to be named on the public pages.
REQUESTER = {"username": "quokka-tamarinier", "email": "quokka.tamarinier@example.org"}

SECRETS = [
    # The private documents, and the redacted words of the published one.
    "Zéphyrine",
    "Quintal-Barbezieux",
    "06 98 76 54 32",
    "Xylophone",
    "Vercingétorix",
    "vercingetorix",
    "anatole.",
    # A draft deployment, and the vendor named in it alone.
    "Okapi-Portique",
    "Ornithorynque",
    # Access requests: a draft, an answer not yet published, proofs and their file names.
    "Pangolin-Brouillon",
    "Axolotl",
    "Ptolémée",
    "Quenouilles-Bleues",
    "Wapiti-Fourmilière",
    "preuve-tamarin",
    "accuse-wapiti",
    # A series still in draft.
    "Wombat-Série",
    # The requester who did not choose to be named.
    REQUESTER["username"],
    REQUESTER["email"],
    "Tamarinier",
]
# Query strings that make a view show another version of itself.
SUFFIXES = ["", "?page=1", "?page=2", "?version=published", "?format=json"]
# Links are followed up to this many addresses beyond the patterns' own (the whole demo
# site is far fewer).
MAX_LINKS = 4000


@dataclass
class Seed:
    values: dict[str, list[str]]
    secrets: list[str]
    private_files: list[bytes]
    published: Document
    sent_title: str
    proof_urls: list[str] = field(default_factory=list)


def _seed_documents(contributor) -> tuple[list[Document], Document]:
    private = add(samples.text_pdf([PRIVATE]), "prive.pdf", uploaded_by=contributor)
    mail = add(
        samples.eml(PRIVATE, samples.text_pdf([PRIVATE + " Annexe."]), filename="annexe.pdf"),
        "reponse.eml",
    )
    published = add(samples.text_pdf([PUBLISHED, "Seconde page."]), "publie.pdf")
    redactions_suggest(document=published)
    Redaction.objects.filter(page__document=published).update(status="accepted")
    assert document_publish(document=published).accepted
    redactions_suggest(document=private)  # suggestions on a private document too
    return [private, mail, *mail.children.all()], published


def _seed_registry(contributor) -> Deployment:
    """A draft deployment, naming a vendor that no published deployment names."""
    draft = deployment_create(
        data=deployment_data(
            title="Okapi-Portique au marché couvert",
            vendors=["Ornithorynque Vision"],
            is_published=False,
        ),
        author=contributor,
    )
    assert not draft.is_published
    assert not Organisation.objects.get(name="Ornithorynque Vision").is_public
    return draft


def _seed_access(reviewer) -> dict[str, list[str]]:
    """Requests in every state a visitor could stumble on; returns their ids by name."""
    requester = user_create(password=PASSWORD, **REQUESTER)
    today = access.today()
    communes = list(Commune.objects.filter(department__code="42").order_by("code")[:7])
    draft = access.requests_draft(
        requester=requester,
        title="Pangolin-Brouillon : contrats de vidéoprotection",
        documents_asked="Le contrat Pangolin-Brouillon",
        communes=communes[:1],
    )
    sent = access.requests_draft(
        requester=requester,
        title="Registre des caméras de la commune",
        documents_asked="Le registre des caméras",
        communes=communes[1:2],
    )
    access.request_send(request=sent, sent_on=today - dt.timedelta(days=80))
    access.answer_attach(
        request=sent,
        data=samples.text_pdf([ANSWER]),
        filename="reponse-mairie.pdf",
        kind="refusal",
        date=today - dt.timedelta(days=60),
        user=requester,
    )
    for document in sent.documents.all():  # processed here, as the worker would
        document_process(document=document)
    proofs = [
        access.attachment_add(
            request=sent,
            data=samples.text_pdf([PROOF_SENT]),
            filename="preuve-tamarin.pdf",
            kind="sending",
            user=requester,
        ),
        access.attachment_add(
            request=sent,
            data=samples.text_pdf([PROOF_RECEIVED]),
            filename="accuse-wapiti.pdf",
            kind="receipt",
            user=requester,
        ),
    ]
    # A series of five town halls sent long ago and silent: refused, to be referred.
    series = access.requests_draft(
        requester=requester,
        title="Vidéoprotection dans la Loire",
        documents_asked="Les délibérations sur la vidéoprotection",
        communes=communes[2:7],
    )
    access.series_send(series=series, sent_on=today - dt.timedelta(days=70))
    draft_series = access.requests_draft(
        requester=requester,
        title="Wombat-Série : capteurs sonores",
        documents_asked="Les contrats Wombat-Série",
        communes=communes[:3],
    )
    requests = [draft, sent, *access.series_requests(series)]
    requests += access.series_requests(draft_series)
    return {
        "request_id": [str(r.id) for r in requests],
        "attachment_id": [str(p.id) for p in proofs],
        "series_id": [str(series.id), str(draft_series.id)],
        "kind": ["request_email", "request_post", "reminder", "cada_referral", "after_opinion"],
        "token": [access.feed_token_renew(user=requester)],
        "proofs": [str(sent.id)],
    }


def seed(contributor, reviewer) -> Seed:
    private_documents, published = _seed_documents(contributor)
    draft = _seed_registry(contributor)
    requests = _seed_access(reviewer)
    token = requests.pop("token")
    sent_id = requests.pop("proofs")[0]
    documents = [*private_documents, published, *Document.objects.filter(origin="access_request")]
    ids = sorted({str(d.id) for d in documents})
    values = {
        **requests,
        "token": token,
        "document_id": ids,
        "object_id": ids,
        "pk": ids,
        "id": ids,
        "number": ["1", "2"],
        "slug": [draft.slug, "ornithorynque-vision"],
        "entity_id": [str(i) for i in Entity.objects.values_list("id", flat=True)],
        "redaction_id": [str(i) for i in Redaction.objects.values_list("id", flat=True)],
        "page_id": [str(i) for i in Page.objects.values_list("id", flat=True)],
        "*": ids + ["x"],
    }
    private = [d for d in documents if d.id != published.id]
    assert private and not any(d.is_public for d in private)
    # A subscriber, confirmed: no page shows who follows what.
    from contrechamp.pages.models import Subscription

    Subscription.objects.create(
        email="abonnee.wombat@example.org",
        kind="commune",
        key="06088",
        token="t" * 43,
        confirmed_at=timezone.now(),
    )
    from contrechamp.access.models import Attachment

    proofs = list(Attachment.objects.filter(id__in=requests["attachment_id"]))
    # Accounts: nobody's address, the names of those who only wrote drafts and uploads,
    # and no password hash.
    hashed = contributor.password.split("$")[0] + "$"
    accounts = [contributor.email, reviewer.email, contributor.username, hashed]
    return Seed(
        values=values,
        secrets=[*SECRETS, *token, *accounts, "abonnee.wombat"],
        private_files=[files.original(d) for d in private]
        + [access.attachment_data(p) for p in proofs],
        published=published,
        sent_title="Registre des caméras de la commune",
        proof_urls=[reverse("request-proof-file", args=[sent_id, p.id]) for p in proofs],
    )


def _routes(resolver: URLResolver, prefix: str = "") -> list[str]:
    """Every route as a path() string ('documents/<int:document_id>/'); regular-expression
    routes without parameters are turned into their literal text."""
    found = []
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        text = str(pattern)
        if hasattr(pattern, "_regex"):  # a regular expression route
            text = text.lstrip("^").rstrip("$").replace("\\Z", "")
            text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<str:\1>", text)
            if re.search(r"[()\[\]\\*+?|]", text):
                continue
        if isinstance(entry, URLResolver):
            found += _routes(entry, prefix + text)
        elif isinstance(entry, URLPattern):
            found.append(prefix + text)
    return found


def _urls(route: str, values: dict[str, list[str]]) -> set[str]:
    """The route with each parameter replaced by every value we hold for it."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    urls = {"/" + route}
    for name in names:
        candidates = values.get(name) or values["*"]
        urls = {
            re.sub(rf"<(?:\w+:)?{name}>", value, url, count=1)
            for url in urls
            for value in candidates
        }
    return urls


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


# Addresses in a page: attributes, and quoted paths in scripts' data and JSON.
LINK = re.compile(r'(?:href|src|action|data-[\w-]+)="([^"]+)"')


def _links(url: str, response, body: bytes) -> set[str]:
    """Same-site addresses an answer gives, as paths with their query string."""
    kind = response.get("Content-Type", "")
    found: set[str] = set()
    if kind.startswith("text/html") or "xml" in kind:
        found |= {unescape(link) for link in LINK.findall(body.decode("utf-8", "replace"))}
    elif kind.startswith("application/json") or kind.startswith("application/geo+json"):
        try:
            data = json.loads(body)
        except ValueError:
            return set()
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack += item.values()
            elif isinstance(item, list):
                stack += item
            elif isinstance(item, str) and (item.startswith("/") or item.startswith("http")):
                found.add(item)
    paths = set()
    for link in found:
        parsed = urlparse(urljoin("http://testserver" + url, link))
        if parsed.scheme not in ("http", "https") or parsed.netloc not in (
            "testserver",
            "127.0.0.1:8000",
            "localhost",
        ):
            continue
        if parsed.path.startswith("/static/"):
            continue  # files of the project, the same for everyone
        paths.add(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return paths


@dataclass
class Visitor:
    """The anonymous visitor's findings."""

    client: object
    seed: Seed
    leaks: list[str] = field(default_factory=list)
    files_served: list[str] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)

    def check(self, url: str, response, body: bytes) -> None:
        # The body, and the headers that carry names (a download's file name, a redirect).
        headers = " ".join(str(response.get(h, "")) for h in ("Content-Disposition", "Location"))
        text = (headers + " " + body.decode("utf-8", "replace")).casefold()
        # Answers repeat the address asked for (the language switch's `next`, the login
        # link, an API error naming the slug it did not find): what the visitor typed is
        # not something the site told them. Every part of it is taken out first.
        typed = unquote(url.removeprefix("POST "))
        for echo in sorted(set(re.split(r"[/?&=]", typed)), key=len, reverse=True):
            if len(echo) >= 3:
                text = text.replace(echo.casefold(), "")
        for secret in self.seed.secrets:
            if secret.casefold() in text:
                self.leaks.append(f"{url} shows “{secret}”")
        for data in self.seed.private_files:
            if data in body:
                self.leaks.append(f"{url} serves a private file")
        kind = response.get("Content-Type", "")
        if response.status_code == 200 and (
            kind.startswith("application/pdf") or kind.startswith("image/")
        ):
            self.files_served.append(url.removeprefix("POST "))

    def get(self, url: str) -> set[str]:
        if url in self.seen:
            return set()
        response = self.client.get(url)
        body = _body(response)
        self.seen[url] = response.status_code
        self.check(url, response, body)
        return _links(url, response, body) if response.status_code == 200 else set()

    def post(self, url: str) -> None:
        response = self.client.post(url)
        if response.status_code >= 500:
            self.leaks.append(f"POST {url} answered {response.status_code}")
        self.check("POST " + url, response, _body(response))


def crawl(client, site: Seed) -> Visitor:
    """Every pattern with every id, then every link given, as an anonymous visitor."""
    visitor = Visitor(client, site)
    queue: deque[str] = deque()
    for route in _routes(get_resolver()):
        for url in sorted(_urls(route, site.values)):
            for suffix in SUFFIXES:
                queue.extend(visitor.get(url + suffix))
            visitor.post(url)
    queue.append("/")
    budget = len(visitor.seen) + MAX_LINKS
    while queue and len(visitor.seen) < budget:
        url = queue.popleft()
        if url not in visitor.seen:
            queue.extend(visitor.get(url))
    return visitor


def _the_published_document_only(site: Seed, urls: list[str]) -> list[str]:
    """Files served that are not the published document's (its PDF, its page images)
    nor the site's icon."""
    own = f"/documents/{site.published.id}/"
    return sorted({u for u in urls if not u.startswith((own, "/favicon.ico"))})


def test_an_anonymous_crawl_of_the_site_and_the_api_finds_nothing_private(
    client, contributor, reviewer
):
    site = seed(contributor, reviewer)
    visitor = crawl(client, site)

    assert visitor.leaks == [], f"{len(visitor.leaks)} leaks:\n" + "\n".join(visitor.leaks[:60])
    served = _the_published_document_only(site, visitor.files_served)
    assert served == [], "files served to a visitor:\n" + "\n".join(served)
    # The crawl went everywhere: patterns, the API, and pages reached by links only.
    assert len(visitor.seen) > 1500
    assert any(url.startswith("/api/v1/requests") for url in visitor.seen)
    # Published deployments are reached by links only (the seed's slugs are drafts').
    followed = {u.split("/")[2] for u in visitor.seen if re.match(r"/dispositifs/[\w-]+/$", u)}
    assert len(followed - set(site.values["slug"]) - {"nouveau"}) >= 20
    # The drafts were asked for, on the site and in the API, and not found.
    draft_request, draft_series = site.values["request_id"][0], site.values["series_id"][1]
    for url in (
        reverse("request-detail", args=[draft_request]),
        f"/api/v1/requests/{draft_request}",
        reverse("series-detail", args=[draft_series]),
    ):
        assert visitor.seen.get(url) in (302, 403, 404), url
    # The proofs were asked for, and refused.
    for url in site.proof_urls:
        assert url in visitor.seen, f"the crawl never asked for {url}"
        assert visitor.seen[url] in (302, 403, 404), url
    # What is public was seen, so the pages did answer: the published document redacted,
    # the sent request and the series.
    assert any(
        url.startswith(f"/documents/{site.published.id}/publie.pdf") for url in visitor.files_served
    )
    listing = client.get("/demandes/").content.decode()
    assert site.sent_title in listing and "Vidéoprotection dans la Loire" in listing
    assert "capteurs sonores" in client.get(f"/documents/{site.published.id}/").content.decode()
    # Nothing was written by the anonymous posts.
    assert not Redaction.objects.filter(kind="manual").exists()
    assert (
        not Document.objects.filter(id__in=site.values["document_id"], is_public=True)
        .exclude(id=site.published.id)
        .exists()
    )


def test_the_crawl_sees_a_proof_that_a_visitor_could_download(client, reviewer, monkeypatch):
    """The check is not vacuous: were the proofs readable by anyone (the permission
    behind them made to say yes), the visitor would report the private file and the
    words of the proof."""
    from contrechamp.access import permissions

    site = Seed(values={}, secrets=SECRETS, private_files=[], published=None, sent_title="")
    ids = _seed_access(reviewer)
    from contrechamp.access.models import Attachment

    proofs = list(Attachment.objects.filter(id__in=ids["attachment_id"]))
    site.private_files = [access.attachment_data(p) for p in proofs]
    urls = [reverse("request-proof-file", args=[ids["proofs"][0], p.id]) for p in proofs]
    visitor = Visitor(client, site)
    for url in urls:
        visitor.get(url)
    assert visitor.leaks == [] and all(visitor.seen[url] in (302, 403, 404) for url in urls)

    monkeypatch.setattr(permissions, "may_edit_request", lambda user, request: True)
    visitor = Visitor(client, site)
    for url in urls:
        visitor.get(url)
    assert all(visitor.seen[url] == 200 for url in urls)
    assert sorted(visitor.files_served) == sorted(urls)
    assert sum("serves a private file" in leak for leak in visitor.leaks) == len(urls)
    assert any("preuve-tamarin" in leak for leak in visitor.leaks)  # its file name
