"""Every page of the site, as a visitor, a contributor, a reviewer and an administrator,
on a desktop and on a phone, under the site's own Content-Security-Policy: no violation,
no console error, no failed request, no request to another host, and nothing wider than
a phone's screen.

The URL patterns come from the resolver, so a new page is crawled as soon as it is routed:
each parameter is filled with the id of a row that the seed below creates (a published
deployment with two versions, an organisation, a technology, places, a PDF ingested
through the pipeline, redacted and published, requests with their letters and a proof, a
series of requests sent together). A pattern whose parameter has no value fails the test."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from playwright.sync_api import expect

from tests.browser.conftest import SITE_DATABASES, _free_port, authenticator_code
from tests.conftest import PASSWORD, prepared_database

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]

# Rows every pattern's parameters are filled from; printed as JSON for the test.
SEED = r"""
import datetime as dt, json
import django
django.setup()
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from contrechamp.access import services as access
from contrechamp.access.models import Attachment
from contrechamp.accounts.services import user_create
from contrechamp.documents.models import Entity, Page
from contrechamp.documents.services import document_process
from contrechamp.places.models import Commune, Department, Epci
from contrechamp.redaction.models import Redaction
from contrechamp.redaction.services import document_publish, redactions_suggest
from contrechamp.registry.models import Deployment, Organisation, Technology
from contrechamp.registry.services import (
    deployment_snapshot, deployment_update, organisation_snapshot, organisation_update,
)
from tests.documents import samples
from tests.documents.conftest import add

password = __import__("sys").argv[1]
users = {
    "contributor": user_create(username="camille", email="c@example.org", password=password),
    "reviewer": user_create(
        username="rene", email="r@example.org", password=password, role="reviewer"
    ),
    "administrator": user_create(
        username="alex", email="a@example.org", password=password, role="administrator"
    ),
}
contributor, reviewer = users["contributor"], users["reviewer"]
# Reviewers and administrators have set up two-factor authentication.
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.browser.conftest import AUTHENTICATOR_KEY
for person in (reviewer, users["administrator"]):
    TOTPDevice.objects.create(
        user=person, name="authenticator", key=AUTHENTICATOR_KEY, confirmed=True
    )

# A second version of a published deployment and of an organisation: a diff to show.
deployment = Deployment.objects.published().exclude(citations=None).order_by("id").first()
deployment = deployment_update(
    deployment=deployment,
    data={**deployment_snapshot(deployment), "summary": "Résumé revu après la délibération."},
    base_version=deployment.version, author=contributor, comment="Résumé",
)
organisation = Organisation.objects.order_by("id").first()
organisation = organisation_update(
    organisation=organisation,
    data={**organisation_snapshot(organisation), "description": "Fournisseur de caméras."},
    base_version=organisation.version, author=contributor, comment="Description",
)
commune = deployment.communes.order_by("code").first()

# A document through the pipeline and published; another left private, with a
# suggested redaction.
published = add(
    samples.text_pdf(
        [
            "Délibération du conseil municipal de Nice sur la vidéoprotection algorithmique, "
            "marché attribué à Two-I pour 120 000 euros le 12 mars 2024.",
            "Seconde page : calendrier de l'expérimentation.",
        ]
    ),
    "deliberation-nice.pdf",
    uploaded_by=reviewer,
)
redactions_suggest(document=published)
try:
    publication = document_publish(document=published)
except ValidationError:  # nothing to redact in it: published as it is, knowingly
    publication = document_publish(document=published, no_redactions=True)
assert publication.accepted, publication.reasons
private = add(
    samples.text_pdf(
        [
            "Courrier de la préfecture sur les capteurs sonores. Affaire suivie par "
            "Mme Zéphyrine Quintal, zephyrine.quintal@prefecture.example.fr.",
        ]
    ),
    "courrier-prefecture.pdf",
    uploaded_by=contributor,
)
redactions_suggest(document=private)

# Requests: one refused with an answer filed and a favourable opinion, one just sent,
# and a series of five town halls sent long ago, silent, so refused and to refer.
today = access.today()
refused = access.request_create(
    body=access.body_for_commune(commune), requester=contributor,
    title="Délibérations et contrats de vidéoprotection algorithmique",
    documents_asked="Les délibérations\nLe contrat passé avec le fournisseur",
    places=[commune], deployments=[deployment],
)
access.request_send(request=refused, sent_on=today - dt.timedelta(days=80))
access.answer_attach(
    request=refused, data=samples.text_pdf(["Refus de communication du contrat."]),
    filename="refus.pdf", kind="refusal", date=today - dt.timedelta(days=60), user=contributor,
)
for document in refused.documents.all():  # processed here, as the worker would
    document_process(document=document)
