"""Local groups: the list searched by place, a group's public page with its contact form,
and for members the shared worklist; for coordinators the members' list. Each view
parses its input, asks `permissions`, calls one service, renders.

A worklist or a members' list asked for by someone who may not read it answers 404, as
for a group that does not exist: nothing says there is something to hide."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from contrechamp.groups import invitations, permissions, services
from contrechamp.groups.forms import (
    ContactForm,
    GroupEditForm,
    GroupForm,
    InvitationForm,
    InvitationLinkForm,
    JoinForm,
    WorkItemForm,
    as_form_text,
)
from contrechamp.groups.models import Group, Invitation, Membership, WorkItem
from contrechamp.lib import ratelimit
from contrechamp.lib.markdown import render_markdown
from contrechamp.lib.numbers import whole_number
from contrechamp.registry.forms import communes_as_text, epcis_as_text

# Messages one address may send through the groups' forms, and one group may receive,
# per hour: enough for people, too few for a flood of the members' mailboxes.
CONTACT_PER_ADDRESS = 10
CONTACT_PER_GROUP = 30
CONTACT_WINDOW = 3600
# Invitations one group may send per day: a collective's needs, not a mailing list.
INVITATIONS_PER_GROUP = 50
INVITATIONS_WINDOW = 24 * 3600
# Where the link just made waits, in the coordinator's session, to be shown once.
FRESH_LINK = "group_invitation_link"


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def group_list(request: HttpRequest) -> HttpResponse:
    place = request.GET.get("lieu", "")
    groups = services.group_search(place).prefetch_related("communes", "epcis", "departments")
    return render(
        request,
        "groups/group_list.html",
        {
            "groups": groups[:200],
            "place": place,
            "may_create": permissions.may_create_group(request.user),
        },
    )


def _form_places(form: GroupForm) -> dict[str, object]:
    data = form.cleaned_data
    return {
        "communes": data["commune_list"],
        "epcis": data["epci_list"],
        "departments": data["department_list"],
    }


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    if not permissions.may_create_group(request.user):
        raise PermissionDenied
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(
                creator=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                contact_enabled=form.cleaned_data["contact_enabled"],
                **_form_places(form),  # type: ignore[arg-type]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The group is created; you are its coordinator."))
            return redirect(group)
    return render(
        request,
        "groups/group_form.html",
        {"form": form, "group": None},
        status=400 if form.is_bound else 200,
    )


@login_required
def group_edit(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    if not permissions.may_edit_group(request.user, group):
        raise Http404
    initial = _group_initial(group)
    form = GroupEditForm(request.POST or None, initial=initial, group=group)
    saved: Group | None = None
    if request.method == "POST" and form.is_valid():
        places = _form_places(form)
        try:
            services.group_update(
                group=group,
                by=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                contact_enabled=form.cleaned_data["contact_enabled"],
                edited_from=form.cleaned_data["edited_from"],
                **places,  # type: ignore[arg-type]
            )
        except services.StaleGroupEdit as stale:
            saved = stale.current
            if _same_as_saved(form, places, saved):
                # A second click on Save (or the same change made twice): it is saved.
                messages.success(request, _("The group is saved."))
                return redirect(saved)
            form = _merged_form(request, form, saved)
            form.add_error(None, stale)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The group is saved."))
            return redirect(group)
    status = 409 if saved is not None else 400 if form.is_bound else 200
    return render(
        request,
        "groups/group_form.html",
        {"form": form, "group": group, "saved": saved},
        status=status,
    )


def _group_initial(group: Group) -> dict[str, object]:
    return {
        "name": group.name,
        "description": group.description,
        "communes": communes_as_text(list(group.communes.values_list("code", flat=True))),
        "epcis": epcis_as_text(list(group.epcis.values_list("siren", flat=True))),
        "departments": ", ".join(group.departments.values_list("code", flat=True)),
        "contact_enabled": group.contact_enabled,
    }


def _same_as_saved(form: GroupForm, places: dict[str, Any], saved: Group) -> bool:
    """Whether the refused form asks for what the saved version already is."""
    data = form.cleaned_data
    return (
        services.clean_group_name(data["name"]) == saved.name
        and data["description"].strip() == saved.description
        and data["contact_enabled"] == saved.contact_enabled
        and {c.code for c in places["communes"]}
        == set(saved.communes.values_list("code", flat=True))
        and {e.siren for e in places["epcis"]} == set(saved.epcis.values_list("siren", flat=True))
        and {d.code for d in places["departments"]}
        == set(saved.departments.values_list("code", flat=True))
    )


def _merged_form(request: HttpRequest, form: GroupEditForm, saved: Group) -> GroupEditForm:
    """The form shown after a refused save: each field the person changed keeps their
    text, each they left as they found it takes the saved version's (saving again must
    not undo what the other person changed meanwhile: the places another coordinator
    added came back removed, the review found); the version and base are the saved
    one's, which the person now sees. A field both changed is flagged."""
    try:
        base = json.loads(form.cleaned_data.get("edited_base") or "{}")
    except ValueError:
        base = {}
    if not isinstance(base, dict):
        base = {}
    current = {k: as_form_text(v) for k, v in _group_initial(saved).items()}
    data = request.POST.copy()
    both: list[str] = []
    for name, now in current.items():
        posted = data.get(name, "")
        if name in base and posted == base[name]:
            data[name] = now  # left as found: the saved version's
            if name == "contact_enabled" and not now:
                data.pop(name)
        elif name in base and now != base[name] and posted != now:
            both.append(name)
    data["edited_from"] = str(saved.version)
    data["edited_base"] = json.dumps(current)
    merged = GroupEditForm(data, initial=_group_initial(saved), group=saved)
    merged.is_valid()
    for name in both:
        merged.add_error(
            name,  # type: ignore[arg-type]
            _("Changed meanwhile to: %(value)s") % {"value": current[name] or "—"},
        )
    return merged


