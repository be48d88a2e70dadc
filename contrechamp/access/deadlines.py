"""The legal calendar of a request for administrative documents (CRPA, then CADA, then
the administrative court). A pure module: dates in, dates out, no database.

Rules (French law as of 2026):

- R311-12 / R311-13 CRPA: silence kept for one month after the administration receives
  the request is an implicit refusal.
- R343-1 CRPA: two months from a refusal (explicit, or implicit at the end of the month
  above) to refer the matter to the CADA; the referral is compulsory before going to
  court.
- R343-3 CRPA: the CADA gives its opinion within one month of registering the referral.
- R343-4 / R343-5 CRPA: the administration says within one month of the opinion what it
  decides; its silence for two months after the CADA registered the referral confirms
  the refusal.
- R421-1 code de justice administrative: two months from the final refusal to apply to
  the tribunal administratif.
- R421-2 CJA: when an explicit refusal comes before the time limit against a refusal by
  silence has run out, the time limit runs again from the explicit refusal; one that
  comes later only confirms the refusal by silence and reopens nothing.
- L112-3, L112-6 and R112-5 CRPA: the time limits of a refusal by silence cannot be held
  against a requester whose acknowledgement of receipt was missing or lacked the
  mentions required; courts then allow a "reasonable time", as a rule one year (CE Ass.
  13 July 2016 Czabaj, extended to refusals by silence by CE 18 March 2019 n° 417270).
  The engine cannot know what the acknowledgement said, so it adds this as a note to
  every calendar with a date that runs from silence rather than moving any date.

Counting: months run date to date (12 March + 1 month = 12 April) and are clamped to the
end of a shorter month (31 January + 1 month = 28 or 29 February). A time limit for the
requester to act that ends on a Saturday, a Sunday or a public holiday runs to the next
working day where the law says so (the court time limit: R421-1 CJA read with article 642
of the code de procédure civile, as administrative courts apply it). Where sources
disagree on counting (whether the day of receipt counts, "délai franc", whether the CADA
time limit moves off a holiday) the earlier date is shown, with a note. A missing date
of receipt is estimated from the date of sending plus a stated postal delay, and every
date that depends on it is flagged as an estimate.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import holidays
from django.utils.translation import gettext_noop

# Days between sending and receipt when no proof of receipt is known: registered post is
# delivered in two working days by La Poste's target; an e-mail the day it is sent.
POSTAL_DELAY_DAYS = {"post": 2, "email": 0}
# A reminder is worth sending a week before the implicit refusal.
REMINDER_BEFORE_DAYS = 7


def add_months(day: dt.date, months: int) -> dt.date:
    """Date to date, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def subdivision_of(department: str | None) -> str | None:
    """The holiday calendar of a department: Alsace-Moselle and the overseas departments
    have their own public holidays; None for the rest of France."""
    if department in ("67", "68"):
        return "6AE"
    if department in ("57", "971", "972", "973", "974", "976"):
        return department
    return None


@lru_cache(maxsize=64)
def _public_holidays(year: int, subdivision: str | None) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("FR", subdiv=subdivision, years=year))


def is_working_day(day: dt.date, *, subdivision: str | None = None) -> bool:
    """Not a Saturday, a Sunday nor a French public holiday (Easter Monday, Ascension
    and Whit Monday included; Good Friday and 26 December too in Alsace-Moselle, and the
    holidays of each overseas department: `subdivision` from `subdivision_of`)."""
    return day.weekday() < 5 and day not in _public_holidays(day.year, subdivision)


def next_working_day(day: dt.date, *, subdivision: str | None = None) -> dt.date:
    while not is_working_day(day, subdivision=subdivision):
        day += dt.timedelta(days=1)
    return day


def holiday_name(day: dt.date, *, subdivision: str | None = None) -> str:
    return str(holidays.country_holidays("FR", subdiv=subdivision, years=day.year).get(day) or "")


