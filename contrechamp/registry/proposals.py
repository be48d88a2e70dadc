"""Changes of contributors not yet trusted, waiting for a reviewer.

A proposal changes nothing public: an edit of a published deployment or organisation
is stored as data beside it; a new deployment is a draft until its publication is
accepted; a new organisation stays hidden and a camera count "pending" (out of every
figure, page, API answer and export). Accepting applies the proposal through the same
services as a direct edit, with the version the contributor loaded: a newer version is
never overwritten silently (StaleEdit, as between two editors)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contrechamp.accounts.services import mail_language
from contrechamp.accounts.trust import accepted_change_count
from contrechamp.audit.services import audit_record
from contrechamp.lib.typography import quoted
from contrechamp.registry.figures import not_future
from contrechamp.registry.models import (
    CameraCount,
    Deployment,
    Organisation,
    Proposal,
    ProposalDecision,
    Revision,
)
from contrechamp.registry.revisions import merge_snapshots
from contrechamp.registry.schemas import OrganisationData
from contrechamp.registry.services import (
    StaleEdit,
    _version_check,
    base_snapshot,
    camera_count_create,
    deployment_clean,
    deployment_publish,
    deployment_snapshot,
    deployment_update,
    organisation_create,
    organisation_publish,
    organisation_snapshot,
    organisation_update,
    snapshot_changes,
)


class ProposalClosed(ValidationError):
    """The proposal was already accepted, rejected or withdrawn (by someone else, in
    another tab): nothing was done."""


class ProposalMovedOn(ValidationError):
    """A rejected proposal whose object changed since the rejection: reopening it would
    put before reviewers a change of a version nobody sees any more. `new_url` is where
    a new proposal starts from the current version (empty when the object is gone)."""

    def __init__(self, message: str, new_url: str = "") -> None:
        super().__init__(message)
        self.new_url = new_url


def pending(target: str, object_id: int) -> QuerySet[Proposal]:
    return Proposal.objects.filter(target=target, object_id=object_id, state="pending")


def _locked(proposal: Proposal) -> Proposal:
    current = Proposal.objects.select_for_update().get(id=proposal.id)
    if current.state != "pending":
        raise ProposalClosed(_("This proposal was already decided or withdrawn."))
    return current


# --- proposing --------------------------------------------------------------------------


@transaction.atomic
def deployment_submit(*, deployment: Deployment, author: User, comment: str = "") -> Proposal:
    """Ask for a draft to be published. Raises ValidationError when the draft lacks what
    every published deployment has (a source), as publishing it would."""
    current = Deployment.objects.select_for_update().get(id=deployment.id)
    if current.is_published:
        raise ValidationError(_("This deployment is already published."))
    snapshot = deployment_snapshot(current)
    deployment_clean({**snapshot, "is_published": True})
    existing = pending("deployment", current.id).filter(action="publish").first()
    if existing is not None:
        return existing
    return Proposal.objects.create(
        target="deployment",
        action="publish",
        object_id=current.id,
        base_version=current.version,
        data=snapshot,
        author=author,
        comment=comment,
    )


@transaction.atomic
def deployment_propose(
    *,
    deployment: Deployment,
    data: dict[str, Any],
    base_version: int | None,
    author: User,
    comment: str = "",
) -> Proposal:
    """Store an edit of a published deployment for review, checked as the edit would be
    (ValidationError on bad data or a missing version); the deployment is unchanged."""
    current = Deployment.objects.get(id=deployment.id)
    version = _version_check(base_version, current.version)
    clean = deployment_clean({**data, "is_published": current.is_published})
    return Proposal.objects.create(
        target="deployment",
        action="update",
        object_id=current.id,
        base_version=version,
        data=clean,
        author=author,
        comment=comment,
    )


@transaction.atomic
def organisation_propose_create(
    *, data: dict[str, Any], author: User, comment: str = ""
) -> tuple[Organisation, Proposal]:
    """A new organisation, hidden (as one named only in a draft) until accepted.

    The organisation itself holds only its name and kind, what a published deployment
    naming it would show anyway; the rest (description, website, SIREN) waits in the
    proposal. A deployment naming it that is published makes it public (the name only),
    and someone else's draft naming it reads no unreviewed text."""
    Organisation(
        **{k: v for k, v in data.items() if k in OrganisationData.model_fields}
    ).full_clean(exclude=["slug"])  # the whole proposal is checked now, not at accept
    shown: dict[str, Any] = {k: data[k] for k in ("name", "kind") if k in data}
    org = organisation_create(data=shown, author=author, comment=comment)
    Organisation.objects.filter(id=org.id).update(is_public=False)
    org.is_public = False
    proposed = {**organisation_snapshot(org)}
    proposed.update({k: v for k, v in data.items() if k in OrganisationData.model_fields})
    proposal = Proposal.objects.create(
        target="organisation",
        action="create",
        object_id=org.id,
        base_version=org.version,
        data=proposed,
        author=author,
        comment=comment,
    )
    return org, proposal


