"""Hostile review 56: access-to-documents requests.

Each test fails on the code it was written against; see the report of the review."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from contrechamp.access.models import AccessRequest
from tests.access.test_referral_proofs import _refused

pytestmark = pytest.mark.django_db


def test_a_request_already_sent_is_not_sent_again_by_a_stale_form(contributor_client):
    """Camille recorded her request as sent on 10 March by registered post, received on
    12 March; a month of silence made it an implicit refusal on 12 April, and its public
    page gives the CADA referral's last day. On 20 April a tab opened before she sent it
    (the draft's page, its "Mark as sent" form defaulting to today, e-mail) is submitted
    -- or a co-reviewer's, or the second click of a double click on a slow connection.
    `request_send` takes it as a first sending: the date of sending becomes 20 April,
    the date of receipt is wiped, the letter is written again, and every legal date
    (the implicit refusal, the CADA's last day, shown to the public and mailed as
    reminders) moves a month and a half later than the law's, while the timeline still
    says the refusal came on 12 April, before the request was "sent". A sent request's
    sending is a fact of its timeline: the form is for drafts only."""
    request = _refused(contributor_client)
    request.refresh_from_db()
    before = (request.sent_on, request.received_on, request.channel, request.status)
    assert before == (dt.date(2026, 3, 10), dt.date(2026, 3, 12), "post", "refused")
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, 0), tick=False):
        contributor_client.post(
            f"/demandes/{request.id}/envoi/", {"sent_on": "2026-04-20", "channel": "email"}
        )
    request = AccessRequest.objects.get(id=request.id)
    assert (request.sent_on, request.received_on, request.channel, request.status) == before


def test_a_letter_posted_before_a_weekend_is_not_estimated_received_on_a_sunday():
    """The engine estimates the receipt of a registered letter "in two working days by
    La Poste's target" (POSTAL_DELAY_DAYS' comment), but adds two calendar days. A
    request posted on Thursday 24 December 2026 is "received" on Saturday 26 December
    (Christmas on the Friday, no delivery on Saturday for a town hall's registered
    mail, nor Sunday); one posted on a Friday is "received" on the Sunday. Every date
    then comes early: the page says the request is refused and "can be referred to the
    CADA from" 26 January, while silence has not yet become a refusal -- a referral
    made on that advice is premature, and the CADA declares it inadmissible."""
    from contrechamp.access.deadlines import Facts, compute, is_working_day

    for sent in (dt.date(2026, 12, 24), dt.date(2026, 12, 4)):
        received = compute(Facts(sent=sent, channel="post")).get("received")
        assert received is not None and received.estimate
        assert is_working_day(received.date), (sent, received.date)
        working_days = sum(
            is_working_day(sent + dt.timedelta(days=n))
            for n in range(1, (received.date - sent).days + 1)
        )
        assert working_days >= 2, (sent, received.date)
