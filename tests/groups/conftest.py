"""A group on Lyon with a coordinator (camille) and a member (dominique); a second group
elsewhere with its own coordinator; an outsider who belongs to neither."""

import pytest
from django.contrib.auth.models import User

from contrechamp.accounts.services import user_create
from contrechamp.groups import services
from contrechamp.groups.models import Group, Membership
from contrechamp.places.models import Commune, Department
from tests.conftest import PASSWORD


def join(group: Group, user: User, *, by: User) -> Membership:
    """`user` asks to join and `by` (a coordinator) approves."""
    membership = services.membership_request(group=group, user=user)
    return services.membership_approve(membership=membership, by=by)


@pytest.fixture
def group(contributor, other_contributor):
    created = services.group_create(
        creator=contributor,
        name="Technopolice Lyon",
        description="Nous suivons la **vidéosurveillance** à Lyon.",
        communes=[Commune.objects.get(code="69123")],
    )
    join(created, other_contributor, by=contributor)
    return created


@pytest.fixture
def outsider(db):
    return user_create(username="sacha", email="sacha@example.org", password=PASSWORD)


@pytest.fixture
def other_group(db):
    coordinator = user_create(username="noa", email="noa@example.org", password=PASSWORD)
    return services.group_create(
        creator=coordinator,
        name="Collectif Gironde",
        departments=[Department.objects.get(code="33")],
    )


def client_for(client_class, user: User):
    """A client logged in as `user` (through the two-factor test client, which also
    passes the second factor for those who have one)."""
    from tests.conftest import TwoFactorClient

    client = TwoFactorClient()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
