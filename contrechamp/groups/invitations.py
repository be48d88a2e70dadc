"""Invitations to a group: a coordinator invites an e-mail address, or makes a link to
share; whoever receives it joins after logging in (or creating an account).

What holds, and why:
- A token is 256 random bits, shown once (in the mail, or to the coordinator who made
  the link); only its SHA-256 is stored, so a copy of the database opens no group, and
  a guess is hopeless.
- An e-mail invitation is bound to its address: only the account with that address
  may use it, once. Forwarded to someone else, it lets them in nowhere (they may ask to
  join, as anyone may, and a coordinator decides): a collective invites a person, not
  whoever holds their mail. A link to share is anyone's who has it, until it expires or
  is revoked; its maker may have those who follow it ask to join rather than join.
- Both expire (`INVITATION_DAYS`); cancelling one, or making a new link, ends the old
  one at once.
- A person a coordinator removed (or whose request was refused) cannot come back
  through an invitation made before: not the link the group shares, not an e-mail
  invitation still waiting (`models.Removal`).
- An invitation is its maker's word as a coordinator: it works only while she still
  coordinates the group. Removed, gone, her account deleted or disabled, what she made
  stops working: ended in the same transaction (`services.invitations_of_maker_end`,
  recorded in the audit log, the coordinators told on the group's pages), and refused
  at use whatever way she stopped (`_maker_coordinates`). Otherwise a coordinator taken
  off the group came back under another account, or sent others, with the link she
  kept.
- Inviting never tells whether the address has an account, nor whether it is already a
  member: nothing here looks the address up, and the answer and the mail are the same.
- Every change is in the audit log: rows saved are recorded by it, the one conditional
  update (a use) is told to it here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contrechamp.audit.services import audit_record
from contrechamp.groups import permissions
from contrechamp.groups.models import Group, Invitation, Membership, Removal
from contrechamp.groups.services import (
    _CONTROL,
    _lock,
    display_name,
    invitation_end,
    member_label,
    membership_request,
    one_line,
)
from contrechamp.lib.typography import day

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

# How long an invitation works, by e-mail or link.
INVITATION_DAYS = 14
# The token's length in bytes before encoding (43 characters in the address).
TOKEN_BYTES = 32
# Dead invitations (used, cancelled, expired) are deleted this long after: the members
# page shows the recent ones meanwhile.
KEPT_AFTER_DAYS = 30


def token_hash(token: str) -> str:
    """The stored form of a token. Plain SHA-256: a token has 256 random bits, no
    dictionary to try, so no key or slow hash adds anything."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def invitation_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("group-invitation", args=[token])


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def _created(group: Group, by: User, now: dt.datetime, **fields: Any) -> tuple[Invitation, str]:
    """A new invitation of `group` by `by`, valid `INVITATION_DAYS`, and its token (only
    its hash is stored)."""
    token, digest = _new_token()
    invitation = Invitation.objects.create(
        group=group,
        token_hash=digest,
        created_by=by,
        created_at=now,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
        **fields,
    )
    return invitation, token


def _coordinating(group: Group, by: User) -> Group:
    """The group locked, once `by` is still one of its coordinators (asked again under
    the lock: a coordinator removed a moment ago invites no one)."""
    if not permissions.may_invite(by, group):
        raise PermissionDenied
    locked = _lock(group)
    if not permissions.may_invite(by, locked):
        raise PermissionDenied
    return locked


def clean_address(email: str) -> str:
    """The address as typed, checked; a line break is refused, not cleaned (it can only
    be an attempt to add a mail header)."""
    email = (email or "").strip()
    if not email or _CONTROL.search(email) or len(email) > 254:
        raise ValidationError(_("Enter a valid e-mail address."))
    validate_email(email)
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


@transaction.atomic
def invitation_send(*, group: Group, by: User, email: str, language: str = "") -> Invitation:
    """Invite `email` to `group` and mail it the link, in `language` (the page's when
    none), once the transaction is committed. A waiting invitation to the same address
    is replaced (its link stops working). Whatever the address, the same is done: it is
    never looked up among accounts or members."""
    email = clean_address(email)
    group = _coordinating(group, by)
    now = timezone.now()
    for earlier in Invitation.objects.filter(
        group=group, kind="email", email__iexact=email, used_at=None, revoked_at=None
    ):
        invitation_end(earlier, now)
    invitation, token = _created(group, by, now, kind="email", email=email)
    languages = dict(settings.LANGUAGES)
    language = language if language in languages else translation.get_language()
    with translation.override(language or settings.LANGUAGE_CODE):
        subject, body = _invitation_mail(group, by, token, invitation.expires_at)

    def send() -> None:
        try:
            mail.EmailMessage(
                subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[email]
            ).send()
        except Exception:  # the mail server: the invitation is saved, it may be sent again
            logger.exception("group invitation mail not sent")

    transaction.on_commit(send)
    return invitation


