"""The deadline engine, rule by rule: month ends, leap years, holidays (Easter-based
ones included), a missing date of receipt."""

import datetime as dt
import json
from io import StringIO

import pytest
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
    assert "2 day" in received.note
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
