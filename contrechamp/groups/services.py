"""Every write to local groups goes through here, and the reads that combine the group's
places with the registry, the library and the requests.

What a group shows of those is always read through their own permission functions
(`readable_deployments`, `readable_requests`, `readable_documents`…), with the viewer
it is shown to: a group never makes a draft or a private document visible."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contrechamp.access import permissions as access_permissions
from contrechamp.access import services as access_services
from contrechamp.access.models import AccessRequest
from contrechamp.accounts.services import mail_language
from contrechamp.audit.services import audit_record
from contrechamp.documents import permissions as document_permissions
from contrechamp.documents.models import Document, Entity
from contrechamp.groups import permissions
from contrechamp.groups.models import Group, Invitation, Membership, Removal, WorkItem
from contrechamp.lib.text import name_key, slug_of, without_invisible
from contrechamp.lib.typography import day, elided
from contrechamp.places.models import Commune, Department, Epci
from contrechamp.redaction import permissions as redaction_permissions
from contrechamp.redaction.models import Redaction
from contrechamp.registry import permissions as registry_permissions
from contrechamp.registry.models import Deployment

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, User

    Viewer = AbstractBaseUser | AnonymousUser

# A deadline this close (or passed) makes a request worth the group's attention.
DEADLINE_NEAR_DAYS = 14
SUGGESTIONS_PER_KIND = 20
# Requests refused, wholly or partly, whose next step (the CADA) the group may take up.
REFUSED = ("refused", "partial")
MESSAGE_MAX_LENGTH = 5000
# The few words of a request to join (Membership.message).
JOIN_MESSAGE_MAX_LENGTH = 1000
MESSAGE_MIN_LENGTH = 10

logger = logging.getLogger(__name__)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def one_line(text: str) -> str:
    """`text` without line breaks or control characters (a name goes into a mail's
    subject: a newline there would start a header of its own)."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


# --- Display ---------------------------------------------------------------------------


def display_name(user: Any) -> str:
    """The name a person chose to be known by in public, or "" (never the e-mail
    address, nor a user name that may be one)."""
    profile = getattr(user, "profile", None)
    return one_line(without_invisible(getattr(profile, "public_name", "") or ""))


def member_label(user: Any) -> str:
    """How members and coordinators see one another inside the group: the display name,
    else the account's number. Never the user name: it is half of what logs one in, and
    the account page tells a person without a display name that they show as "a
    contributor" (a new user's walk saw "camille" in another member's worklist)."""
    name = display_name(user)
    if name:
        return name
    return _("account no. %(id)s") % {"id": user.pk}


# --- Groups ------------------------------------------------------------------------------


def _unique_slug(name: str, *, exclude_id: int | None = None) -> str:
    root = slug_of(name, "collectif")[:120]
    slug, n = root, 1
    others = Group.objects.exclude(id=exclude_id) if exclude_id else Group.objects.all()
    while others.filter(slug=slug).exists():
        n += 1
        slug = f"{root}-{n}"
    return slug


def clean_group_name(name: str) -> str:
    cleaned = one_line(name)
    if not cleaned:
        raise ValidationError(_("Give the group a name."))
    return cleaned[:120]


@transaction.atomic
def group_create(
    *,
    creator: User,
    name: str,
    description: str = "",
    communes: Iterable[Commune] = (),
    epcis: Iterable[Epci] = (),
    departments: Iterable[Department] = (),
    contact_enabled: bool = True,
) -> Group:
    """A new group whose creator is its first coordinator."""
    if not permissions.may_create_group(creator):
        raise PermissionDenied
    name = clean_group_name(name)
    communes, epcis, departments = list(communes), list(epcis), list(departments)
    if not (communes or epcis or departments):
        raise ValidationError(_("Name at least one place the group works on."))
    group = Group.objects.create(
        name=name,
        slug=_unique_slug(name),
        description=description.strip(),
        contact_enabled=contact_enabled,
    )
    group.communes.set(communes)
    group.epcis.set(epcis)
    group.departments.set(departments)
    Membership.objects.create(
        group=group, user=creator, role="coordinator", state="active", joined_at=timezone.now()
    )
    return group