def _invitation_mail(group: Group, by: User, token: str, until: dt.datetime) -> tuple[str, str]:
    name = one_line(group.name)
    inviter = display_name(by)
    if inviter:
        subject = _("%(person)s invites you to join %(group)s") % {
            "person": inviter,
            "group": name,
        }
        opening = _("%(person)s, a coordinator of the group %(group)s, invites you to join it") % {
            "person": inviter,
            "group": name,
        }
    else:
        subject = _("An invitation to join %(group)s") % {"group": name}
        opening = _("A coordinator of the group %(group)s invites you to join it") % {"group": name}
    body = _(
        "%(opening)s on Contrechamp, the observatory of surveillance technology in public "
        "space.\n\n"
        "To accept, follow this link. It works once, until %(date)s, and only for the "
        "account with this e-mail address; if you have no account yet, it lets you "
        "create one:\n%(url)s\n\n"
        "If you do not know this group, or do not wish to join it, ignore this message: "
        "nothing happens without you.\n"
    ) % {"opening": opening, "date": day(until), "url": invitation_url(token)}
    return subject, body


@transaction.atomic
def invitation_link_create(
    *, group: Group, by: User, needs_approval: bool = False
) -> tuple[Invitation, str]:
    """A new link to share, and its address (shown once: only its hash is kept). The
    group's previous link stops working: one link at a time, so revoking is one act."""
    group = _coordinating(group, by)
    now = timezone.now()
    for earlier in Invitation.objects.filter(group=group, kind="link", revoked_at=None):
        invitation_end(earlier, now)
    invitation, token = _created(group, by, now, kind="link", needs_approval=needs_approval)
    return invitation, invitation_url(token)


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, by: User) -> None:
    """Cancel an e-mail invitation or revoke the link: it stops working at once."""
    group = _coordinating(invitation.group, by)
    fresh = Invitation.objects.filter(id=invitation.id, group=group).first()
    if fresh is not None and fresh.revoked_at is None and fresh.used_at is None:
        invitation_end(fresh, timezone.now())


def _maker_still_coordinates() -> Exists:
    """Its maker is still an active coordinator of its group, with an account that
    works (ended when she stops, `services.invitations_of_maker_end`; asked again here
    for whatever way she stopped that did not go through it)."""
    return Exists(
        Membership.objects.filter(
            group=OuterRef("group"),
            user=OuterRef("created_by"),
            state="active",
            role="coordinator",
            user__is_active=True,
        )
    )


def _maker_coordinates(invitation: Invitation) -> bool:
    return Invitation.objects.filter(_maker_still_coordinates(), id=invitation.id).exists()


def _alive() -> Q:
    return Q(
        _maker_still_coordinates(), used_at=None, revoked_at=None, expires_at__gt=timezone.now()
    )


def invitations_waiting(group: Group) -> QuerySet[Invitation]:
    """The group's e-mail invitations not used, cancelled nor expired, newest first."""
    return group.invitations.filter(_alive(), kind="email")