# What a date done asks for no longer: "Refer the refusal to the CADA before this date"
# under "Last day to refer to the CADA (done)" told the person to act again (a walk).
# English, marked for translation: services.deadline_action translates them for pages.
DONE_ACTIONS = {
    "reminder": gettext_noop("Nothing left to do: the reminder is recorded."),
    "cada_referral_limit": gettext_noop(
        "Nothing left to do: the referral to the CADA is recorded."
    ),
    "cada_opinion_due": gettext_noop("Nothing left to wait for: the CADA's opinion is recorded."),
    "decision_after_opinion": gettext_noop(
        "Nothing left to wait for: the administration's decision is recorded."
    ),
    "court_limit": gettext_noop(
        "Nothing left to do: the application to the tribunal administratif is recorded."
    ),
}


@dataclass
class Deadline:
    key: str
    name: str
    date: dt.date
    basis: str  # the articles the date comes from; empty for a mere estimate or advice
    action: str  # what the requester can do from (or until) that date
    estimate: bool = False
    moved_from: dt.date | None = None  # the date before moving off a non-working day
    note: str = ""
    # What the date asks for is done (the CADA was referred to before its last day): it
    # stays in the calendar but is no longer the next thing to do.
    done: bool = False

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["date"] = self.date.isoformat()
        data["moved_from"] = self.moved_from.isoformat() if self.moved_from else None
        return data


# Notes on the whole calendar. English templates marked for translation: the engine
# writes them in English (the command, the API), services.deadline_note translates them
# for pages; `dates` fill the %(name)s placeholders.
NOTE_TEXTS = {
    "explicit_after_silence": gettext_noop(
        "The explicit refusal of %(explicit)s came before the time limit against the "
        "refusal by silence of %(silence)s ran out: the two months to apply to the "
        "tribunal administratif run again from the explicit refusal."
    ),
    "explicit_too_late": gettext_noop(
        "The explicit refusal of %(explicit)s came after the time limit against the "
        "refusal by silence of %(silence)s had run out: it only confirms that refusal and "
        "does not reopen the time limit, unless the time limits could not be held "
        "against you (see the next note)."
    ),
    "silence_mentions": gettext_noop(
        "Some dates above run from a refusal by silence. They cannot be held against you "
        "if the administration's acknowledgement of receipt was missing or lacked the "
        "mentions the law requires (date of receipt, date on which silence becomes a "
        "refusal, remedies and their time limits). A court then allows a reasonable "
        "time instead: as a rule one year from the day you knew of the refusal."
    ),
}
# The administration's own letter (CRPA L112-3), not the date the request reached it: a
# page said "Received: 2 October" and then that no acknowledgement was recorded.
NO_ACKNOWLEDGEMENT = gettext_noop(
    "No acknowledgement of receipt from the administration (the letter it sends you) is "
    "recorded for this request: the date it received the request does not replace it."
)
NOTE_BASES = {
    "explicit_after_silence": "CJA R421-2",
    "explicit_too_late": "CJA R421-2",
    # The decisions' dates in words: marked for translation, as the notes are.
    "silence_mentions": gettext_noop(
        "CRPA L112-3, L112-6, R112-5; CE Ass. 13 July 2016 Czabaj n° 387763; CE 18 March "
        "2019 n° 417270"
    ),
}


@dataclass
class Note:
    key: str
    dates: dict[str, dt.date] = field(default_factory=dict)
    acknowledged: bool | None = None  # for silence_mentions: was an acknowledgement recorded

    @property
    def basis(self) -> str:
        return NOTE_BASES[self.key]

    @property
    def text(self) -> str:
        """In English; services.deadline_note gives it in the active language."""
        text = NOTE_TEXTS[self.key] % {k: v.isoformat() for k, v in self.dates.items()}
        if self.key == "silence_mentions" and self.acknowledged is False:
            text = f"{NO_ACKNOWLEDGEMENT} {text}"
        return text

    def as_dict(self) -> dict[str, object]:
        return {"key": self.key, "text": self.text, "basis": self.basis}