@transaction.atomic
def organisation_propose(
    *,
    organisation: Organisation,
    data: dict[str, Any],
    base_version: int | None,
    author: User,
    comment: str = "",
) -> Proposal:
    current = Organisation.objects.get(id=organisation.id)
    version = _version_check(base_version, current.version)
    # Checked as the edit would be, on a copy that is never saved.
    probe = Organisation.objects.get(id=current.id)
    snapshot = organisation_snapshot(current)
    proposed = {k: data.get(k, v) for k, v in snapshot.items()}
    for field, value in proposed.items():
        setattr(probe, field, value)
    probe.full_clean(exclude=["slug"], validate_unique=False)
    return Proposal.objects.create(
        target="organisation",
        action="update",
        object_id=current.id,
        base_version=version,
        data=proposed,
        author=author,
        comment=comment,
    )


@transaction.atomic
def camera_count_propose(*, author: User, **fields: Any) -> tuple[CameraCount, Proposal]:
    """A camera count kept out of every figure until a reviewer accepts it. Takes the
    arguments of `camera_count_create`, and its checks."""
    record = camera_count_create(author=author, **fields)
    CameraCount.all_objects.filter(id=record.id).update(state="pending")
    record.state = "pending"
    proposal = Proposal.objects.create(
        target="camera_count",
        action="create",
        object_id=record.id,
        data={
            "commune": record.commune.code,
            "count": record.count,
            "date": record.date,
            "perimeter": record.perimeter,
            "approximate": record.approximate,
        },
        author=author,
    )
    return record, proposal


# --- reading ----------------------------------------------------------------------------


def proposal_object(proposal: Proposal) -> Deployment | Organisation | CameraCount | None:
    """The object the proposal is about, None when it was deleted meanwhile."""
    model: Any = {
        "deployment": Deployment.objects,
        "organisation": Organisation.objects,
        "camera_count": CameraCount.all_objects.select_related("commune"),
    }[proposal.target]
    return model.filter(id=proposal.object_id).first()


def camera_count_snapshot(count: CameraCount) -> dict[str, Any]:
    return {
        "commune": count.commune.code,
        "count": count.count,
        "date": count.date,
        "perimeter": count.perimeter,
        "approximate": count.approximate,
    }


def latest_accepted_count(commune_id: int, *, exclude: int | None = None) -> CameraCount | None:
    qs = CameraCount.objects.filter(not_future(), commune_id=commune_id).order_by("-date", "-id")
    if exclude:
        qs = qs.exclude(id=exclude)
    return qs.first()


