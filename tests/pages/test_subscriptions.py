"""E-mail subscriptions, attacked: an address subscribed by someone else, a mail scanner
opening every link, a robot and a flood, a stranger changing another's subscription, a
draft or private subject, a digest that would leak what the public pages do not show, two
passes at once, a mail server that fails."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contrechamp.lib.typography import day
from contrechamp.pages.models import Subscription
from contrechamp.pages.subscriptions import digests_send, unconfirmed_purge
from contrechamp.registry.models import Deployment
from contrechamp.registry.services import deployment_create
from contrechamp.watch.models import WatchRecord
from contrechamp.watch.services import import_decp
from tests.factories import deployment_data
from tests.pages.test_feeds import _document
from tests.watch.test_decp import SELECTION

pytestmark = pytest.mark.django_db
URL = re.compile(r"https?://\S+")


def _subscribe(
    client, email="lea@example.org", kind="commune", key="06088", headers=None, **fields
):
    data = {"email": email, "frequency": "daily", "website": "", **fields}
    return client.post(reverse("subscribe", args=[kind, key]), data, headers=headers)


def _link(message, name):
    for url in URL.findall(message.body):
        if f"/abonnement/{name}/" in url:
            return urlsplit(url).path
    raise AssertionError(f"no {name} link in {message.body!r}")


def _confirmed(client, email="lea@example.org", **extra):
    _subscribe(client, email, **extra)
    link = _link(mail.outbox[-1], "confirmer")
    assert client.post(link).status_code == 200
    mail.outbox.clear()
    return Subscription.objects.get(email=email)


def _publish(contributor, title, commune="06088", published=True):
    return deployment_create(
        data=deployment_data(
            title=title,
            communes=[commune],
            technologies=["videosurveillance"],
            is_published=published,
        ),
        author=contributor,
    )


def test_nothing_is_sent_before_the_address_confirms_and_a_scanner_confirms_nothing(
    client, contributor
):
    response = _subscribe(client)
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0], "confirmer")
    # A mail scanner opens the link: a page with a button, nothing confirmed.
    assert client.get(link).status_code == 200
    assert Subscription.objects.get().confirmed_at is None
    _publish(contributor, "Caméras du port")
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert digests_send()["sent"] == 0
    assert mail.outbox == []
    # Confirmed by the button: the next digest covers what changes from then on.
    assert client.post(link).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=12)):
        _publish(contributor, "Lecture des plaques")
        assert digests_send()["sent"] == 0  # not a day yet since the confirmation
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert digests_send()["sent"] == 1
    (digest,) = mail.outbox
    assert "Lecture des plaques" in digest.body and "Caméras du port" not in digest.body
    assert digest.to == ["lea@example.org"]


def test_a_digest_holds_what_the_public_pages_show_and_nothing_else(client, contributor):
    subscription = _confirmed(client)
    later = timezone.now() + timedelta(hours=1)
    with time_machine.travel(later):
        _publish(contributor, "Caméras publiées de Nice")
        _publish(contributor, "Brouillon secret de Nice", published=False)
        _publish(contributor, "Caméras de Cannes", commune="06029")
        _document("Délibération publiée de Nice", public=True)
        _document("Courrier non caviardé de Nice", public=False)
    with time_machine.travel(later + timedelta(days=1)):
        assert digests_send() == {"checked": 1, "sent": 1, "gone": 0}
    (digest,) = mail.outbox
    body = digest.body
    assert "Caméras publiées de Nice" in body and "Délibération publiée de Nice" in body
    for hidden in ("Brouillon secret", "non caviardé", "Cannes", "camille"):
        assert hidden not in body
    assert "Nice" in digest.subject
    # Unsubscribing in one click, as a mail client's button does it (RFC 8058).
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = digest.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe == "http://127.0.0.1:8000" + reverse(
        "subscription-cancel", args=[subscription.token]
    )
    # Nothing new since: nothing sent, however many passes.
    mail.outbox.clear()
    with time_machine.travel(later + timedelta(days=3)):
        assert digests_send()["sent"] == 0
        assert digests_send()["sent"] == 0
    assert mail.outbox == []


def test_a_scanner_opening_the_unsubscribe_link_ends_nothing_a_post_without_token_does(
    client,
):
    subscription = _confirmed(client)
    scanner = Client(enforce_csrf_checks=True)
    path = reverse("subscription-cancel", args=[subscription.token])
    assert scanner.get(path).status_code == 200
    assert Subscription.objects.filter(id=subscription.id).exists()
    # The mail client's one-click POST carries no CSRF token and needs none.
    response = scanner.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.filter(email="lea@example.org").exists()
    assert scanner.post(path).status_code == 404
    # A made-up token opens nothing.
    assert scanner.get(reverse("subscription-cancel", args=["x" * 43])).status_code == 404
    assert client.post(reverse("subscription-confirm", args=["x" * 43])).status_code == 404


def test_a_stranger_cannot_change_or_probe_a_confirmed_subscription(client):
    subscription = _confirmed(client)
    stranger = Client()
    first = _subscribe(stranger, frequency="weekly")
    other = _subscribe(stranger, email="nobody@example.org", frequency="weekly")
    subscription.refresh_from_db()
    assert subscription.frequency == "daily"  # unchanged
    assert subscription.confirmed_at is not None
    # One mail on each path, so that neither the page nor the time it takes tells whether
    # the address was subscribed: Léa's says she already is, with the link to stop, and
    # no link that would change anything.
    assert sorted(m.to[0] for m in mail.outbox) == ["lea@example.org", "nobody@example.org"]
    to_lea = next(m for m in mail.outbox if m.to == ["lea@example.org"])
    assert "déjà" in to_lea.subject
    assert _link(to_lea, "desabonner") == reverse("subscription-cancel", args=[subscription.token])
    assert "/abonnement/confirmer/" not in to_lea.body
    # The same page either way, apart from the address.
    strip = re.compile(r'value="[^"]*"|lea@example\.org|nobody@example\.org')
    assert strip.sub("", first.content.decode()) == strip.sub("", other.content.decode())


def test_an_address_gets_three_confirmation_emails_a_day_whoever_asks(client):
    for n in range(6):
        visitor = Client(REMOTE_ADDR=f"192.0.2.{n + 10}")
        response = _subscribe(visitor, email="target@example.org", kind="commune", key="06088")
        assert response.status_code == 200
    assert len(mail.outbox) == 3
    # And one machine asking for many addresses is stopped.
    mail.outbox.clear()
    codes = [_subscribe(client, email=f"a{n}@example.org").status_code for n in range(12)]
    assert codes.count(200) == 10 and codes[-1] == 429
    assert len(mail.outbox) == 10


def test_a_robot_filling_the_trap_gets_the_same_page_and_no_email(client):
    response = _subscribe(client, website="http://spam.example")
    assert response.status_code == 200
    assert mail.outbox == [] and not Subscription.objects.exists()


@pytest.mark.parametrize("missing", ["email", "frequency"])
def test_a_form_with_a_field_removed_is_refused_and_stores_nothing(client, missing):
    data = {"email": "lea@example.org", "frequency": "daily"}
    del data[missing]
    response = client.post(reverse("subscribe", args=["commune", "06088"]), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Subscription.objects.exists() and mail.outbox == []
    crafted = {"email": "lea@example.org", "frequency": "hourly"}
    assert client.post(reverse("subscribe", args=["commune", "06088"]), crafted).status_code == 400


def test_a_draft_a_private_subject_or_the_reviewers_queue_cannot_be_subscribed(client, contributor):
    draft = _publish(contributor, "Brouillon", published=False)
    for kind, key in (
        ("deployment", draft.slug),
        ("deployment", "nope"),
        ("commune", "99999"),
        ("candidates", ""),
        ("candidates", "x"),
        ("user", "1"),
    ):
        for method in (client.get, client.post):
            url = reverse("subscribe", args=[kind, key or "x"])
            assert method(url).status_code == 404, (kind, key)
    assert mail.outbox == [] and not Subscription.objects.exists()


def test_a_deployment_unpublished_after_subscribing_is_not_sent(client, contributor):
    deployment = _publish(contributor, "Caméras du port")
    subscription = _confirmed(client, kind="deployment", key=deployment.slug)
    Deployment.objects.filter(id=deployment.id).update(
        is_published=False, updated_at=timezone.now() + timedelta(hours=1)
    )
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert digests_send() == {"checked": 1, "sent": 0, "gone": 1}
    assert mail.outbox == []
    assert Subscription.objects.filter(id=subscription.id).exists()


def test_an_unconfirmed_address_is_deleted_after_a_week_and_its_link_dies(client):
    _subscribe(client)
    link = _link(mail.outbox[0], "confirmer")
    later = timezone.now() + timedelta(days=8)
    with time_machine.travel(later):
        assert client.get(link).status_code == 404
        assert client.post(link).status_code == 404
        assert not Subscription.objects.exists()
    _subscribe(client, email="other@example.org")
    with time_machine.travel(later):
        assert unconfirmed_purge() == 1
    assert not Subscription.objects.exists()


def test_two_passes_at_once_send_one_digest_and_a_failed_send_is_retried(
    client, contributor, settings
):
    _confirmed(client)
    later = timezone.now() + timedelta(hours=1)
    with time_machine.travel(later):
        _publish(contributor, "Caméras du port")
    now = later + timedelta(days=1)
    settings.EMAIL_BACKEND = "tests.pages.failing_mail.Backend"
    assert digests_send(now=now)["sent"] == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digests_send(now=now)["sent"] == 1
    assert digests_send(now=now)["sent"] == 0
    assert len(mail.outbox) == 1


def test_the_digest_speaks_the_language_of_the_page_subscribed_on(client, contributor):
    _subscribe(client, headers={"accept-language": "en"})
    assert "confirm your subscription" in mail.outbox[0].subject
    french = Client()
    _subscribe(french, email="fr@example.org")
    assert "confirmez" in mail.outbox[1].subject.lower()


def test_reviewers_choose_to_receive_new_candidates_and_others_cannot(
    client, contributor, reviewer
):
    client.force_login(contributor)
    url = reverse("watch-digest-subscription")
    assert client.post(url, {"frequency": "daily"}).status_code == 403
    assert client.get(url).status_code == 403
    assert not Subscription.objects.exists()
    client.force_login(reviewer)
    assert client.post(url, {"frequency": "daily"}).status_code == 302
    page = client.get(url).content.decode()
    assert 'value="daily" checked' in page
    import_decp([SELECTION])
    with time_machine.travel(timezone.now() + timedelta(days=1, hours=1)):
        assert digests_send()["sent"] == 1
    (digest,) = mail.outbox
    assert digest.to == ["rene@example.org"]
    assert "VITROLLES" in digest.body and "/veille/" in digest.body
    # Its records' dates as the language writes them ("12 mars 2019"), not ISO.
    record_date = WatchRecord.objects.exclude(date=None).values_list("date", flat=True).first()
    assert record_date is not None and record_date.isoformat() not in digest.body
    assert day(record_date) in digest.body
    # No longer a reviewer: nothing more.
    mail.outbox.clear()
    reviewer.profile.role = "contributor"
    reviewer.profile.save()
    WatchRecord.objects.filter(status="new").update(first_seen=timezone.now() + timedelta(days=2))
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert digests_send() == {"checked": 1, "sent": 0, "gone": 1}
    # Never: deleted.
    reviewer.profile.role = "reviewer"
    reviewer.profile.save()
    assert client.post(url, {"frequency": "never"}).status_code == 302
    assert not Subscription.objects.filter(kind="candidates").exists()


def test_each_page_of_a_subject_links_its_feed_and_its_subscription(client, contributor):
    deployment = _publish(contributor, "Caméras du port")
    for page, kind, key in (
        (reverse("commune-detail", args=["06088"]), "commune", "06088"),
        (deployment.get_absolute_url(), "deployment", deployment.slug),
    ):
        body = client.get(page).content.decode()
        assert reverse("subscribe", args=[kind, key]) in body
        assert client.get(reverse("subscribe", args=[kind, key])).status_code == 200
