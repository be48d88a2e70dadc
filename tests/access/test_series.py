"""Bodies of the places dataset, series of requests and the CADA's rule on them, and
the private proofs joined to the referral file."""

import datetime as dt
import io

import pymupdf
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from contrechamp.access import services
from contrechamp.access.models import AccessRequest, Attachment, Event, PublicBody, RequestSeries
from tests.documents import samples

pytestmark = pytest.mark.django_db

DRAFT = {
    "title": "Vidéosurveillance algorithmique",
    "documents_asked": "Le marché passé avec la société Briefcam en 2024",
    "channel": "email",
}
FIVE = "42218, 13055, 06088, 69123, 33063"


def _png() -> bytes:
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 30), False)
    pixmap.clear_with(200)
    return pixmap.tobytes("png")


def test_bodies_of_the_places_dataset_are_found_by_name_and_made_once(contributor_client, client):
    found = client.get("/api/v1/bodies?q=loire").json()["results"]
    references = [b["reference"] for b in found]
    assert "prefecture:42" in references and "department:42" in references
    assert "region:52" in references  # Pays de la Loire
    saint_etienne = client.get("/api/v1/bodies?q=saint-etienne").json()["results"]
    assert {"epci:244200770", "commune:42218"} <= {b["reference"] for b in saint_etienne}
    assert client.get("/api/v1/bodies?q=x").json()["results"] == []
    assert client.get("/api/v1/bodies").status_code == 400  # q is required

    entries = (
        "Préfecture de la Loire (42) [prefecture:42]; Saint-Étienne Métropole [epci:244200770]"
    )
    response = contributor_client.post(
        "/demandes/nouvelle/", {**DRAFT, "bodies": entries, "communes": "Saint-Étienne (42218)"}
    )
    assert response.status_code == 302
    series = RequestSeries.objects.get()
    assert response["Location"] == series.get_absolute_url()
    kinds = sorted(series.requests.values_list("body__kind", "body__name"))
    assert kinds == [
        ("commune", "Mairie de Saint-Étienne"),
        ("epci", "Saint-Étienne Métropole"),
        ("prefecture", "Préfecture de la Loire"),
    ]
    epci = PublicBody.objects.get(kind="epci")
    assert epci.department_code == "42"  # its holidays are those of the Loire
    # Asked again, the same bodies: none is made twice.
    contributor_client.post("/demandes/nouvelle/", {**DRAFT, "bodies": "prefecture:42"})
    assert PublicBody.objects.count() == 3 and AccessRequest.objects.count() == 4


def test_a_body_that_does_not_exist_is_refused_and_nothing_is_made(contributor_client):
    response = contributor_client.post(
        "/demandes/nouvelle/",
        {**DRAFT, "communes": "42218", "bodies": "prefecture:42; Quelque part [epci:123]"},
    )
    assert response.status_code == 400
    assert "epci:123" in response.content.decode()
    assert not PublicBody.objects.exists() and not AccessRequest.objects.exists()


def test_a_series_to_every_commune_of_a_department(contributor_client):
    response = contributor_client.post("/demandes/nouvelle/", {**DRAFT, "department": "972"})
    assert response.status_code == 400  # 34 drafts: confirmed first
    response = contributor_client.post(
        "/demandes/nouvelle/", {**DRAFT, "department": "972", "confirm_many": "on"}
    )
    assert response.status_code == 302
    series = RequestSeries.objects.get()
    assert series.requests.count() == 34  # the communes of Martinique
    assert {r.body.department_code for r in series.requests.all()} == {"972"}
    # Only where the registry records a deployment: none in Mayotte, and it is said.
    response = contributor_client.post(
        "/demandes/nouvelle/", {**DRAFT, "department": "976", "only_with_deployments": "on"}
    )
    assert response.status_code == 400
    assert "Mayotte" in response.content.decode()
    response = contributor_client.post("/demandes/nouvelle/", {**DRAFT, "department": "99"})
    assert response.status_code == 400 and RequestSeries.objects.count() == 1


@pytest.fixture
def series(contributor_client):
    """Five requests of a series of requests, sent on 10 March 2026 and received on the 12th."""
    contributor_client.post("/demandes/nouvelle/", {**DRAFT, "communes": FIVE})
    series = RequestSeries.objects.get()
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0), tick=False):
        page = contributor_client.get(series.get_absolute_url()).content.decode()
        assert "5 drafts" in page or "5 brouillons" in page
        response = contributor_client.post(
            f"/demandes/series/{series.id}/envoi/",
            {"sent_on": "2026-03-10", "channel": "email", "received_on": "2026-03-12"},
        )
    assert response.status_code == 302
    assert set(series.requests.values_list("status", flat=True)) == {"sent"}
    return series