def proposal_before_after(proposal: Proposal) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the proposal would change: the object as the contributor saw it (the version
    they loaded, nothing for a new one, the commune's latest accepted figure for a camera
    count) and as it would be."""
    obj = proposal_object(proposal)
    if proposal.action == "update":
        before = base_snapshot(
            kind=proposal.target, object_id=proposal.object_id, version=proposal.base_version or 0
        )
        return before, proposal.data
    if isinstance(obj, Deployment):
        return {}, deployment_snapshot(obj)
    if isinstance(obj, Organisation):
        return {}, organisation_snapshot(obj)
    if isinstance(obj, CameraCount):
        previous = latest_accepted_count(obj.commune_id, exclude=obj.id)
        return (camera_count_snapshot(previous) if previous else {}), camera_count_snapshot(obj)
    return {}, proposal.data


def proposal_is_stale(proposal: Proposal) -> bool:
    """An edit whose object changed since the contributor loaded it."""
    if proposal.action != "update":
        return False
    obj = proposal_object(proposal)
    return isinstance(obj, Deployment | Organisation) and obj.version != proposal.base_version


def proposal_merge(proposal: Proposal) -> StaleEdit | None:
    """For an edit made on an older version: the newer version with the proposal's
    changes re-applied, and the fields both changed (the reviewer chooses), as a
    StaleEdit; None when the proposal's base is still current."""
    obj = proposal_object(proposal)
    if not proposal_is_stale(proposal) or obj is None:
        return None
    assert isinstance(obj, Deployment | Organisation)
    base = base_snapshot(kind=proposal.target, object_id=obj.id, version=proposal.base_version or 0)
    theirs = deployment_snapshot(obj) if isinstance(obj, Deployment) else organisation_snapshot(obj)
    mine = {k: v for k, v in proposal.data.items() if k in theirs}
    merged, conflicts = merge_snapshots(base, mine, theirs)
    return StaleEdit(
        current_version=obj.version,
        changes=snapshot_changes(base, theirs),
        merged=merged,
        conflicts=conflicts,
        theirs=theirs,
    )


# --- deciding ---------------------------------------------------------------------------


def _audit_details(proposal: Proposal, edited: bool) -> dict[str, Any]:
    """What the audit log keeps of a decision: which change of which object, by whom
    (the reviewer is the entry's actor); never the reason, which may quote a person."""
    return {
        "target": proposal.target,
        "action": proposal.action,
        "object_id": proposal.object_id,
        "author_id": proposal.author_id,
        "edited": edited,
    }


def _accepted_comment(proposal: Proposal, *, edited: bool) -> str:
    note = _("edited and accepted by review") if edited else _("accepted by review")
    return f"{proposal.comment} ({note})" if proposal.comment else note


def _revision_comment(kind: str, object_id: int, version: int, comment: str) -> None:
    """Say in the revision a publication service wrote that a review accepted it."""
    Revision.objects.filter(kind=kind, object_id=object_id, version=version).update(
        comment=comment[:500]
    )


