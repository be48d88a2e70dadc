"""Hostile review 52c: attacks on this session's changes that held (these pass)."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from contrechamp.access.models import AccessRequest
from contrechamp.accounts.twofactor import MAX_FAILURES
from contrechamp.lib.markdown import render_markdown
from contrechamp.lib.numbers import whole_number
from tests.conftest import PASSWORD, totp_code
from tests.documents import samples

TWOFACTOR = "/compte/deux-facteurs/"


# --- 11. Markdown: the unwrapping of links without an address ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        '<a title="x><img src=x onerror=alert(1)>">hi</a>',
        '[hi](javascript:alert(1) "x><img src=x onerror=alert(1)>")',
        '[hi](data:text/html,x "</a><script>alert(1)</script>")',
        '<a title="a">x <a href="javascript:y" title="<b>">y</a></a>',
        "<a title='\"><svg onload=alert(1)>'>z</a>",
    ],
)
def test_an_unwrapped_link_leaves_no_markup_of_its_attributes(text):
    html = render_markdown(text)
    for bad in ("<img", "<svg", "<script", "onerror", "onload", "javascript:"):
        assert bad not in html.lower() or f"&lt;{bad[1:]}" in html.lower(), html
    assert "<img" not in html and "<svg" not in html and "<script" not in html


# --- 1. whole numbers -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["0", "²", "١٢", "-1", "1e3", "9" * 20, "9223372036854775808", "", None, "1 2"]
)
def test_whole_number_refuses_what_is_not_a_positive_64_bit_ascii_number(value):
    assert whole_number(value) is None


# --- 7. two-factor: codes sent while the device waits ---------------------------------


@pytest.mark.django_db
def test_codes_sent_during_the_wait_give_no_more_guesses_than_five(settings, reviewer):
    """django-otp's delay on (as in production): wrong codes spaced past each delay,
    with codes sent during every delay in between; the fifth real failure locks the right
    code out as before."""
    from tests.conftest import give_authenticator

    if not reviewer.totpdevice_set.filter(confirmed=True).exists():
        give_authenticator(reviewer)
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    cache.clear()
    browser = Client()
    assert browser.login(username=reviewer.username, password=PASSWORD)
    start = timezone.now()
    right = totp_code(reviewer)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    moment = start
    for n in range(MAX_FAILURES):
        with time_machine.travel(moment, tick=False):
            browser.post(TWOFACTOR, {"code": wrong})
            # During the wait: not read, not counted.
            for _ in range(3):
                assert browser.post(TWOFACTOR, {"code": wrong}).status_code in (400, 429)
        moment += dt.timedelta(seconds=2**n + 1)
    with time_machine.travel(moment, tick=False):
        assert browser.post(TWOFACTOR, {"code": totp_code(reviewer)}).status_code == 429
    cache.clear()


# --- 5. the referral file: decisions another person filed are not joined ---------------


@pytest.mark.django_db
def test_a_decision_a_reviewer_filed_is_not_joined_to_the_requesters_referral(
    contributor_client, reviewer
):
    import pymupdf

    from contrechamp.access.services import answer_attach, referral_file

    response = contributor_client.post(
        "/demandes/nouvelle/",
        {
            "communes": "42218",
            "title": "VSA",
            "usual": ["0"],
            "documents_asked": "Le marché",
            "channel": "post",
        },
    )
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    request.sent_on, request.received_on, request.status = (
        dt.date(2026, 3, 10),
        dt.date(2026, 3, 12),
        "sent",
    )
    request.save()
    answer_attach(
        request=request,
        data=samples.text_pdf(["Refus. Agent instructeur : Mme Quintal, 06 12 34 56 78."]),
        filename="refus.pdf",
        kind="refusal",
        date=dt.date(2026, 4, 5),
        user=reviewer,
    )
    pdf = pymupdf.open(stream=referral_file(request, user=request.requester), filetype="pdf")
    assert "Quintal" not in "".join(page.get_text() for page in pdf)


# --- 6. tips: another person's token is not suppressible without it -------------------


@pytest.mark.django_db
def test_tips_with_different_tokens_are_each_taken(client):
    import re

    from contrechamp.tips.models import Tip

    tokens = set()
    for _ in range(3):
        page = client.get("/signaler/").content.decode()
        tokens.add(re.search(r'name="once" value="([^"]+)"', page).group(1))
    assert len(tokens) == 3
    for token in tokens:
        client.post("/signaler/", {"text": "Des caméras.", "place": "", "once": token})
    assert Tip.objects.count() == 3
