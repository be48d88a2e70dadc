"""E-mail subscriptions and their digests.

`subscribe` records an address for a subject and sends it a confirmation link; nothing
else is ever sent to an address that did not confirm, and an unconfirmed subscription is
deleted after CONFIRM_DAYS. `digests_send`, run every hour by the scheduler, e-mails each
confirmed subscription whose period has passed what changed since its last digest (only
what the public pages show: the same entries as the subject's Atom feed), or nothing when
nothing changed. Every digest has an unsubscribe link, and the List-Unsubscribe headers
of RFC 8058 so that a mail client's own button ends it in one click; ending it deletes
the row: no list of former subscribers is kept."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from contrechamp.accounts.services import mail_language
from contrechamp.pages import feeds
from contrechamp.pages.models import Subscription
from contrechamp.registry.permissions import may_review
from contrechamp.watch.models import WatchRecord

logger = logging.getLogger(__name__)

CONFIRM_DAYS = 7
PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
# The hourly pass sends a digest a little before its full period, so that the time it
# takes does not push each digest an hour later than the one before.
SLACK = timedelta(minutes=30)
CANDIDATES_IN_DIGEST = 20


@dataclass(frozen=True)
class Subject:
    kind: str
    key: str
    name: str
    url: str
    scope: Any  # the place, technology, organisation or deployment; None for candidates


def subject_of(kind: str, key: str, *, user: User | None = None) -> Subject | None:
    """What a subscription of this kind and key follows, if it exists and is public (the
    watch's candidates: only for a reviewer); else None."""
    if kind == "candidates":
        if user is None or not user.is_active or not may_review(user):
            return None
        return Subject(kind, "", "", reverse("watch-queue"), None)
    feed_class = feeds.SCOPES.get(kind)
    if feed_class is None:
        return None
    feed = feed_class()
    try:
        scope = feed.lookup(key)
    except Http404:
        return None
    return Subject(kind, key, feed.name(scope), scope.get_absolute_url(), scope)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _links(subscription: Subscription) -> dict[str, str]:
    token = subscription.token
    return {
        "confirm_url": _absolute(reverse("subscription-confirm", args=[token])),
        "unsubscribe_url": _absolute(reverse("subscription-cancel", args=[token])),
    }


def normalise_email(email: str) -> str:
    return email.strip().lower()


def subscribe(
    *, email: str, subject: Subject, frequency: str, language: str
) -> Subscription | None:
    """Record that `email` wants `subject` and send it a confirmation link. Returns the
    subscription waiting for its confirmation, or None when this address already
    confirmed one for this subject: then nothing changes, so that no one can alter
    another's subscription, and the mail sent says it is already subscribed, with the
    link to stop. One mail either way: neither the page nor the time it takes tells a
    stranger whether the address was subscribed."""
    if frequency not in PERIODS:
        raise ValueError(frequency)
    email = normalise_email(email)
    try:
        with transaction.atomic():
            subscription, created = Subscription.objects.get_or_create(
                email=email,
                kind=subject.kind,
                key=subject.key,
                defaults={
                    "frequency": frequency,
                    "language": language,
                    "token": secrets.token_urlsafe(32),
                },
            )
    except IntegrityError:  # the same address at the same moment: one of the two stays
        subscription = Subscription.objects.get(email=email, kind=subject.kind, key=subject.key)
        created = False
    if subscription.confirmed_at is not None:
        _send(
            subscription, "already", {"subject": subject, **_links(subscription)}, unsubscribe=False
        )
        return None
    if not created:
        # Another request before confirming: the latest choice, and a fresh week to act.
        subscription.frequency, subscription.language = frequency, language
        subscription.created_at = timezone.now()
        subscription.save(update_fields=["frequency", "language", "created_at"])
    _send(
        subscription,
        "confirm",
        {"subject": subject, "days": CONFIRM_DAYS, **_links(subscription)},
        unsubscribe=False,
    )
    return subscription


def subscribe_reviewer(*, user: User, frequency: str, language: str) -> Subscription:
    """A reviewer's digest of new candidates, to their account's confirmed address: no
    confirmation link needed. Asked again, it changes the frequency."""
    if frequency not in PERIODS or subject_of("candidates", "", user=user) is None:
        raise ValueError("not a reviewer")
    now = timezone.now()
    address = normalise_email(user.email)
    with transaction.atomic():
        # Found by its reviewer, not by the address it was made with: after a change of
        # address, asking again made a second digest; and a reviewer given another's
        # former address took over that one's. Another's row still at this address
        # follows its own account's address first.
        for stale in (
            Subscription.objects.select_for_update(of=("self",))
            .filter(kind="candidates", key="", email=address)
            .exclude(user=user)
            .select_related("user")
        ):
            if stale.user is not None and stale.user.email:
                stale.email = normalise_email(stale.user.email)
                stale.save(update_fields=["email"])
            else:
                stale.delete()
        subscription = (
            Subscription.objects.select_for_update()
            .filter(kind="candidates", key="", user=user)
            .order_by("id")
            .first()
        )
        if subscription is not None:
            subscription.email, subscription.frequency = address, frequency
            subscription.language = language
            subscription.save(update_fields=["email", "frequency", "language"])
            return subscription
        return Subscription.objects.create(
            email=address,
            kind="candidates",
            key="",
            frequency=frequency,
            language=language,
            user=user,
            token=secrets.token_urlsafe(32),
            confirmed_at=now,
            covered_until=now,
        )


def _expired(subscription: Subscription, now: datetime) -> bool:
    return subscription.created_at < now - timedelta(days=CONFIRM_DAYS)


def confirmable(subscription: Subscription) -> bool:
    """Confirmed already, or its link still valid."""
    return subscription.confirmed_at is not None or not _expired(subscription, timezone.now())


def subscription_by_token(token: str) -> Subscription | None:
    if not token or len(token) > 64:
        return None
    return Subscription.objects.filter(token=token).first()


def subscription_confirm(token: str) -> Subscription | None:
    """Confirm the subscription of this link; the first digest covers what changes from
    now on. Returns it (confirmed before or now), or None for an unknown or expired
    link."""
    now = timezone.now()
    subscription = subscription_by_token(token)
    if subscription is None:
        return None
    if subscription.confirmed_at is None:
        if _expired(subscription, now):
            subscription.delete()
            return None
        Subscription.objects.filter(id=subscription.id, confirmed_at__isnull=True).update(
            confirmed_at=now, covered_until=now
        )
        subscription.refresh_from_db()
    return subscription


def subscription_cancel(token: str) -> bool:
    """Delete the subscription of this link. Whether there was one."""
    subscription = subscription_by_token(token)
    if subscription is None:
        return False
    subscription.delete()
    return True


def unconfirmed_purge(*, now: datetime | None = None) -> int:
    """Delete the subscriptions whose confirmation link has expired. How many."""
    now = now or timezone.now()
    deleted, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - timedelta(days=CONFIRM_DAYS)
    ).delete()
    return deleted


