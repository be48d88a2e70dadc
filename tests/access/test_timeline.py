"""Implicit refusals are recorded in the timeline once their date has come, kept in step
with the facts, and counted by the statistics."""

import datetime as dt
import re
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from contrechamp.access import services
from contrechamp.access.models import AccessRequest, Event

pytestmark = pytest.mark.django_db

DRAFT = {
    "communes": "42218",
    "title": "Vidéosurveillance algorithmique",
    "documents_asked": "Le marché passé avec la société Briefcam en 2024",
    "channel": "post",
}


@pytest.fixture
def sent(contributor_client):
    contributor_client.post("/demandes/nouvelle/", DRAFT)
    request = AccessRequest.objects.get()
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0), tick=False):
        response = contributor_client.post(
            f"/demandes/{request.id}/envoi/",
            {"sent_on": "2026-03-10", "channel": "post", "received_on": "2026-03-12"},
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "sent" and not request.events.exists()
    return request


def test_the_daily_pass_records_the_implicit_refusal_once_its_date_has_come(sent, client):
    assert services.implicit_refusals_record(on=dt.date(2026, 4, 11)) == 0
    assert services.implicit_refusals_record(on=dt.date(2026, 4, 12)) == 1
    assert services.implicit_refusals_record(on=dt.date(2026, 4, 13)) == 0  # not twice
    event = Event.objects.get()
    assert (event.kind, event.date, event.automatic) == (
        "implicit_refusal",
        dt.date(2026, 4, 12),
        True,
    )
    sent.refresh_from_db()
    assert sent.status == "refused"
    # Public: the timeline shows it, the API says it was recorded from the rules, and
    # the ranking of bodies counts the refusal.
    with time_machine.travel(dt.datetime(2026, 4, 13, 10, 0), tick=False):
        page = client.get(f"/demandes/{sent.id}/").content.decode()
    assert 'class="event-implicit_refusal"' in page and "Contrechamp" in page
    (recorded,) = client.get(f"/api/v1/requests/{sent.id}/events").json()["results"]
    assert recorded["kind"] == "implicit_refusal" and recorded["automatic"] is True
    stats = client.get("/demandes/organismes/").content.decode()
    row = stats.split("Mairie de Saint-Étienne")[1].split("</tr>")[0]
    cells = [cell.split(">")[-1] for cell in row.split("</td>")[1:6]]
    assert cells == ["1", "0", "0", "1", "0"]  # requests, answered, on time, refused, CADA


def test_an_answer_entered_late_removes_the_implicit_refusal(sent, contributor_client):
    services.implicit_refusals_record(on=dt.date(2026, 4, 20))
    assert AccessRequest.objects.get().status == "refused"
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, 0), tick=False):
        # The reply had come on 10 April; the requester records it afterwards.
        contributor_client.post(
            f"/demandes/{sent.id}/evenement/", {"kind": "reply", "date": "2026-04-10"}
        )
    assert list(Event.objects.values_list("kind", "automatic")) == [("reply", False)]
    assert AccessRequest.objects.get().status == "answered"


def test_a_reply_after_the_month_leaves_the_refusal_in_the_timeline(sent, contributor_client):
    services.implicit_refusals_record(on=dt.date(2026, 4, 20))
    with time_machine.travel(dt.datetime(2026, 4, 25, 10, 0), tick=False):
        contributor_client.post(
            f"/demandes/{sent.id}/evenement/", {"kind": "reply", "date": "2026-04-24"}
        )
    assert list(Event.objects.values_list("kind", flat=True)) == ["implicit_refusal", "reply"]
    assert AccessRequest.objects.get().status == "answered"
    assert not services.answered_on_time(AccessRequest.objects.get())


