"""Reviewing a document's suggestions one row per entity (Nice on three pages is one row
with its occurrences under it), deciding on every occurrence at once; the uploader sees
the suggestions of their own document, and decides on them only once trusted. Each
promise is attacked: another document's suggestion posted to this one, an accept posted
twice, a removed field, a visitor, a newcomer, a crafted deployment."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.test import Client

from contrechamp.documents.models import Document, Entity
from contrechamp.documents.services import SuggestionDecided, entities_accept
from contrechamp.places.models import Commune
from contrechamp.registry.models import Citation, Deployment, Technology
from contrechamp.registry.schemas import empty_deployment
from contrechamp.registry.services import deployment_create
from tests.conftest import newcomer  # noqa: F401  (the fixture, by name)
from tests.documents import samples
from tests.documents.conftest import add, publish

pytestmark = pytest.mark.django_db

PAGES = [
    "Délibération du conseil municipal de Nice sur la vidéoprotection. "
    "Le maire de Nice présente le projet.",
    "Annexe financière. Les caméras de Nice coûtent cher.",
    "Calendrier. Les travaux commencent à Nice au printemps.",
]
NICE = "06088"


def _entities(document: Document, word: str, kind: str, value: str) -> list[Entity]:
    """An entity at every occurrence of `word` in the document (made by hand: the test
    is about the review, not about detection)."""
    Entity.objects.filter(page__document=document, kind=kind, value=value).delete()
    made = []
    for page in document.pages.order_by("number"):
        at = page.text.find(word)
        while at >= 0:
            made.append(
                Entity.objects.create(
                    page=page,
                    kind=kind,
                    text=word,
                    value=value,
                    start=at,
                    end=at + len(word),
                    confidence=0.9,
                )
            )
            at = page.text.find(word, at + 1)
    return made


def _document(uploader, pages=PAGES, name="nice.pdf") -> tuple[Document, list[Entity]]:
    document = add(samples.text_pdf(pages), name, uploaded_by=uploader)
    _entities(document, "vidéoprotection", "technology", "videosurveillance")
    return document, _entities(document, "Nice", "commune", NICE)


def _accept_url(document: Document, entity: Entity) -> str:
    return f"/documents/{document.id}/suggestions/{entity.id}/accepter/"


def _reject_url(document: Document, entity: Entity) -> str:
    return f"/documents/{document.id}/suggestions/{entity.id}/rejeter/"


def _statuses(entities: list[Entity]) -> set[str]:
    return set(
        Entity.objects.filter(id__in=[e.id for e in entities]).values_list("status", flat=True)
    )


def _row(html: str, value: str) -> str:
    start = html.rindex("<tr", 0, html.index(f'data-value="{value}"'))
    return html[start : html.index("</tr>", start)]


def test_it_shows_one_row_per_entity_with_its_occurrences(client, reviewer, contributor):
    document, nice = _document(contributor)
    assert len(nice) == 4  # twice on page 1, once on pages 2 and 3
    client.force_login(reviewer)
    html = client.get(f"/documents/{document.id}/?page=2").content.decode()
    assert html.count(f'data-value="{NICE}"') == 1
    row = _row(html, NICE)
    assert "4 occurrences" in row or "4 occurrences" in row.replace("\xa0", " ")
    for number in (1, 2, 3):
        assert f'href="?page={number}#page"' in row
    assert 'aria-current="page"' in row and "on-this-page" in row  # page 2 is open
    assert "<mark>Nice</mark>" in row and "Les caméras de" in row  # a short quote each
    # One accept for the row, posting the row's entity, not one per occurrence.
    assert row.count("/accepter/") == 1 and row.count("/rejeter/") == 1


def test_accepting_a_row_accepts_every_occurrence_and_cites_their_pages(
    client, reviewer, contributor
):
    document, nice = _document(contributor)
    client.force_login(reviewer)
    before = Deployment.objects.count()
    response = client.post(_accept_url(document, nice[2]), {"deployment": "new"})
    assert response.status_code == 302
    assert Deployment.objects.count() == before + 1
    deployment = Deployment.objects.filter(citations__source__document=document).distinct().get()
    assert list(deployment.communes.values_list("code", flat=True)) == [NICE]
    citations = {c.locator: c for c in Citation.objects.filter(deployment=deployment)}
    assert set(citations) == {"p. 1", "p. 2", "p. 3"}
    # Page 1 holds Nice twice, in two sentences: one citation quoting one of them (the
    # first, among those as free of personal data), not a stitch of every occurrence's.
    assert (
        citations["p. 1"].quote
        == "Délibération du conseil municipal de Nice sur la vidéoprotection."
    )
    for entity in nice:
        entity.refresh_from_db()
        assert entity.status == "accepted" and entity.reviewed_by == reviewer
        assert entity.citation == citations[f"p. {entity.page.number}"]


def test_an_accept_posted_twice_makes_one_deployment_and_one_set_of_citations(
    client, reviewer, contributor, english
):
    document, nice = _document(contributor)
    client.force_login(reviewer)
    before = Deployment.objects.count()
    client.post(_accept_url(document, nice[0]), {"deployment": "new"})
    citations = Citation.objects.count()
    again = client.post(_accept_url(document, nice[0]), {"deployment": "new"}, follow=True)
    assert Deployment.objects.count() == before + 1 and Citation.objects.count() == citations
    assert "already accepted or rejected" in again.content.decode()
    # Into an existing deployment, twice: one new version, the pages cited once.
    other, vendor = _document(contributor, ["La ville de Nice choisit Nice Côte d'Azur."], "b.pdf")
    target = Deployment.objects.filter(citations__source__document=document).distinct().get()
    version = target.version
    for _attempt in range(2):
        client.post(_accept_url(other, vendor[0]), {"deployment": str(target.id)})
    target.refresh_from_db()
    assert target.version == version + 1
    assert target.citations.filter(source__document=other).count() == 1


def test_two_browsers_accepting_at_once_make_one_deployment(reviewer, contributor):
    """Both loaded the page while the row waited; the second finds it decided."""
    document, nice = _document(contributor)
    before = Deployment.objects.count()
    first, second = list(nice), [Entity.objects.get(id=e.id) for e in nice]  # two copies
    entities_accept(entities=first, user=reviewer)
    with pytest.raises(SuggestionDecided):
        entities_accept(entities=second, user=reviewer)
    assert Deployment.objects.count() == before + 1


@pytest.mark.django_db(transaction=True)
def test_two_accepts_racing_in_two_connections_make_one_deployment(reviewer, contributor):
    if connection.vendor != "postgresql":
        pytest.skip("two connections writing at once: PostgreSQL (SQLite writes one at a time)")
    document, nice = _document(contributor)
    before = Deployment.objects.count()
    start, outcomes = threading.Barrier(2), []

    def accept() -> None:
        try:
            start.wait()
            entities_accept(entities=nice, user=reviewer)
            outcomes.append("accepted")
        except SuggestionDecided:
            outcomes.append("decided")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "decided"]
    assert Deployment.objects.count() == before + 1
    assert Citation.objects.filter(source__document=document).count() == 3


def test_another_documents_suggestion_posted_here_is_not_found(
    client, reviewer, contributor, other_contributor
):
    mine, _nice = _document(contributor)
    theirs, their_nice = _document(other_contributor, [p + " Fin." for p in PAGES], "t.pdf")
    client.force_login(reviewer)
    # Even a reviewer, who may decide both: the address names another document.
    assert client.post(_accept_url(mine, their_nice[0]), {"deployment": "new"}).status_code == 404
    assert client.post(_reject_url(mine, their_nice[0])).status_code == 404
    uploader = Client()
    uploader.force_login(contributor)
    for url in (
        _accept_url(mine, their_nice[0]),
        _accept_url(theirs, their_nice[0]),
        f"/suggestions/{their_nice[0].id}/accepter/",
        _reject_url(theirs, their_nice[0]),
        f"/suggestions/{their_nice[0].id}/rejeter/",
        f"/documents/{mine.id}/suggestions/999999/accepter/",
    ):
        assert uploader.post(url, {"deployment": "new"}).status_code == 404, url
    assert _statuses(their_nice) == {"suggested"}
    # Nor does their page show them: the document is private, and not the contributor's.
    assert uploader.get(f"/documents/{theirs.id}/").status_code == 404


def test_the_uploader_sees_the_suggestions_of_their_own_document_without_quotes(
    client, contributor, other_contributor
):
    document, nice = _document(contributor)
    client.force_login(contributor)
    html = client.get(f"/documents/{document.id}/").content.decode()
    assert f'data-value="{NICE}"' in html and 'data-value="videosurveillance"' in html
    row = _row(html, NICE)
    assert "p. 3" in row and "<mark>" not in row
    # Her own original's pages are hers to read (tests/documents/test_own_original.py).
    assert 'href="?page=3#page"' in row
    # Someone else's published document: only its accepted rows, as for every reader.
    theirs, their_nice = _document(other_contributor, [p + " Fin." for p in PAGES], "t.pdf")
    Document.objects.filter(id=theirs.id).update(is_public=True)
    html = client.get(f"/documents/{theirs.id}/").content.decode()
    assert f'data-value="{NICE}"' not in html and "/accepter/" not in html


def test_a_trusted_uploader_accepts_a_row_into_their_own_draft(client, contributor):
    document, nice = _document(contributor)
    client.force_login(contributor)
    html = client.get(f"/documents/{document.id}/").content.decode()
    assert _accept_url(document, nice[0]) in html
    response = client.post(_accept_url(document, nice[0]), {"deployment": "new"})
    deployment = Deployment.objects.filter(citations__source__document=document).distinct().get()
    assert response.status_code == 302 and deployment.slug in response["Location"]
    assert not deployment.is_published and _statuses(nice) == {"accepted"}


def test_a_crafted_deployment_of_someone_else_is_refused(client, contributor, reviewer, english):
    document, nice = _document(contributor)
    data = empty_deployment()
    data.update(
        title="Brouillon d’un autre",
        status="announced",
        is_published=False,
        communes=["75056"],
        technologies=["videosurveillance"],
    )
    draft = deployment_create(data=data, author=reviewer, comment="")
    assert not draft.is_published
    client.force_login(contributor)
    response = client.post(
        _accept_url(document, nice[0]), {"deployment": str(draft.id)}, follow=True
    )
    assert "That deployment does not exist." in response.content.decode()
    assert _statuses(nice) == {"suggested"}
    draft.refresh_from_db()
    assert draft.version == 1 and not draft.citations.exists()


def test_a_newcomer_sees_the_suggestions_of_their_document_but_cannot_decide(
    client,
    newcomer,  # noqa: F811
):
    document, nice = _document(newcomer)
    client.force_login(newcomer)
    html = client.get(f"/documents/{document.id}/").content.decode()
    assert f'data-value="{NICE}"' in html and 'id="suggestions-notice"' in html
    assert "/accepter/" not in html and "/rejeter/" not in html
    before = Deployment.objects.count()
    assert client.post(_accept_url(document, nice[0]), {"deployment": "new"}).status_code == 403
    assert client.post(f"/suggestions/{nice[0].id}/accepter/").status_code == 403
    assert client.post(_reject_url(document, nice[0])).status_code == 403
    assert Deployment.objects.count() == before and _statuses(nice) == {"suggested"}


def test_a_visitor_cannot_see_nor_decide(client, contributor):
    document, nice = _document(contributor)
    Document.objects.filter(id=document.id).update(is_public=True)
    html = client.get(f"/documents/{document.id}/").content.decode()
    assert f'data-value="{NICE}"' not in html  # suggestions are not public
    for url in (_accept_url(document, nice[0]), _reject_url(document, nice[0])):
        assert client.post(url, {"deployment": "new"}).status_code == 404
    assert _statuses(nice) == {"suggested"}


def test_a_grouped_accept_with_a_removed_field_gets_a_clear_error(
    client, reviewer, contributor, english
):
    document, nice = _document(contributor)
    client.force_login(reviewer)
    before = Deployment.objects.count()
    # The deployment field taken out of the form: no deployment made by default.
    response = client.post(_accept_url(document, nice[0]), {}, follow=True)
    assert "Choose the deployment to add “Nice” to" in response.content.decode()
    response = client.post(_accept_url(document, nice[0]), {"deployment": "x"}, follow=True)
    assert "That deployment does not exist." in response.content.decode()
    # The technology the row names taken out of the taxonomy since the page was loaded
    # (on a document with a place, so that the new deployment has one).
    from contrechamp.places.models import Commune

    document.places.add(Commune.objects.get(code=NICE))
    tech = Entity.objects.filter(page__document=document, kind="technology").first()
    Entity.objects.filter(page__document=document, kind="technology").update(value="retiree")
    response = client.post(_accept_url(document, tech), {"deployment": "new"}, follow=True)
    assert response.status_code == 200
    assert "Unknown technology “retiree”" in response.content.decode()
    assert Deployment.objects.count() == before
    assert _statuses(nice) == {"suggested"} and _statuses([tech]) == {"suggested"}
    assert not Technology.objects.filter(slug="retiree").exists()


def test_rejecting_a_row_rejects_every_occurrence_and_keeps_what_was_accepted(
    client, reviewer, contributor, english
):
    document, nice = _document(contributor)
    entities_accept(entities=[nice[3]], user=reviewer)  # one occurrence accepted alone
    client.force_login(reviewer)
    client.post(_reject_url(document, nice[0]))
    statuses = {e.id: e.status for e in Entity.objects.filter(id__in=[e.id for e in nice])}
    assert statuses == {
        nice[0].id: "rejected",
        nice[1].id: "rejected",
        nice[2].id: "rejected",
        nice[3].id: "accepted",
    }
    again = client.post(_reject_url(document, nice[0]), follow=True).content.decode()
    assert "already accepted or rejected" in again


def test_a_row_on_many_pages_cites_its_first_pages_only(reviewer, contributor):
    pages = [f"Page {n}. La ville de Nice et sa vidéoprotection." for n in range(1, 13)]
    document, nice = _document(contributor, pages, "long.pdf")
    deployment = entities_accept(entities=nice, user=reviewer)
    locators = list(deployment.citations.values_list("locator", flat=True))
    assert sorted(locators, key=lambda s: int(s[3:])) == [f"p. {n}" for n in range(1, 11)]
    first = deployment.citations.get(locator="p. 1")
    for entity in Entity.objects.filter(id__in=[e.id for e in nice]).select_related("page"):
        expected = f"p. {entity.page.number}" if entity.page.number <= 10 else "p. 1"
        assert entity.status == "accepted" and entity.citation.locator == expected
    assert first.quote


def test_a_trusted_uploader_adds_a_row_to_a_published_deployment_a_newcomer_does_not(
    client,
    contributor,
    newcomer,  # noqa: F811
):
    published = Deployment.objects.filter(is_published=True).first()
    version = published.version
    document, nice = _document(contributor)
    client.force_login(contributor)
    client.post(_accept_url(document, nice[0]), {"deployment": str(published.id)})
    published.refresh_from_db()
    assert published.version == version + 1 and _statuses(nice) == {"accepted"}
    assert NICE in published.communes.values_list("code", flat=True)
    mine, theirs = _document(newcomer, [p + " Fin." for p in PAGES], "n.pdf")
    client.force_login(newcomer)
    response = client.post(_accept_url(mine, theirs[0]), {"deployment": str(published.id)})
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.version == version + 1 and _statuses(theirs) == {"suggested"}


def test_the_uploader_gets_the_same_rows_from_the_page_and_the_api(client, contributor):
    document, nice = _document(contributor)
    Document.objects.filter(id=document.id).update(is_public=True)
    client.force_login(contributor)
    html = client.get(f"/documents/{document.id}/").content.decode()
    api = client.get(f"/api/v1/documents/{document.id}/entities").json()["results"]
    shown = {v for v in ("06088", "videosurveillance") if f'data-value="{v}"' in html}
    assert shown == {"06088", "videosurveillance"}
    assert {e["value"] for e in api} >= shown
    assert all(e["start"] is None for e in api)  # offsets point into the original text


def _restore_url(document: Document, entity: Entity) -> str:
    return f"/documents/{document.id}/suggestions/{entity.id}/retablir/"


def test_a_row_rejected_by_mistake_is_restored_and_waits_again(
    client, reviewer, contributor, english
):
    """Reject had no way back: the row left the table for good (a new user's walk)."""
    from contrechamp.audit.models import AuditEntry

    document, nice = _document(contributor)
    entities_accept(entities=[nice[3]], user=reviewer)  # accepted alone: stays accepted
    client.force_login(reviewer)
    page = client.post(_reject_url(document, nice[0]), follow=True).content.decode()
    assert "can be restored" in page
    rejected = page[page.index('id="rejected-suggestions"') :]
    assert "Nice (06088)" in rejected.split("</details>")[0]
    assert _restore_url(document, nice[0]) in page
    before = AuditEntry.objects.count()
    page = client.post(_restore_url(document, nice[1]), follow=True).content.decode()
    assert "is waiting again" in page and 'id="rejected-suggestions"' not in page
    statuses = {e.id: e.status for e in Entity.objects.filter(id__in=[e.id for e in nice])}
    assert list(statuses.values()).count("suggested") == 3 and statuses[nice[3].id] == "accepted"
    assert Entity.objects.get(id=nice[0].id).reviewed_by is None
    assert AuditEntry.objects.count() >= before + 3  # each row's change recorded
    # Posted twice, or on a row that waits: nothing is done, and the page says so.
    again = client.post(_restore_url(document, nice[0]), follow=True).content.decode()
    assert "not rejected any more" in again


def test_only_those_who_decide_restore_a_rejected_row(
    client,
    reviewer,
    contributor,
    newcomer,  # noqa: F811
):
    document, nice = _document(newcomer)
    client.force_login(reviewer)
    client.post(_reject_url(document, nice[0]))
    client.force_login(newcomer)  # the uploader, not yet trusted
    html = client.get(f"/documents/{document.id}/").content.decode()
    assert "/retablir/" not in html
    assert client.post(_restore_url(document, nice[0])).status_code == 403
    client.force_login(contributor)  # someone else: the document is not theirs
    assert client.post(_restore_url(document, nice[0])).status_code == 404
    client.logout()
    assert client.post(_restore_url(document, nice[0])).status_code == 404
    assert client.get(_restore_url(document, nice[0])).status_code == 405
    assert _statuses(nice) == {"rejected"}


def test_an_amount_reads_as_an_amount(client, reviewer, contributor):
    """The row said "1250000" (a new user's walk)."""
    document, _nice = _document(contributor)
    page = document.pages.get(number=2)
    Entity.objects.create(
        page=page,
        kind="amount",
        text="1 250 000 euros HT",
        value="1250000",
        start=0,
        end=5,
        confidence=0.95,
    )
    client.force_login(reviewer)
    html = client.get(f"/documents/{document.id}/").content.decode()
    row = _row(html, "1250000")
    assert "<strong>1\u202f250\u202f000 €</strong>" in row and "1 250 000 euros HT" in row


# (sentence, the technology's words in it): the sentence denies it. The review of the
# hint (a helper session) wrote most of them, with those below.
DENIALS = [
    ("Il n'y aura pas de drone au-dessus du marché de Nice.", "drone"),
    ("Le maire assure qu'il ne s'agit pas de reconnaissance faciale.", "reconnaissance faciale"),
    ("La vidéoprotection fonctionnera sans centre de supervision urbain.", "centre de supervision"),
    ("Les lecteurs de plaques ne sont pas prévus par le marché.", "lecteurs de plaques"),
    ("La ville n'utilise plus la reconnaissance faciale depuis 2021.", "reconnaissance faciale"),
    # A PDF's text wraps inside a sentence; quotation marks; a list after the negation.
    ("Il n'y aura pas de\ndrone au-dessus du marché.", "drone"),
    ("La reconnaissance faciale\nn'est pas prévue.", "reconnaissance faciale"),
    ("Il n'y aura pas de « drone ».", "drone"),
    (
        "Le dispositif ne comprend pas de drones, de capteurs sonores ou de lecteurs de plaques.",
        "lecteurs de plaques",
    ),
    ("Le dispositif ne comprend ni drones ni capteurs sonores.", "capteurs sonores"),
    ("La ville ne dispose pas encore de CSU.", "CSU"),
    ("Le maire refuse la reconnaissance faciale.", "reconnaissance faciale"),
    ("La délibération exclut tout recours aux drones.", "drones"),
    (
        "Le centre de supervision urbain (CSU) ne sera pas opérationnel avant 2026.",
        "centre de supervision urbain",
    ),
    ("Pas de reconnaissance faciale, promet le maire.", "reconnaissance faciale"),
]
# The technology is named, not denied: a negation that says yes, restricts or adds,
# the noun "pas", a negation of something else.
AFFIRMATIONS = [
    ("Trois drones survoleront le marché de Nice samedi.", "drones"),
    ("Les maires franchissent le pas de la reconnaissance faciale.", "reconnaissance faciale"),
    ("C'est un premier pas vers la reconnaissance faciale.", "reconnaissance faciale"),
    ("Ce n'est pas seulement un centre de supervision urbain.", "centre de supervision urbain"),
    ("Le préfet autorise sans doute la reconnaissance faciale demain.", "reconnaissance faciale"),
    (
        "Les lecteurs de plaques sont installés; il n'y a pas de caméras aux entrées.",
        "lecteurs de plaques",
    ),
    ("La ville n'a pas renoncé aux drones.", "drones"),
    ("Le maire n'hésite pas à déployer des drones.", "drones"),
    (
        "La mairie déploie sans attendre la vidéosurveillance algorithmique.",
        "vidéosurveillance algorithmique",
    ),
    ("Il ne fait aucun doute que la VSA sera utilisée.", "VSA"),
    ("On ne peut pas dire que les capteurs sonores soient inutiles.", "capteurs sonores"),
    ("La police municipale n'a plus que deux drones.", "drones"),
    ("La ville a plus que jamais besoin de drones.", "drones"),
    ("Rien n'interdit l'usage de drones par la police municipale.", "drones"),
    ("La CNIL n'a pas d'objection au centre de supervision urbain.", "centre de supervision"),
    ("Le juge ne remet pas en cause l'usage des drones.", "drones"),
    ("Les drones ne posent pas de problème selon le préfet.", "drones"),
    ("Le centre de supervision urbain ne ferme jamais.", "centre de supervision urbain"),
    ("La ville n'a pas de CSU, elle installe des drones.", "drones"),
    (
        "Logiciel non déployé - reconnaissance faciale - vidéosurveillance.",
        "reconnaissance faciale",
    ),
]


@pytest.mark.parametrize(("sentence", "word"), DENIALS)
def test_a_sentence_that_denies_a_technology_is_read_as_one(sentence, word):
    from contrechamp.documents.review import denied

    at = sentence.index(word)
    assert denied(sentence, at, at + len(word))


@pytest.mark.parametrize(("sentence", "word"), AFFIRMATIONS)
def test_a_sentence_that_names_a_technology_is_no_denial(sentence, word):
    from contrechamp.documents.review import denied

    at = sentence.index(word)
    assert not denied(sentence, at, at + len(word))


def test_the_hint_reads_a_bounded_window_whatever_the_page():
    """A 1.5 kB PDF of lines of "n'drone-" made the reviewer's page take 16 s (a hostile
    review): the pattern read the rest of the line as one word and backtracked. The hint
    now reads 120 characters before the occurrence and 100 after: its answer on a page is
    its answer on that window alone, and it says no for offsets the text no longer has."""
    from contrechamp.documents.review import denied

    for line in ("n'drone-" * 25_000, "ne " + "n'a " * 50_000 + "drone", "pas de " * 30_000):
        at = len(line) // 2
        at = line.index("drone", at) if "drone" in line[at:] else at
        window = line[at - 120 : at + 5 + 100]
        assert denied(line, at, at + 5) == denied(window, 120, 125)
    assert not denied("Pas de drone.", 7, 40) and not denied("", 0, 1)


def test_a_row_named_thousands_of_times_quotes_its_first_occurrences(client, reviewer, contributor):
    """The crafted page named "drone" 12,000 times, and the row quoted each of them."""
    from contrechamp.documents.review import QUOTED_OCCURRENCES

    document = add(samples.text_pdf(["Un drone. " * 120]), "drones.pdf", uploaded_by=contributor)
    made = _entities(document, "drone", "technology", "drones")
    assert len(made) == 120 > QUOTED_OCCURRENCES
    client.force_login(reviewer)
    row = _row(client.get(f"/documents/{document.id}/").content.decode(), "drones")
    assert row.count("<mark>") == QUOTED_OCCURRENCES
    assert "120 occurrences" in row.replace("\xa0", " ")
    rest = 120 - QUOTED_OCCURRENCES
    assert f"{rest} more, not quoted" in row or f"et {rest} autres, sans citation" in row


def test_the_reviewer_sees_which_occurrences_their_sentence_denies(client, reviewer, contributor):
    """ "Il n'y aura pas de drone" was suggested as drones like any mention, and nothing
    on the row told the reviewer (a sentence of a real council page)."""
    pages = [
        "Il n'y aura pas de drone au-dessus du marché de Nice. La vidéoprotection suffit.",
        "Trois drones survoleront le carnaval de Nice.",
    ]
    document = add(samples.text_pdf(pages), "drones.pdf", uploaded_by=contributor)
    _entities(document, "drone", "technology", "drones")
    _entities(document, "vidéoprotection", "technology", "videosurveillance")
    client.force_login(reviewer)
    html = client.get(f"/documents/{document.id}/").content.decode()
    row = _row(html, "drones")
    occurrences = row.split("<li")[1:]
    assert len(occurrences) == 2
    assert "denied" in occurrences[0] and "denied" not in occurrences[1]
    # Plain cameras are named in every sentence about them: no hint on their row.
    assert "denied" not in _row(html, "videosurveillance")
    # The uploader, who may not read the text, gets no quote and so no hint from it.
    uploader = Client()
    uploader.force_login(contributor)
    row = _row(uploader.get(f"/documents/{document.id}/").content.decode(), "drones")
    assert "<mark>" not in row and "denied" not in row


def test_a_technology_accepted_into_a_new_deployment_before_any_place_says_what_to_do(
    client, reviewer, contributor
):
    """A new user's walk accepted "Drones" first and read the registry's own rule, "a
    local deployment needs at least one commune or intercommunality"."""
    document, nice = _document(contributor)
    drones = _entities(document, "vidéoprotection", "technology", "videosurveillance")
    assert not document.places.exists()
    client.force_login(reviewer)
    response = client.post(_accept_url(document, drones[0]), {"deployment": "new"}, follow=True)
    page = response.content.decode()
    assert "accept one of its communes first" in page or "acceptez d’abord" in page
    assert not Deployment.objects.filter(citations__source__document=document).exists()
    assert _statuses(drones) == {"suggested"}
    # Once a commune is accepted (detection links it to its commune), the same accept
    # makes "Vidéosurveillance – Nice".
    from contrechamp.places.models import Commune

    Entity.objects.filter(id__in=[e.id for e in nice]).update(
        commune=Commune.objects.get(code=NICE)
    )
    client.post(_accept_url(document, nice[0]), {"deployment": "new"})
    client.post(_accept_url(document, drones[0]), {"deployment": "new"})
    assert _statuses(drones) == {"accepted"}


def test_after_a_first_accept_the_next_rows_go_to_that_deployment_by_default(
    client, reviewer, contributor
):
    """Every row's menu chose "New deployment": a new user's walk accepted two rows and
    made two drafts of the same title, listed alike in the menus."""
    document, nice = _document(contributor)
    client.force_login(reviewer)
    page = client.get(f"/documents/{document.id}/").content.decode()
    # Nice's deployments are offered: the menu asks for a choice (no "new" by default).
    assert '<option value="" selected>' in page
    client.post(_accept_url(document, nice[0]), {"deployment": "new"})
    made = Deployment.objects.filter(citations__source__document=document).distinct().get()
    page = client.get(f"/documents/{document.id}/").content.decode()
    assert f'<option value="{made.id}" selected>' in page
    assert '<option value="new" selected>' not in page
    assert re.search(rf'<option value="{made.id}" selected>[^<]*\((?:draft|brouillon)\)', page)


def test_a_deployment_citing_several_pages_is_named_once_with_its_pages(
    client, reviewer, contributor
):
    """ "Cité par" named the deployment once per page it cites (a new user's walk)."""
    document, nice = _document(contributor)
    client.force_login(reviewer)
    client.post(_accept_url(document, nice[0]), {"deployment": "new"})
    made = Deployment.objects.filter(citations__source__document=document).distinct().get()
    assert made.citations.count() == 3  # pages 1, 2 and 3
    page = client.get(f"/documents/{document.id}/").content.decode()
    cited = page[page.index('id="cited-by"') : page.index("</p>", page.index('id="cited-by"'))]
    assert cited.count(made.title) == 1
    assert "(p. 1, p. 2, p. 3)" in cited


ROLES_PAGES = [
    "La vidéoprotection à Nice : la Préfecture des Alpes-Maritimes a autorisé les caméras "
    "posées par la société Citelum ; la Ligue des droits de l'Homme conteste. La Région "
    "Provence-Alpes-Côte d'Azur finance une partie.",
]


def _roles_document(contributor) -> tuple[Document, dict[str, Entity]]:
    document, _nice = _document(contributor, ROLES_PAGES, "roles.pdf")
    document.places.add(Commune.objects.get(code=NICE))
    rows = {}
    for word in ("Préfecture des Alpes-Maritimes", "Citelum", "Ligue des droits de l'Homme"):
        rows[word] = _entities(document, word, "organisation", word)[0]
    return document, rows


def _vendors(deployment: Deployment) -> list[str]:
    return sorted(deployment.vendors.values_list("name", flat=True))


@pytest.mark.parametrize(
    "value, role",
    [
        ("Préfecture des Alpes-Maritimes", "cited"),
        ("Préfecture de police", "cited"),
        ("Tribunal administratif de Nice", "cited"),
        ("Conseil d'État", "cited"),
        ("CNIL", "cited"),
        ("Ligue des droits de l'Homme", "cited"),
        ("La Quadrature du Net", "cited"),
        ("Ministère de l'Intérieur", "cited"),
        ("Citelum", "vendor"),
        ("Briefcam", "vendor"),
        ("Bouygues Energies & Services", "vendor"),
        ("Courtepaille", "vendor"),  # a word that starts like "cour" is no court
        ("Sudeco", "vendor"),
        # Found by its review: what the suggestions' gazetteer knows of a name (a public
        # body, an association, a funder); an article first; a prefect, a town hall, the
        # State, a prosecutor; and a company whose first word is a body's.
        ("DGSI", "cited"),
        ("Europol", "cited"),
        ("Human Rights Watch", "cited"),
        ("Banque des territoires", "funder"),
        ("La CNIL", "cited"),
        ("le tribunal administratif", "cited"),
        ("Préfet du Nord", "cited"),
        ("Mairie de Nice", "cited"),
        ("Ville de Paris", "cited"),
        ("État", "cited"),
        ("Procureur de la République", "cited"),
        ("Quadrature du Net", "cited"),
        ("Sud Ouest Sécurité", "vendor"),
        ("Agence Vidéo Sud", "vendor"),
        ("Police Equipment SA", "vendor"),
        ("Union Investment", "vendor"),
        ("Cour Carrée SARL", "vendor"),
    ],
)
def test_the_role_offered_first_tells_a_body_from_a_vendor(value, role):
    from contrechamp.documents.review import organisation_role

    assert organisation_role(value) == role
    # What the registry says of an organisation wins over its name, but for "vendor",
    # the default every organisation accepted before the roles was given: a prefecture
    # the registry holds as a vendor is still offered as cited.
    assert organisation_role(value, "funder") == "funder"
    assert organisation_role(value, "vendor") == role
    assert organisation_role(value, "public_body") == "cited"


def test_a_prefecture_accepted_is_cited_not_made_the_cameras_vendor(client, reviewer, contributor):
    # Every organisation accepted was made a vendor: "Préfecture des Alpes-Maritimes"
    # was then published as the supplier of Nice's cameras.
    document, rows = _roles_document(contributor)
    client.force_login(reviewer)
    html = client.get(f"/documents/{document.id}/").content.decode()
    prefecture_row = _row(html, "Préfecture des Alpes-Maritimes")
    assert re.search(r'<option value="cited" selected>', prefecture_row)
    assert re.search(r'<option value="vendor" selected>', _row(html, "Citelum"))
    assert 'name="role"' not in _row(html, NICE)  # a commune has no role to choose
    # The form as the page offers it.
    client.post(
        _accept_url(document, rows["Préfecture des Alpes-Maritimes"]),
        {"deployment": "new", "role": "cited"},
    )
    deployment = Deployment.objects.filter(citations__source__document=document).distinct().get()
    assert _vendors(deployment) == [] and not deployment.fundings.exists()
    assert deployment.citations.filter(source__document=document, locator="p. 1").exists()
    assert _statuses([rows["Préfecture des Alpes-Maritimes"]]) == {"accepted"}
    # The same with the role field removed (an old page, a crafted form): the role the
    # page offers first, not "vendor".
    client.post(
        _accept_url(document, rows["Ligue des droits de l'Homme"]),
        {"deployment": str(deployment.id)},
    )
    deployment.refresh_from_db()
    assert _vendors(deployment) == []
    assert _statuses([rows["Ligue des droits de l'Homme"]]) == {"accepted"}
    # A company without the field: its vendor, as before.
    client.post(_accept_url(document, rows["Citelum"]), {"deployment": str(deployment.id)})
    deployment.refresh_from_db()
    assert _vendors(deployment) == ["Citelum"]


def test_an_organisation_accepted_as_a_funder_joins_the_fundings(
    client, reviewer, contributor, english
):
    document, rows = _roles_document(contributor)
    client.force_login(reviewer)
    response = client.post(
        _accept_url(document, rows["Ligue des droits de l'Homme"]),
        {"deployment": "new", "role": "funder"},
        follow=True,
    )
    deployment = Deployment.objects.filter(citations__source__document=document).distinct().get()
    assert list(deployment.fundings.values_list("funder__name", flat=True)) == [
        "Ligue des droits de l'Homme"
    ]
    assert _vendors(deployment) == []
    assert "added to the funders of" in response.content.decode()


def test_a_crafted_role_is_refused_and_nothing_changes(client, reviewer, contributor, english):
    document, rows = _roles_document(contributor)
    client.force_login(reviewer)
    before = Deployment.objects.count()
    response = client.post(
        _accept_url(document, rows["Citelum"]),
        {"deployment": "new", "role": "operator"},
        follow=True,
    )
    assert "Choose what the organisation is in the deployment." in response.content.decode()
    assert Deployment.objects.count() == before
    assert _statuses([rows["Citelum"]]) == {"suggested"}


def test_a_visitor_reads_the_accepted_entities_as_the_document_s_not_as_suggestions(
    client, reviewer, contributor
):
    """A published document's accepted entities were listed to visitors under "Suggested
    entities", each with a detector's confidence (a new user's walk)."""

    document, nice = _document(contributor)
    client.force_login(reviewer)
    client.post(_accept_url(document, nice[0]), {"deployment": "new"})
    publish(document, reviewer)
    client.logout()
    html = client.get(f"/documents/{document.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Entities of this document" in html and "Suggested entities" not in html
    row = _row(html, NICE)
    assert "confidence" not in row
    # Who decides still reads them as suggestions, each waiting one with its confidence.
    client.force_login(reviewer)
    html = client.get(f"/documents/{document.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Suggested entities" in html
    assert "confidence" in _row(html, "videosurveillance")
    assert "confidence" not in _row(html, NICE)


def test_a_deployment_of_the_documents_places_is_offered_before_a_new_one(
    client, reviewer, contributor
):
    """The menu chose "New deployment" by default though a published deployment of the
    document's commune (citing the same report typed by hand) was in it: one click on
    "Accept" made a duplicate draft (a new user's walk). With deployments of its places
    and none citing it, the menu now asks for a choice."""
    from contrechamp.places.models import Commune
    from contrechamp.registry.services import deployment_create
    from tests.factories import deployment_data

    document, nice = _document(contributor)
    document.places.add(Commune.objects.get(code=NICE))
    existing = deployment_create(
        data=deployment_data(title="Vidéoprotection du centre de Nice", communes=[NICE]),
        author=reviewer,
    )
    client.force_login(reviewer)
    page = client.get(f"/documents/{document.id}/").content.decode()
    assert '<option value="new" selected>' not in page
    assert re.search(r'<select name="deployment" id="deployment-[^"]+" required>', page)
    assert '<option value="" selected>' in page and f'<option value="{existing.id}">' in page
    # Sent without a choice (the browser's check removed), nothing is made.
    before = Deployment.objects.count()
    client.post(_accept_url(document, nice[0]), {"deployment": ""})
    assert Deployment.objects.count() == before
    client.post(_accept_url(document, nice[0]), {"deployment": str(existing.id)})
    assert Deployment.objects.count() == before
    assert existing.citations.filter(source__document=document).exists()