access.event_add(
    request=refused, kind="cada_referral", date=today - dt.timedelta(days=50), user=contributor,
)
access.event_add(
    request=refused, kind="cada_opinion", date=today - dt.timedelta(days=10),
    favourable=True, user=reviewer,
)
proof = access.attachment_add(
    request=refused, data=samples.text_pdf(["Accusé de réception."]), filename="ar.pdf",
    user=contributor,
)
sent = access.request_create(
    body=access.body_for_commune(commune), requester=contributor,
    title="Registre des caméras", documents_asked="Le registre des caméras",
)
access.request_send(request=sent, sent_on=today - dt.timedelta(days=3))
department = commune.department
series = access.requests_draft(
    requester=contributor, title="Vidéoprotection dans le département",
    documents_asked="Les délibérations sur la vidéoprotection",
    communes=list(Commune.objects.filter(department=department).order_by("code")[:5]),
)
access.series_send(series=series, sent_on=today - dt.timedelta(days=70))
assert access.series_refused(series)

entity = Entity.objects.order_by("id").first()
if entity is None:  # no suggestion from the model: one by hand, as a reviewer would see
    page = Page.objects.filter(document=private).first()
    entity = Entity.objects.create(
        page=page, kind="amount", text="120 000 euros", value="120000", start=0, end=13,
        confidence=0.9,
    )
# A newcomer's deployment waiting for review; a local group with a member and a work
# item; an anonymous tip.
from contrechamp.groups.services import group_create, membership_request, work_item_add
from contrechamp.registry.proposals import deployment_submit
from contrechamp.registry.services import deployment_create
from contrechamp.tips.services import tip_create

newcomer = user_create(username="noemie", email="n@example.org", password=password)
waiting = deployment_create(
    data={
        "title": "Caméras nomades au marché",
        "is_published": False,
        "status": "announced",
        "communes": [commune.code],
        "technologies": [deployment.technologies.first().slug],
        "citations": [
            {
                "source": {"title": "Marché", "url": "https://example.org/marche"},
                "quote": "Caméras nomades.",
            }
        ],
    },
    author=newcomer,
)
proposal = deployment_submit(deployment=waiting, author=newcomer)
group = group_create(
    creator=contributor, name="Collectif vigilance " + commune.name, communes=[commune],
    description="Nous suivons la vidéosurveillance de la commune.",
)
membership = membership_request(group=group, user=newcomer)
item = work_item_add(group=group, user=contributor, kind="other", note="Relire la délibération")
# An invitation by e-mail waiting, and the group's link to share (its token shown once).
from contrechamp.groups.invitations import invitation_link_create, invitation_send

emailed = invitation_send(group=group, by=contributor, email="invitee@example.org", language="fr")
_link, link_url = invitation_link_create(group=group, by=contributor)
invitation_token = link_url.rstrip("/").rsplit("/", 1)[-1]
tip = tip_create(text="Des caméras ont été posées rue des Lilas la semaine dernière.").tip
uid = urlsafe_base64_encode(force_bytes(contributor.pk))
# Procurement records waiting in the watch's queue.
from contrechamp.watch.models import WatchRecord
from contrechamp.watch.services import import_decp
from tests.watch.evaluation import SAMPLES

import_decp([SAMPLES / "decp" / "format-2019-v1.x" / "decp-rama_surveillance-selection.json"])
record = WatchRecord.objects.filter(status="new").order_by("id").first()
# An e-mail subscription waiting for its confirmation (its links' pages).
from contrechamp.pages.subscriptions import subject_of, subscribe

