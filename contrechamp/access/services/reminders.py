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
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from contrechamp.access.deadlines import Deadline
from contrechamp.access.models import AccessRequest, FeedToken, ReminderLog
from contrechamp.access.services.timeline import (
    calendar,
    deadline_action,
    deadline_name,
    implicit_refusals_record,
    today,
    with_timeline,
)
from contrechamp.accounts.services import mail_language
from contrechamp.lib.typography import day as written_day

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
    # Not to those who turned the e-mail off on their account page (an account without
    # a profile has the default: on).
    users = (
        get_user_model()
        .objects.filter(access_requests__isnull=False, is_active=True)
        .exclude(profile__deadline_emails=False)
        .select_related("profile")  # their e-mails' language
        .distinct()
    )
    for user in users:
        items = due_soon(user, on=day)
        if not items or not user.email:
            continue
        try:
            with transaction.atomic():
                ReminderLog.objects.create(user=user, day=day, items=len(items))
        except IntegrityError:
            continue  # already reminded today
        # A greeting, the dates as the pages write them, what each is, and where they
        # all are (a walk found "3 échéance(s)", ISO dates and nothing else).
        with translation.override(mail_language(user)):
            # "1er mars : …", "April 12, 2026: …"
            colon = pgettext("between a label and what follows", ": ")
            lines = [
                f"- {written_day(deadline.date)}{colon}{deadline_name(deadline)}\n"
                f"  {request.title} ({request.body.name})\n"
                f"  {deadline_action(deadline)}\n"
                f"  {settings.SITE_URL}{request.get_absolute_url()}"
                for request, deadline in items
            ]
            subject = ngettext(
                "Contrechamp: %(count)d date of your requests within 7 days",
                "Contrechamp: %(count)d dates of your requests within 7 days",
                len(items),
            ) % {"count": len(items)}
            intro = _(
                "Hello,\n\nThese legal dates of your requests for documents fall within "
                "the next seven days:"
            )
            footer = _(
                "These reminders come once a day while your requests have dates due. All "
                "your dates are on %(url)s, which also gives a private feed for your "
                "calendar or feed reader. A request withdrawn or closed sends none. To "
                "stop these e-mails, or to have them in another language: %(account)s"
            ) % {
                "url": f"{settings.SITE_URL}{reverse('request-dashboard')}",
                "account": f"{settings.SITE_URL}{reverse('account')}#emails",
            }
        send_mail(
            subject,
            f"{intro}\n\n" + "\n\n".join(lines) + f"\n\n-- \n{footer}\n",
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