def test_a_receipt_known_later_moves_the_recorded_refusal(contributor_client):
    contributor_client.post("/demandes/nouvelle/", DRAFT)
    request = AccessRequest.objects.get()
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, 0), tick=False):
        # Sent by post without proof of receipt: estimated two days later, and the
        # implicit refusal a month after that is recorded at once (its date has come).
        contributor_client.post(
            f"/demandes/{request.id}/envoi/",
            {"sent_on": "2026-03-10", "channel": "post", "received_on": ""},
        )
        assert Event.objects.get().date == dt.date(2026, 4, 12)
        page = contributor_client.get(f"/demandes/{request.id}/").content.decode()
        assert "estimated date of receipt" in page or "date de réception estimée" in page
        # The acknowledgement of receipt turns up: received on the 16th.
        contributor_client.post(
            f"/demandes/{request.id}/evenement/",
            {"kind": "acknowledgement", "date": "2026-03-16"},
        )
    automatic = Event.objects.get(automatic=True)
    assert automatic.date == dt.date(2026, 4, 16)


def test_a_refusal_recorded_by_hand_replaces_the_automatic_one(sent, contributor_client):
    services.implicit_refusals_record(on=dt.date(2026, 4, 20))
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, 0), tick=False):
        contributor_client.post(
            f"/demandes/{sent.id}/evenement/",
            {"kind": "implicit_refusal", "date": "2026-04-12", "note": "vérifié"},
        )
    assert list(Event.objects.values_list("automatic", "note")) == [(False, "vérifié")]


def test_the_daily_command_records_and_reminds(sent):
    out = StringIO()
    call_command("access", "daily", "--today", "2026-04-12", stdout=out)
    assert "1 implicit refusal(s) recorded" in out.getvalue()
    assert AccessRequest.objects.get().status == "refused"


@time_machine.travel(dt.datetime(2026, 6, 1, 10, 0), tick=False)
def test_an_event_whose_prerequisite_the_timeline_lacks_is_refused(sent, contributor_client):
    url = f"/demandes/{sent.id}/evenement/"

    def post(kind, date):
        page = contributor_client.post(url, {"kind": kind, "date": date}, follow=True)
        return page.content.decode()

    # An opinion without a referral, a judgment without an application: refused, said why.
    page = post("cada_opinion", "2026-05-02")
    assert "« avis de la CADA » vient après « saisine de la CADA »" in page
    page = post("judgment", "2026-05-02")
    assert "« jugement » vient après « requête au tribunal administratif »" in page
    page = post("decision", "2026-05-02")
    assert (
        Event.objects.filter(
            request=sent, kind__in=["cada_opinion", "judgment", "decision"]
        ).count()
        == 0
    )
    # The referral, then an opinion dated before it: refused with the referral's date.
    services.event_add(request=sent, kind="refusal", date=dt.date(2026, 3, 20))
    post("cada_referral", "2026-04-01")
    page = post("cada_opinion", "2026-03-25")
    assert "ne peut pas venir avant « saisine de la CADA » (1er avril 2026)" in page
    assert not Event.objects.filter(request=sent, kind="cada_opinion").exists()
    # In order, it goes in; so does the decision after it.
    post("cada_opinion", "2026-05-02")
    post("decision", "2026-05-20")
    assert Event.objects.filter(request=sent, kind__in=["cada_opinion", "decision"]).count() == 2
    # The CADA's registration, recorded alone, is proof enough of a referral.
    other = AccessRequest.objects.create(
        title="Autre",
        body=sent.body,
        requester=sent.requester,
        sent_on=dt.date(2026, 1, 2),
        status="sent",
    )
    services.event_add(request=other, kind="cada_ack", date=dt.date(2026, 3, 1))
    services.event_add(request=other, kind="cada_opinion", date=dt.date(2026, 4, 1))