subscription = subscribe(
    email="lea@example.org", subject=subject_of("commune", commune.code),
    frequency="weekly", language="fr",
)
print(json.dumps({
    "proposal_id": [str(proposal.id)],
    "user_id": [str(newcomer.id)],
    "membership_id": [str(membership.id)],
    "item_id": [str(item.id)],
    "invitation_id": [str(emailed.id)],
    "tip_id": [str(tip.id)],
    "record_id": [str(record.id)],
    "slug": {
        "dispositifs/": [deployment.slug],
        "organisations/": [organisation.slug],
        "technologies/": [deployment.technologies.first().slug],
        "api/v1/deployments/": [deployment.slug],
        "api/v1/organisations/": [organisation.slug],
        "collectifs/": [group.slug],
    },
    "version": ["1", "2"],
    "code": {
        "communes/": [commune.code],
        "departements/": [department.code],
        "api/v1/communes/": [commune.code],
        "api/v1/departments/": [department.code],
        "abonnement/": [commune.code],
    },
    "siren": [commune.epci.siren if commune.epci_id else Epci.objects.first().siren],
    "document_id": [str(published.id), str(private.id)],
    "number": ["1"],
    "redaction_id": [str(Redaction.objects.order_by("id").first().id)],
    "entity_id": [str(entity.id)],
    "request_id": [str(refused.id), str(sent.id)],
    "event_id": [str(refused.events.filter(automatic=False).order_by("id").first().id)],
    "attachment_id": [str(proof.id)],
    "kind": {
        "demandes/": ["request_email", "reminder", "cada_referral", "after_opinion"],
        "abonnement/": ["commune"],
    },
    "series_id": [str(series.id)],
    "token": {
        "demandes/": [access.feed_token_renew(user=contributor)],
        "compte/": [default_token_generator.make_token(contributor)],
        "abonnement/": [subscription.token],
        "collectifs/": [invitation_token],
    },
    "uidb64": [uid],
}))
"""

ROLES = {"visitor": None, "contributor": "camille", "reviewer": "rene", "administrator": "alex"}
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# Django's admin site is Django's own interface, for administrators only: its routes are
# many per model (change, delete, history of every object). It is crawled at its index
# and the list and form of each registered model, not at every object.
ADMIN_PREFIX = "admin/"

# What the page's scripts report: CSP violations the page itself sees, with the blocked
# resource, before any console message is formatted.
WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") +
    " at " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""

# The elements that stick out of the viewport on the right, to say what overflows.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1) {
      let parent = el.parentElement, clipped = false;
      while (parent && parent !== document.body) {
        const style = getComputedStyle(parent);
        if (style.overflowX !== "visible") { clipped = true; break; }
        parent = parent.parentElement;
      }
      const name = typeof el.className === "string" ? el.className.trim() : "";
      if (!clipped) out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (name ? "." + name.split(/\\s+/).join(".") : "") + " right=" + Math.round(box.right));
    }
    if (out.length >= 5) break;
  }
  return out.length ? out : ["the page is " + document.documentElement.scrollWidth + "px wide"];
}"""


def _routes(resolver: URLResolver, prefix: str = "") -> list[str]:
    """Every route as a path() string ('documents/<int:document_id>/')."""
    found = []
    for entry in resolver.url_patterns:
        text = str(entry.pattern)
        if hasattr(entry.pattern, "_regex"):  # a regular-expression route (the admin's)
            text = text.lstrip("^").rstrip("$").replace("\\Z", "")
        if isinstance(entry, URLResolver):
            found += _routes(entry, prefix + text)
        elif isinstance(entry, URLPattern):
            found.append(prefix + text)
    return found


def _admin_urls() -> list[str]:
    from django.contrib import admin

    urls = ["/admin/"]
    for model in admin.site._registry:
        meta = model._meta
        urls += [f"/admin/{meta.app_label}/", f"/admin/{meta.app_label}/{meta.model_name}/"]
        urls.append(f"/admin/{meta.app_label}/{meta.model_name}/add/")
    return sorted(set(urls))


def _values_for(route: str, name: str, values: dict) -> list[str]:
    found = values.get(name)
    if isinstance(found, dict):
        found = next((v for prefix, v in found.items() if route.startswith(prefix)), None)
    return found or []


def crawl_urls(values: dict) -> tuple[list[str], list[str]]:
    """The URLs to visit, and the routes that no value could fill."""
    urls: list[str] = []
    missing: list[str] = []
    for route in _routes(get_resolver()):
        if route.startswith(ADMIN_PREFIX):
            continue
        filled = ["/" + route]
        for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
            candidates = _values_for(route, name, values)
            if not candidates:
                missing.append(f"{route} ({name})")
                break
            filled = [
                re.sub(rf"<(?:\w+:)?{name}>", value, url, count=1)
                for url in filled
                for value in candidates
            ]
        else:
            urls += filled
    return urls + _admin_urls(), missing