def _worklist_context(request: HttpRequest, group: Group) -> dict[str, object]:
    """The worklist as this member sees it (callers checked `may_read_worklist`)."""
    members = [
        (m.user_id, services.member_label(m.user))
        for m in group.memberships.filter(state="active").select_related("user__profile")
    ]
    return {
        "items": services.worklist_items(group=group, user=request.user),  # type: ignore[arg-type]
        "suggestions": services.worklist_suggestions(group=group, user=request.user),  # type: ignore[arg-type]
        "work_form": WorkItemForm(members=members),
    }


def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _group_page(request, get_object_or_404(Group, slug=slug))


def _group_page(
    request: HttpRequest,
    group: Group,
    *,
    work_form: WorkItemForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The group's page; `work_form`: the worklist's form as a member sent it, refused,
    shown again with what they typed."""
    own = permissions.membership(request.user, group)
    active = group.memberships.filter(state="active").select_related("user__profile")
    names = [services.display_name(m.user) for m in active if m.show_name]
    context: dict[str, object] = {
        "group": group,
        "description": render_markdown(group.description),
        "communes": group.communes.all(),
        "epcis": group.epcis.all(),
        "departments": group.departments.all(),
        "member_count": len(active),
        "public_names": [n for n in names if n],
        # The public activity is what a visitor may read, whoever looks.
        "deployments": services.group_deployments(group).order_by("-updated_at")[:20],
        "requests": services.group_requests(group).select_related("body")[:20],
        "contact_form": ContactForm(),
        "may_contact": permissions.may_contact_group(group),
        "membership": own,
        "may_ask_to_join": permissions.may_ask_to_join(request.user, group),
        "join_form": JoinForm(prefix="join"),
        "may_manage": permissions.may_manage_members(request.user, group),
        "is_member": own is not None and own.is_active,
    }
    if own is not None and own.is_active:
        context.update(_worklist_context(request, group))
        if work_form is not None:
            context["work_form"] = work_form
        if own.is_coordinator:
            context["waiting"] = group.memberships.filter(state="requested").count()
            context["ended_with_maker"] = invitations.invitations_ended_with_maker(group)
    return render(request, "groups/group_detail.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def group_contact(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    if not permissions.may_contact_group(group):
        raise Http404
    if request.method != "POST":
        # A reload of the page a refused message left, or a change of language there:
        # the group's contact form (it answered a blank 405: a new user's walk).
        return redirect(group.get_absolute_url() + "#contact")
    # Counted before anything else, the trap included: per address (hashed, in the
    # shared cache), then per group, so many addresses cannot flood one group either.
    for key, limit in ((None, CONTACT_PER_ADDRESS), (f"group:{group.id}", CONTACT_PER_GROUP)):
        decision = ratelimit.hit(
            request, "group-contact", limit=limit, window=CONTACT_WINDOW, key=key
        )
        if not decision.allowed:
            return ratelimit.refused(request, decision)
    form = ContactForm(request.POST)
    if form.is_valid() and form.cleaned_data["website"]:
        # A robot filled the trap: it is told what a person is told, and nothing is sent.
        messages.success(request, _("Your message was sent to the group's members."))
        return redirect(group.get_absolute_url() + "#contact")
    if form.is_valid():
        try:
            services.contact_send(
                group=group,
                message=form.cleaned_data["message"],
                reply_to=form.cleaned_data["reply_to"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your message was sent to the group's members."))
            return redirect(group.get_absolute_url() + "#contact")
    return render(
        request, "groups/contact.html", {"group": group, "contact_form": form}, status=400
    )


@login_required
@require_POST
def group_join(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    form = JoinForm(request.POST, prefix="join")
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect(group)
    try:
        services.membership_request(
            group=group,
            user=request.user,  # type: ignore[arg-type]
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Your request is sent; a coordinator will answer it."))
    return redirect(group)


@login_required
@require_POST
def group_leave(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    try:
        services.membership_leave(group=group, user=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("You are no longer in the group."))
    return redirect(group)


@login_required
@require_POST
def group_show_name(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    if not permissions.is_member(request.user, group):
        raise Http404
    services.membership_show_name(
        group=group,
        user=request.user,  # type: ignore[arg-type]
        show=request.POST.get("show") == "1",
    )
    messages.success(request, _("Your choice is saved."))
    return redirect(group)


@login_required
def group_members(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    if not permissions.may_manage_members(request.user, group):
        raise Http404
    return _members_page(request, group)


def _members_page(
    request: HttpRequest,
    group: Group,
    *,
    invite_form: InvitationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The members page (callers checked `may_manage_members`); `invite_form`: the
    invitation form as sent, refused, with what was typed."""
    memberships = list(group.memberships.select_related("user__profile"))
    rows = [(m, services.member_label(m.user)) for m in memberships]
    fresh = request.session.get(FRESH_LINK) or {}
    fresh_link = fresh.get("url") if fresh.get("group") == group.id else None
    link = invitations.invitation_link(group)
    if fresh_link is not None:
        # Shown once: only the link's hash is kept, it cannot be shown again.
        del request.session[FRESH_LINK]
        if link is None or link.id != fresh.get("invitation"):
            fresh_link = None  # revoked meanwhile
    context = {
        "group": group,
        "waiting": [r for r in rows if r[0].state == "requested"],
        "active": [r for r in rows if r[0].state == "active"],
        "may_invite": permissions.may_invite(request.user, group),
        "invite_form": invite_form or InvitationForm(initial={"language": request.LANGUAGE_CODE}),
        "link_form": InvitationLinkForm(),
        "invitations": invitations.invitations_waiting(group),
        "link": link,
        "fresh_link": fresh_link,
        "invitation_days": invitations.INVITATION_DAYS,
        "ended_with_maker": invitations.invitations_ended_with_maker(group),
    }
    return render(request, "groups/members.html", context, status=status)


def _coordinated_group(request: HttpRequest, slug: str) -> Group:
    """The group, for one of its coordinators; 404 for anyone else, as for a group that
    does not exist."""
    group = get_object_or_404(Group, slug=slug)
    if not permissions.may_invite(request.user, group):
        raise Http404
    return group


@login_required
@require_POST
def group_invite(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite an address by e-mail. The answer is the same for every address: whether it
    has an account, or is a member already, is never said."""
    group = _coordinated_group(request, slug)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _members_page(request, group, invite_form=form, status=400)
    decision = ratelimit.hit(
        request,
        "group-invite",
        limit=INVITATIONS_PER_GROUP,
        window=INVITATIONS_WINDOW,
        key=f"group:{group.id}",
    )
    if not decision.allowed:
        return ratelimit.refused(request, decision)
    try:
        invitations.invitation_send(
            group=group,
            by=request.user,  # type: ignore[arg-type]
            email=form.cleaned_data["email"],
            language=form.cleaned_data["language"],
        )
    except ValidationError as error:
        form.add_error("email", error)
        return _members_page(request, group, invite_form=form, status=400)
    messages.success(
        request,
        _("An invitation is on its way to %(email)s.") % {"email": form.cleaned_data["email"]},
    )
    return redirect(reverse("group-members", args=[group.slug]) + "#invitations")


@login_required
@require_POST
def group_invitation_link(request: HttpRequest, slug: str) -> HttpResponse:
    """Make a new link to share (the previous one stops working), or revoke it."""
    group = _coordinated_group(request, slug)
    if request.POST.get("action") == "revoke":
        link = invitations.invitation_link(group)
        if link is not None:
            invitations.invitation_cancel(invitation=link, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("The link no longer works."))
    else:
        form = InvitationLinkForm(request.POST)
        form.is_valid()
        invitation, url = invitations.invitation_link_create(
            group=group,
            by=request.user,  # type: ignore[arg-type]
            needs_approval=bool(form.cleaned_data.get("needs_approval")),
        )
        request.session[FRESH_LINK] = {"group": group.id, "invitation": invitation.id, "url": url}
    return redirect(reverse("group-members", args=[group.slug]) + "#invitation-link")


@login_required
@require_POST
def group_invitation_cancel(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    group = _coordinated_group(request, slug)
    # Looked up inside the group named in the address, as for memberships.
    invitation = get_object_or_404(Invitation, group=group, id=invitation_id)
    invitations.invitation_cancel(invitation=invitation, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The invitation is cancelled: its link no longer works."))
    return redirect(reverse("group-members", args=[group.slug]) + "#invitations")


@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation's link opens. GET says what the invitation is and what to
    do (log in, create an account, join); only POST joins: a mail scanner following
    every link joins no one. An unknown token answers 404, whatever it looks like."""
    found = invitations.invitation_by_token(token)
    if found is None:
        return render(request, "groups/invitation_invalid.html", status=404)
    reason = invitations.invitation_refusal(found, request.user)  # type: ignore[arg-type]
    if request.method == "POST" and not reason:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            membership = invitations.invitation_accept(
                invitation=found,
                user=request.user,  # type: ignore[arg-type]
            )
        except invitations.InvitationRefused as refused:
            reason = refused.reason
        else:
            if membership.is_active:
                messages.success(request, _("Welcome: you are a member of the group."))
            else:
                messages.success(request, _("Your request is sent; a coordinator will answer it."))
            return redirect(found.group)
    elif request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(
        request,
        "groups/invitation.html",
        {
            "invitation": found,
            "group": found.group,
            "reason": reason,
            "refusal": invitations.refusal_text(reason) if reason else "",
            "may_ask_to_join": reason in ("other_address", "removed", "expired", "revoked")
            and permissions.may_ask_to_join(request.user, found.group),
        },
        status=410 if reason in ("used", "revoked", "expired") else 200,
    )


MEMBER_ACTIONS = {
    "approve": (services.membership_approve, _("The request is approved.")),
    "remove": (services.membership_remove, _("The person is no longer in the group.")),
    "promote": (services.membership_promote, _("The member is now a coordinator.")),
}


@login_required
@require_POST
def member_action(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    action = request.POST.get("action", "")
    # Looked up inside the group named in the address: an id from another group is
    # not found, whoever asks.
    target = (
        Membership.objects.filter(group=group, id=membership_id).select_related("group").first()
    )
    if target is None or action not in MEMBER_ACTIONS:
        raise Http404
    if not permissions.may_act_on_membership(request.user, target):
        raise Http404
    service, done = MEMBER_ACTIONS[action]
    try:
        service(membership=target, by=request.user)  # type: ignore[operator, arg-type]
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, str(done))
    return redirect("group-members", slug=group.slug)


def _member_group(request: HttpRequest, slug: str) -> Group:
    group = get_object_or_404(Group, slug=slug)
    if not permissions.may_read_worklist(request.user, group):
        raise Http404
    return group


def worklist(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the worklist alone (a fragment, for a script refreshing it); POST: add an
    item. Members only."""
    group = _member_group(request, slug)
    if request.method == "POST":
        members = [
            (m.user_id, services.member_label(m.user))
            for m in group.memberships.filter(state="active").select_related("user__profile")
        ]
        form = WorkItemForm(request.POST, members=members)
        if form.is_valid():
            assignee_id = form.cleaned_data["assignee"]
            assignee = (
                group.memberships.filter(user_id=assignee_id, state="active").first()
                if assignee_id
                else None
            )
            try:
                services.work_item_add(
                    group=group,
                    user=request.user,  # type: ignore[arg-type]
                    kind=form.cleaned_data["kind"],
                    note=form.cleaned_data["note"],
                    url=form.cleaned_data["url"],
                    access_request=whole_number(request.POST.get("access_request")),
                    document=whole_number(request.POST.get("document")),
                    deployment=whole_number(request.POST.get("deployment")),
                    assignee=assignee.user if assignee else None,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Added to the worklist."))
                return redirect(group.get_absolute_url() + "#worklist")
        # Refused: the page again, the form with what the member typed and its errors
        # beside the fields (the note was lost and the error shown out of view: a new
        # user's walk).
        return _group_page(request, group, work_form=form, status=400)
    context = {"group": group, **_worklist_context(request, group)}
    return render(request, "groups/_worklist.html", context)


@require_POST
def work_item_change(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    group = _member_group(request, slug)
    item = get_object_or_404(WorkItem, group=group, id=item_id)
    version = whole_number(request.POST.get("version"))
    if version is None:
        raise Http404
    try:
        services.work_item_change(
            item=item,
            user=request.user,  # type: ignore[arg-type]
            version=version,
            action=request.POST.get("action", ""),
        )
    except services.StaleWorkItem:
        messages.error(
            request,
            _(
                "Another member changed this item meanwhile; nothing was changed. "
                "Here it is as it now stands."
            ),
        )
        return redirect(group.get_absolute_url() + f"#item-{item.id}", permanent=False)
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect(group.get_absolute_url() + f"#item-{item.id}")