@transaction.atomic
def group_update(
    *,
    group: Group,
    by: User,
    name: str,
    description: str,
    communes: list[Commune],
    epcis: list[Epci],
    departments: list[Department],
    contact_enabled: bool,
    edited_from: str | None = None,
) -> Group:
    """Save the group's description. With `edited_from` (the version the form was opened
    on, as text), a save made meanwhile is refused with
    `StaleGroupEdit` rather than overwritten: two coordinators, or two tabs, editing at
    once lost the first one's change without a word (a new user's walk)."""
    if not permissions.may_edit_group(by, group):
        raise PermissionDenied
    if not (communes or epcis or departments):
        raise ValidationError(_("Name at least one place the group works on."))
    if edited_from is not None:
        current = _lock(group)
        # Asked again under the lock: a coordinator removed meanwhile saves nothing.
        if not permissions.may_edit_group(by, current):
            raise PermissionDenied
        if str(current.version) != edited_from:
            raise StaleGroupEdit(current)
        group.version = current.version + 1
    else:
        group.version = F("version") + 1
    group.name = clean_group_name(name)
    group.description = description.strip()
    group.contact_enabled = contact_enabled
    group.save()
    group.refresh_from_db(fields=["version"])
    group.communes.set(communes)
    group.epcis.set(epcis)
    group.departments.set(departments)
    return group


class StaleGroupEdit(ValidationError):
    """The group was saved by someone else (or in another tab) since the form was opened;
    `current` is that saved version."""

    def __init__(self, current: Group) -> None:
        super().__init__(
            _(
                "Someone saved this group while you were editing it: nothing of yours was "
                "saved. Its saved version is shown; your text is kept in the form, to "
                "compare and save again."
            )
        )
        self.current = current


def _lock(group: Group) -> Group:
    """The group's row locked until the transaction ends: changes of membership are made
    one after the other, so two coordinators leaving at once cannot both succeed."""
    return Group.objects.select_for_update().get(id=group.id)


def _in_languages(
    users: list[User], compose: Callable[[], tuple[str, str]]
) -> list[tuple[str, str, str]]:
    """(address, subject, body) for each of `users` with an address, `compose` called in
    the language each chose for e-mails (they all went out in French)."""
    composed: dict[str, tuple[str, str]] = {}
    mails = []
    for user in users:
        if not user.email or _CONTROL.search(user.email):
            continue
        language = mail_language(user)
        if language not in composed:
            with translation.override(language):
                composed[language] = compose()
        mails.append((user.email, *composed[language]))
    return mails


def _mail_after_commit(users: list[User], compose: Callable[[], tuple[str, str]]) -> None:
    """Send what `compose` writes to each of `users` apart, in their language, once the
    transaction is committed (a request rolled back tells no one); a mail that fails is
    logged, and what was saved stays saved."""
    mails = _in_languages(users, compose)

    def send() -> None:
        messages = [
            mail.EmailMessage(
                subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[a]
            )
            for a, subject, body in mails
        ]
        try:
            with mail.get_connection() as connection:
                connection.send_messages(messages)
        except Exception:  # the mail server: the membership is saved all the same
            logger.exception("group membership mail not sent")

    if mails:
        transaction.on_commit(send)


def _group_url(group: Group, name: str = "group-detail") -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=[group.slug])


def invitation_end(invitation: Invitation, now: dt.datetime, *, because: str = "") -> None:
    """End a waiting invitation: its link stops working and its address is erased.
    Saved, not updated: the audit log records it (the names of the fields changed, never
    the address)."""
    invitation.revoked_at, invitation.email = now, ""
    invitation.revoked_because = because
    invitation.save(update_fields=["revoked_at", "email", "revoked_because"])


def invitations_of_maker_end(*, user: User, group: Group | None = None) -> int:
    """End the invitations `user` made (to `group`, or to any group) that still work,
    when they stop coordinating it: removed, gone, their account deleted. A link to
    share or an e-mail invitation is the word of a coordinator; it let in, until it
    expired, whoever she gave it to after the group had taken her off (herself, under
    another account). Returns how many were ended. In the caller's transaction, under the
    group's lock (`invitation_accept` takes it too)."""
    now = timezone.now()
    working = Invitation.objects.filter(
        created_by=user, revoked_at=None, used_at=None, expires_at__gt=now
    )
    if group is not None:
        working = working.filter(group=group)
    count = 0
    for invitation in working:  # one by one: the audit log records each
        invitation_end(invitation, now, because="maker")
        count += 1
    return count


