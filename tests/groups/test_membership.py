"""Creating a group, joining it, and what coordinators may and may not do."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from contrechamp.groups import permissions, services
from contrechamp.groups.models import Group, Membership
from tests.groups.conftest import client_for, join


def test_it_makes_the_creator_coordinator(contributor):
    response = client_for(Client, contributor).post(
        reverse("group-create"),
        {"name": "Vidéosurveillance\nSaint-Étienne", "communes": "42218", "contact_enabled": "on"},
    )
    group = Group.objects.get()
    assert response.status_code == 302 and response["Location"] == group.get_absolute_url()
    # A line break typed in the name would end up in mail subjects: it is made a space.
    assert group.name == "Vidéosurveillance Saint-Étienne"
    assert permissions.is_coordinator(contributor, group)
    assert list(group.communes.values_list("code", flat=True)) == ["42218"]


def test_it_refuses_a_group_without_a_place(contributor):
    response = client_for(Client, contributor).post(reverse("group-create"), {"name": "Nulle part"})
    assert response.status_code == 400  # refused, as the other forms answer
    assert not Group.objects.exists()


def test_a_visitor_cannot_create_a_group(client, db):
    response = client.post(reverse("group-create"), {"name": "X", "communes": "42218"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Group.objects.exists()


def test_a_join_request_waits_for_a_coordinator(group, outsider, contributor):
    outsider_client = client_for(Client, outsider)
    outsider_client.post(reverse("group-join", args=[group.slug]))
    membership = Membership.objects.get(group=group, user=outsider)
    assert membership.state == "requested"
    assert not permissions.may_read_worklist(outsider, group)
    page = outsider_client.get(group.get_absolute_url())
    assert 'id="worklist"' not in page.content.decode()

    coordinator = client_for(Client, contributor)
    coordinator.post(
        reverse("group-member", args=[group.slug, membership.id]), {"action": "approve"}
    )
    membership.refresh_from_db()
    assert membership.state == "active" and membership.joined_at is not None
    assert 'id="worklist"' in outsider_client.get(group.get_absolute_url()).content.decode()


def test_a_member_cannot_approve_joins(group, outsider, other_contributor):
    membership = services.membership_request(group=group, user=outsider)
    member = client_for(Client, other_contributor)
    assert member.get(reverse("group-members", args=[group.slug])).status_code == 404
    response = member.post(
        reverse("group-member", args=[group.slug, membership.id]), {"action": "approve"}
    )
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.state == "requested"
    with pytest.raises(PermissionDenied):
        services.membership_approve(membership=membership, by=other_contributor)


def test_one_cannot_approve_oneself(group, outsider):
    membership = services.membership_request(group=group, user=outsider)
    response = client_for(Client, outsider).post(
        reverse("group-member", args=[group.slug, membership.id]), {"action": "approve"}
    )
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.state == "requested"


def test_a_coordinator_of_one_group_cannot_act_on_another(
    group, other_group, contributor, outsider
):
    waiting = services.membership_request(group=other_group, user=outsider)
    coordinator_of_a = client_for(Client, contributor)
    # Through the other group's address, and through their own group's address with
    # the other group's membership id.
    for slug in (other_group.slug, group.slug):
        for action in ("approve", "remove", "promote"):
            response = coordinator_of_a.post(
                reverse("group-member", args=[slug, waiting.id]), {"action": action}
            )
            assert response.status_code == 404
    assert Membership.objects.get(id=waiting.id).state == "requested"
    assert (
        coordinator_of_a.get(reverse("group-members", args=[other_group.slug])).status_code == 404
    )
    assert coordinator_of_a.get(reverse("group-edit", args=[other_group.slug])).status_code == 404
    response = coordinator_of_a.post(
        reverse("group-edit", args=[other_group.slug]), {"name": "Pris", "departments": "33"}
    )
    assert response.status_code == 404
    other_group.refresh_from_db()
    assert other_group.name == "Collectif Gironde"


def test_a_removed_member_loses_access_at_once(group, contributor, other_contributor):
    member = client_for(Client, other_contributor)
    services.work_item_add(group=group, user=contributor, kind="other", note="Relancer la mairie")
    assert "Relancer la mairie" in member.get(group.get_absolute_url()).content.decode()

    membership = Membership.objects.get(group=group, user=other_contributor)
    client_for(Client, contributor).post(
        reverse("group-member", args=[group.slug, membership.id]), {"action": "remove"}
    )
    # The same session, the very next request.
    page = member.get(group.get_absolute_url()).content.decode()
    assert "Relancer la mairie" not in page and 'id="worklist"' not in page
    assert member.get(reverse("group-worklist", args=[group.slug])).status_code == 404


def test_the_last_coordinator_cannot_leave(group, contributor, other_contributor):
    response = client_for(Client, contributor).post(
        reverse("group-leave", args=[group.slug]), follow=True
    )
    assert permissions.is_coordinator(contributor, group)
    assert "coordinator" in response.content.decode() or "coordin" in response.content.decode()
    with pytest.raises(ValidationError):
        services.membership_leave(group=group, user=contributor)

    membership = Membership.objects.get(group=group, user=other_contributor)
    services.membership_promote(membership=membership, by=contributor)
    services.membership_leave(group=group, user=contributor)
    assert not permissions.is_member(contributor, group)
    assert permissions.is_coordinator(other_contributor, group)


def test_a_coordinator_removes_another_coordinator_but_one_stays(
    group, contributor, other_contributor
):
    membership = Membership.objects.get(group=group, user=other_contributor)
    services.membership_promote(membership=membership, by=contributor)
    own = Membership.objects.get(group=group, user=contributor)
    # Removing oneself is not the way to leave (it would skip the coordinator check).
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=own, by=contributor)
    services.membership_remove(membership=own, by=other_contributor)
    assert Membership.objects.filter(group=group, role="coordinator").count() == 1


def test_a_member_chooses_to_be_named(group, other_contributor, client):
    other_contributor.profile.public_name = "Dominique des Pentes"
    other_contributor.profile.save()
    assert "Dominique des Pentes" not in client.get(group.get_absolute_url()).content.decode()
    client_for(Client, other_contributor).post(
        reverse("group-show-name", args=[group.slug]), {"show": "1"}
    )
    assert "Dominique des Pentes" in client.get(group.get_absolute_url()).content.decode()


def test_join_helper_leaves_an_active_member(group, outsider, contributor):
    join(group, outsider, by=contributor)
    assert permissions.is_member(outsider, group)


def test_a_deleted_account_hands_its_groups_over(group, contributor, other_contributor):
    from contrechamp.accounts.services import account_delete

    account_delete(user=contributor)
    assert not Membership.objects.filter(user=contributor).exists()
    assert permissions.is_coordinator(other_contributor, group)
    assert group.memberships.filter(state="active").count() == 1


def test_members_never_see_one_anothers_user_name(group, contributor, other_contributor):
    """A new user's walk: dominique saw "camille" (the coordinator's user name, half of
    what logs her in) in the worklist's "Confié à" and the members' list, while her
    account page told her she shows as "a contributor". Without a display name, a member
    is shown by the account's number."""
    member = client_for(Client, other_contributor)
    page = member.get(reverse("group-detail", args=[group.slug])).content.decode()
    page += member.get(reverse("group-worklist", args=[group.slug])).content.decode()
    coordinator = client_for(Client, contributor)
    page += coordinator.get(reverse("group-members", args=[group.slug])).content.decode()
    assert ">camille<" not in page and "camille " not in page and "dominique" not in page
    assert f"compte n° {contributor.pk}" in page
    # A display name chosen is shown as chosen.
    contributor.profile.public_name = "Camille V."
    contributor.profile.save()
    page = member.get(reverse("group-worklist", args=[group.slug])).content.decode()
    assert "Camille V." in page


