"""A tip made into a draft deployment by a reviewer: the commune, the technology she
chose, the text with its personal data masked; the tip's photo cited only when she
chooses it; the tip and the draft linked both ways; once, whatever the clicks."""

import pytest
from django.urls import reverse

from contrechamp.registry.models import Deployment, Revision
from contrechamp.tips.models import Tip
from tests.conftest import TwoFactorClient
from tests.tips import samples
from tests.tips.helpers import send

TEXT = (
    "Nouvelles caméras VSA place Jean-Jaurès depuis lundi.\n\n"
    "Écrivez-moi à lanceur.alerte@gmail.com ou au 06 12 34 56 78 si besoin."
)


def _as(user) -> TwoFactorClient:
    client = TwoFactorClient()
    client.force_login(user)
    return client


def _tip(client, files=()) -> Tip:
    response, code = send(client, text=TEXT, files=files, place="Saint-Étienne (42218)")
    assert code, response.content.decode()[:2000]
    return Tip.objects.get()


@pytest.mark.django_db
def test_it_makes_a_draft_from_a_tip_without_the_senders_address(client, reviewer):
    tip = _tip(client, files=[("photo.jpg", samples.jpeg_with_gps_and_xmp(), "image/jpeg")])
    staff = _as(reviewer)
    page = staff.get(reverse("tip-queue")).content.decode()
    assert reverse("tip-deployment", args=[tip.id]) in page
    response = staff.post(reverse("tip-deployment", args=[tip.id]), {"technology": "vsa"})
    assert response.status_code == 302
    draft = Deployment.objects.get(id=Tip.objects.get(id=tip.id).deployment_id)
    assert response["Location"] == reverse("deployment-edit", args=[draft.slug])
    assert not draft.is_published
    assert [c.code for c in draft.communes.all()] == ["42218"]
    assert list(draft.technologies.values_list("slug", flat=True)) == ["vsa"]
    # The text, its e-mail address and phone number masked as a quote's are.
    assert "Nouvelles caméras VSA place Jean-Jaurès" in draft.description
    assert "lanceur.alerte@gmail.com" not in draft.description
    assert "06 12 34 56 78" not in draft.description and "[X]" in draft.description
    assert "gmail" not in draft.title
    # The photo is cited by nothing unless chosen.
    assert not draft.citations.exists()
    # Linked both ways: the tip names its draft, the draft's page (for reviewers) the tip.
    tip.refresh_from_db()
    assert tip.status == "handling"
    assert draft.title in staff.get(reverse("tip-queue") + "?status=handling").content.decode()
    detail = staff.get(draft.get_absolute_url()).content.decode()
    assert f"#tip-{tip.id}" in detail
    revision = Revision.objects.get(kind="deployment", object_id=draft.id)
    assert str(tip.id) in revision.comment
    assert "gmail" not in str(revision.snapshot)


@pytest.mark.django_db
def test_the_tips_photo_is_cited_only_when_the_reviewer_chooses_it(client, reviewer):
    tip = _tip(client, files=[("photo.jpg", samples.jpeg_with_gps_and_xmp(), "image/jpeg")])
    photo = tip.documents.get()
    _as(reviewer).post(reverse("tip-deployment", args=[tip.id]), {"cite": [photo.id]})
    draft = Deployment.objects.get(id=Tip.objects.get(id=tip.id).deployment_id)
    source = draft.citations.get().source
    assert source.document_id == photo.id
    # Still private: the source is named by the neutral label, the file not published.
    photo.refresh_from_db()
    assert not photo.is_public and "signalement" not in source.title.lower()


@pytest.mark.django_db
def test_a_file_of_another_tip_cannot_be_cited_through_this_one(client, reviewer):
    other = _tip(client, files=[("photo.jpg", samples.jpeg_with_gps_and_xmp(), "image/jpeg")])
    foreign = other.documents.get()
    send(TwoFactorClient(), text="Un drone au-dessus du stade.")
    tip = Tip.objects.exclude(id=other.id).get()
    _as(reviewer).post(
        reverse("tip-deployment", args=[tip.id]), {"cite": [foreign.id], "commune": "42218"}
    )
    draft = Deployment.objects.get(id=Tip.objects.get(id=tip.id).deployment_id)
    assert not draft.citations.exists()


@pytest.mark.django_db
def test_a_second_click_or_a_second_reviewer_makes_no_second_draft(client, reviewer):
    tip = _tip(client)
    url = reverse("tip-deployment", args=[tip.id])
    staff = _as(reviewer)
    staff.post(url, {})
    response = staff.post(url, {}, follow=True)
    assert Deployment.objects.filter(is_published=False, title__contains="Nouvelles").count() == 1
    assert 'class="error"' in response.content.decode()


@pytest.mark.django_db
def test_a_contributor_posting_to_the_address_makes_nothing(client, contributor_client):
    tip = _tip(client)
    before = Deployment.objects.count()
    for visitor in (client, contributor_client):
        assert visitor.post(reverse("tip-deployment", args=[tip.id]), {}).status_code == 404
    assert Deployment.objects.count() == before
    tip.refresh_from_db()
    assert tip.deployment_id is None


@pytest.mark.django_db
def test_an_unknown_technology_is_refused_and_nothing_is_made(client, reviewer):
    tip = _tip(client)
    before = Deployment.objects.count()
    response = _as(reviewer).post(
        reverse("tip-deployment", args=[tip.id]), {"technology": "laser-orbital"}, follow=True
    )
    assert Deployment.objects.count() == before
    assert "laser-orbital" in response.content.decode()
    tip.refresh_from_db()
    assert tip.deployment_id is None and tip.status == "new"


@pytest.mark.django_db
def test_a_tip_naming_no_commune_is_placed_by_the_reviewer_or_not_drafted(client, reviewer):
    send(client, text="Un drone au-dessus du stade.")
    tip = Tip.objects.get()
    staff = _as(reviewer)
    assert 'name="commune"' in staff.get(reverse("tip-queue")).content.decode()
    response = staff.post(reverse("tip-deployment", args=[tip.id]), {}, follow=True)
    tip.refresh_from_db()
    assert tip.deployment_id is None and 'class="error"' in response.content.decode()
    staff.post(reverse("tip-deployment", args=[tip.id]), {"commune": "Saint-Étienne (42218)"})
    tip.refresh_from_db()
    assert [c.code for c in tip.deployment.communes.all()] == ["42218"]