@transaction.atomic
def membership_request(*, group: Group, user: User, message: str = "") -> Membership:
    """Ask to join, with a few words for the coordinators (`message`, optional, shown on
    the members page and in their e-mail; the person's address never is); the group's
    coordinators are told by e-mail (a request waited unseen for a coordinator who did
    not visit the group's page, a new user's walk)."""
    if not permissions.may_ask_to_join(user, group):
        raise ValidationError(_("You have already asked to join this group."))
    # Its lines kept, without what shows nothing or turns the text around.
    lines = (without_invisible(line).rstrip() for line in message.splitlines())
    message = "\n".join(lines).strip()[:JOIN_MESSAGE_MAX_LENGTH]
    membership = Membership.objects.create(group=group, user=user, message=message)
    # Accounts disabled by an administrator are told nothing.
    coordinators = group.memberships.filter(
        state="active", role="coordinator", user__is_active=True
    ).select_related("user__profile")

    def compose() -> tuple[str, str]:
        subject = _("A request to join %(group)s") % {"group": one_line(group.name)}
        body = _(
            "Someone who signs “%(person)s” asks to join the group %(group)s on "
            "Contrechamp.\n\n"
            "Approve or refuse the request on the group's members page:\n%(url)s\n"
        ) % {
            "person": member_label(user),
            "group": one_line(group.name),
            "url": _group_url(group, "group-members"),
        }
        if message:
            body += "\n" + _("Their message:\n%(message)s\n") % {"message": message}
        return subject, body

    _mail_after_commit([m.user for m in coordinators], compose)
    return membership


def _acting_on(target: Membership, by: User) -> Membership:
    """`target` read again under the group's lock, once `by` may act on it."""
    _lock(target.group)
    fresh = Membership.objects.select_related("group").filter(id=target.id).first()
    if fresh is None:
        raise ValidationError(_("This person is no longer in the group."))
    if not permissions.may_act_on_membership(by, fresh):
        raise PermissionDenied
    return fresh


@transaction.atomic
def membership_approve(*, membership: Membership, by: User) -> Membership:
    target = _acting_on(membership, by)
    if target.state != "requested":
        return target
    target.state, target.joined_at, target.message = "active", timezone.now(), ""
    target.save(update_fields=["state", "joined_at", "message"])
    if target.user.is_active:

        def compose() -> tuple[str, str]:
            name = one_line(target.group.name)
            subject = elided(_("You are a member of %(group)s") % {"group": name}, name)
            body = _(
                "Your request to join the group %(group)s on Contrechamp is approved. Its "
                "worklist and its members are on its page:\n%(url)s\n"
            ) % {"group": one_line(target.group.name), "url": _group_url(target.group)}
            return subject, body

        _mail_after_commit([target.user], compose)
    return target


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """Refuse a request to join, or remove a member (or another coordinator: the one
    acting stays). Their work items stay, unassigned. The invitations made before no
    longer let them in (a link the group shares, an e-mail invitation still waiting),
    and those they made as a coordinator stop working."""
    target = _acting_on(membership, by)
    invitations_of_maker_end(user=target.user, group=target.group)
    WorkItem.objects.filter(group=target.group, assignee=target.user, state="open").update(
        assignee=None, version=F("version") + 1
    )
    # Remembered: no invitation made before lets them in again (`invitations`).
    Removal.objects.update_or_create(
        group=target.group, user_id=target.user_id, defaults={"removed_at": timezone.now()}
    )
    target.delete()


@transaction.atomic
def membership_promote(*, membership: Membership, by: User) -> Membership:
    target = _acting_on(membership, by)
    if target.state != "active":
        raise ValidationError(_("Approve the request to join first."))
    target.role = "coordinator"
    target.save(update_fields=["role"])
    return target


@transaction.atomic
def membership_leave(*, group: Group, user: User) -> None:
    """Withdraw one's request, or leave. The last coordinator stays until they have
    made another member coordinator: a group is never left without one."""
    _lock(group)
    own = Membership.objects.filter(group=group, user=user).first()
    if own is None:
        return
    if own.is_coordinator:
        others = Membership.objects.filter(group=group, state="active", role="coordinator")
        if not others.exclude(id=own.id).exists():
            raise ValidationError(
                _(
                    "You are the group's only coordinator: make another member "
                    "coordinator before you leave."
                )
            )
    WorkItem.objects.filter(group=group, assignee=user, state="open").update(
        assignee=None, version=F("version") + 1
    )
    # A coordinator who leaves takes her word with her: her invitations stop working.
    invitations_of_maker_end(user=user, group=group)
    own.delete()


