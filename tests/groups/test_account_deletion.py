"""A group's last member deleting their account (the walk of the thirty-fourth session):
the group stayed, "0 membre", with nobody to answer who asked to join it, to edit it or
to close it, and a contact form that went nowhere."""

import pytest
from django.test import Client
from django.urls import reverse

from contrechamp.accounts.services import account_delete
from contrechamp.groups import services
from contrechamp.groups.models import Group, Membership, WorkItem
from contrechamp.places.models import Commune
from tests.conftest import PASSWORD
from tests.groups.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def alone(contributor):
    group = services.group_create(
        creator=contributor, name="Vigi-Riom", communes=[Commune.objects.get(code="63300")]
    )
    WorkItem.objects.create(group=group, note="Demander la délibération")
    return group


def test_a_group_whose_only_member_leaves_with_their_account_is_closed(
    alone, contributor, outsider
):
    client_for(Client, outsider).post(reverse("group-join", args=[alone.slug]))
    assert Membership.objects.filter(group=alone, state="requested").exists()
    account_delete(user=contributor)
    assert not Group.objects.filter(id=alone.id).exists()
    assert not WorkItem.objects.filter(note="Demander la délibération").exists()
    assert Client().get(f"/collectifs/{alone.slug}/").status_code == 404


def test_a_group_with_members_stays_and_is_handed_over(group, contributor, other_contributor):
    account_delete(user=contributor)
    group.refresh_from_db()
    assert Membership.objects.get(group=group, user=other_contributor).role == "coordinator"


def test_a_member_who_is_not_coordinator_leaves_the_group_as_it_is(
    group, contributor, other_contributor
):
    account_delete(user=other_contributor)
    assert Group.objects.filter(id=group.id).exists()
    assert Membership.objects.get(group=group, user=contributor).role == "coordinator"


def test_the_account_page_says_it_before_the_deletion(alone, group, contributor):
    page = client_for(Client, contributor).get(reverse("account")).content.decode()
    warning = page.split('id="deletion-groups"', 1)[1].split("</div>", 1)[0]
    assert "Vigi-Riom" in warning and "fermé" in warning
    assert "Technopolice Lyon" in warning and "coordonne" in warning


def test_the_account_page_says_nothing_without_groups(outsider):
    client = Client()
    client.login(username=outsider.username, password=PASSWORD)
    assert 'id="deletion-groups"' not in client.get(reverse("account")).content.decode()