def test_the_refusals_of_a_series_are_referred_together(series, contributor_client, client):
    requests = {r.body.commune.code: r for r in series.requests.all()}
    marseille, nice = requests["13055"], requests["06088"]
    with time_machine.travel(dt.datetime(2026, 4, 1, 10, 0), tick=False):
        contributor_client.post(
            f"/demandes/{requests['69123'].id}/evenement/", {"kind": "reply", "date": "2026-04-01"}
        )
    # Bordeaux received the request later (its proof of receipt says the 25th).
    bordeaux = requests["33063"]
    AccessRequest.objects.filter(id=bordeaux.id).update(received_on=dt.date(2026, 3, 25))
    services.implicit_refusals_record(on=dt.date(2026, 4, 20))
    statuses = sorted(series.requests.values_list("status", flat=True))
    assert statuses == ["answered", "refused", "refused", "refused", "sent"]

    with time_machine.travel(dt.datetime(2026, 4, 20, 10, 0), tick=False):
        # A refused request of the series is not referred on its own.
        page = contributor_client.get(f"/demandes/{nice.id}/").content.decode()
        assert "/courrier/cada_referral/" not in page and "#series" in page
        assert (
            contributor_client.get(f"/demandes/{nice.id}/courrier/cada_referral/").status_code
            == 404
        )
        # The grouped referral, made on Marseille's refusal, lists every request.
        letter = contributor_client.get(
            f"/demandes/series/{series.id}/courrier/?demande={marseille.id}"
        ).content.decode()
        assert "L342-1" in letter and "série de 5 demandes" in letter
        assert "Administration : Mairie de Marseille" in letter
        assert "refus implicite né le 12 avril 2026" in letter
        lyon = "Mairie de Lyon — demande du 10 mars 2026, reçue le 12 mars 2026 — réponse"
        # "1er avril", as French writes the first of a month (a new user's walk).
        assert lyon + " reçue le 1er avril 2026" in letter
        assert (
            "Mairie de Bordeaux — demande du 10 mars 2026, reçue le 25 mars 2026 — sans" in letter
        )
        response = contributor_client.post(
            f"/demandes/series/{series.id}/saisine/",
            {"lead": marseille.id, "date": "2026-04-20"},
        )
        assert response.status_code == 302
        series.refresh_from_db()
        assert series.referral_lead == marseille and series.referred_on == dt.date(2026, 4, 20)
        referred = Event.objects.filter(kind="cada_referral", series=True)
        assert referred.count() == 3
        assert set(
            AccessRequest.objects.filter(events__in=referred).values_list("status", flat=True)
        ) == {"cada"}
        # The CADA file is the grouped one, made on Marseille's refusal; Nice's refusal
        # went with it and has no file of its own.
        response = contributor_client.get(f"/demandes/{marseille.id}/saisine.pdf")
        assert response.status_code == 200
        pdf = pymupdf.open(stream=io.BytesIO(response.content), filetype="pdf")
        text = "".join(page.get_text() for page in pdf)
        assert "L342-1" in text and "Mairie de Bordeaux" in text
        assert contributor_client.get(f"/demandes/{nice.id}/saisine.pdf").status_code == 404
        # Each administration is told, with the date and the refusal referred.
        notice = contributor_client.get(f"/demandes/{nice.id}/courrier/series_notice/")
        text = notice.content.decode()
        assert notice.status_code == 200
        assert "20 avril 2026" in text and "Mairie de Marseille" in text and "L342-1" in text
        # Once is enough.
        again = contributor_client.post(
            f"/demandes/series/{series.id}/saisine/",
            {"lead": nice.id, "date": "2026-04-20"},
            follow=True,
        )
        assert Event.objects.filter(kind="cada_referral").count() == 3
        assert "left to refer" in again.content.decode() or "reste" in again.content.decode()

    # Bordeaux's silence becomes a refusal on 25 April: it joins the referral.
    services.implicit_refusals_record(on=dt.date(2026, 4, 25))
    with time_machine.travel(dt.datetime(2026, 4, 26, 10, 0), tick=False):
        page = contributor_client.get(series.get_absolute_url()).content.decode()
        assert 'id="series-join"' in page
        contributor_client.post(f"/demandes/series/{series.id}/saisine/", {"date": "2026-04-26"})
    assert Event.objects.filter(kind="cada_referral", series=True).count() == 4
    series.refresh_from_db()
    assert series.referral_lead == marseille and series.referred_on == dt.date(2026, 4, 20)
    # Referred: the series' next dates are the CADA's (estimated from the referral), in
    # French, not "Last day to refer to the CADA" (a new user's walk).
    with time_machine.travel(dt.datetime(2026, 4, 27, 10, 0), tick=False):
        page = contributor_client.get(
            series.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr"
        ).content.decode()
    assert "saisir la CADA" not in page and "Last day" not in page
    assert "Avis de la CADA attendu" in page or "avis de la CADA" in page.lower()

    with time_machine.travel(dt.datetime(2026, 4, 28, 10, 0), tick=False):
        contributor_client.post(
            f"/demandes/series/{series.id}/evenement/",
            {"kind": "cada_ack", "date": "2026-04-27"},
        )
    assert Event.objects.filter(kind="cada_ack", series=True).count() == 4
    for request in AccessRequest.objects.filter(status="cada"):
        confirmed = services.calendar(request).get("refusal_confirmed")
        assert confirmed is not None and confirmed.date == dt.date(2026, 6, 27)
    # The public sees the series of requests and the series, not the requester's name.
    client.logout()
    public = client.get(series.get_absolute_url()).content.decode()
    assert "Mairie de Marseille" in public and "L342-1" in public and "camille" not in public
    assert client.post(f"/demandes/series/{series.id}/evenement/", {}).status_code == 403