@transaction.atomic
def proposal_accept(
    *,
    proposal: Proposal,
    reviewer: User,
    data: dict[str, Any] | None = None,
    base_version: int | None = None,
    keep_theirs: list[str] | tuple[str, ...] = (),
    seen_version: int | None = None,
) -> Proposal:
    """Apply the proposal, credited to its author, and count it to their trust.

    `seen_version` is the version of the object the reviewer's page showed: a draft its
    author changed after the page was loaded is not published unseen (StaleEdit).

    `data` and `base_version` are the reviewer's own version of the change ("edit then
    accept", or a merge they resolved); without them the proposal is applied as it was
    made, on the version its author loaded. Raises StaleEdit (nothing written) when that
    version is no longer current, ValidationError when the data no longer passes the
    checks, ProposalClosed when it was decided meanwhile, PermissionDenied for the
    proposal's own author."""
    proposal = _locked(proposal)
    if proposal.author_id == reviewer.id:
        raise PermissionDenied
    edited = data is not None
    comment = _accepted_comment(proposal, edited=edited)
    author = proposal.author
    obj = proposal_object(proposal)
    if obj is None:
        raise ValidationError(_("What this proposal changes no longer exists."))
    if (
        seen_version is not None
        and data is None
        and isinstance(obj, Deployment | Organisation)
        and obj.version != seen_version
    ):
        kind = "deployment" if isinstance(obj, Deployment) else "organisation"
        seen = base_snapshot(kind=kind, object_id=obj.id, version=seen_version)
        now = (
            deployment_snapshot(obj) if isinstance(obj, Deployment) else organisation_snapshot(obj)
        )
        raise StaleEdit(
            current_version=obj.version, changes=snapshot_changes(seen, now), merged=now, theirs=now
        )
    if isinstance(obj, Deployment):
        if proposal.action == "update" or data is not None:
            obj = deployment_update(
                deployment=obj,
                data=data if data is not None else proposal.data,
                base_version=base_version if base_version is not None else proposal.base_version,  # type: ignore[arg-type]  # None is refused
                author=author,
                comment=comment,
                keep_theirs=keep_theirs,
            )
        if proposal.action == "publish" and not obj.is_published:
            # Checked again under the row's lock: the author's save landing after the
            # comparison above was published unread (a hostile review).
            obj = deployment_publish(
                deployment=obj, author=author, seen_version=seen_version if data is None else None
            )
            _revision_comment("deployment", obj.id, obj.version, f"{_('published')} ({comment})")
    elif isinstance(obj, Organisation):
        # A created organisation gets its proposed description, website… only now.
        if proposal.action in ("update", "create") or data is not None:
            obj = organisation_update(
                organisation=obj,
                data=data if data is not None else proposal.data,
                base_version=base_version if base_version is not None else proposal.base_version,  # type: ignore[arg-type]
                author=author,
                comment=comment,
                keep_theirs=keep_theirs,
            )
        if proposal.action == "create" and not obj.is_public:
            obj = organisation_publish(organisation=obj, author=author)
            _revision_comment("organisation", obj.id, obj.version, f"{_('published')} ({comment})")
    else:
        CameraCount.all_objects.filter(id=obj.id).update(state="accepted")
    proposal.state, proposal.reviewer, proposal.decided_at = "accepted", reviewer, timezone.now()
    proposal.edited = edited
    proposal.save(update_fields=["state", "reviewer", "decided_at", "edited"])
    audit_record("proposal_accepted", target=proposal, details=_audit_details(proposal, edited))
    if author is not None:
        accepted_change_count(author)
    _decision_record(proposal, notified=_mail_decision(proposal))
    return proposal


@transaction.atomic
def proposal_reject(*, proposal: Proposal, reviewer: User, reason: str) -> Proposal:
    """Refuse the proposal with a reason, which its author reads in their list of
    proposals and receives by e-mail. A draft stays a draft (its author may improve it
    and submit it again), a new organisation hidden, a camera count out of the figures."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the change is rejected.")]})
    proposal = _locked(proposal)
    if proposal.author_id == reviewer.id:
        raise PermissionDenied
    if proposal.target == "camera_count":
        CameraCount.all_objects.filter(id=proposal.object_id).update(state="rejected")
    proposal.state, proposal.reviewer, proposal.reason = "rejected", reviewer, reason
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["state", "reviewer", "reason", "decided_at"])
    audit_record("proposal_rejected", target=proposal, details=_audit_details(proposal, False))
    _decision_record(proposal, notified=_mail_decision(proposal))
    return proposal


def _decision_record(proposal: Proposal, *, notified: bool) -> ProposalDecision:
    """Keep the decision just taken in the proposal's history, with the version of what
    it changes at that moment (what a reopening checks)."""
    obj = proposal_object(proposal)
    return ProposalDecision.objects.create(
        proposal=proposal,
        state=proposal.state,
        reviewer=proposal.reviewer,
        reason=proposal.reason if proposal.state == "rejected" else "",
        object_version=getattr(obj, "version", None),
        notified=notified,
        decided_at=proposal.decided_at or timezone.now(),
    )


def last_rejection(proposal: Proposal) -> ProposalDecision | None:
    """The decision a reopening undoes: the proposal's latest, when it is a rejection."""
    latest = proposal.decisions.order_by("-decided_at", "-id").first()
    return latest if latest is not None and latest.state == "rejected" else None