def _language(subscription: Subscription) -> str:
    """A reviewer's digest in the language of their account's e-mails; an address's in
    the language of the page it subscribed on."""
    user = subscription.user
    return mail_language(user) if user is not None else subscription.language


def _send(
    subscription: Subscription, template: str, context: dict[str, Any], *, unsubscribe: bool
) -> None:
    user = subscription.user
    with translation.override(_language(subscription)):
        subject = render_to_string(f"pages/mail/{template}_subject.txt", context)
        body = render_to_string(f"pages/mail/{template}.txt", context)
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # A reviewer's digest goes to their account's address as it is now: the one they
    # subscribed with kept receiving the queue after they changed it.
    address = user.email if user is not None and user.email else subscription.email
    EmailMessage(" ".join(subject.split()), body, None, [address], headers=headers).send()


def _candidates(since: datetime | None) -> tuple[int, list[WatchRecord]]:
    waiting = WatchRecord.objects.filter(status="new")
    if since is not None:
        waiting = waiting.filter(first_seen__gt=since)
    return waiting.count(), list(
        waiting.select_related("commune", "epci").order_by("-score", "id")[:CANDIDATES_IN_DIGEST]
    )


def _digest_context(subscription: Subscription, subject: Subject) -> dict[str, Any] | None:
    since = subscription.covered_until
    if subject.kind == "candidates":
        count, records = _candidates(since)
        if not count:
            return None
        return {"count": count, "records": records}
    feed = feeds.SCOPES[subject.kind]()
    entries = feed.entries(subject.scope, since=since)
    if not entries:
        return None
    with translation.override(_language(subscription)):
        items = [
            {
                "title": feed.item_title(entry),
                "description": feed.item_description(entry),
                "url": _absolute(feed.item_link(entry)),
                "new": since is None or entry.created > since,
            }
            for entry in entries
        ]
    return {"count": len(items), "items": items}