def _after_deletion(own: Membership, user: User) -> tuple[str, Membership | None]:
    """What deleting `user`'s account does to the group of their active membership
    `own`: "close" it when no other member is left, "hand" it to the longest-standing
    other member when they alone coordinate it, else nothing ("")."""
    others = Membership.objects.filter(group_id=own.group_id, state="active").exclude(user=user)
    successor = others.order_by("joined_at", "id").select_related("user").first()
    if successor is None:
        return "close", None
    if own.is_coordinator and not others.filter(role="coordinator").exists():
        return "hand", successor
    return "", None


def groups_after_deletion(user: User) -> tuple[list[Group], list[tuple[Group, User]]]:
    """What deleting `user`'s account does to their groups, said before it is done: the
    groups they are the only member of (closed with the account), and those they alone
    coordinate with the member who then coordinates them."""
    closed: list[Group] = []
    handed: list[tuple[Group, User]] = []
    for own in Membership.objects.filter(user=user, state="active").select_related("group"):
        fate, successor = _after_deletion(own, user)
        if fate == "close":
            closed.append(own.group)
        elif fate == "hand" and successor is not None:
            handed.append((own.group, successor.user))
    return closed, handed


def memberships_hand_over(*, user: User, **kwargs: Any) -> None:
    """Before `user`'s account is deleted: in each group they alone coordinate, the
    longest-standing other member becomes coordinator, so no group is left without one.
    A group with no other member is closed (deleted, with its work items and requests
    to join): left behind, it listed "0 members", nobody could answer who asked to join,
    edit it or close it, and its contact form was dead (a walk). The rule is
    `_after_deletion`'s, read again under the group's lock."""
    for own in Membership.objects.filter(user=user, state="active"):
        group = _lock(own.group)
        fate, successor = _after_deletion(own, user)
        if fate == "close":
            # Those who asked to join are told, not left waiting for an answer.
            waiting = [
                m.user
                for m in Membership.objects.filter(group=group, state="requested")
                .exclude(user=user)
                .select_related("user__profile")
            ]
            name = group.name
            _mail_after_commit(
                waiting,
                lambda name=name: (  # type: ignore[misc]
                    _("The group “%(name)s” is closed") % {"name": name},
                    _(
                        "You asked to join the group “%(name)s”. Its only member deleted "
                        "their account, and the group is closed with it: your request "
                        "has no one to answer it. You may create a group for the same "
                        "places."
                    )
                    % {"name": name},
                ),
            )
            group.delete()
            continue
        if fate == "hand" and successor is not None:
            successor.role = "coordinator"
            successor.save(update_fields=["role"])
    # Their open items go back to the group, as when a member is removed: an item stayed
    # "taken by compte n° N" that no one could take over (the review).
    WorkItem.objects.filter(assignee=user, state="open").update(
        assignee=None, version=F("version") + 1
    )
    # And the invitations they made stop working, as when a coordinator leaves.
    invitations_of_maker_end(user=user)


def membership_show_name(*, group: Group, user: User, show: bool) -> None:
    own = Membership.objects.filter(group=group, user=user, state="active").first()
    if own is not None and own.show_name != show:
        own.show_name = show
        own.save(update_fields=["show_name"])  # saved, not updated: the audit log sees it


# --- Places ------------------------------------------------------------------------------


def place_communes(group: Group) -> QuerySet[Commune]:
    """Every commune the group works on: named, or in one of its intercommunalities or
    departments."""
    return Commune.objects.filter(
        Q(id__in=group.communes.values("id"))
        | Q(epci_id__in=group.epcis.values("id"))
        | Q(department_id__in=group.departments.values("id"))
    )


def group_deployments(group: Group, viewer: Viewer | None = None) -> QuerySet[Deployment]:
    """The deployments in the group's places that `viewer` may read (a visitor when
    None: the public page shows what everyone may see)."""
    communes = place_communes(group)
    here = Deployment.communes.through.objects.filter(commune__in=communes).values("deployment_id")
    epcis = Epci.objects.filter(Q(id__in=group.epcis.values("id")) | Q(communes__in=communes))
    at_epci = Deployment.epcis.through.objects.filter(epci__in=epcis).values("deployment_id")
    found = Deployment.objects.filter(Q(id__in=here) | Q(id__in=at_epci))
    return registry_permissions.readable_deployments(viewer or AnonymousUser(), found)