def new_proposal_url(proposal: Proposal, obj: Any) -> str:
    """Where a new proposal starts from what the proposal's object is now."""
    if isinstance(obj, Deployment):
        return reverse("deployment-edit", args=[obj.slug])
    if isinstance(obj, Organisation):
        return reverse("organisation-edit", args=[obj.slug])
    if isinstance(obj, CameraCount):
        return reverse("camera-count-create") + f"?commune={obj.commune.code}"
    return ""


def proposal_moved_on(proposal: Proposal, rejection: ProposalDecision) -> ProposalMovedOn | None:
    """Why the rejected proposal can no longer be reopened as it is (its object changed
    since the rejection, or is gone), or None."""
    obj = proposal_object(proposal)
    if obj is None:
        return ProposalMovedOn(_("What this proposal changes no longer exists."))
    again = new_proposal_url(proposal, obj)
    if isinstance(obj, Deployment | Organisation):
        if rejection.object_version is not None:
            changed = obj.version != rejection.object_version
        else:  # decided before versions were kept with decisions: read the history
            changed = Revision.objects.filter(
                kind=proposal.target, object_id=obj.id, created_at__gt=rejection.decided_at
            ).exists()
        if changed:
            return ProposalMovedOn(
                _(
                    "%(what)s changed since this rejection (version %(version)s now): "
                    "reopening it would put back a change of a version nobody sees any "
                    "more. Make a new proposal from the current version."
                )
                % {
                    "what": quoted(obj.title if isinstance(obj, Deployment) else obj.name),
                    "version": obj.version,
                },
                again,
            )
    elif isinstance(obj, CameraCount):
        newer = CameraCount.objects.filter(
            commune_id=obj.commune_id, date=obj.date, created_at__gt=rejection.decided_at
        ).exclude(id=obj.id)
        if obj.state != "rejected" or newer.exists():
            return ProposalMovedOn(
                _(
                    "A camera count of %(commune)s for %(date)s was accepted since this "
                    "rejection: make a new proposal from the commune's current figures."
                )
                % {"commune": obj.commune.name, "date": obj.date_text},
                again,
            )
    return None


@transaction.atomic
def proposal_reopen(*, proposal: Proposal, reviewer: User, rejection_id: int | None) -> Proposal:
    """Undo a rejection: the proposal waits again in the queue, its content as it was
    proposed, the rejection (and its reason) kept in its decisions; its author is told
    when they were told of the rejection.

    `rejection_id` is the rejection the reviewer's page showed: a proposal reopened, or
    rejected again, by someone else meanwhile is left as it is (ProposalClosed), as is
    a form without it. Raises ProposalMovedOn when its object changed since the
    rejection, PermissionDenied for the proposal's own author."""
    current = Proposal.objects.select_for_update().get(id=proposal.id)
    if current.author_id == reviewer.id:
        raise PermissionDenied
    rejection = last_rejection(current) if current.state == "rejected" else None
    if rejection is None or rejection.id != rejection_id:
        if rejection_id is None and rejection is not None:
            raise ProposalClosed(
                _("The form was incomplete (which rejection to undo): nothing was reopened.")
            )
        raise ProposalClosed(
            _(
                "This proposal is no longer the rejected one your page showed: someone "
                "reopened it or decided it meanwhile. Nothing was done."
            )
        )
    moved_on = proposal_moved_on(current, rejection)
    if moved_on is not None:
        raise moved_on
    if current.target == "camera_count":
        CameraCount.all_objects.filter(id=current.object_id, state="rejected").update(
            state="pending"
        )
    current.state, current.reviewer, current.decided_at = "pending", None, None
    current.reason, current.edited = "", False
    current.save(update_fields=["state", "reviewer", "decided_at", "reason", "edited"])
    ProposalDecision.objects.create(
        proposal=current,
        state="reopened",
        reviewer=reviewer,
        object_version=getattr(proposal_object(current), "version", None),
        notified=rejection.notified and _mail_reopened(current),
        decided_at=timezone.now(),
    )
    audit_record(
        "proposal_reopened",
        target=current,
        details={**_audit_details(current, False), "rejection": rejection.id},
    )
    return current