def test_fewer_than_five_requests_are_referred_one_by_one(contributor_client):
    contributor_client.post("/demandes/nouvelle/", {**DRAFT, "communes": "42218, 13055"})
    series = RequestSeries.objects.get()
    first = series.requests.order_by("id").first()
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0), tick=False):
        contributor_client.post(
            f"/demandes/series/{series.id}/envoi/",
            {"sent_on": "2026-03-10", "channel": "email", "received_on": "2026-03-12"},
        )
    services.implicit_refusals_record(on=dt.date(2026, 4, 20))
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, 0), tick=False):
        page = contributor_client.get(series.get_absolute_url()).content.decode()
        assert "Fewer than 5" in page or "Moins de 5" in page
        assert (
            contributor_client.get(f"/demandes/{first.id}/courrier/cada_referral/").status_code
            == 200
        )
        response = contributor_client.post(
            f"/demandes/series/{series.id}/saisine/",
            {"lead": first.id, "date": "2026-04-20"},
            follow=True,
        )
    assert not Event.objects.filter(kind="cada_referral").exists()
    assert (
        "Choose" in response.content.decode()
        or "not a series" in response.content.decode()
        or "pas une série" in response.content.decode()
        or "Sélectionnez" in response.content.decode()
    )


def test_a_draft_series_is_private(contributor_client, client, other_contributor):
    contributor_client.post("/demandes/nouvelle/", {**DRAFT, "communes": "42218, 13055"})
    series = RequestSeries.objects.get()
    assert contributor_client.get(series.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(series.get_absolute_url()).status_code == 404
    client.force_login(other_contributor)
    assert client.get(series.get_absolute_url()).status_code == 404
    assert client.post(f"/demandes/series/{series.id}/envoi/", {}).status_code == 404


def test_proofs_are_private_and_go_into_the_referral_file(contributor_client, client, reviewer):
    contributor_client.post("/demandes/nouvelle/", {**DRAFT, "communes": "42218"})
    request = AccessRequest.objects.get()
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0), tick=False):
        response = contributor_client.post(
            f"/demandes/{request.id}/envoi/",
            {
                "sent_on": "2026-03-10",
                "channel": "post",
                "received_on": "",
                "proof": SimpleUploadedFile("recommande.png", _png()),
            },
        )
        assert response.status_code == 302
        (proof,) = Attachment.objects.all()
        assert proof.kind == "sending" and proof.mime == "image/png"
        # Not a proof: refused with the reason, nothing kept.
        response = contributor_client.post(
            f"/demandes/{request.id}/preuves/",
            {"file": SimpleUploadedFile("archive.zip", b"PK\x03\x04rest"), "kind": "receipt"},
            follow=True,
        )
        assert "archive.zip" in response.content.decode() and Attachment.objects.count() == 1
        # In the page's language, not in the pipeline's English.
        assert "archive.zip : L’archive est endommagée (" in response.content.decode()
        response = contributor_client.post(
            f"/demandes/{request.id}/preuves/",
            {
                "file": SimpleUploadedFile(
                    "ar.pdf", samples.text_pdf(["Avis de réception 1A 234 567 8901 2"])
                ),
                "kind": "receipt",
            },
        )
        assert Attachment.objects.count() == 2
        url = f"/demandes/{request.id}/preuves/{proof.id}/"
        download = contributor_client.get(url)
        assert download.status_code == 200 and download.content == _png()
        assert "no-store" in download["Cache-Control"]
    services.implicit_refusals_record(on=dt.date(2026, 4, 20))
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, 0), tick=False):
        page = contributor_client.get(f"/demandes/{request.id}/").content.decode()
        assert 'id="referral-file"' in page
        response = contributor_client.get(f"/demandes/{request.id}/saisine.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = pymupdf.open(stream=io.BytesIO(response.content), filetype="pdf")
    text = "".join(page.get_text() for page in pdf)
    assert "R343-1" in text and "L311-9" in text  # the referral, then the request
    assert "1A 234 567 8901 2" in text  # the proof of receipt
    assert pdf.page_count >= 4  # letter, request, scan of the receipt, acknowledgement
    # Nobody else gets the proofs or the file: not the public, not another contributor.
    client.logout()
    assert client.get(url).status_code in (302, 403)
    assert client.get(f"/demandes/{request.id}/saisine.pdf").status_code in (302, 403)
    assert "preuves" not in client.get(f"/demandes/{request.id}/").content.decode()
    client.force_login(reviewer)
    assert client.get(url).status_code == 200
