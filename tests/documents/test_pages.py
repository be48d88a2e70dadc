"""The library as people use it: upload, read pages, download originals only with the
right role, review suggestions into the registry; and the same through the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contrechamp.documents.models import Document, Entity
from contrechamp.registry.models import Citation, Deployment
from tests.documents import samples
from tests.documents.conftest import add

pytestmark = pytest.mark.django_db

TEXT = (
    "Délibération du conseil municipal. La ville de Saint-Étienne installe des capteurs "
    "sonores fournis par la société Serenicity pour 45 000 € HT, avec le FIPD."
)


@pytest.fixture
def minutes(contributor):
    return add(samples.text_pdf([TEXT]), "deliberation.pdf", uploaded_by=contributor)


def test_a_contributor_uploads_several_files_at_once(contributor_client):
    response = contributor_client.post(
        "/documents/envoi/",
        {
            "files": [
                SimpleUploadedFile("a.pdf", samples.text_pdf([TEXT])),
                SimpleUploadedFile("b.txt", "Capteurs sonores à Nice.".encode()),
            ],
            "origin": "council",
            "place": "42218",
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["file"] for r in results] == ["a.pdf", "b.txt"]
    assert all(r["url"].startswith("/documents/") for r in results)
    documents = Document.objects.order_by("id")
    assert [d.status for d in documents] == ["queued", "queued"]
    assert all(d.origin == "council" for d in documents)


def test_upload_errors_are_explained_and_nothing_is_stored(contributor_client, settings):
    response = contributor_client.post(
        "/documents/envoi/",
        {"files": [SimpleUploadedFile("a.txt", b"texte")], "origin": "council", "place": "99999"},
    )
    assert response.status_code == 400
    assert "No commune has the INSEE code" in response.content.decode() or "Aucune commune" in (
        response.content.decode()
    )
    settings.DOCUMENT_MAX_BYTES = 10
    response = contributor_client.post(
        "/documents/envoi/",
        {"files": [SimpleUploadedFile("big.txt", b"x" * 100)], "origin": "other"},
        HTTP_ACCEPT="application/json",
    )
    assert "limit" in response.json()["results"][0]["error"]
    assert not Document.objects.exists()


def test_an_empty_file_among_others_is_refused_by_name_and_the_others_added(contributor_client):
    # Sent with the plain form (no script): the page says which file was empty.
    response = contributor_client.post(
        "/documents/envoi/",
        {
            "files": [
                SimpleUploadedFile("vide.pdf", b""),
                SimpleUploadedFile("b.txt", "Capteurs sonores à Nice.".encode()),
            ],
            "origin": "council",
        },
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any("vide.pdf" in m and "vide" in m.split("vide.pdf")[1] for m in shown), shown
    assert any("b.txt" in m for m in shown), shown
    assert list(Document.objects.values_list("filename", flat=True)) == ["b.txt"]
    # And with the page's script: the same, as JSON.
    response = contributor_client.post(
        "/documents/envoi/",
        {"files": [SimpleUploadedFile("vide2.pdf", b"")], "origin": "other"},
        HTTP_ACCEPT="application/json",
    )
    assert "vide2.pdf" in response.json()["results"][0]["error"]
    assert Document.objects.count() == 1


def test_visitors_cannot_upload(client):
    response = client.post("/documents/envoi/", {"origin": "other"})
    assert response.status_code == 403


def test_the_document_page_shows_each_page_image_and_text(client, reviewer, minutes):
    client.force_login(reviewer)
    page = client.get(f"/documents/{minutes.id}/?page=1").content.decode()
    assert "capteurs" in page and f"/documents/{minutes.id}/pages/1.png" in page
    image = client.get(f"/documents/{minutes.id}/pages/1.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "who, detail, image, original",
    [
        ("visitor", 404, 404, 404),
        ("other_contributor", 404, 404, 404),
        # The uploader: her own original, its pages and text (not through the API, which
        # serves published copies).
        ("contributor", 200, 200, 200),
        ("reviewer", 200, 200, 200),
    ],
)
def test_originals_and_unpublished_text_need_the_right_role(
    request, client, minutes, who, detail, image, original
):
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))
    response = client.get(f"/documents/{minutes.id}/")
    assert response.status_code == detail
    if detail == 200:
        # The uploader reads her own original's text, as reviewers do.
        assert "installe des" in response.content.decode()
    assert client.get(f"/documents/{minutes.id}/pages/1.png").status_code == image
    response = client.get(f"/documents/{minutes.id}/original/")
    assert response.status_code == original
    if original == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/api/v1/documents/{minutes.id}").status_code == (
        200 if who == "reviewer" else 404
    )


def test_even_a_public_document_keeps_its_original_private(client, minutes):
    Document.objects.filter(id=minutes.id).update(is_public=True)
    assert client.get(f"/documents/{minutes.id}/").status_code == 200
    assert client.get(f"/documents/{minutes.id}/original/").status_code == 404


def test_the_reading_status_is_for_those_who_follow_it(client, contributor, minutes):
    """A visitor read "Statut : traité" on every published document (a walk); its uploader
    still follows the reading."""
    Document.objects.filter(id=minutes.id).update(is_public=True)
    assert 'id="document-status"' not in client.get(f"/documents/{minutes.id}/").content.decode()
    client.force_login(contributor)
    assert 'id="document-status"' in client.get(f"/documents/{minutes.id}/").content.decode()


def test_a_reviewer_accepts_a_commune_into_a_new_deployment_with_a_citation(
    client, reviewer, minutes
):
    client.force_login(reviewer)
    commune = Entity.objects.get(page__document=minutes, kind="commune", value="42218")
    response = client.post(f"/suggestions/{commune.id}/accepter/", {"deployment": "new"})
    deployment = Deployment.objects.get(citations__source__document=minutes)
    assert response.status_code == 302 and deployment.slug in response["Location"]
    assert not deployment.is_published
    assert list(deployment.communes.values_list("code", flat=True)) == ["42218"]
    assert list(deployment.technologies.values_list("slug", flat=True)) == ["detection-sonore"]
    citation = Citation.objects.get(deployment=deployment)
    assert citation.locator == "p. 1" and "Saint-Étienne" in citation.quote
    assert citation.source.document_id == minutes.id
    commune.refresh_from_db()
    assert commune.status == "accepted" and commune.citation_id == citation.id

    # The vendor, into the same deployment, in one more click.
    vendor = Entity.objects.get(page__document=minutes, kind="organisation")
    client.post(f"/suggestions/{vendor.id}/accepter/", {"deployment": str(deployment.id)})
    deployment.refresh_from_db()
    assert list(deployment.vendors.values_list("name", flat=True)) == ["Serenicity"]
    # Same page, same deployment: still one citation, which both suggestions point at.
    assert deployment.version == 2 and deployment.citations.count() == 1
    vendor.refresh_from_db()
    assert vendor.citation_id == citation.id

    page = client.get(f"/documents/{minutes.id}/").content.decode()
    assert deployment.title in page  # "Cited by"


def test_only_reviewers_and_the_uploader_decide_on_suggestions(client, other_contributor, minutes):
    # The uploader's own decisions: tests/documents/test_suggestion_review.py.
    client.force_login(other_contributor)
    entity = Entity.objects.filter(page__document=minutes).first()
    assert client.post(f"/suggestions/{entity.id}/accepter/").status_code == 404
    assert client.post(f"/suggestions/{entity.id}/rejeter/").status_code == 404


def test_a_rejected_suggestion_disappears(client, reviewer, minutes):
    client.force_login(reviewer)
    amount = Entity.objects.get(page__document=minutes, kind="amount")
    assert 'data-value="45000"' in client.get(f"/documents/{minutes.id}/").content.decode()
    client.post(f"/suggestions/{amount.id}/rejeter/")
    assert 'data-value="45000"' not in client.get(f"/documents/{minutes.id}/").content.decode()
    amount.refresh_from_db()
    assert amount.status == "rejected"


def test_the_search_page_and_the_api_return_the_same_hits(client, reviewer, minutes):
    client.force_login(reviewer)
    page = client.get("/recherche/", {"q": "capteur sonore"}).content.decode()
    # The field's name "capteurs sonores" is one unit of the query, marked as one.
    assert f"/documents/{minutes.id}/?page=1" in page and "<mark>capteurs sonores</mark>" in page
    api = client.get("/api/v1/search", {"q": "capteur sonore"}).json()["results"]
    assert [(r["document"]["id"], r["page"]) for r in api] == [(minutes.id, 1)]
    assert "<mark>capteurs sonores</mark>" in api[0]["snippet"]
    bad = client.get("/api/v1/search", {"q": "x", "date_from": "2019-13-45"})
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "date_from"


def test_the_api_and_the_command_list_entities_with_offsets(client, reviewer, minutes):
    import json
    from io import StringIO

    from django.core.management import call_command

    client.force_login(reviewer)
    rows = client.get(f"/api/v1/documents/{minutes.id}/entities").json()["results"]
    text = minutes.pages.get().text
    assert {(r["kind"], r["value"]) for r in rows} >= {
        ("commune", "42218"),
        ("technology", "detection-sonore"),
        ("amount", "45000"),
        ("organisation", "Serenicity"),
        ("funder", "FIPD"),
    }
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    out = StringIO()
    call_command("documents", "entities", str(minutes.id), "--json", stdout=out)
    assert [json.loads(line) for line in out.getvalue().splitlines()] == [
        {k: r[k] for k in r} for r in rows
    ]


def _public_document(title: str) -> Document:
    return Document.objects.create(
        sha256=f"{abs(hash(title)):064d}"[:64],
        size=1,
        filename="cr.pdf",
        title=title,
        is_public=True,
        origin="council",
        status="done",
    )


def _cites(document: Document, locator: str = "p. 1") -> dict:
    return {
        "source": {
            "document": document.id,
            "title": document.title,
            "publisher": "",
            "url": "",
            "published_on": "",
        },
        "quote": "extrait",
        "locator": locator,
        "accessed_on": None,
    }


def test_it_lists_a_draft_citing_a_document_only_to_those_who_may_read_the_draft(
    client, contributor, other_contributor, reviewer
):
    from contrechamp.registry.services import deployment_create
    from tests.factories import deployment_data

    document = _public_document("Compte rendu du conseil municipal")
    deployment_create(
        data=deployment_data(title="Dispositif publié cité", citations=[_cites(document)]),
        author=reviewer,
    )
    deployment_create(
        data=deployment_data(
            title="BROUILLON reconnaissance faciale",
            is_published=False,
            citations=[_cites(document, "p. 2")],
        ),
        author=contributor,
    )
    url = f"/documents/{document.id}/"
    anonymous = client.get(url).content.decode()
    assert "Dispositif publié cité" in anonymous
    assert "BROUILLON" not in anonymous
    client.force_login(other_contributor)
    assert "BROUILLON" not in client.get(url).content.decode()
    client.force_login(contributor)
    assert "BROUILLON" in client.get(url).content.decode()
    client.force_login(reviewer)
    assert "BROUILLON" in client.get(url).content.decode()


def test_it_shows_a_camera_count_citing_a_document_without_crashing(client, contributor):
    from contrechamp.registry.services import camera_count_create

    document = _public_document("Rapport public caméras")
    camera_count_create(
        commune_code="06088",
        count=12,
        date="2024",
        citations=[_cites(document)],
        author=contributor,
    )
    response = client.get(f"/documents/{document.id}/")
    assert response.status_code == 200
    assert "Nice" in response.content.decode()


def test_a_page_image_asked_twice_at_once_is_served_both_times(
    client, reviewer, minutes, monkeypatch
):
    """The browser's <img> and a second request render the same page at once: each saves
    the image (a save replaces the file), and the other may find it gone between its
    check and its read. Both get the image (one got a 500 in a CI run)."""
    from contrechamp.documents import files

    client.force_login(reviewer)
    url = f"/documents/{minutes.id}/pages/1.png"
    assert client.get(url).status_code == 200  # the image is cached now
    # The file is replaced by another request between this one's check and its read.
    read = files.read

    def replaced_meanwhile(path):
        if path.endswith(".png"):
            files.delete(path)
        return read(path)

    monkeypatch.setattr(files, "read", replaced_meanwhile)
    image = client.get(url)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    # And one that renders it while another deletes it before the read-back.
    monkeypatch.setattr(files, "read", read)
    save = files.save

    def saved_then_replaced(path, data):
        save(path, data)
        files.delete(path)

    monkeypatch.setattr(files, "save", saved_then_replaced)
    image = client.get(url)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_a_page_image_is_served_when_its_cache_cannot_be_written(
    client, reviewer, minutes, monkeypatch
):
    """A full disk costs the cache, not the reader: the image rendered is served."""
    import errno

    from contrechamp.documents import files

    def no_room(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "save", no_room)
    client.force_login(reviewer)
    image = client.get(f"/documents/{minutes.id}/pages/1.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


@pytest.mark.parametrize("who", [None, "contributor"])
def test_the_upload_address_opened_in_a_browser_leads_to_the_form(client, request, who):
    """`/documents/envoi/` is named in the docs; opened, it answered a blank 405."""
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get("/documents/envoi/")
    assert response.status_code == 302
    assert response["Location"] == "/documents/#upload-form"
    assert client.put("/documents/envoi/").status_code == 405


def test_an_accepted_amount_says_it_is_only_cited(client, reviewer, minutes):
    """It said "added to" the deployment, and the funding's amount stayed empty (a new
    user's walk): the page now says where an amount goes."""
    from django.contrib.messages import get_messages

    client.force_login(reviewer)
    commune = Entity.objects.get(page__document=minutes, kind="commune", value="42218")
    client.post(f"/suggestions/{commune.id}/accepter/", {"deployment": "new"})
    deployment = Deployment.objects.get(citations__source__document=minutes)
    amount = Entity.objects.get(page__document=minutes, kind="amount")
    response = client.post(
        f"/suggestions/{amount.id}/accepter/", {"deployment": str(deployment.id)}
    )
    [message] = [str(m) for m in get_messages(response.wsgi_request)][-1:]
    assert "cité dans" in message and "financement" in message and "ajouté" not in message
    assert all(f.amount_eur is None for f in deployment.fundings.all())


