"""The deadline engine, rule by rule: month ends, leap years, holidays (Easter-based
ones included), a missing date of receipt."""

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from contrechamp.access.deadlines import (
    Facts,
    add_months,
    compute,
    holiday_name,
    is_working_day,
    next_working_day,
    subdivision_of,
)

D = dt.date


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (D(2026, 3, 12), 1, D(2026, 4, 12)),
        (D(2027, 1, 31), 1, D(2027, 2, 28)),  # clamped to the end of February
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2028, 2, 29), 1, D(2028, 3, 29)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 8, 31), 1, D(2026, 9, 30)),
        (D(2026, 12, 31), 2, D(2027, 2, 28)),  # over the year end
        (D(2026, 11, 30), 2, D(2027, 1, 30)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
    ],
)
def test_months_run_date_to_date_clamped_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    "day, name",
    [
        (D(2027, 3, 29), "Easter Monday"),  # Easter 2027 is 28 March
        (D(2027, 5, 6), "Ascension Day"),  # Easter + 39
        (D(2027, 5, 17), "Whit Monday"),  # Easter + 50
        (D(2026, 4, 6), "Easter Monday"),  # Easter 2026 is 5 April
        (D(2026, 5, 14), "Ascension Day"),
        (D(2026, 7, 14), "National Day"),
        (D(2026, 11, 11), "Armistice Day"),
        (D(2026, 5, 8), "Victory Day"),
    ],
)
def test_french_public_holidays_easter_based_ones_included(day, name):
    assert name in holiday_name(day)
    assert not is_working_day(day)


def test_alsace_moselle_has_good_friday_and_saint_stephen():
    good_friday = D(2027, 3, 26)
    assert is_working_day(good_friday)
    assert not is_working_day(good_friday, subdivision=subdivision_of("57"))
    saint_stephen = D(2025, 12, 26)  # a Friday
    assert is_working_day(saint_stephen)
    assert not is_working_day(saint_stephen, subdivision=subdivision_of("67"))


def test_the_next_working_day_skips_weekends_and_holidays():
    assert next_working_day(D(2026, 11, 20)) == D(2026, 11, 20)  # a Friday
    assert next_working_day(D(2026, 11, 21)) == D(2026, 11, 23)  # Saturday → Monday
    assert next_working_day(D(2027, 3, 27)) == D(2027, 3, 30)  # Sat, Sun, Easter Monday
    assert next_working_day(D(2026, 12, 25)) == D(2026, 12, 28)  # Christmas on a Friday


def _dates(facts):
    return {d.key: d.date for d in compute(facts).deadlines}


def test_a_request_unanswered_from_receipt_to_court():
    dates = _dates(Facts(received=D(2026, 3, 12)))
    assert dates == {
        "reminder": D(2026, 4, 5),
        "implicit_refusal": D(2026, 4, 12),
        "cada_referral_limit": D(2026, 6, 12),
    }
    dates = _dates(Facts(received=D(2026, 3, 12), cada_registered=D(2026, 5, 4)))
    assert dates["cada_opinion_due"] == D(2026, 6, 4)
    assert dates["refusal_confirmed"] == D(2026, 7, 4)
    # 4 September 2026 is a Friday: the court time limit stays there.
    assert dates["court_limit"] == D(2026, 9, 4)


def test_the_implicit_refusal_of_a_request_received_on_31_january():
    dates = _dates(Facts(received=D(2027, 1, 31)))
    assert dates["implicit_refusal"] == D(2027, 2, 28)
    assert dates["cada_referral_limit"] == D(2027, 4, 28)
    leap = _dates(Facts(received=D(2028, 1, 31)))
    assert leap["implicit_refusal"] == D(2028, 2, 29)


def test_the_court_time_limit_moves_off_weekends_and_easter_monday():
    # Final refusal 27 January 2027 + 2 months = Saturday 27 March; Sunday 28 is Easter,
    # Monday 29 Easter Monday: the time limit ends on Tuesday 30 March.
    deadline = compute(Facts(final_refusal=D(2027, 1, 27))).get("court_limit")
    assert deadline.date == D(2027, 3, 30)
    assert deadline.moved_from == D(2027, 3, 27)
    # Whit Monday 2027 (17 May): a final refusal on 17 March.
    assert compute(Facts(final_refusal=D(2027, 3, 17))).get("court_limit").date == D(2027, 5, 18)