@dataclass
class Crawler:
    """One browser context for a role at a size, reused for every page."""

    base: str
    role: str
    size: str
    context: object
    page: object = None
    problems: list[str] = field(default_factory=list)
    current: str = ""
    pending: set = field(default_factory=set)

    def start(self, username: str | None) -> None:
        self.context.set_default_timeout(20_000)
        self.context.add_init_script(WATCH_CSP)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self._report(f"script error: {e}"))
        self.page.on("request", self._request)
        self.page.on("requestfinished", lambda r: self.pending.discard(r))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)
        if username:
            self.page.goto(self.base + "/compte/login/")
            self.page.fill("input[name=username]", username)
            self.page.fill("input[name=password]", PASSWORD)
            with self.page.expect_navigation():
                self.page.click("main button[type=submit]")
            if self.page.url.startswith(self.base + "/compte/deux-facteurs/"):
                self.page.fill("input[name=code]", authenticator_code(self.base, username))
                with self.page.expect_navigation():
                    self.page.click("main form button[type=submit]")
            assert self.page.url == self.base + "/", f"{username} could not log in"

    def _report(self, problem: str) -> None:
        self.problems.append(f"[{self.role} {self.size}] {self.current}: {problem}")

    def _is_page(self, url: str) -> bool:
        return url.split("#")[0] == self.base + self.current

    def _console(self, message) -> None:
        if message.type not in ("error", "warning"):
            return
        text = message.text
        # The page's own status (403 to a visitor, 404 for a letter a request does not
        # call for) is what the crawl asked for; the test checks it below.
        if text.startswith("Failed to load resource") and self._is_page(
            message.location.get("url", "")
        ):
            return
        if message.type == "error" or "Content Security Policy" in text:
            self._report(f"console {message.type}: {text}")

    def _request(self, request) -> None:
        self.pending.add(request)
        host = urlparse(request.url)
        if host.scheme in ("http", "https") and host.netloc != urlparse(self.base).netloc:
            self._report(f"third-party request: {request.url}")

    def _failed(self, request) -> None:
        self.pending.discard(request)
        if self._is_page(request.url):
            return  # a download, or a page replaced by the next goto
        referer = request.headers.get("referer", "")
        if request.failure == "net::ERR_ABORTED" and referer and not self._is_page(referer):
            return  # an image of the previous page, cut short by leaving it
        self._report(f"failed request: {request.url} ({request.failure})")

    def _response(self, response) -> None:
        if response.status >= 400 and not self._is_page(response.url):
            self._report(f"request answered {response.status}: {response.url}")

    def visit(self, path: str) -> None:
        self.current = path
        response = self.page.goto(self.base + path, wait_until="load")
        # What the page's scripts fetched at load (the map's GeoJSON) must end too.
        deadline = time.monotonic() + 5
        while self.pending and time.monotonic() < deadline:
            self.page.wait_for_timeout(25)
        if response is not None and response.status >= 500:
            self._report(f"answered {response.status}")
        for violation in self.page.evaluate("window.__violations || []"):
            self._report(f"CSP violation: {violation}")
        if self.size == "phone":
            wide = self.page.evaluate(OVERFLOW)
            if wide:
                self._report("wider than the phone: " + ", ".join(wide))


