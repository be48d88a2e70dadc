"""Hostile review 55: e-mail digests, attacked (failed on the code before its
mending)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from contrechamp.pages.subscriptions import digests_send
from contrechamp.registry.models import Technology
from contrechamp.registry.services import deployment_create
from tests.factories import deployment_data
from tests.pages.test_subscriptions import _confirmed

pytestmark = pytest.mark.django_db


def test_an_english_digest_of_a_technology_is_written_in_english(contributor):
    """Lea subscribed to the algorithmic video-surveillance digest on the English site.
    The digest's items are rendered in her language (`translation.override` in
    `_digest_context`), but the subject's name and the frequency are computed before,
    in the worker's language: her English e-mail says "What changed on
    Vidéosurveillance algorithmique" and "You receive this hebdomadaire digest", and
    so does its subject line."""
    english = Client(headers={"accept-language": "en"})
    subscription = _confirmed(
        english, email="lea@example.org", kind="technology", key="vsa", frequency="weekly"
    )
    assert subscription.language == "en"
    vsa = Technology.objects.get(slug="vsa")
    assert vsa.name_en != vsa.name_fr
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        deployment_create(
            data=deployment_data(title="VSA au stade", technologies=["vsa"]), author=contributor
        )
    # The scheduler's process speaks the site's language (no request activated another).
    with translation.override("fr"), time_machine.travel(timezone.now() + timedelta(days=8)):
        digests_send()
    (digest,) = mail.outbox
    text = digest.subject + "\n" + digest.body
    assert "VSA au stade" in text
    french = [w for w in (vsa.name_fr, "hebdomadaire") if w in text]
    assert not french, f"French words in an English digest: {french}\n{text}"
    assert vsa.name_en in digest.subject