def test_the_cada_time_limit_is_not_moved_the_earlier_date_is_shown():
    # Refused 14 May 2026: 14 July is a holiday; the earlier date stays, with a note.
    deadline = compute(Facts(refused=D(2026, 5, 14))).get("cada_referral_limit")
    assert deadline.date == D(2026, 7, 14) and deadline.moved_from is None
    assert "not moved" in deadline.note


def test_an_explicit_refusal_replaces_the_implicit_one():
    dates = _dates(Facts(received=D(2026, 3, 12), refused=D(2026, 3, 20)))
    assert "implicit_refusal" not in dates and "reminder" not in dates
    assert dates["cada_referral_limit"] == D(2026, 5, 20)
    # A refusal notified after the month ended: the earlier (implicit) date counts.
    dates = _dates(Facts(received=D(2026, 3, 12), refused=D(2026, 5, 1)))
    assert dates["implicit_refusal"] == D(2026, 4, 12)
    assert dates["cada_referral_limit"] == D(2026, 6, 12)


def test_an_explicit_decision_after_the_opinion_starts_the_court_time_limit():
    dates = _dates(
        Facts(
            received=D(2026, 3, 12),
            cada_registered=D(2026, 5, 4),
            cada_opinion=D(2026, 6, 1),
            final_refusal=D(2026, 6, 15),
        )
    )
    assert "refusal_confirmed" not in dates
    assert dates["decision_after_opinion"] == D(2026, 7, 1)
    assert dates["court_limit"] == D(2026, 8, 17)  # 15 August, Assumption: Saturday → Monday


def test_a_missing_receipt_date_is_estimated_from_the_sending_date_and_flagged():
    calendar = compute(Facts(sent=D(2026, 3, 10), channel="post"))
    received = calendar.get("received")
    assert received.date == D(2026, 3, 12) and received.estimate
    assert "2 working day" in received.note
    implicit = calendar.get("implicit_refusal")
    assert implicit.date == D(2026, 4, 12) and implicit.estimate
    assert calendar.get("cada_referral_limit").estimate
    by_email = compute(Facts(sent=D(2026, 3, 10), channel="email"))
    assert by_email.get("implicit_refusal").date == D(2026, 4, 10)
    # A known date of receipt is not an estimate.
    assert (
        not compute(Facts(sent=D(2026, 3, 10), received=D(2026, 3, 16)))
        .get("implicit_refusal")
        .estimate
    )


def test_the_next_date_to_come():
    calendar = compute(Facts(received=D(2026, 3, 12)))
    assert calendar.next_after(D(2026, 4, 6)).key == "implicit_refusal"
    assert calendar.next_after(D(2026, 7, 1)) is None


def test_once_referred_to_the_cada_its_last_day_is_done_and_its_steps_are_estimated():
    """After the requester referred the refusal to the CADA, the next date was still
    "last day to refer to the CADA", on the page, in the feed, the e-mail reminders and
    the CSV, and no date of the CADA's steps came until it registered the referral (a
    new user's walk)."""
    known = Facts(received=D(2026, 3, 12), cada_referred=D(2026, 5, 2))
    calendar = compute(known)
    limit = calendar.get("cada_referral_limit")
    assert limit is not None and limit.done and limit.date == D(2026, 6, 12)
    opinion = calendar.get("cada_opinion_due")
    assert opinion is not None and opinion.estimate and opinion.date == D(2026, 6, 2)
    confirmed = calendar.get("refusal_confirmed")
    assert confirmed is not None and confirmed.estimate and confirmed.date == D(2026, 7, 2)
    court = calendar.get("court_limit")
    assert court is not None and court.estimate and court.date == D(2026, 9, 2)
    assert calendar.next_after(D(2026, 6, 5)).key == "refusal_confirmed"
    # Once the CADA registered it, its dates run from the registration, not estimated.
    calendar = compute(Facts(**{**known.__dict__, "cada_registered": D(2026, 5, 6)}))
    assert calendar.get("cada_opinion_due").date == D(2026, 6, 6)
    assert not calendar.get("cada_opinion_due").estimate
    assert not calendar.get("court_limit").estimate
    assert calendar.get("cada_referral_limit").done
    # Once the opinion is recorded, it is no longer a date to wait for.
    calendar = compute(
        Facts(**{**known.__dict__, "cada_registered": D(2026, 5, 6), "cada_opinion": D(2026, 6, 1)})
    )
    assert calendar.get("cada_opinion_due").done
    assert calendar.next_after(D(2026, 6, 2)).key != "cada_opinion_due"