def group_requests(group: Group, viewer: Viewer | None = None) -> QuerySet[AccessRequest]:
    """The access requests about the group's places that `viewer` may read (sent ones
    only for a visitor)."""
    communes = place_communes(group)
    about = (
        Q(places__in=communes)
        | Q(body__commune__in=communes)
        | Q(body__epci__in=group.epcis.all())
        | Q(body__department__in=group.departments.all())
    )
    readable = (
        access_permissions.readable_requests(viewer)
        if viewer is not None
        else access_permissions.public_requests()
    )
    ids = AccessRequest.objects.filter(about).values("id")
    return readable.filter(id__in=ids)


def group_documents(group: Group, viewer: Viewer) -> QuerySet[Document]:
    """The documents about the group's places whose text `viewer` may read."""
    ids = Document.objects.filter(places__in=place_communes(group)).values("id")
    return document_permissions.readable_documents(viewer, Document.objects.filter(id__in=ids))


def groups_in_commune(commune: Commune) -> QuerySet[Group]:
    return Group.objects.filter(
        Q(communes=commune) | Q(epcis__communes=commune) | Q(departments__communes=commune)
    ).distinct()


def groups_in_epci(epci: Epci) -> QuerySet[Group]:
    return Group.objects.filter(Q(epcis=epci) | Q(communes__epci=epci)).distinct()


def groups_in_department(department: Department) -> QuerySet[Group]:
    return Group.objects.filter(
        Q(departments=department)
        | Q(communes__department=department)
        | Q(epcis__communes__department=department)
    ).distinct()


def group_search(place: str) -> QuerySet[Group]:
    """Groups working on a place typed as a commune (name or INSEE code), an
    intercommunality or a department (name or code); including a department's or an
    intercommunality's groups for a commune in it. Every group when `place` is empty."""
    groups = Group.objects.all()
    place = one_line(place)[:100]
    if not place:
        return groups.annotate(members=Count("memberships", filter=Q(memberships__state="active")))
    key = name_key(place)
    communes = Commune.objects.filter(Q(name_key=key) | Q(code=place.upper()))
    epcis = Epci.objects.filter(
        Q(name__icontains=place) | Q(siren=place) | Q(communes__in=communes)
    )
    departments = Department.objects.filter(
        Q(code=place.upper()) | Q(name__iexact=place) | Q(communes__in=communes)
    )
    ids = Group.objects.filter(
        Q(communes__in=communes)
        | Q(communes__epci__in=Epci.objects.filter(Q(name__icontains=place) | Q(siren=place)))
        | Q(
            communes__department__in=Department.objects.filter(
                Q(code=place.upper()) | Q(name__iexact=place)
            )
        )
        | Q(epcis__in=epcis)
        | Q(departments__in=departments)
    ).values("id")
    return groups.filter(id__in=ids).annotate(
        members=Count("memberships", filter=Q(memberships__state="active"))
    )


# --- Contact -----------------------------------------------------------------------------


def contact_send(*, group: Group, message: str, reply_to: str = "") -> int:
    """E-mail `message` to each active member of `group` separately: every mail is
    addressed to one member only, so no member learns another's address, and the
    sender learns none. Returns how many mails were sent.

    `reply_to` (the sender's own address, optional) goes in Reply-To; a line break in it
    is refused rather than cleaned, since it can only be an attempt to add headers."""
    if not permissions.may_contact_group(group):
        raise ValidationError(_("This group does not take messages."))
    message = (message or "").strip()
    if len(message) < MESSAGE_MIN_LENGTH:
        raise ValidationError(
            _("Write a message of at least %(n)d characters.") % {"n": MESSAGE_MIN_LENGTH}
        )
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValidationError(_("Write at most %(n)d characters.") % {"n": MESSAGE_MAX_LENGTH})
    reply_to = (reply_to or "").strip()
    if _CONTROL.search(reply_to):
        raise ValidationError(_("Enter a valid e-mail address."))
    members = [
        m.user
        for m in group.memberships.filter(state="active", user__is_active=True).select_related(
            "user__profile"
        )
    ]

    def compose() -> tuple[str, str]:
        subject = _("Message to %(group)s through Contrechamp") % {"group": one_line(group.name)}
        if reply_to:
            # Replying shows the member's own address (the walk): said before they do.
            footer = _(
                "Replying to this e-mail answers the sender from your own address, which "
                "they will then see (the address they gave was not checked)."
            )
        else:
            footer = _("The sender left no address: they cannot be answered.")
        intro = _(
            "Someone wrote to the group %(group)s through its page on Contrechamp. "
            "Your address was not shown to them."
        ) % {"group": one_line(group.name)}
        return subject, f"{intro}\n\n{message}\n\n-- \n{footer}\n"

    messages = [
        mail.EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            reply_to=[reply_to] if reply_to else None,
        )
        for address, subject, body in _in_languages(members, compose)
    ]
    if not messages:
        return 0
    with mail.get_connection() as connection:
        return connection.send_messages(messages) or 0