def test_coordinators_hear_of_a_request_and_the_member_of_the_answer(
    group, contributor, outsider, django_capture_on_commit_callbacks, mailoutbox
):
    """A new user's walk asked to join and was told a coordinator would answer; nothing
    told the coordinator, who saw a count only on the group's page."""
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_request(group=group, user=outsider)
    assert [m.to for m in mailoutbox] == [[contributor.email]]
    assert "Technopolice Lyon" in mailoutbox[0].subject
    assert f"/collectifs/{group.slug}/membres/" in mailoutbox[0].body
    assert "sacha" not in mailoutbox[0].body  # the asker's user name, never
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_approve(membership=membership, by=contributor)
    assert mailoutbox[1].to == [outsider.email]
    assert f"/collectifs/{group.slug}/" in mailoutbox[1].body


def test_a_mail_server_down_loses_no_request(
    group, outsider, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.pages.failing_mail.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request(group=group, user=outsider)
    assert Membership.objects.filter(group=group, user=outsider, state="requested").exists()


def test_asking_to_join_again_and_again_is_limited(group, outsider, settings, client):
    """The review asked and withdrew 25 times: the coordinator got 25 mails. Requests
    to join are limited per account (each e-mails the coordinators)."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "group-joins": "2/h"}
    client.force_login(outsider)
    join, leave = (reverse(n, args=[group.slug]) for n in ("group-join", "group-leave"))
    for _ in range(2):
        assert client.post(join).status_code == 302
        assert client.post(leave).status_code == 302
    assert client.post(join).status_code == 429


def test_a_disabled_account_is_mailed_nothing(
    group, contributor, outsider, django_capture_on_commit_callbacks, mailoutbox
):
    contributor.is_active = False
    contributor.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request(group=group, user=outsider)
    assert mailoutbox == []


def test_a_name_saved_with_a_direction_override_shows_without_it(group, other_contributor):
    other_contributor.profile.public_name = "Camille \u202enivel"
    other_contributor.profile.save()
    assert services.member_label(other_contributor) == "Camille nivel"


def test_a_deleted_members_open_items_go_back_to_the_group(group, contributor, other_contributor):
    """The review: a deleted member's open item stayed "taken by compte n° N", and nobody
    could take it over."""
    from contrechamp.accounts.services import account_delete
    from contrechamp.groups.models import WorkItem

    item = services.work_item_add(group=group, user=other_contributor, kind="other", note="À faire")
    item = services.work_item_change(
        item=item, user=other_contributor, version=item.version, action="take"
    )
    assert item.assignee == other_contributor
    account_delete(user=other_contributor)
    item = WorkItem.objects.get(id=item.id)
    assert item.assignee is None and item.state == "open"
    taken = services.work_item_change(
        item=item, user=contributor, version=item.version, action="take"
    )
    assert taken.assignee == contributor