@time_machine.travel(dt.datetime(2026, 5, 20, 10, 0), tick=False)
def test_a_referred_request_shows_and_sends_no_referral_to_make(contributor_client):
    from contrechamp.access.models import AccessRequest
    from contrechamp.access.services import due_soon, next_deadline

    assert contributor_client.post("/demandes/nouvelle/", DRAFT).status_code == 302
    request = AccessRequest.objects.get()
    contributor_client.post(
        f"/demandes/{request.id}/envoi/",
        {"sent_on": "2026-03-10", "channel": "post", "received_on": "2026-03-12"},
    )
    contributor_client.post(
        f"/demandes/{request.id}/evenement/", {"kind": "refusal", "date": "2026-04-01"}
    )
    request.refresh_from_db()
    assert next_deadline(request).key == "cada_referral_limit"
    contributor_client.post(
        f"/demandes/{request.id}/evenement/", {"kind": "cada_referral", "date": "2026-05-02"}
    )
    request.refresh_from_db()
    assert next_deadline(request).key == "cada_opinion_due"
    assert all(d.key != "cada_referral_limit" for _, d in due_soon(request.requester, days=60))
    page = contributor_client.get(f"/demandes/{request.id}/").content.decode()
    row = page.split('data-key="cada_referral_limit"', 1)[1].split("</tr>", 1)[0]
    assert "next" not in page.split('data-key="cada_referral_limit"', 1)[0].rsplit("<tr", 1)[1]
    assert "(fait)" in row or "(done)" in row


def test_nothing_known_nothing_derived():
    assert compute(Facts()).deadlines == []


def test_the_command_prints_every_date_with_its_name_and_legal_basis():
    out = StringIO()
    call_command(
        "access",
        "deadlines",
        "--received",
        "2027-01-31",
        "--cada-registered",
        "2027-04-02",
        "--json",
        stdout=out,
    )
    rows = json.loads(out.getvalue())["deadlines"]
    by_key = {row["key"]: row for row in rows}
    assert by_key["implicit_refusal"]["date"] == "2027-02-28"
    assert by_key["implicit_refusal"]["basis"] == "CRPA R311-12, R311-13"
    assert by_key["refusal_confirmed"]["date"] == "2027-06-02"
    assert by_key["court_limit"]["date"] == "2027-08-02"
    assert all(row["name"] and (row["basis"] or row["key"] == "reminder") for row in rows)
    assert [row["date"] for row in rows] == sorted(row["date"] for row in rows)


def test_the_command_explains_bad_dates():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("access", "deadlines", "--received", "31/01/2027", stdout=StringIO())
    with pytest.raises(CommandError, match="at least one date"):
        call_command("access", "deadlines", stdout=StringIO())
    with pytest.raises(CommandError, match="--cada-registered is before --refused"):
        call_command(
            "access",
            "deadlines",
            "--refused",
            "2027-01-02",
            "--cada-registered",
            "2026-01-01",
            stdout=StringIO(),
        )


# --- R421-2 CJA: an explicit refusal within the time limit of an implicit one ---------


def _issue_11_facts(**overrides):
    facts = {
        "received": D(2026, 1, 5),
        "refused": D(2026, 2, 5),
        "cada_registered": D(2026, 3, 1),
        "final_refusal": D(2026, 5, 14),
    }
    facts.update(overrides)
    return Facts(**facts)


def test_an_explicit_refusal_after_the_silence_makes_the_court_time_limit_run_again():
    calendar = compute(_issue_11_facts())
    # Silence confirmed the refusal on 1 May; the explicit refusal of 14 May came within
    # the two months to challenge it, so time runs again from 14 May: 14 July is
    # Bastille Day, the last day is 15 July.
    assert calendar.get("refusal_confirmed").date == D(2026, 5, 1)
    court = calendar.get("court_limit")
    assert court.date == D(2026, 7, 15)
    assert court.moved_from == D(2026, 7, 14)
    assert "R421-2" in court.basis
    note = next(n for n in calendar.notes if n.key == "explicit_after_silence")
    assert "2026-05-14" in note.text and "2026-05-01" in note.text