@dataclass
class Facts:
    """What is known of a request. Every field may be missing."""

    sent: dt.date | None = None
    channel: str = "email"  # or "post"
    received: dt.date | None = None
    refused: dt.date | None = None  # an explicit refusal (or partial answer) was notified
    cada_referred: dt.date | None = None  # the requester referred the refusal to the CADA
    cada_registered: dt.date | None = None
    cada_opinion: dt.date | None = None
    final_refusal: dt.date | None = None  # explicit refusal after the CADA referral
    reminded: dt.date | None = None  # a reminder was sent
    replied: dt.date | None = None  # a reply, in full or in part
    decided: dt.date | None = None  # the administration's decision after the opinion
    court: dt.date | None = None  # the requester applied to the tribunal administratif
    # An acknowledgement of receipt was recorded (None: not known either way).
    acknowledged: bool | None = None
    subdivision: str | None = None  # subdivision_of(the body's department)


@dataclass
class Calendar:
    deadlines: list[Deadline] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def get(self, key: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.key == key), None)

    def next_after(self, today: dt.date) -> Deadline | None:
        """The first date still to come (today included) of something not yet done."""
        upcoming = [d for d in self.deadlines if d.date >= today and not d.done]
        return min(upcoming, key=lambda d: d.date) if upcoming else None

    def as_list(self) -> list[dict[str, object]]:
        return [d.as_dict() for d in self.deadlines]

    def notes_as_list(self) -> list[dict[str, object]]:
        return [n.as_dict() for n in self.notes]


def _working(day: dt.date, facts: Facts) -> tuple[dt.date, dt.date | None]:
    moved = next_working_day(day, subdivision=facts.subdivision)
    return moved, (day if moved != day else None)