@time_machine.travel(dt.datetime(2026, 12, 1, 10, 0), tick=False)
def test_the_cadas_steps_and_the_court_keep_their_order(sent):
    """A new user's walk: a registration dated before its referral was taken, and let an
    opinion and a decision dated before the referral through; a decision before the
    opinion; an application to the court with no referral."""

    def add(kind, day):
        return services.event_add(request=sent, kind=kind, date=dt.date.fromisoformat(day))

    def refused(kind, day):
        with pytest.raises(ValidationError) as error:
            add(kind, day)
        return " ".join(error.value.messages)

    add("refusal", "2026-04-20")
    assert "vient après « saisine de la CADA »" in refused("court", "2026-10-02")  # no referral yet
    add("cada_referral", "2026-11-10")
    assert "ne peut pas venir avant" in refused("cada_ack", "2026-11-03")
    assert "ne peut pas venir avant" in refused("cada_opinion", "2026-11-05")
    assert "ne peut pas venir avant" in refused("court", "2026-11-05")
    add("cada_ack", "2026-11-13")
    add("cada_opinion", "2026-11-20")
    assert "ne peut pas venir avant" in refused("decision", "2026-11-15")
    # Nor a stage dated after one that follows it.
    assert "ne peut pas venir après" in refused("cada_ack", "2026-11-25")
    add("decision", "2026-11-25")
    add("court", "2026-11-26")
    assert "ne peut pas venir avant" in refused("judgment", "2026-11-25")
    add("judgment", "2026-11-30")
    kinds = set(sent.events.values_list("kind", flat=True))
    assert {"cada_referral", "cada_ack", "cada_opinion", "decision", "court", "judgment"} <= kinds


@time_machine.travel(dt.datetime(2026, 6, 1, 10, 0), tick=False)
def test_a_refused_event_keeps_what_was_typed_and_opens_the_page_at_the_form(
    sent, contributor_client
):
    note = "Avis reçu par courrier, favorable à la communication."
    response = contributor_client.post(
        f"/demandes/{sent.id}/evenement/",
        {"kind": "cada_opinion", "date": "2026-05-02", "favourable": "true", "note": note},
    )
    assert response.status_code == 302 and response["Location"].endswith("#add-event")
    page = contributor_client.get(response["Location"]).content.decode()
    assert note in page and 'value="2026-05-02"' in page
    assert '<option value="cada_opinion" selected>' in page
    # Once: the next display offers an empty form again.
    page = contributor_client.get(f"/demandes/{sent.id}/").content.decode()
    assert note not in page


@time_machine.travel(dt.datetime(2026, 12, 1, 10, 0), tick=False)
def test_a_mistaken_event_is_removed_by_an_editor_and_the_status_follows(
    sent, contributor_client, other_contributor
):
    from django.test import Client

    reply = services.event_add(request=sent, kind="reply", date=dt.date(2026, 3, 20))
    sent.refresh_from_db()
    assert sent.status == "answered"
    url = f"/demandes/{sent.id}/evenement/{reply.id}/suppression/"
    # Not by someone who does not edit the request, nor by a visitor.
    stranger = Client()
    stranger.force_login(other_contributor)
    assert stranger.post(url).status_code in (403, 404)
    assert Client().post(url).status_code in (302, 403, 404)
    assert Event.objects.filter(id=reply.id).exists()
    # Nor with a GET.
    assert contributor_client.get(url).status_code == 405
    page = contributor_client.post(url, follow=True).content.decode()
    assert "L’événement a été retiré de la chronologie." in page
    sent.refresh_from_db()
    assert not Event.objects.filter(id=reply.id).exists() and sent.status != "answered"
    # Not the implicit refusal Contrechamp recorded, nor a step a later one stands on.
    implicit = sent.events.get(kind="implicit_refusal")
    page = contributor_client.post(
        f"/demandes/{sent.id}/evenement/{implicit.id}/suppression/", follow=True
    ).content.decode()
    assert "ne peut pas être retiré" in page
    referral = services.event_add(request=sent, kind="cada_referral", date=dt.date(2026, 5, 2))
    services.event_add(request=sent, kind="cada_opinion", date=dt.date(2026, 6, 2))
    page = contributor_client.post(
        f"/demandes/{sent.id}/evenement/{referral.id}/suppression/", follow=True
    ).content.decode()
    assert "« avis de la CADA » repose sur celui-ci : retirez-le d’abord." in page
    assert Event.objects.filter(id=referral.id).exists()
    # Another request's event through this request's address: not found.
    assert (
        contributor_client.post(
            f"/demandes/{sent.id}/evenement/999999/suppression/", follow=True
        ).status_code
        == 200
    )


