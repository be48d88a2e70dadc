"""Who may do what with local groups, one function per action, used alike by views and
templates.

Membership is read from the database on every call, never from the session: a member
a coordinator removes loses the worklist on their very next request. The worklist is
the members' alone (visitors, other contributors, reviewers of the site see nothing of
it); managing members is the coordinators' work, in their own group only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from contrechamp.accounts.models import has_role
from contrechamp.documents import permissions as document_permissions
from contrechamp.groups.models import Group, Membership, WorkItem
from contrechamp.redaction import permissions as redaction_permissions

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser


def membership(user: User | None, group: Group) -> Membership | None:
    """The user's membership of `group` (asked or active), or None."""
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(group=group, user_id=user.pk).first()


def _active(user: User | None, group: Group) -> Membership | None:
    found = membership(user, group)
    return found if found is not None and found.is_active else None


def is_member(user: User | None, group: Group) -> bool:
    return _active(user, group) is not None


def is_coordinator(user: User | None, group: Group) -> bool:
    found = _active(user, group)
    return found is not None and found.is_coordinator


def may_create_group(user: User | None) -> bool:
    return has_role(user, "contributor")


def may_edit_group(user: User | None, group: Group) -> bool:
    """Name, description, places, whether visitors may write: its coordinators."""
    return is_coordinator(user, group)


def may_ask_to_join(user: User | None, group: Group) -> bool:
    return has_role(user, "contributor") and membership(user, group) is None


def may_leave_group(user: User | None, group: Group) -> bool:
    """Withdraw a request or leave. The last coordinator may not (the service says why)."""
    return membership(user, group) is not None


def may_manage_members(user: User | None, group: Group) -> bool:
    """See the requests to join and the members' list, approve, refuse, remove, promote:
    the coordinators of this group."""
    return is_coordinator(user, group)


def may_act_on_membership(user: User | None, target: Membership) -> bool:
    """Approve, refuse, remove or promote `target`: a coordinator of the group
    `target` belongs to (a coordinator of another group may not), not on themselves
    (leaving has its own way, which keeps a coordinator)."""
    return may_manage_members(user, target.group) and target.user_id != getattr(user, "pk", None)


def may_invite(user: User | None, group: Group) -> bool:
    """Invite by e-mail, make or revoke the link to share, see and cancel the
    invitations waiting: the coordinators of this group."""
    return is_coordinator(user, group)


def may_use_invitation(user: User | None) -> bool:
    """Who may join through an invitation: whoever may ask to join a group (whether
    this invitation lets them in is the service's to say)."""
    return has_role(user, "contributor")


def may_read_worklist(user: User | None, group: Group) -> bool:
    return is_member(user, group)


def may_add_work_item(user: User | None, group: Group) -> bool:
    return is_member(user, group)


def may_change_work_item(user: User | None, item: WorkItem) -> bool:
    """Take it, give it back, mark it done or open again: any member of its group (taking
    it also asks `may_do_work`)."""
    return is_member(user, item.group)


# The kinds of work only some members can do, each with who can.
REVIEWERS_WORK = ("document_review",)


def may_do_work(user: User | None, kind: str) -> bool:
    """Whether `user` can do work of `kind`, so take it or be given it. A document to
    review is the reviewers' work (deciding its suggestions and its redactions,
    `may_accept_entities` and `may_review_redactions`): a contributor given it could open
    neither (the worklist let a coordinator give it to one). Any other kind, anyone."""
    if kind not in REVIEWERS_WORK:
        return True
    return (
        user is not None
        and document_permissions.may_accept_entities(user)
        and redaction_permissions.may_review_redactions(user)
    )


def may_contact_group(group: Group) -> bool:
    """Anyone may write to a group that accepts messages and has someone to read them."""
    return group.contact_enabled and group.memberships.filter(state="active").exists()
