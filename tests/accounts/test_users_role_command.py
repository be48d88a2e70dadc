"""`contrechamp users role NAME --role R`: promoting an account from the command line, as
an administrator of a fresh instance does (the walk found only Django's admin for it).
Attacked as a hurried administrator would: no role said, a name that matches nobody, the
only administrator demoted, a superuser "demoted" who stays one."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from contrechamp.accounts.models import Profile, user_role
from contrechamp.accounts.services import user_create
from contrechamp.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

STRONG = "violet-harbour-lantern-91"


def _role(*args: str) -> str:
    out = io.StringIO()
    call_command("users", "role", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def alex():
    return user_create(
        username="alexadmin", email="alex.admin@example.org", password=STRONG, role="administrator"
    )


@pytest.fixture
def sam():
    return user_create(username="sam", email="Sam@example.org", password=STRONG, public_name="Sam")


def test_a_contributor_made_reviewer_is_told_of_two_factor_and_audited(alex, sam):
    said = _role("sam", "--role", "reviewer")
    sam.refresh_from_db()
    assert sam.profile.role == "reviewer" and user_role(sam) == "reviewer"
    assert "Two-factor authentication is required" in said and "next log-in" in said
    entry = AuditEntry.objects.filter(action="role_changed", target_id=str(sam.profile.pk)).get()
    assert entry.details["role"] == ["contributor", "reviewer"]


def test_the_address_names_the_account_in_any_case(alex, sam):
    _role("SAM@example.org", "--role", "reviewer")
    assert Profile.objects.get(user=sam).role == "reviewer"


def test_an_administrator_gets_the_admin_and_loses_it_with_the_role(alex, sam):
    _role("sam", "--role", "administrator")
    sam.refresh_from_db()
    assert sam.is_staff and sam.is_superuser and user_role(sam) == "administrator"
    _role("sam", "--role", "contributor")
    sam.refresh_from_db()
    # A superuser counts as an administrator whatever the profile: both flags go.
    assert not sam.is_staff and not sam.is_superuser and user_role(sam) == "contributor"


def test_no_role_said_changes_nothing(alex, sam):
    with pytest.raises(CommandError, match="--role"):
        _role("sam")
    assert Profile.objects.get(user=sam).role == "contributor"


def test_a_name_that_matches_nobody_is_refused(alex):
    with pytest.raises(CommandError, match="No account"):
        _role("nobody", "--role", "administrator")


def test_the_only_administrator_is_not_demoted(alex):
    with pytest.raises(CommandError, match="only administrator"):
        _role("alexadmin", "--role", "contributor")
    alex.refresh_from_db()
    assert user_role(alex) == "administrator" and alex.is_superuser


def test_a_deleted_account_gets_no_role(alex, sam):
    sam.is_active = False
    sam.save()
    with pytest.raises(CommandError, match="disabled"):
        _role("sam", "--role", "administrator")
    sam.refresh_from_db()
    assert not sam.is_superuser


def _admin_change(client, profile, role):
    return client.post(
        f"/admin/accounts/profile/{profile.pk}/change/",
        {
            "public_name": profile.public_name,
            "role": role,
            "trust": profile.trust,
            "accepted_changes": profile.accepted_changes,
        },
    )


def test_the_admin_gives_and_takes_the_role_as_the_command_does(client, administrator, sam):
    """Made administrator in Django's admin, an account got no admin site; made reviewer
    again, a superuser stayed an administrator whatever its profile said."""
    client.force_login(administrator)
    _admin_change(client, sam.profile, "administrator")
    sam.refresh_from_db()
    assert sam.is_staff and sam.is_superuser
    sam.profile.refresh_from_db()
    _admin_change(client, sam.profile, "reviewer")
    sam.refresh_from_db()
    assert not sam.is_superuser and user_role(sam) == "reviewer"
    assert (
        AuditEntry.objects.filter(action="role_changed", target_id=str(sam.profile.pk)).count() == 2
    )


def test_the_admin_keeps_the_only_administrator(client, administrator):
    client.force_login(administrator)
    response = _admin_change(client, administrator.profile, "contributor")
    administrator.refresh_from_db()
    administrator.profile.refresh_from_db()
    assert user_role(administrator) == "administrator" and administrator.is_superuser
    # Its profile says so too (it read "contributor" beside a superuser's flag).
    assert administrator.profile.role == "administrator"
    assert response.status_code == 302