@time_machine.travel(dt.datetime(2026, 3, 20, 10, 0), tick=False)
def test_recording_a_request_as_sent_says_so(contributor_client):
    contributor_client.post("/demandes/nouvelle/", DRAFT)
    request = AccessRequest.objects.get()
    page = contributor_client.post(
        f"/demandes/{request.id}/envoi/", {"sent_on": "2026-03-10", "channel": "post"}, follow=True
    ).content.decode()
    assert "Enregistrée comme envoyée le 10 mars 2026" in page


@time_machine.travel(dt.datetime(2026, 6, 1, 10, 0), tick=False)
def test_only_an_opinion_a_decision_or_a_judgment_is_favourable_or_not(sent):
    reminder = services.event_add(
        request=sent, kind="reminder", date=dt.date(2026, 4, 1), favourable=False
    )
    assert reminder.favourable is None
    services.event_add(request=sent, kind="cada_referral", date=dt.date(2026, 5, 2))
    opinion = services.event_add(
        request=sent, kind="cada_opinion", date=dt.date(2026, 5, 20), favourable=False
    )
    assert opinion.favourable is False


@time_machine.travel(dt.datetime(2026, 6, 1, 10, 0), tick=False)
def test_a_note_and_a_letters_subject_follow_french_typography(sent, contributor_client):
    services.event_add(
        request=sent, kind="reminder", date=dt.date(2026, 4, 1), note="Relance par courriel"
    )
    page = contributor_client.get(f"/demandes/{sent.id}/").content.decode()
    # (The note is an element of its own: marked French on the English page.)
    assert "relance envoyée : Relance par courriel" in re.sub(r"<[^>]+>", "", page)
    letter = contributor_client.get(f"/demandes/{sent.id}/courrier/request_post/").content.decode()
    assert "<strong>Objet :</strong>" in letter


_FRENCH_FIRST = re.compile(
    r"(?<![\d,.])1 (?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
    r"novembre|décembre)\b"
)