def history_url(target: Any) -> str:
    """The path of the history of what a proposal changed (a camera count has none: its
    commune's page), empty when it is gone."""
    if isinstance(target, (Deployment, Organisation)):
        kind = "deployment" if isinstance(target, Deployment) else "organisation"
        return reverse(f"{kind}-history", args=[target.slug])
    page = getattr(target, "get_absolute_url", None)
    return page() if page else ""


def _on_site(path: str) -> str:
    """`path` as an address of this site; empty for no path."""
    return settings.SITE_URL.rstrip("/") + path if path else ""


def _mailable(author: User | None) -> bool:
    # Not to an account an administrator disabled (as groups' and deadlines' mails).
    return author is not None and bool(author.email) and author.is_active


def _what(proposal: Proposal, target: Any) -> str:
    """What was proposed, by its title, not "deployment #21" (a new user's walk)."""
    title = str(
        proposal.data.get("title")
        or proposal.data.get("name")
        or getattr(target, "title", "")
        or getattr(target, "name", "")
    )
    return (
        f"{proposal.get_action_display()} {proposal.get_target_display()} — {quoted(title)}"
        if title
        else str(proposal)
    )


def _mail_reopened(proposal: Proposal) -> bool:
    """Tell the author that the rejection they were mailed is undone; whether a mail
    goes."""
    author = proposal.author
    if author is None or not _mailable(author):
        return False
    with translation.override(mail_language(author)):
        subject = _("Your proposed change waits for review again")
        body = _(
            "A reviewer reopened your proposal (%(what)s): its rejection was undone, and it "
            "waits again for review as you made it. The reason you were sent no longer "
            "stands.\n\nYour proposals: %(url)s"
        ) % {
            "what": _what(proposal, proposal_object(proposal)),
            "url": _on_site("/moderation/mes-propositions/"),
        }
    address = author.email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
    return True


def _mail_decision(proposal: Proposal) -> bool:
    """Tell the author, in the language of their e-mails, what became of their proposal:
    refused with its reason, or accepted (the acceptance was said by nothing before, a
    walk), after the decision commits. Returns whether a mail goes."""
    author = proposal.author
    if author is None or not _mailable(author):
        return False
    with translation.override(mail_language(author)):
        target = proposal_object(proposal)
        what = _what(proposal, target)
        mine = _on_site("/moderation/mes-propositions/")
        if proposal.state == "rejected":
            subject = _("Your proposed change was not accepted")
            body = _(
                "A reviewer did not accept your proposal (%(what)s).\n\nReason:\n%(reason)s\n\n"
                "Your proposals: %(url)s"
            ) % {"what": what, "reason": proposal.reason, "url": mine}
        elif proposal.edited:
            # Changed before it was accepted: said, with where to compare (the walk's
            # contributor read "accepted" and never learnt her text was not the one
            # published).
            subject = _("Your proposed change was accepted with changes")
            body = _(
                "A reviewer changed your proposal (%(what)s), then accepted it: it is "
                "public now. What was changed is in its history:\n\n%(page)s\n\n"
                "Your proposals: %(url)s"
            ) % {"what": what, "page": _on_site(history_url(target)), "url": mine}
        else:
            page = getattr(target, "get_absolute_url", None)
            subject = _("Your proposed change was accepted")
            body = _(
                "A reviewer accepted your proposal (%(what)s): it is public now.\n\n%(page)s\n\n"
                "Your proposals: %(url)s"
            ) % {
                "what": what,
                "page": _on_site(page() if page else ""),
                "url": mine,
            }
    address = author.email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
    return True


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, author: User) -> Proposal:
    proposal = _locked(proposal)
    if proposal.author_id != author.id:
        raise PermissionDenied
    if proposal.target == "camera_count":
        CameraCount.all_objects.filter(id=proposal.object_id).update(state="withdrawn")
    proposal.state, proposal.decided_at = "withdrawn", timezone.now()
    proposal.save(update_fields=["state", "decided_at"])
    return proposal
