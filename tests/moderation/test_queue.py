"""What a reviewer reads in the queue, and what nobody else reads of it."""

from django.urls import reverse

from contrechamp.registry.models import Deployment
from contrechamp.registry.proposals import deployment_propose, deployment_submit
from contrechamp.registry.services import deployment_create, deployment_snapshot
from tests.factories import deployment_data

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
SOFT = "soft-capteurs-sonores-a-tarentaize-beaubrun-couriot"


def _named(user, name: str):
    user.profile.public_name = name
    user.profile.save(update_fields=["public_name"])
    return user


def test_the_queue_shows_each_change_as_a_diff_with_sources_author_and_warnings(
    client, newcomer, reviewer
):
    _named(newcomer, "Vigie Stéphanoise")
    deployment = Deployment.objects.get(slug=SOFT)
    data = deployment_snapshot(deployment)
    deployment_propose(
        deployment=deployment,
        data={**data, "status": "abandoned", "end_date": "2033"},
        base_version=deployment.version,
        author=newcomer,
        comment="Abandon voté en conseil.",
    )
    draft = deployment_create(
        data=deployment_data(title="Caméras augmentées à Bellecour"),
        author=newcomer,
    )
    # deployment_data is published by default: make it a draft as a newcomer's would be.
    Deployment.objects.filter(id=draft.id).update(is_published=False)
    deployment_submit(deployment=draft, author=newcomer)

    client.force_login(reviewer, backend=MODEL_BACKEND)
    response = client.get(reverse("moderation-queue"))
    html = response.content.decode()
    assert response.status_code == 200
    # The diff of the edit: the status as a person reads it, before and after.
    assert "<del>" in html and "<ins>" in html and "Abandon voté en conseil." in html
    # The sources, with their address and quote.
    assert "https://example.org/deliberation-2024-03" in html
    assert "Le conseil autorise l&#x27;expérimentation." in html
    # The author by public name, never by address or user name.
    assert "Vigie Stéphanoise" in html
    assert "noa@example.org" not in html and ">noa<" not in html
    # The end date in the future is flagged.
    assert "2033" in html and 'class="warning warning-future_date"' in html
    # Edit then accept for a deployment; the keyboard legend and its script.
    assert "?proposal=" in html
    assert "<kbd>j</kbd>" in html and "js/moderation.js" in html
    assert 'class="other-queues"' in html


def test_the_person_page_shows_the_record_and_no_address(client, newcomer, reviewer):
    _named(newcomer, "Vigie Stéphanoise")
    client.force_login(reviewer, backend=MODEL_BACKEND)
    html = client.get(reverse("moderation-person", args=[newcomer.id])).content.decode()
    assert "Vigie Stéphanoise" in html and "noa@example.org" not in html
    client.post(reverse("moderation-person", args=[newcomer.id]), {"trust": "root"})
    newcomer.profile.refresh_from_db()
    assert newcomer.profile.trust == "auto"


def test_a_contributor_cannot_open_a_persons_page_nor_change_trust(client, newcomer):
    client.force_login(newcomer, backend=MODEL_BACKEND)
    url = reverse("moderation-person", args=[newcomer.id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"trust": "trusted"}).status_code == 403
    newcomer.profile.refresh_from_db()
    assert newcomer.profile.trust == "auto"


def test_the_person_page_agrees_its_counts_in_french(client, newcomer, reviewer):
    """A walk read "1 acceptées, 1 rejetées" on a contributor's page (one sentence with
    three numbers, its words always plural), while the queue said "0 acceptée"."""
    deployment = Deployment.objects.get(slug=SOFT)
    deployment_propose(
        deployment=deployment,
        data={**deployment_snapshot(deployment), "end_date": "2033"},
        base_version=deployment.version,
        author=newcomer,
        comment="",
    )
    client.force_login(reviewer, backend=MODEL_BACKEND)
    html = client.get(
        reverse("moderation-person", args=[newcomer.id]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "0 acceptée, 0 rejetée, 1 en attente" in html
    english = client.get(
        reverse("moderation-person", args=[newcomer.id]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "0 accepted, 0 rejected, 1 waiting" in english