def test_an_explicit_refusal_on_the_last_day_still_reopens_the_time_limit():
    # Silence confirmed on 1 May: the two months end on 1 July (a Wednesday).
    assert compute(_issue_11_facts(final_refusal=D(2026, 7, 1))).get(
        "court_limit"
    ).date == add_months(D(2026, 7, 1), 2)


def test_an_explicit_refusal_after_the_time_limit_expired_does_not_reopen_it():
    # 2 July: the time limit against the refusal by silence ended on 1 July; the later
    # refusal only confirms it, and the page says why (with the L112-6 exception).
    calendar = compute(_issue_11_facts(final_refusal=D(2026, 7, 2)))
    assert calendar.get("court_limit").date == D(2026, 7, 1)
    keys = {n.key for n in calendar.notes}
    assert "explicit_too_late" in keys and "silence_mentions" in keys


def test_an_explicit_decision_before_the_silence_confirms_is_the_only_start():
    calendar = compute(_issue_11_facts(final_refusal=D(2026, 4, 10)))
    assert calendar.get("refusal_confirmed") is None
    assert calendar.get("court_limit").date == D(2026, 6, 10)
    assert "explicit_after_silence" not in {n.key for n in calendar.notes}


def test_time_limits_from_silence_carry_the_l112_6_note_with_czabaj():
    calendar = compute(Facts(received=D(2026, 3, 12)))
    note = next(n for n in calendar.notes if n.key == "silence_mentions")
    assert "L112-6" in note.basis and "Czabaj" in note.basis
    assert "one year" in note.text and "acknowledgement" in note.text
    # An explicit refusal on time, no silence anywhere: nothing to warn about.
    explicit = compute(Facts(received=D(2026, 3, 12), refused=D(2026, 3, 20)))
    assert "silence_mentions" not in {n.key for n in explicit.notes}
    # No acknowledgement recorded at all: the note says so first.
    bare = compute(Facts(received=D(2026, 3, 12), acknowledged=False))
    bare_note = next(n for n in bare.notes if n.key == "silence_mentions")
    assert "No acknowledgement of receipt from the administration" in bare_note.text


def test_the_command_applies_r421_2_and_prints_the_notes():
    args = [
        "access",
        "deadlines",
        "--received",
        "2026-01-05",
        "--refused",
        "2026-02-05",
        "--cada-registered",
        "2026-03-01",
        "--final-refusal",
        "2026-05-14",
    ]
    out = StringIO()
    call_command(*args, "--json", stdout=out)
    data = json.loads(out.getvalue())
    court = next(row for row in data["deadlines"] if row["key"] == "court_limit")
    assert court["date"] == "2026-07-15"
    assert {n["key"] for n in data["notes"]} >= {"explicit_after_silence", "silence_mentions"}
    out = StringIO()
    call_command(*args, stdout=out)
    text = out.getvalue()
    assert "2026-07-15" in text and "L112-6" in text and "Czabaj" in text and "R421-2" in text


# --- the same rules on the request page, recorded through the timeline ---------------

DRAFT = {
    "communes": "42218",
    "title": "Vidéosurveillance algorithmique",
    "usual": ["0"],
    "documents_asked": "Le marché passé avec la société Briefcam en 2024",
    "channel": "post",
}


def _timeline_to_the_cada(client):
    """A request sent, refused explicitly, referred to the CADA: every step through the
    forms a requester uses."""
    from contrechamp.access.models import AccessRequest

    assert client.post("/demandes/nouvelle/", DRAFT).status_code == 302
    request = AccessRequest.objects.get()
    client.post(
        f"/demandes/{request.id}/envoi/",
        {"sent_on": "2026-01-02", "channel": "post", "received_on": "2026-01-05"},
    )
    for kind, date in (("refusal", "2026-02-05"), ("cada_ack", "2026-03-01")):
        client.post(f"/demandes/{request.id}/evenement/", {"kind": kind, "date": date})
    return request