def invitation_link(group: Group) -> Invitation | None:
    """The group's link to share while it works, else None."""
    return group.invitations.filter(_alive(), kind="link").first()


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation whose token is `token` (alive or not), else None."""
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("group").filter(token_hash=token_hash(token)).first()


# Why an invitation does not let someone in; "" when it does.
REFUSALS = ("used", "revoked", "expired", "member", "asked", "other_address", "removed", "role")


def invitation_refusal(invitation: Invitation, user: User | None = None) -> str:
    """Why `invitation` would not let `user` in (one of REFUSALS), or "". Without a user,
    only what holds for anyone: used, cancelled, expired."""
    if invitation.kind == "email" and invitation.used_at is not None:
        return "used"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= timezone.now():
        return "expired"
    # Told as a cancellation: whoever holds the link needs no more of the group's news.
    if not _maker_coordinates(invitation):
        return "revoked"
    if user is None or not user.is_authenticated:
        return ""
    own = permissions.membership(user, invitation.group)
    if own is not None and own.is_active:
        return "member"
    if invitation.kind == "email" and (user.email or "").strip().casefold() != (
        invitation.email.casefold()
    ):
        return "other_address"
    if Removal.objects.filter(
        group=invitation.group, user=user, removed_at__gte=invitation.created_at
    ).exists():
        return "removed"
    if not permissions.may_use_invitation(user):
        return "role"
    # A link that asks for approval, followed by someone who already asked: nothing new.
    if own is not None and invitation.needs_approval:
        return "asked"
    return ""


def refusal_text(reason: str) -> str:
    return {
        "used": _("This invitation has already been used: it works once."),
        "revoked": _("This invitation was cancelled by the group's coordinators."),
        "expired": _(
            "This invitation has expired. Ask the group's coordinators for a new one, "
            "or ask to join from the group's page."
        ),
        "member": _("You are already in this group."),
        "asked": _("You have already asked to join this group; a coordinator will answer."),
        "other_address": _(
            "This invitation was sent to another e-mail address than your account's, and "
            "only the account with that address may use it. Log in to that account, or "
            "ask to join from the group's page: a coordinator will decide."
        ),
        "removed": _(
            "A coordinator removed you from this group after this invitation was made: "
            "it no longer lets you in. You may ask to join from the group's page."
        ),
        "role": _("Your account may not join groups."),
    }.get(reason, _("This invitation does not let you in."))


class InvitationRefused(ValidationError):
    def __init__(self, reason: str) -> None:
        super().__init__(refusal_text(reason), code=reason)
        self.reason = reason


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the invitation's group as `user`, or ask to join when it is a link that asks
    for approval (the coordinators are told). Refused with `InvitationRefused` (nothing
    written) when it does not let them in. Read again under the group's lock, and used
    by a conditional update: two uses of one e-mail invitation at once, one succeeds."""
    group = _lock(invitation.group)
    fresh = Invitation.objects.filter(id=invitation.id, group=group).first()
    if fresh is None:
        raise InvitationRefused("revoked")
    fresh.group = group
    reason = invitation_refusal(fresh, user)
    if reason:
        raise InvitationRefused(reason)
    now = timezone.now()
    usable = Invitation.objects.filter(id=fresh.id, revoked_at=None, expires_at__gt=now)
    if fresh.kind == "email":
        used = usable.filter(used_at=None).update(used_at=now, email="", uses=F("uses") + 1)
        fields = ["email", "used_at", "uses"]
    else:
        used = usable.update(uses=F("uses") + 1)
        fields = ["uses"]
    if not used:
        raise InvitationRefused("used")
    # A conditional UPDATE sends no signal: the audit log is told here.
    audit_record("changed", target=fresh, details={"fields": fields, "group": group.id})
    if fresh.needs_approval:
        return membership_request(group=group, user=user)
    own = Membership.objects.filter(group=group, user=user).first()
    if own is None:
        return Membership.objects.create(group=group, user=user, state="active", joined_at=now)
    # They had asked to join: the invitation answers the request.
    own.state, own.joined_at = "active", now
    own.save(update_fields=["state", "joined_at"])
    return own


@dataclass
class EndedWithMaker:
    """Invitations ended on one day because their maker stopped coordinating."""

    maker: str
    day: dt.date
    count: int
    link: bool


def invitations_ended_with_maker(group: Group) -> list[EndedWithMaker]:
    """What the group's coordinators are told: the invitations ended because the one who
    made them no longer coordinates the group, by maker and day, newest first, until the
    purge deletes them (KEPT_AFTER_DAYS). Never an address (erased when ended)."""
    ended: dict[tuple[int | None, dt.date], EndedWithMaker] = {}
    found = group.invitations.filter(revoked_because="maker").select_related("created_by__profile")
    for invitation in found.order_by("-revoked_at", "-id"):
        when = timezone.localdate(invitation.revoked_at or invitation.created_at)
        key = (invitation.created_by_id, when)
        if key not in ended:
            maker = member_label(invitation.created_by) if invitation.created_by else ""
            ended[key] = EndedWithMaker(maker=maker, day=when, count=0, link=False)
        ended[key].count += 1
        ended[key].link = ended[key].link or invitation.kind == "link"
    return list(ended.values())


def invitations_purge(*, now: dt.datetime | None = None) -> int:
    """Erase the address of every expired e-mail invitation, and delete the invitations
    dead for KEPT_AFTER_DAYS. Returns how many were deleted."""
    now = now or timezone.now()
    for expired in Invitation.objects.filter(expires_at__lte=now).exclude(email=""):
        expired.email = ""
        expired.save(update_fields=["email"])  # saved: the audit log sees it
    before = now - dt.timedelta(days=KEPT_AFTER_DAYS)
    dead = Invitation.objects.filter(
        Q(expires_at__lte=before) | Q(revoked_at__lte=before) | Q(used_at__lte=before)
    )
    count = 0
    for invitation in dead:
        invitation.delete()  # one by one: the audit log records each
        count += 1
    return count