# --- Worklist ----------------------------------------------------------------------------


@dataclass
class Suggestion:
    """Something in the group's places worth doing, not yet on the list."""

    kind: str
    reason: str
    title: str
    url: str
    access_request: AccessRequest | None = None
    document: Document | None = None
    date: dt.date | None = None


class StaleWorkItem(Exception):
    """The item changed since the member loaded the page; nothing was written."""

    def __init__(self, current: WorkItem) -> None:
        super().__init__(f"work item {current.id} is at version {current.version}")
        self.current = current


def worklist_suggestions(
    *, group: Group, user: User, on: dt.date | None = None
) -> list[Suggestion]:
    """What the group's places call for, as `user` may see it: requests whose legal
    date is near or passed (and the user's own drafts there, to send), documents with
    suggestions or redactions awaiting review (only for whoever may review them).
    The procurement watch's candidates are reviewed on its own page."""
    if not permissions.may_read_worklist(user, group):
        raise PermissionDenied
    on = on or access_services.today()
    listed = group.work_items.all()
    listed_requests = listed.exclude(access_request=None).values("access_request_id")
    listed_documents = listed.exclude(document=None).values("document_id")
    found: list[Suggestion] = []

    requests = group_requests(group, user).exclude(id__in=listed_requests)
    drafts = requests.filter(status="draft", requester=user)[:SUGGESTIONS_PER_KIND]
    for draft in drafts:
        found.append(
            Suggestion(
                kind="request_send",
                reason=_("your draft, not sent yet"),
                title=draft.title,
                url=draft.get_absolute_url(),
                access_request=draft,
            )
        )
    followed = access_services.with_timeline(
        requests.exclude(status__in=["draft", "answered", "closed", "withdrawn"])
    )
    dated = access_services.with_dates(followed, on)
    near: list[Suggestion] = []
    for item in dated:
        implicit = getattr(item, "implicit_since", None)
        upcoming = getattr(item, "next", None)
        # The estimated date of receipt calls for nothing; the others do.
        soon = (
            upcoming is not None
            and upcoming.key != "received"
            and upcoming.date <= on + dt.timedelta(days=DEADLINE_NEAR_DAYS)
        )
        if implicit is not None:
            reason = _("implicitly refused since %(date)s") % {"date": day(implicit)}
            date = implicit
        elif item.status in REFUSED or soon:
            # A refusal (by silence or not) has passed its date: the next one, the
            # referral to the CADA, is what to follow, however far.
            reason = str(item.get_status_display())
            date = upcoming.date if upcoming is not None else on
            if upcoming is not None:
                reason += f" · {access_services.deadline_name(upcoming)}: {day(upcoming.date)}"
        else:
            continue
        near.append(
            Suggestion(
                kind="request_follow",
                reason=reason,
                title=item.title,
                url=item.get_absolute_url(),
                access_request=item,
                date=date,
            )
        )
    near.sort(key=lambda s: s.date or on)
    found.extend(near[:SUGGESTIONS_PER_KIND])

    documents = group_documents(group, user).exclude(id__in=listed_documents)
    pending_entities = document_permissions.visible_entities(
        user, Entity.objects.filter(status="suggested")
    ).values("page__document_id")
    waiting = Q(id__in=pending_entities)
    if redaction_permissions.may_review_redactions(user):
        waiting |= Q(
            id__in=Redaction.objects.filter(status="suggested").values("page__document_id")
        )
        waiting |= Q(id__in=Redaction.objects.filter(status="suggested").values("title_of_id"))
    for document in documents.filter(waiting).order_by("-created_at")[:SUGGESTIONS_PER_KIND]:
        found.append(
            Suggestion(
                kind="document_review",
                reason=_("suggestions awaiting review"),
                title=document.title,
                url=document.get_absolute_url(),
                document=document,
            )
        )
    return found


