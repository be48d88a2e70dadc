"""The review queue of the watch, attacked: who may see and decide, a candidate decided
twice, a crafted deployment or id, a form with its reason removed."""

import pytest
from django.urls import reverse

from contrechamp.registry.models import Deployment
from contrechamp.registry.services import deployment_create
from contrechamp.watch.models import WatchRecord
from contrechamp.watch.services import DECP_DATASET_URL, import_decp
from tests.factories import deployment_data
from tests.watch.test_decp import SELECTION

pytestmark = pytest.mark.django_db


@pytest.fixture
def fos():
    import_decp([SELECTION])
    return WatchRecord.objects.get(record_id="2018xLhnXotcvc00")


@pytest.fixture
def reviewing(client, reviewer):
    client.force_login(reviewer)
    return client


def test_only_reviewers_see_the_queue_and_decide(client, contributor, fos):
    queue = reverse("watch-queue")
    assert client.get(queue).status_code in (302, 403)
    client.force_login(contributor)
    assert client.get(queue).status_code == 403
    for name in ("watch-accept", "watch-attach"):
        assert client.post(reverse(name, args=[fos.id])).status_code == 403
    response = client.post(reverse("watch-decide"), {"ids": [fos.id], "action": "duplicate"})
    assert response.status_code == 403
    fos.refresh_from_db()
    assert fos.status == "new" and not Deployment.objects.filter(title__contains="Fos").exists()


def test_the_queue_shows_reasons_place_and_buyer(reviewing, fos):
    page = reviewing.get(reverse("watch-queue")).content.decode()
    assert "Mairie de Fos sur Mer" in page and "Fos-sur-Mer" in page
    assert "CPV 32323500" in page and "131" in page
    assert "vidéosurveillance (+60)" in page  # the reasons in the reader's language


