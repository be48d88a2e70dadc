"""Hostile review 52c: the tip form's one-time token, as first written (`claim_once` /
`release_once` in the shared cache).

The token was claimed in the cache before the tip was written, outside the tip's
transaction, and released only on TipRefused: any other failure between the claim and
the commit (a database locked or gone, a disk error, a bug) left the token claimed and no
tip; the sender's reload was then told "this tip was received already" and the tip was
lost without a word. The same happened when the reload arrived while the first sending
was still being cleaned and that first sending was then refused. And the claim's row
kept the second each tip was sent, for a day. Now the token makes the receipt code, kept
only as the tip's own hash, in the transaction that stores the tip."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.db import OperationalError, connection
from django.urls import reverse

from contrechamp.tips import services as tip_services
from contrechamp.tips import views as tip_views
from contrechamp.tips.models import Tip
from tests.tips.helpers import CODE

ONCE = re.compile(r'name="once" value="([^"]+)"')


def _once(client) -> str:
    return ONCE.search(client.get(reverse("tip-create")).content.decode()).group(1)


@pytest.mark.django_db
def test_a_tip_whose_sending_crashed_is_not_said_received_when_sent_again(client, monkeypatch):
    once = _once(client)
    data = {"text": "Des caméras place du marché.", "place": "", "once": once}
    real = tip_services.tip_create
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(**kwargs)

    monkeypatch.setattr(tip_views, "tip_create", flaky)
    client.raise_request_exception = False
    first = client.post(reverse("tip-create"), data)
    assert first.status_code >= 500 and not Tip.objects.exists()
    # The sender reloads the error page: the browser sends the same form again.
    again = client.post(reverse("tip-create"), data)
    page = again.content.decode()
    assert "déjà été reçu" not in page, "told 'received already' of a tip never received"
    assert Tip.objects.count() == 1 and CODE.search(page)


@pytest.mark.django_db
def test_a_reload_while_the_first_sending_is_refused_is_not_said_received(client, monkeypatch):
    """No JavaScript (Tor Browser's safest level): the sender clicks again, or reloads,
    while the first sending's file is being cleaned; the first is then refused for its
    file. The browser shows the second answer: "received already"."""
    once = _once(client)
    data = {"text": "Des caméras place du marché.", "place": "", "once": once}
    second = {}
    real = tip_services.tip_create

    def slow_then_refused(**kwargs):
        # The second sending of the same form arrives meanwhile, and goes through.
        monkeypatch.setattr(tip_views, "tip_create", real)
        second["response"] = client.post(reverse("tip-create"), data)
        raise tip_services.TipRefused("Fichier 1 : impossible de le nettoyer.")

    monkeypatch.setattr(tip_views, "tip_create", slow_then_refused)
    first = client.post(reverse("tip-create"), data)
    assert first.status_code == 400
    shown = second["response"].content.decode()  # what the browser shows: the last answer
    assert "déjà été reçu" not in shown, "told 'received already' of a refused tip"
    assert CODE.search(shown) and Tip.objects.count() == 1


@pytest.mark.django_db
def test_the_one_time_token_keeps_no_time_of_day_of_the_tip(client):
    """Tips keep the day only (tests/tips/test_privacy.py): the token's row in the shared
    cache expires exactly a day after the sending, to the second."""
    cache = caches["default"]
    assert hasattr(cache, "_table"), "the suite runs with the database cache"
    paris = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    with time_machine.travel(dt.datetime(2026, 3, 12, 14, 37, 21, tzinfo=paris), tick=False):
        once = _once(client)
        response = client.post(
            reverse("tip-create"), {"text": "Des caméras.", "place": "", "once": once}
        )
        assert CODE.search(response.content.decode())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT cache_key, expires FROM {connection.ops.quote_name(cache._table)}"
            " WHERE cache_key LIKE %s",
            ["%tip-once:%"],
        )
        rows = cursor.fetchall()
    assert rows == [], "nothing of the token is kept beside the tip"
    for _key, expires in rows:
        when = expires if isinstance(expires, dt.datetime) else dt.datetime.fromisoformat(expires)
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        local = when.astimezone(paris)
        assert (local.hour, local.minute, local.second) != (14, 37, 21), (
            f"the claim's expiry {local} gives the tip's time of day"
        )


@pytest.mark.django_db
def test_an_addition_whose_sending_crashed_is_not_said_added_when_sent_again(client, monkeypatch):
    from contrechamp.tips.models import TipMessage
    from tests.tips.helpers import send

    _response, code = send(client)
    page = client.post(reverse("tip-follow"), {"code": code}).content.decode()
    once = ONCE.search(page).group(1)
    data = {"code": code, "action": "add", "text": "Place de la mairie.", "once": once}
    real = tip_services.tip_add
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(**kwargs)

    monkeypatch.setattr(tip_views, "tip_add", flaky)
    client.raise_request_exception = False
    assert client.post(reverse("tip-follow"), data).status_code >= 500
    client.post(reverse("tip-follow"), data)  # the reload the 503 page asks for
    assert TipMessage.objects.filter(author="sender").count() == 1, "the addition was lost"