def _court_row(page):
    row = page.split('data-key="court_limit"', 1)[1].split("</tr>", 1)[0]
    return row


@pytest.mark.parametrize(
    "final",
    [
        {"kind": "decision", "favourable": "false"},  # the decision after the referral
        {"kind": "refusal"},  # recorded as a plain refusal, after the referral
    ],
)
@time_machine.travel(dt.datetime(2026, 6, 1, 10, 0), tick=False)
def test_an_explicit_final_refusal_recorded_on_the_timeline_moves_the_court_date(
    contributor_client, final
):
    request = _timeline_to_the_cada(contributor_client)
    page = contributor_client.get(f"/demandes/{request.id}/").content.decode()
    assert "1er juillet 2026" in _court_row(page)
    response = contributor_client.post(
        f"/demandes/{request.id}/evenement/", {**final, "date": "2026-05-14"}
    )
    assert response.status_code == 302
    page = contributor_client.get(f"/demandes/{request.id}/").content.decode()
    row = _court_row(page)
    assert "2026-07-15" in row or "15 juillet 2026" in row, row
    assert "R421-2" in row
    notes = page.split('id="deadline-notes"', 1)[1].split("</section>", 1)[0]
    assert 'data-note="explicit_after_silence"' in notes and "R421-2" in notes
    assert 'data-note="silence_mentions"' in notes and "L112-6" in notes
    assert "Czabaj" in notes


@time_machine.travel(dt.datetime(2026, 6, 1, 10, 0), tick=False)
def test_a_request_without_acknowledgement_says_so_in_the_note(contributor_client, client):
    request = _timeline_to_the_cada(contributor_client)
    client.logout()
    page = client.get(f"/demandes/{request.id}/").content.decode()  # the public page too
    notes = page.split('id="deadline-notes"', 1)[1].split("</section>", 1)[0]
    assert "L112-6" in notes
    # The receipt came from the sending form, not an acknowledgement event.
    assert "n’est enregistré pour cette demande" in notes or "No acknowledgement" in notes