def _linked(
    user: User, *, access_request: int | None, document: int | None, deployment: int | None
) -> dict[str, Any]:
    """The objects an item links to, each only if `user` may know of it."""
    linked: dict[str, Any] = {}
    if access_request:
        found = access_permissions.readable_requests(user).filter(id=access_request).first()
        if found is None:
            raise ValidationError(_("No such request."))
        linked["access_request"] = found
    if document:
        found_document = document_permissions.listed_document(user, document)
        if found_document is None:
            raise ValidationError(_("No such document."))
        linked["document"] = found_document
    if deployment:
        found_deployment = registry_permissions.readable_deployments(user).filter(id=deployment)
        if not found_deployment.exists():
            raise ValidationError(_("No such deployment."))
        linked["deployment"] = found_deployment.first()
    return linked


def _on_this_site(user: User, url: str) -> tuple[str, int] | None:
    """What a link to this site's own page of a deployment, a document or a request
    names: ("deployment", id), ("document", id), ("access_request", id); else None.

    A deployment is looked up among those `user` may read: the address of a draft they
    may not see stays a plain link, as the address of a slug that names nothing does
    (refusing it would tell any member which guessed slugs are drafts). Documents and
    requests are named by number, so a missing and an unreadable one are refused alike
    by `_linked`."""
    parts, site = urlsplit(url), urlsplit(settings.SITE_URL)
    if parts.netloc.lower() != site.netloc.lower():
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.url_name == "document-detail":
        return "document", match.kwargs["document_id"]
    if match.url_name == "request-detail":
        return "access_request", match.kwargs["request_id"]
    if match.url_name == "deployment-detail":
        pk = (
            registry_permissions.readable_deployments(user)
            .filter(slug=match.kwargs["slug"])
            .values_list("id", flat=True)
        )
        return ("deployment", pk[0]) if pk else None
    return None


@transaction.atomic
def work_item_add(
    *,
    group: Group,
    user: User,
    kind: str,
    note: str = "",
    url: str = "",
    access_request: int | None = None,
    document: int | None = None,
    deployment: int | None = None,
    assignee: User | None = None,
) -> WorkItem:
    if not permissions.may_add_work_item(user, group):
        raise PermissionDenied
    if kind not in dict(WorkItem.KINDS):
        raise ValidationError(_("Choose what kind of work it is."))
    note = (note or "").strip()
    if len(note) > 1000:
        raise ValidationError(_("Write at most %(n)d characters.") % {"n": 1000})
    if url and not url.startswith(("https://", "http://")):
        raise ValidationError(_("Enter a valid link."))
    if url and not (access_request or document or deployment):
        # A link to a page of this site: the thing itself, shown by its title and to
        # those who may read it (a deployment's address showed raw: a walk).
        found = _on_this_site(user, url)
        if found is not None:
            kind_of, pk = found
            url, access_request, document, deployment = (
                "",
                pk if kind_of == "access_request" else None,
                pk if kind_of == "document" else None,
                pk if kind_of == "deployment" else None,
            )
    linked = _linked(user, access_request=access_request, document=document, deployment=deployment)
    if not (note or url or linked):
        raise ValidationError(_("Say what is to be done, or link to it."))
    if assignee is not None and not permissions.is_member(assignee, group):
        raise ValidationError(_("Assign the work to a member of the group."))
    if assignee is not None:
        _assignable(assignee, kind, linked)
    return WorkItem.objects.create(
        group=group,
        kind=kind,
        note=note,
        url=url,
        assignee=assignee,
        created_by=user,
        **linked,
    )


def _assignable(assignee: User, kind: str, linked: dict[str, Any]) -> None:
    """Refuse, at the form's "assigned to" field, to give `assignee` work they could not
    do: a document to review to someone who is no reviewer (the reshaped kind, sources to
    gather or check, is offered instead), or an item linking what they may not read."""
    person = member_label(assignee)
    if not permissions.may_do_work(assignee, kind):
        raise ValidationError(
            {
                "assignee": ValidationError(
                    _(
                        "%(person)s cannot review documents: deciding their suggestions and "
                        "redactions is the reviewers' work. Give it to a reviewer, or to "
                        "nobody yet for a reviewer of the group to take; or choose the kind "
                        "“sources to gather or check” to give %(person)s what a "
                        "contributor can do with it."
                    ),
                    code="may_not_review",
                    params={"person": person},
                )
            }
        )
    try:
        _linked(
            assignee,
            access_request=getattr(linked.get("access_request"), "id", None),
            document=getattr(linked.get("document"), "id", None),
            deployment=getattr(linked.get("deployment"), "id", None),
        )
    except ValidationError:
        raise ValidationError(
            {
                "assignee": ValidationError(
                    _(
                        "%(person)s may not read what this item links to (a document not "
                        "published, a draft): give it to a member who may, or to nobody yet."
                    ),
                    code="may_not_read",
                    params={"person": person},
                )
            }
        ) from None


