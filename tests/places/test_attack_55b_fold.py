"""Hostile review 55b: the merged-communes fold of `places_load`, attacked."""

import pytest
from django.utils import timezone

from contrechamp.pages.models import Subscription
from contrechamp.pages.subscriptions import unconfirmed_purge
from contrechamp.places.models import Commune
from contrechamp.places.services import places_load
from contrechamp.registry import services as s
from tests.factories import deployment_data
from tests.places.test_merged_communes import _seynod

pytestmark = pytest.mark.django_db


def test_a_confirmed_subscription_to_the_former_commune_is_not_lost_to_an_unconfirmed_one():
    """An address has followed Seynod for years (confirmed, daily). It once typed
    itself into Annecy's box too and never clicked the confirmation link. The load folds
    Seynod into Annecy: the CONFIRMED subscription is deleted and the unconfirmed one
    kept, so the person silently stops receiving anything (and the purge of unconfirmed
    subscriptions then removes the last trace)."""
    _seynod()
    long_ago = timezone.now() - timezone.timedelta(days=400)
    Subscription.objects.create(
        email="c@example.org",
        kind="commune",
        key="74268",
        token="confirmed",
        frequency="daily",
        confirmed_at=long_ago,
    )
    pending = Subscription.objects.create(
        email="c@example.org", kind="commune", key="74010", token="pending"
    )
    Subscription.objects.filter(pk=pending.pk).update(created_at=long_ago)

    places_load(force=True)

    left = list(Subscription.objects.filter(email="c@example.org"))
    assert [x.key for x in left] == ["74010"]
    assert left[0].confirmed_at is not None, (
        "the address's confirmed subscription was deleted; only the one it never "
        "confirmed is left: it receives nothing any more"
    )
    unconfirmed_purge()
    assert Subscription.objects.filter(email="c@example.org").exists()


def test_a_deployment_moved_to_the_current_commune_is_found_by_its_name():
    """A deployment on Seynod (its title names no town) is folded into Annecy: its page
    and Annecy's page say Annecy, but the search index still reads 'Seynod': searching
    the registry for 'Annecy' does not find it."""
    _seynod()
    deployment = s.deployment_create(
        data=deployment_data(title="Lecture automatique des plaques", communes=["74268"]),
        author=None,
    )
    control = s.deployment_create(
        data=deployment_data(title="Vidéoverbalisation", communes=["74010"]), author=None
    )
    assert deployment.is_published
    places_load(force=True)
    assert [c.code for c in deployment.communes.all()] == ["74010"]

    from contrechamp.registry.filters import search
    from contrechamp.registry.models import Deployment

    found = list(search(Deployment.objects.all(), "Annecy").values_list("id", flat=True))
    assert control.id in found  # the search does find what is on Annecy
    assert deployment.id in found, "the folded deployment's search text still names Seynod"


def test_the_former_town_halls_address_is_not_deleted_with_its_row(contributor):
    """Seynod's town hall was given its e-mail and postal address by hand, and a
    request went to it; Annecy's town hall body exists without an address (made by the
    commune's page). The load folds Seynod's body into Annecy's (one town hall per
    commune) and DELETES it: the address the request was sent to is gone from the
    database, and the request now names a body with no address at all, so its
    reminder and its CADA referral have nowhere to go."""
    from contrechamp.access import services as access
    from contrechamp.access.models import AccessRequest, PublicBody

    seynod = _seynod()
    annecy = Commune.objects.get(code="74010")
    access.body_for_place("commune", annecy)
    draft = access.requests_draft(
        requester=contributor, title="Caméras", documents_asked="La convention", communes=[seynod]
    )
    body = draft.body
    body.email, body.address = "accueil@seynod.example", "Place de l'Hôtel de Ville, Seynod"
    body.save(update_fields=["email", "address"])

    places_load(force=True)

    request = AccessRequest.objects.get(pk=draft.pk)
    addresses = set(PublicBody.objects.values_list("email", flat=True))
    assert "accueil@seynod.example" in addresses or request.body.email, (
        f"the address typed for Seynod's town hall is lost; the request now goes to "
        f"{request.body.name!r} <{request.body.email}>"
    )