@time_machine.travel(dt.datetime(2026, 6, 1, 10, 0), tick=False)
def test_the_french_pages_name_dates_and_decisions_in_french(contributor_client):
    """The series page wrote "Last day to refer to the CADA" and the notes "CE Ass. 13
    July 2016" on French pages (a new user's walk)."""
    request = _timeline_to_the_cada(contributor_client)
    page = contributor_client.get(
        f"/demandes/{request.id}/", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "13 juillet 2016" in page and "July" not in page
    page = contributor_client.get(
        f"/demandes/{request.id}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "13 July 2016" in page


def _row(page: str, key: str) -> str:
    return page.split(f'data-key="{key}"', 1)[1].split("</tr>", 1)[0]


def _sent_request(client, received: str):
    from contrechamp.access.models import AccessRequest

    assert client.post("/demandes/nouvelle/", DRAFT).status_code == 302
    request = AccessRequest.objects.latest("id")
    client.post(
        f"/demandes/{request.id}/envoi/",
        {"sent_on": received, "channel": "email", "received_on": received},
    )
    return request


def test_a_date_gone_by_does_not_ask_for_what_can_no_longer_be_done_in_time(
    contributor_client,
):
    """The legal dates said "Envoyez une relance : une semaine avant…" under a reminder
    date that had passed, and "Saisissez la CADA avant cette date" under a last day gone
    by (a new user's walk)."""
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, 0), tick=False):
        request = _sent_request(contributor_client, "2026-03-01")
    # Reminder date (25 March) passed, implicit refusal (1 April) still to come.
    with time_machine.travel(dt.datetime(2026, 3, 27, 10, 0), tick=False):
        page = contributor_client.get(f"/demandes/{request.id}/").content.decode()
        row = _row(page, "reminder")
        assert "Envoyez une relance" not in row
        assert "jusqu’au refus implicite" in row, row
    # The implicit refusal came too: a reminder has nothing left to prevent.
    with time_machine.travel(dt.datetime(2026, 4, 3, 10, 0), tick=False):
        page = contributor_client.get(f"/demandes/{request.id}/").content.decode()
        assert "Trop tard pour une relance" in _row(page, "reminder")
        # The CADA's last day is still to come: the action asks for it.
        assert "Saisissez la CADA avant cette date" in _row(page, "cada_referral_limit")
    # Two months after the refusal, no referral recorded.
    with time_machine.travel(dt.datetime(2026, 6, 10, 10, 0), tick=False):
        page = contributor_client.get(
            f"/demandes/{request.id}/", HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
        row = _row(page, "cada_referral_limit")
        assert "Refer the refusal to the CADA before this date" not in row
        assert "has passed with no referral recorded" in row, row


@time_machine.travel(dt.datetime(2026, 10, 1, 10, 0), tick=False)
def test_an_application_to_the_court_marks_its_last_day_done(contributor_client):
    request = _timeline_to_the_cada(contributor_client)
    page = contributor_client.get(f"/demandes/{request.id}/").content.decode()
    assert "sans recours enregistré" in _row(page, "court_limit")
    contributor_client.post(
        f"/demandes/{request.id}/evenement/", {"kind": "court", "date": "2026-06-20"}
    )
    page = contributor_client.get(f"/demandes/{request.id}/").content.decode()
    row = _row(page, "court_limit")
    assert "(fait)" in row and "sans recours" not in row, row


@time_machine.travel(dt.datetime(2026, 8, 1, 10, 0), tick=False)
def test_a_date_done_does_not_tell_the_person_to_act(contributor_client):
    """« Dernier jour pour saisir la CADA (fait) » still said « Saisissez la CADA avant
    cette date » (a new user's walk). Every date that can be done says there is nothing
    left to do, in French and in English."""
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, 0), tick=False):
        request = _sent_request(contributor_client, "2026-03-01")
    for kind, date, favourable in (
        ("reminder", "2026-03-24", ""),
        ("refusal", "2026-03-30", ""),
        ("cada_referral", "2026-04-10", ""),
        ("cada_opinion", "2026-05-05", "false"),
        ("decision", "2026-05-20", "false"),
        ("court", "2026-06-15", ""),
    ):
        response = contributor_client.post(
            f"/demandes/{request.id}/evenement/",
            {"kind": kind, "date": date, "favourable": favourable},
        )
        assert response.status_code == 302
    assert request.events.count() == 6
    instructions = {
        "fr": ("Saisissez", "nvoyez", "devrait", "fait connaître"),
        "en": ("Refer the", "end a", "end the", "Apply to", "tells the CADA", "should"),
    }
    for language, words in instructions.items():
        page = contributor_client.get(
            f"/demandes/{request.id}/", HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        done = "(fait)" if language == "fr" else "(done)"
        nothing = "Plus rien à" if language == "fr" else "Nothing left to"
        keys = (
            "reminder",
            "cada_referral_limit",
            "cada_opinion_due",
            "decision_after_opinion",
            "court_limit",
        )
        for key in keys:
            if key == "reminder":
                continue  # no reminder row once an answer came
            row = _row(page, key)
            assert done in row, (language, key, row)
            action = row.split("</td>")[2]
            assert nothing in action, (language, key, action)
            assert not any(word in action for word in words), (language, key, action)
    # The reminder's row, done before an answer came.
    request.events.exclude(kind="reminder").delete()
    for language, words in instructions.items():
        page = contributor_client.get(
            f"/demandes/{request.id}/", HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        action = _row(page, "reminder").split("</td>")[2]
        assert ("Plus rien à" if language == "fr" else "Nothing left to") in action, action
        assert not any(word in action for word in words), (language, action)


@time_machine.travel(dt.datetime(2026, 6, 1, 10, 0), tick=False)
def test_the_legal_bases_follow_the_typography_of_the_page(contributor_client):
    """« CJA R421-1; CPC art. 642 » on a French page (a new user's walk): French sets a
    non-breaking space before the semicolon, English none."""
    request = _timeline_to_the_cada(contributor_client)
    french = contributor_client.get(
        f"/demandes/{request.id}/", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "CJA R421-1\u00a0; CPC art. 642" in _court_row(french)
    assert "R112-5\u00a0; CE Ass." in french and "Czabaj n° 387763\u00a0; CE" in french
    assert "R421-1;" not in french and "R112-5;" not in french
    english = contributor_client.get(
        f"/demandes/{request.id}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "CJA R421-1; CPC art. 642" in _court_row(english)
    assert "R112-5; CE Ass." in english