WORK_ACTIONS = ("take", "release", "done", "reopen")


@transaction.atomic
def work_item_change(*, item: WorkItem, user: User, version: int, action: str) -> WorkItem:
    """Take the item, give it back, mark it done or open again, only if it is still at
    `version` (the one the member saw): otherwise StaleWorkItem, with the item as it now
    is, and nothing written. A conditional UPDATE, so it holds across processes."""
    if action not in WORK_ACTIONS:
        raise ValidationError(_("Unknown action."))
    if not permissions.may_change_work_item(user, item):
        raise PermissionDenied
    if action == "take" and not permissions.may_do_work(user, item.kind):
        # (The only kind some may not take, `permissions.REVIEWERS_WORK`.)
        raise ValidationError(
            _(
                "A document to review is the reviewers' work: leave it for a reviewer of the "
                "group. To help with it, add an item “sources to gather or check” and take "
                "that one."
            )
        )
    every: dict[str, dict[str, Any]] = {
        "take": {"assignee": user},
        "release": {"assignee": None},
        "done": {"state": "done"},
        "reopen": {"state": "open"},
    }
    changes = every[action]
    # An item done by a member who has left since goes back to the group when it is
    # opened again, not "taken" by someone outside it (a hostile review).
    # So does one whose assignee can no longer do it (a reviewer made contributor again).
    if (
        action == "reopen"
        and item.assignee_id is not None
        and (
            not Membership.objects.filter(
                group=item.group, user_id=item.assignee_id, state="active"
            ).exists()
            or not permissions.may_do_work(item.assignee, item.kind)
        )
    ):
        changes = {**changes, "assignee": None}
    updated = WorkItem.objects.filter(id=item.id, group=item.group, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    current = WorkItem.objects.get(id=item.id)
    if not updated:
        raise StaleWorkItem(current)
    # A conditional UPDATE sends no signal: the audit log is told here.
    audit_record("changed", target=current, details={"fields": sorted(changes)})
    return current


@dataclass
class ShownItem:
    """A work item as one member sees it: what it links to only if they may read it."""

    item: WorkItem
    title: str
    url: str
    hidden: bool
    assignee: str
    # Its assignee cannot do it (given before the worklist refused that, or no reviewer
    # any more): said on the item, for them to give it back.
    assignee_cannot: bool = False
    # Whether the member looking may take it.
    may_take: bool = True


def worklist_items(*, group: Group, user: User) -> list[ShownItem]:
    if not permissions.may_read_worklist(user, group):
        raise PermissionDenied
    items = list(
        group.work_items.select_related(
            "access_request", "document", "deployment", "assignee__profile"
        )
    )
    readable_requests = set(
        access_permissions.readable_requests(user)
        .filter(id__in=[i.access_request_id for i in items if i.access_request_id])
        .values_list("id", flat=True)
    )
    listed_docs = set(
        document_permissions.listed_documents(user)
        .filter(id__in=[i.document_id for i in items if i.document_id])
        .values_list("id", flat=True)
    )
    readable_deps = set(
        registry_permissions.readable_deployments(user)
        .filter(id__in=[i.deployment_id for i in items if i.deployment_id])
        .values_list("id", flat=True)
    )
    shown = []
    for item in items:
        title, url, hidden = "", item.url, False
        if item.access_request_id:
            if item.access_request_id in readable_requests:
                title, url = item.access_request.title, item.access_request.get_absolute_url()  # type: ignore[union-attr]
            else:
                hidden = True
        elif item.document_id:
            if item.document_id in listed_docs:
                title, url = item.document.title, item.document.get_absolute_url()  # type: ignore[union-attr]
            else:
                hidden = True
        elif item.deployment_id:
            if item.deployment_id in readable_deps:
                title, url = item.deployment.title, item.deployment.get_absolute_url()  # type: ignore[union-attr]
            else:
                hidden = True
        if hidden:
            url = ""
        assignee = member_label(item.assignee) if item.assignee else ""
        shown.append(
            ShownItem(
                item=item,
                title=title,
                url=url,
                hidden=hidden,
                assignee=assignee,
                assignee_cannot=item.assignee is not None
                and not permissions.may_do_work(item.assignee, item.kind),
                may_take=permissions.may_do_work(user, item.kind),
            )
        )
    return shown
