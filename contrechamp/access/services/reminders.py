"""What keeps requesters on time: their dates due soon, the daily pass (implicit refusals
recorded, reminders e-mailed), and the private Atom feed of their deadlines."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from contrechamp.access.deadlines import Deadline
from contrechamp.access.models import AccessRequest, FeedToken, ReminderLog
from contrechamp.access.services.timeline import (
    calendar,
    deadline_name,
    implicit_refusals_record,
    today,
    with_timeline,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def due_soon(
    user: User, *, on: dt.date | None = None, days: int = 7
) -> list[tuple[AccessRequest, Deadline]]:
    """The user's requests with a date within `days`, soonest first."""
    on = on or today()
    items = []
    followed = AccessRequest.objects.filter(requester=user).exclude(
        status__in=["draft", "answered", "closed", "withdrawn"]
    )
    for request in with_timeline(followed):  # a fixed number of queries, not 2 per request
        for deadline in calendar(request).deadlines:
            if not deadline.done and on <= deadline.date <= on + dt.timedelta(days=days):
                items.append((request, deadline))
    return sorted(items, key=lambda item: item[1].date)


def reminders_send(*, today: dt.date | None = None) -> int:
    """E-mail each requester what is due within 7 days, once a day. Returns how many
    e-mails were sent."""
    day = today or timezone.localdate()
    sent = 0
    users = get_user_model().objects.filter(access_requests__isnull=False).distinct()
    for user in users:
        items = due_soon(user, on=day)
        if not items or not user.email:
            continue
        try:
            with transaction.atomic():
                ReminderLog.objects.create(user=user, day=day, items=len(items))
        except IntegrityError:
            continue  # already reminded today
        with translation.override("fr"):
            lines = [
                f"- {deadline.date.isoformat()} : {deadline_name(deadline)} — {request.title} "
                f"({request.body.name}), {settings.SITE_URL}{request.get_absolute_url()}"
                for request, deadline in items
            ]
        send_mail(
            f"Contrechamp : {len(items)} échéance(s) dans les 7 jours",
            "\n".join(lines) + "\n",
            None,
            [user.email],
        )
        sent += 1
    return sent


def _feed_digest(token: str) -> str:
    # SHA-256, not a slow password hash: the key is 256 random bits, nothing to guess.
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_token_renew(*, user: User) -> str:
    """A new random key for the user's feed address, replacing (revoking) the old one.
    Returns the key: the only time it exists outside the feed reader, since only its
    hash is stored."""
    token = secrets.token_urlsafe(32)
    # The date shown is the current key's, not the first one's.
    FeedToken.objects.update_or_create(
        user=user, defaults={"digest": _feed_digest(token), "created_at": timezone.now()}
    )
    return token


def feed_token_user(token: str) -> User | None:
    """The active user whose feed this key opens, or None."""
    found = (
        FeedToken.objects.select_related("user")
        .filter(digest=_feed_digest(token), user__is_active=True)
        .first()
    )
    return found.user if found else None


def daily_pass(*, on: dt.date | None = None) -> dict[str, int]:
    """The daily pass: record the implicit refusals whose date has come, then e-mail
    what is due. Safe to run twice a day (reminders are logged per user and day)."""
    return {
        "implicit_refusals": implicit_refusals_record(on=on),
        "reminders": reminders_send(today=on),
    }