def digests_send(*, now: datetime | None = None) -> dict[str, int]:
    """E-mail each confirmed subscription whose period has passed what changed since its
    last digest. Returns how many were checked, sent, and skipped because their subject
    is gone or no longer theirs."""
    now = now or timezone.now()
    counts = {"checked": 0, "sent": 0, "gone": 0}
    due = Subscription.objects.filter(confirmed_at__isnull=False).select_related("user__profile")
    for subscription in due.order_by("id").iterator():
        since = subscription.covered_until
        if since is not None and since > now - PERIODS[subscription.frequency] + SLACK:
            continue
        counts["checked"] += 1
        # The subject's name and the frequency in the subscriber's language, as the
        # rest of the digest ("Vidéosurveillance algorithmique", "hebdomadaire" in an
        # English digest: a hostile review).
        with translation.override(_language(subscription)):
            subject = subject_of(subscription.kind, subscription.key, user=subscription.user)
            frequency = subscription.get_frequency_display()
        if subject is None:
            # Unpublished, merged away, or no longer a reviewer: nothing is sent, and the
            # subscription waits (a deployment may be published again).
            counts["gone"] += 1
            continue
        context = _digest_context(subscription, subject)
        # Claimed before sending: a second pass at the same time sends nothing.
        claimed = Subscription.objects.filter(id=subscription.id, covered_until=since).update(
            covered_until=now
        )
        if not claimed or context is None:
            continue
        context.update(
            {
                "subject": subject,
                "subject_url": _absolute(subject.url),
                "since": since,
                "frequency": frequency,
                **_links(subscription),
            }
        )
        try:
            _send(subscription, "digest", context, unsubscribe=True)
        except Exception:
            # Given back: the next pass sends it.
            Subscription.objects.filter(id=subscription.id).update(covered_until=since)
            logger.exception("digest %s not sent", subscription.id)
            continue
        counts["sent"] += 1
    return counts


def subscriptions_follow_merged_commune(
    *, former: str, current: Any, **kwargs: Any
) -> dict[str, int]:
    """A commune merged into another since (`places.signals.commune_folded`): those who
    followed it follow the commune it is part of now; an address that followed both
    keeps one subscription. Returns how many moved."""
    rows = Subscription.objects.filter(kind="commune", key=former)
    count = rows.count()
    # Of an address's two, the confirmed one stays (an unconfirmed one kept in its place
    # stopped the digests of someone who followed the former commune for a year).
    for old in rows.exclude(confirmed_at__isnull=True):
        Subscription.objects.filter(
            kind="commune", key=current.code, email=old.email, confirmed_at__isnull=True
        ).delete()
    both = Subscription.objects.filter(kind="commune", key=current.code).values("email")
    rows.filter(email__in=both).delete()
    rows.update(key=current.code)
    return {"pages.Subscription.key": count} if count else {}