def test_the_cpv_label_follows_the_readers_language(reviewing, fos):
    """A walk read "Caméras de sécurité" on the English queue: the reason stores the
    French label, the English page names the code in English."""
    english = reviewing.get(reverse("watch-queue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "CPV 32323500 Video-surveillance system (+45)" in english
    assert "Système de surveillance vidéo" not in english
    french = reviewing.get(reverse("watch-queue"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "32323500 Système de surveillance vidéo (+45)" in french


def test_accepting_makes_one_draft_even_when_posted_twice(reviewing, fos):
    before = Deployment.objects.count()
    first = reviewing.post(reverse("watch-accept", args=[fos.id]))
    assert first.status_code == 302 and "/modifier/" in first["Location"]
    second = reviewing.post(reverse("watch-accept", args=[fos.id]), follow=True)
    assert "decided already" in second.content.decode() or "déjà" in second.content.decode()
    assert Deployment.objects.count() == before + 1
    fos.refresh_from_db()
    deployment = fos.deployment
    assert fos.status == "accepted" and not deployment.is_published
    assert list(deployment.communes.values_list("code", flat=True)) == ["13039"]
    assert "videosurveillance" in deployment.technologies.values_list("slug", flat=True)
    citation = deployment.citations.get()
    assert citation.source.url.startswith(DECP_DATASET_URL + "#")
    assert "2018xLhnXotcvc00" in citation.locator and "2018xLhnXotcvc00" in citation.source.title


def test_attaching_cites_the_record_and_a_crafted_deployment_changes_nothing(
    reviewing, fos, reviewer
):
    data = deployment_data(communes=["13039"], technologies=["videosurveillance"], title="Fos")
    existing = deployment_create(data=data, author=reviewer)
    page = reviewing.get(reverse("watch-queue")).content.decode()
    assert f'value="{existing.id}"' in page  # offered as a near-duplicate
    bad = reviewing.post(reverse("watch-attach", args=[fos.id]), {"deployment": "99999"})
    assert bad.status_code == 302
    fos.refresh_from_db()
    assert fos.status == "new"
    reviewing.post(reverse("watch-attach", args=[fos.id]), {"deployment": existing.id})
    fos.refresh_from_db()
    assert fos.status == "attached" and fos.deployment_id == existing.id
    assert existing.citations.filter(source__url__startswith=DECP_DATASET_URL).count() == 1


def test_two_accepted_records_cite_two_sources_each_with_its_own_title(reviewing):
    import_decp([SELECTION])
    first, second = WatchRecord.objects.filter(buyer_name="VILLE DE VITROLLES")[:2]
    reviewing.post(reverse("watch-accept", args=[first.id]))
    reviewing.post(reverse("watch-accept", args=[second.id]))
    first.refresh_from_db()
    second.refresh_from_db()
    titles = [r.deployment.citations.get().source.title for r in (first, second)]
    assert first.record_id in titles[0] and second.record_id in titles[1]


def test_the_lots_of_one_contract_are_one_card_and_decided_together(reviewing):
    import_decp([SELECTION])
    lots = WatchRecord.objects.filter(buyer_name="COMMUNE DE MAUBEUGE")
    assert lots.count() == 4 and len({lot.group for lot in lots}) == 1
    page = reviewing.get(reverse("watch-queue")).content.decode()
    cards = [lot for lot in lots if f'id="c-{lot.id}"' in page]
    assert len(cards) == 1  # one card, the other three named on it
    assert all(lot.record_id in page for lot in lots)
    # Contracts of other buyers are not grouped with them.
    assert WatchRecord.objects.filter(group=lots[0].group).count() == 4
    reviewing.post(reverse("watch-accept", args=[cards[0].id]))
    assert set(lots.values_list("status", flat=True)) == {"accepted"}
    lots = lots.all()  # read again
    deployment = lots.first().deployment
    assert deployment.citations.count() == 4
    assert {lot.deployment_id for lot in lots} == {deployment.id}


def test_a_rejection_needs_its_reason_and_keeps_it(reviewing, fos):
    url = reverse("watch-decide")
    reviewing.post(url, {"ids": [fos.id], "action": "reject"})  # the reason removed
    fos.refresh_from_db()
    assert fos.status == "new"
    reviewing.post(url, {"ids": [fos.id], "action": "reject", "reason": "déjà connu"})
    fos.refresh_from_db()
    assert (fos.status, fos.reason) == ("rejected", "déjà connu") and fos.decided_by_id


def test_bulk_marks_several_and_a_crafted_id_is_refused(reviewing, fos):
    others = list(WatchRecord.objects.filter(status="new").exclude(id=fos.id)[:3])
    url = reverse("watch-decide")
    for crafted in ("1 OR 1=1", "²", "9" * 30):
        assert reviewing.post(url, {"ids": [crafted], "action": "duplicate"}).status_code == 403
    attach = reverse("watch-attach", args=[fos.id])
    assert reviewing.post(attach, {"deployment": "²"}).status_code == 302
    reviewing.post(url, {"ids": [o.id for o in others], "action": "duplicate"})
    assert (
        WatchRecord.objects.filter(id__in=[o.id for o in others], status="duplicate").count() == 3
    )
    assert reviewing.post(url, {"ids": [fos.id], "action": "publish"}).status_code == 302
    fos.refresh_from_db()
    assert fos.status == "new"


def test_a_known_vendor_is_recognised_by_its_siren_and_a_new_one_is_proposed_with_it(
    reviewing, fos
):
    from contrechamp.registry.models import Organisation

    snef = Organisation.objects.get(name="SNEF")
    snef.siren = "056800659"
    snef.save()
    # A funder holds a SIREN already: a holder with the same one does not take it again.
    Organisation.objects.filter(name="ANRU").update(siren="443061841")
    fos.holders = [
        {"siret": "05680065900155", "name": "S.N.E.F. SA"},  # SNEF, spelled otherwise
        {"siret": "73282932000074", "name": "Nouvelle Vidéo  SAS"},
        {"siret": "12345678900017", "name": "Siren Faux"},  # not a valid SIREN
        {"siret": "44306184100047", "name": "Homonyme de l'ANRU"},
        {"siret": "55210055400013", "name": ""},  # the 2022 format: a SIRET, no name
        {"siret": "05680065900163", "name": "SNEF"},  # another site of SNEF: once
    ]
    fos.save()
    page = reviewing.get(reverse("watch-queue")).content.decode()
    assert "S.N.E.F. SA" not in page  # shown under the registry's name
    assert 'SNEF <span class="meta">dans le registre · SIREN 056800659' in page
    assert 'Nouvelle Vidéo SAS <span class="meta">nouveau fournisseur' in page
    assert 'SIRET 55210055400013 <span class="meta">sans nom' in page

    before = set(Organisation.objects.values_list("id", flat=True))
    assert reviewing.post(reverse("watch-accept", args=[fos.id])).status_code == 302
    fos.refresh_from_db()
    vendors = {o.name: o for o in fos.deployment.vendors.all()}
    assert set(vendors) == {"SNEF", "Nouvelle Vidéo SAS", "Siren Faux", "Homonyme de l'ANRU"}
    assert vendors["SNEF"].id == snef.id
    new = Organisation.objects.exclude(id__in=before)
    assert set(new.values_list("name", "siren", "kind", "is_public")) == {
        ("Nouvelle Vidéo SAS", "732829320", "vendor", False),
        ("Siren Faux", "", "vendor", False),
        ("Homonyme de l'ANRU", "", "vendor", False),
    }
    # The next record of the new vendor is recognised by its SIREN.
    from contrechamp.watch.services import holder_vendors

    again = holder_vendors([{"siret": "73282932000082", "name": "NV SAS"}])
    assert [(v.name, v.known) for v in again] == [("Nouvelle Vidéo SAS", True)]


def test_an_empty_queue_says_where_candidates_come_from_and_commands_only_to_admins(
    client, reviewer, administrator
):
    """The empty queue told reviewers to run a command on the server (a new user's walk):
    it now says where candidates come from; the commands are for the administrator."""
    client.force_login(reviewer)
    html = client.get("/veille/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="watch-empty"' in html and "DECP" in html
    assert "contrechamp watch" not in html
    client.force_login(administrator)
    html = client.get("/veille/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "contrechamp watch fetch decp" in html