def test_an_upload_takes_its_commune_by_name_and_lists_homonyms(contributor_client):
    """The field took INSEE codes only: "Nice" refused the whole upload (a new user's
    walk)."""
    response = contributor_client.post(
        "/documents/envoi/",
        {"files": [SimpleUploadedFile("a.txt", b"texte")], "origin": "council", "place": "nice"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200, response.content
    [document] = Document.objects.all()
    assert list(document.places.values_list("code", flat=True)) == ["06088"]
    response = contributor_client.post(
        "/documents/envoi/",
        {
            "files": [SimpleUploadedFile("b.txt", b"autre")],
            "origin": "council",
            "place": "Saint-Denis",
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]["place"]
    assert "93066" in error and "97411" in error
    assert Document.objects.count() == 1


def test_the_processing_steps_read_as_words_not_as_python(client, reviewer, library):
    """A new user's walk read "detect terminé 0 ms {'kind': 'pdf', …}" on a French page:
    the pipeline's key and the stored dictionary's Python form."""
    from tests.documents import samples
    from tests.documents.conftest import add

    document = add(samples.text_pdf(["Conseil municipal de Nice."]), "steps.pdf")
    client.force_login(reviewer)
    page = client.get(f"/documents/{document.id}/").content.decode()
    steps = page[page.index("<details><summary>") :]
    assert "{'" not in steps and ">detect<" not in steps
    assert "type : pdf" in steps and "kind:" not in steps
    assert '<th scope="row">type de fichier</th>' in steps
    # Nor a dictionary or a list inside the output (a second walk read "suggestions :
    # {'commune': 1}" and "pièces jointes : []").
    assert "[]" not in steps and "{" not in steps.split("</details>")[0]
    assert "suggestions : commune : 1" in steps.replace("\u00a0", " ")


def test_a_refused_upload_without_script_shows_the_library_under_the_form(
    contributor_client, minutes
):
    """A new user's walk: sent without its files (no script, a field removed), the form
    came back above "Aucun document pour l'instant", over a library that held some."""
    response = contributor_client.post("/documents/envoi/", {"origin": "council"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choisissez au moins un fichier" in page or "at least one file" in page
    assert "Aucun document pour l" not in page
    assert f'href="/documents/{minutes.id}/"' in page