def compute(facts: Facts) -> Calendar:
    """Every date the rules derive from what is known, in order."""
    result = Calendar()
    add = result.deadlines.append
    received, estimate = facts.received, False
    if received is None and facts.sent is not None:
        delay = POSTAL_DELAY_DAYS.get(facts.channel, POSTAL_DELAY_DAYS["post"])
        # Working days: posted on a Friday, a letter is not delivered on the Sunday (the
        # estimate made the implicit refusal, and the advice to refer to the CADA, come
        # early: a hostile review).
        received, estimate = facts.sent, True
        for _day in range(delay):
            received = next_working_day(
                received + dt.timedelta(days=1), subdivision=facts.subdivision
            )
        add(
            Deadline(
                "received",
                "Estimated receipt of the request",
                received,
                "",
                "Record the date of receipt when the acknowledgement or the postal proof "
                "arrives: every date below depends on it.",
                estimate=True,
                note=f"Date of sending plus {delay} working day(s) of postal delay.",
            )
        )
    refusal = facts.refused
    if received is not None:
        implicit = add_months(received, 1)
        reminder = implicit - dt.timedelta(days=REMINDER_BEFORE_DAYS)
        # Once the administration answered, in full, in part or by a refusal, a reminder
        # is no longer anything to do (a walk read "send a reminder" under a refusal).
        if facts.replied is None and facts.refused is None:
            add(
                Deadline(
                    "reminder",
                    "Reminder to the administration",
                    reminder,
                    "",
                    "Send a reminder: one week before silence becomes a refusal.",
                    estimate=estimate,
                    done=facts.reminded is not None,
                )
            )
        if refusal is None or refusal > implicit:
            add(
                Deadline(
                    "implicit_refusal",
                    "Implicit refusal",
                    implicit,
                    "CRPA R311-12, R311-13",
                    "Without an answer, the request is refused: it can be referred to the "
                    "CADA from this date.",
                    estimate=estimate,
                    note="One month from receipt, date to date. Some count from the day "
                    "after receipt (one day later); the earlier date is shown.",
                )
            )
            # A refusal notified after the month ends leaves the earlier date in force.
            refusal = implicit if refusal is None else min(refusal, implicit)
    if refusal is not None:
        limit = add_months(refusal, 2)
        add(
            Deadline(
                "cada_referral_limit",
                "Last day to refer to the CADA",
                limit,
                "CRPA R343-1",
                "Refer the refusal to the CADA before this date; the referral is required "
                "before any court application.",
                estimate=estimate and facts.refused is None,
                note="Two months from the refusal. Whether the time limit runs on to the "
                "next working day when it ends on a holiday is not settled; it is not "
                "moved here.",
                done=facts.cada_referred is not None or facts.cada_registered is not None,
            )
        )
    final = facts.final_refusal
    silence: dt.date | None = None  # the refusal confirmed by silence, if it came first
    from_silence = result.get("implicit_refusal") is not None
    # The CADA's dates run from its registration of the referral; until it is known,
    # from the day of the referral (the registration comes a few days later: the
    # earlier dates are shown, each an estimate).
    registered = facts.cada_registered or facts.cada_referred
    unregistered = facts.cada_registered is None
    if registered is not None:
        add(
            Deadline(
                "cada_opinion_due",
                "CADA opinion due",
                add_months(registered, 1),
                "CRPA R343-3",
                "The CADA should have given its opinion; it often takes longer, which "
                "does not change the dates below.",
                estimate=unregistered,
                note="Counted from the day of the referral: the CADA's registration, a "
                "few days later, is not recorded yet."
                if unregistered
                else "",
                # The opinion is recorded: no longer a date to wait for.
                done=facts.cada_opinion is not None,
            )
        )
        confirmation = add_months(registered, 2)
        if final is None or final > confirmation:
            add(
                Deadline(
                    "refusal_confirmed",
                    "Refusal confirmed by silence",
                    confirmation,
                    "CRPA R343-4, R343-5",
                    "Without a new decision, the refusal is final: the tribunal "
                    "administratif can be seized.",
                    estimate=unregistered,
                )
            )
            silence, from_silence = confirmation, True
    if facts.cada_opinion is not None:
        add(
            Deadline(
                "decision_after_opinion",
                "Administration's decision after the opinion",
                add_months(facts.cada_opinion, 1),
                "CRPA R343-4",
                "The administration tells the CADA what it decides; after a favourable "
                "opinion, send the letter asking for the documents again.",
                done=facts.decided is not None,
            )
        )
    start = final
    # Marked for translation: French sets a space before the semicolon.
    basis = gettext_noop("CJA R421-1; CPC art. 642")
    if silence is not None:
        start = silence
        silence_limit, _moved = _working(add_months(silence, 2), facts)
        if final is not None:
            dates = {"explicit": final, "silence": silence}
            # "Avant l'expiration de cette période": the last day itself still counts.
            if final <= silence_limit:
                start, basis = final, gettext_noop("CJA R421-1, R421-2; CPC art. 642")
                result.notes.append(Note("explicit_after_silence", dates))
            else:
                result.notes.append(Note("explicit_too_late", dates))
    if start is not None:
        limit, moved = _working(add_months(start, 2), facts)
        add(
            Deadline(
                "court_limit",
                "Last day to apply to the tribunal administratif",
                limit,
                basis,
                "Apply to the tribunal administratif before the end of this day.",
                moved_from=moved,
                done=facts.court is not None,
                # From a silence counted from an unrecorded registration.
                estimate=unregistered and start == silence,
                note="Two months from the final refusal, moved to the next working day "
                "when it ends on a Saturday, a Sunday or a public holiday. Counted as a "
                "'délai franc' it would end one day later; the earlier date is shown."
                + (
                    " An explicit refusal came within the time limit against the refusal "
                    "by silence: it runs again from the explicit refusal (R421-2 CJA)."
                    if start == final and silence is not None
                    else ""
                ),
            )
        )
    if from_silence:
        result.notes.append(Note("silence_mentions", acknowledged=facts.acknowledged))
    for deadline in result.deadlines:
        if deadline.done:
            deadline.action = DONE_ACTIONS[deadline.key]
    result.deadlines.sort(key=lambda d: d.date)
    return result