class CrawlSite:
    """A server of its own (seeded rows must not change what other browser tests see)."""

    def __init__(self, data_dir: Path):
        self.env = {
            **os.environ,
            "CONTRECHAMP_DATA_DIR": str(data_dir),
            "DATABASE_URL": prepared_database(data_dir, "crawl", places=True),
            "DJANGO_SETTINGS_MODULE": "contrechamp.settings",
        }
        command = [sys.executable, "-m", "contrechamp"]
        for step in (["demo", "load"],):
            subprocess.run(command + step, env=self.env, check=True, capture_output=True, cwd=ROOT)
        seeded = subprocess.run(
            [sys.executable, "-c", SEED, PASSWORD],
            env=self.env,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert seeded.returncode == 0, seeded.stderr[-3000:]
        self.values = json.loads(seeded.stdout.strip().splitlines()[-1])
        port = _free_port()
        # The server's log to a file: every 403 the crawl asks for is logged with its
        # traceback, and an unread pipe fills up and blocks the server's threads.
        self.log = (data_dir / "server.log").open("wb")
        self.server = subprocess.Popen(
            command + ["serve", "--port", str(port), "--no-worker"],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        self.base = f"http://127.0.0.1:{port}"
        SITE_DATABASES[self.base] = self.env["DATABASE_URL"]
        for _ in range(150):
            try:
                urllib.request.urlopen(self.base + "/a-propos/donnees/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            self.server.kill()
            raise RuntimeError("the server did not start: " + self.log_text())

    def log_text(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        self.server.terminate()
        self.server.wait(10)
        self.log.close()


@pytest.fixture(scope="module")
def crawl_site(browser, tmp_path_factory):
    site = CrawlSite(tmp_path_factory.mktemp("crawl"))
    yield site
    site.stop()


def _for_role(path: str, role: str) -> bool:
    """Whether the crawl asks for `path` as `role`: Django's admin only as an
    administrator, and as a visitor (who must be sent to log in)."""
    return not path.startswith("/" + ADMIN_PREFIX) or role in ("visitor", "administrator")


def _kind(crawler: Crawler, path: str) -> tuple[int, str]:
    """Status and content type, by a plain request with the context's cookies."""
    response = crawler.context.request.get(crawler.base + path, max_redirects=5)
    return response.status, response.headers.get("content-type", "")


def test_every_page_answers_every_role_without_a_server_error(browser, crawl_site):
    """Every URL of the crawl below, as each role, by plain requests: on each database
    engine (the browser crawl, whose findings do not depend on it, runs on one)."""
    urls, missing = crawl_urls(crawl_site.values)
    assert missing == [], "routes with no value to crawl them: add a row to the seed"
    errors: list[str] = []
    asked = 0
    for role, username in ROLES.items():
        context = browser.new_context(locale="fr-FR")
        crawler = Crawler(crawl_site.base, role, "desktop", context)
        crawler.start(username)
        for path in urls:
            if not _for_role(path, role):
                continue
            status, _ = _kind(crawler, path)
            asked += 1
            if status >= 500:
                errors.append(f"[{role}] {path}: {status}")
        context.close()
    assert asked > 400
    assert errors == [], "\n".join(errors) + "\n" + crawl_site.log_text()


@pytest.mark.one_database
def test_every_page_keeps_the_policy_and_fits_a_phone_for_every_role(browser, crawl_site):
    urls, missing = crawl_urls(crawl_site.values)
    assert missing == [], "routes with no value to crawl them: add a row to the seed"
    assert len(urls) > 100

    problems: list[str] = []
    visited = 0
    for role, username in ROLES.items():
        state = None
        kinds: dict[str, tuple[int, str]] = {}  # the same for both sizes
        for size, viewport in SIZES.items():
            context = browser.new_context(locale="fr-FR", viewport=viewport, storage_state=state)
            crawler = Crawler(crawl_site.base, role, size, context)
            crawler.start(username if state is None else None)
            state = context.storage_state()
            for path in urls:
                if not _for_role(path, role):
                    continue
                if path not in kinds:
                    kinds[path] = _kind(crawler, path)
                status, content_type = kinds[path]
                if status >= 500 and size == "desktop":
                    crawler.current = path
                    crawler._report(f"answered {status}")
                if status == 405 or not content_type.startswith("text/html"):
                    continue  # a form's target, a file, JSON: nothing for a browser to run
                crawler.visit(path)
                visited += 1
            problems += crawler.problems
            context.close()
    assert visited > 300
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.one_database
def test_the_api_documentation_is_served_by_the_site_and_can_try_a_call(browser, crawl_site):
    context = browser.new_context(locale="fr-FR")
    hosts: set[str] = set()
    errors: list[str] = []
    page = context.new_page()
    page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        page.goto(crawl_site.base + "/api/v1/docs")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("Contrechamp API")
        page.locator(".opblock-summary", has_text="/api/v1/technologies").first.click()
        page.get_by_role("button", name="Try it out").click()
        page.get_by_role("button", name="Execute").click()
        expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
            "200"
        )
        expect(page.locator(".live-responses-table .microlight").first).to_contain_text("slug")
        # On a phone it fits the screen, an operation open too (a walk read its
        # description cut at the right edge), and leads back to the site.
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(crawl_site.base + "/api/v1/docs")
        page.locator(".opblock-summary", has_text="/api/v1/deployments").first.click()
        expect(page.get_by_role("button", name="Try it out")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        expect(page.locator(".api-back a").first).to_have_attribute("href", "/")
    finally:
        context.close()
    assert hosts == {urlparse(crawl_site.base).netloc}
    assert errors == []