@time_machine.travel(dt.datetime(2026, 10, 20, 10, 0), tick=False)
def test_the_first_of_a_month_is_written_1er_on_the_pages(contributor_client):
    # "1 octobre 2026" on the request's page, its list, the dashboard and the messages
    # (Django's formats cannot write the ordinal; the letters already said "1er").
    contributor_client.post("/demandes/nouvelle/", DRAFT)
    request = AccessRequest.objects.get()
    sent = contributor_client.post(
        f"/demandes/{request.id}/envoi/",
        {"sent_on": "2026-09-01", "channel": "post", "received_on": "2026-09-01"},
        follow=True,
    ).content.decode()
    assert "1er septembre 2026" in sent
    request.refresh_from_db()
    services.event_add(request=request, kind="reminder", date=dt.date(2026, 10, 1))
    pages = {
        url: contributor_client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        for url in (f"/demandes/{request.id}/", "/demandes/", "/demandes/echeances/")
    }
    page = pages[f"/demandes/{request.id}/"]
    assert "1er septembre 2026" in page and "1er octobre 2026" in page
    for url, text in pages.items():
        assert not _FRENCH_FIRST.search(text), (url, _FRENCH_FIRST.search(text))
    english = contributor_client.get(f"/demandes/{request.id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "1 September 2026" in english.content.decode()
    assert "1er" not in english.content.decode()


def test_a_partial_answer_on_time_counts_as_answered_in_the_bodies_figures(
    sent, contributor_client, client
):
    """A partial answer within the month showed "answered 0, on time 1" (a walk): what
    is on time was answered."""
    with time_machine.travel(dt.datetime(2026, 4, 5, 10, 0), tick=False):
        response = contributor_client.post(
            f"/demandes/{sent.id}/evenement/", {"kind": "partial", "date": "2026-04-02"}
        )
    assert response.status_code == 302
    stats = client.get("/demandes/organismes/").content.decode()
    row = stats.split("Mairie de Saint-Étienne")[1].split("</tr>")[0]
    cells = [cell.split(">")[-1] for cell in row.split("</td>")[1:6]]
    assert cells == ["1", "1", "1", "1", "0"]  # requests, answered, on time, refused, CADA


def test_the_reminder_row_is_done_once_sent_and_gone_once_answered(sent, contributor_client):
    """A walk read "27 octobre: send a reminder" under a reminder sent, an answer and a
    refusal."""

    def keys_and_done():
        with time_machine.travel(dt.datetime(2026, 4, 20, 10, 0), tick=False):
            page = contributor_client.get(f"/demandes/{sent.id}/").content.decode()
        row = page.split('data-key="reminder"')
        return len(row) > 1, len(row) > 1 and "(fait)" in row[1].split("</tr>")[0]

    assert keys_and_done() == (True, False)
    with time_machine.travel(dt.datetime(2026, 4, 6, 10, 0), tick=False):
        contributor_client.post(
            f"/demandes/{sent.id}/evenement/", {"kind": "reminder", "date": "2026-04-05"}
        )
    assert keys_and_done() == (True, True)
    with time_machine.travel(dt.datetime(2026, 4, 9, 10, 0), tick=False):
        contributor_client.post(
            f"/demandes/{sent.id}/evenement/", {"kind": "refusal", "date": "2026-04-08"}
        )
    assert keys_and_done()[0] is False


@time_machine.travel(dt.datetime(2026, 9, 1, 10, 0), tick=False)
def test_a_letter_produced_stays_reachable_while_its_event_is_on_the_timeline(
    sent, contributor_client
):
    """A walk filed an answer on a request referred to the CADA: the referral letter and
    its PDF left the page and the letter's address answered 404, the timeline still
    showing the referral. The reminder went the same way once the request was refused."""
    reminder = services.event_add(request=sent, kind="reminder", date=dt.date(2026, 4, 5))
    services.event_add(request=sent, kind="refusal", date=dt.date(2026, 4, 8))
    referral = services.event_add(request=sent, kind="cada_referral", date=dt.date(2026, 5, 2))
    services.event_add(request=sent, kind="reply", date=dt.date(2026, 6, 10))
    sent.refresh_from_db()
    assert sent.status == "answered"
    page = contributor_client.get(f"/demandes/{sent.id}/").content.decode()
    assert 'class="event-cada_referral"' in page
    for kind in ("request_post", "reminder", "cada_referral"):
        assert f'href="/demandes/{sent.id}/courrier/{kind}/"' in page, kind
        letter = contributor_client.get(f"/demandes/{sent.id}/courrier/{kind}/")
        assert letter.status_code == 200, kind
    assert 'id="referral-file"' in page
    pdf = contributor_client.get(f"/demandes/{sent.id}/saisine.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # The letter follows its event: taken off the timeline, the letter goes with it.
    services.event_delete(request=sent, event_id=referral.id)
    services.event_delete(request=sent, event_id=reminder.id)
    page = contributor_client.get(f"/demandes/{sent.id}/").content.decode()
    assert "/courrier/cada_referral/" not in page and 'id="referral-file"' not in page
    assert "/courrier/reminder/" not in page
    assert contributor_client.get(f"/demandes/{sent.id}/courrier/cada_referral/").status_code == 404
    assert contributor_client.get(f"/demandes/{sent.id}/saisine.pdf").status_code == 404
