"""Trust earned by use: a contributor not yet trusted changes nothing public until a
reviewer accepts, whatever they post and wherever they post it."""

import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from contrechamp.accounts.trust import is_trusted
from contrechamp.registry.models import CameraCount, Deployment, Organisation, Proposal, Revision
from contrechamp.registry.proposals import proposal_accept
from contrechamp.registry.services import deployment_create, deployment_update
from tests.factories import deployment_data
from tests.registry.html_form import form_fields, set_field
from tests.registry.test_pages import _form_post

TITLE = "Caméras parlantes de Forcalquier"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client, user):
    """Log in through the password backend, whatever backend comes first in the
    settings (a lockout backend that never returns a user may)."""
    client.force_login(user, backend=MODEL_BACKEND)


SOFT = "soft-capteurs-sonores-a-tarentaize-beaubrun-couriot"


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _visible_to_visitors(title: str, slug: str) -> dict[str, bool]:
    """Where an anonymous visitor finds the deployment: every public way in."""
    visitor = Client()
    api_list = visitor.get("/api/v1/deployments?limit=200").json()
    map_communes = json.dumps(visitor.get(reverse("map-communes")).json(), ensure_ascii=False)
    return {
        "list": title in _text(visitor.get("/dispositifs/?q=parlantes")),
        "detail": visitor.get(f"/dispositifs/{slug}/").status_code == 200,
        "map": title in _text(visitor.get("/exports/dispositifs.geojson")),
        "map_communes": title in map_communes,
        "csv": title in _text(visitor.get("/exports/dispositifs.csv")),
        "api_list": any(d["slug"] == slug for d in api_list["results"]),
        "api_detail": visitor.get(f"/api/v1/deployments/{slug}").status_code == 200,
        "search": title in visitor.get("/recherche/?q=parlantes").content.decode(),
        "commune": title in visitor.get("/communes/04088/").content.decode(),
    }


def _create_as(client, user, **overrides):
    login(client, user)
    data = _form_post(**{"title": TITLE, **overrides})
    response = client.post(reverse("deployment-create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Deployment.objects.get(title=data["title"])


@pytest.mark.usefixtures("english")
def test_a_brand_new_accounts_first_deployment_is_invisible_until_a_reviewer_accepts_it(
    client, newcomer, reviewer
):
    deployment = _create_as(client, newcomer)
    assert not deployment.is_published
    assert not any(_visible_to_visitors(TITLE, deployment.slug).values())
    # Its author reads it and sees that it waits.
    page = client.get(deployment.get_absolute_url())
    assert page.status_code == 200
    proposal = Proposal.objects.get(target="deployment", object_id=deployment.id)
    assert (proposal.action, proposal.state, proposal.author) == ("publish", "pending", newcomer)

    login(client, reviewer)
    # The version the queue showed goes with the button (without it, nothing is
    # published: tests/registry/test_proposals.py, the draft read again).
    response = client.post(
        reverse("moderation-accept", args=[proposal.id]), {"version": deployment.version}
    )
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.is_published
    assert all(_visible_to_visitors(TITLE, deployment.slug).values())
    # Credited to its author, and said to be accepted by review.
    last = Revision.objects.filter(kind="deployment", object_id=deployment.id).first()
    assert last.author == newcomer and "review" in last.comment
    newcomer.profile.refresh_from_db()
    assert newcomer.profile.accepted_changes == 1


def test_a_newcomer_posting_to_the_publish_or_edit_address_by_hand_publishes_nothing(
    client, newcomer
):
    deployment = _create_as(client, newcomer)
    publish = reverse("deployment-publish", args=[deployment.slug])
    for _ in range(2):
        assert client.post(publish).status_code == 302
    edit = reverse("deployment-edit", args=[deployment.slug])
    fields = form_fields(client.get(edit).content.decode())
    fields["is_published"] = ["on"]
    set_field(fields, "description", "Publié de force ?")
    assert client.post(edit, fields).status_code == 302
    deployment.refresh_from_db()
    assert not deployment.is_published and deployment.description == "Publié de force ?"
    # One request for publication, however many times it is asked.
    assert Proposal.objects.filter(object_id=deployment.id, state="pending").count() == 1
    assert not any(_visible_to_visitors(TITLE, deployment.slug).values())


def test_a_newcomer_cannot_publish_through_the_services_data_either(client, newcomer):
    deployment = _create_as(client, newcomer, is_published="on")
    assert not deployment.is_published


@pytest.mark.usefixtures("english")
def test_an_untrusted_edit_of_a_published_deployment_changes_nothing_until_accepted(
    client, newcomer, reviewer
):
    deployment = Deployment.objects.get(slug=SOFT)
    before = (deployment.version, deployment.title, deployment.description)
    login(client, newcomer)
    edit = reverse("deployment-edit", args=[SOFT])
    fields = form_fields(client.get(edit).content.decode())
    set_field(fields, "title", "Capteurs sonores (abandonnés)")
    set_field(fields, "comment", "Le projet a été abandonné.")
    response = client.post(edit, fields, follow=True)
    assert response.status_code == 200
    assert "attend" in response.content.decode() or "waits" in response.content.decode()
    deployment.refresh_from_db()
    assert (deployment.version, deployment.title, deployment.description) == before
    visitor = Client()
    assert "abandonnés" not in visitor.get(f"/dispositifs/{SOFT}/").content.decode()
    assert visitor.get(f"/api/v1/deployments/{SOFT}").json()["title"] == before[1]
    assert "abandonnés" not in _text(visitor.get("/exports/dispositifs.csv"))
    # The author sees their change waiting, and may withdraw it.
    mine = client.get(reverse("moderation-mine")).content.decode()
    assert "Capteurs sonores (abandonnés)" in mine

    proposal = Proposal.objects.get(target="deployment", object_id=deployment.id, action="update")
    login(client, reviewer)
    client.post(reverse("moderation-accept", args=[proposal.id]))
    deployment.refresh_from_db()
    assert deployment.title == "Capteurs sonores (abandonnés)"
    assert deployment.version == before[0] + 1
    revision = Revision.objects.get(
        kind="deployment", object_id=deployment.id, version=before[0] + 1
    )
    assert revision.author == newcomer
    assert "Le projet a été abandonné." in revision.comment and "review" in revision.comment


def test_accepting_an_edit_made_on_an_older_version_never_overwrites_the_newer_one(
    client, newcomer, contributor, reviewer
):
    deployment = Deployment.objects.get(slug=SOFT)
    login(client, newcomer)
    edit = reverse("deployment-edit", args=[SOFT])
    fields = form_fields(client.get(edit).content.decode())
    set_field(fields, "title", "Titre proposé")
    client.post(edit, fields)
    proposal = Proposal.objects.get(object_id=deployment.id, action="update")
    # Meanwhile a trusted contributor changes the same deployment.
    from contrechamp.registry.services import deployment_snapshot

    data = deployment_snapshot(deployment)
    data["description"] = "Description plus récente."
    deployment_update(
        deployment=deployment, data=data, base_version=deployment.version, author=contributor
    )
    deployment.refresh_from_db()
    newer = deployment.version

    login(client, reviewer)
    response = client.post(reverse("moderation-accept", args=[proposal.id]))
    # Nothing was written: the reviewer is sent to the merge.
    assert response.status_code == 302 and f"proposal={proposal.id}" in response["Location"]
    deployment.refresh_from_db()
    assert deployment.version == newer and deployment.title != "Titre proposé"
    proposal.refresh_from_db()
    assert proposal.state == "pending"
    merge = client.get(response["Location"])
    html = merge.content.decode()
    assert merge.status_code == 200
    fields = form_fields(html)
    # The form holds the newer version with the proposal's change re-applied.
    assert fields["title"] == ["Titre proposé"]
    assert fields["description"] == ["Description plus récente."]
    assert fields["version"] == [str(newer)]
    assert client.post(response["Location"].split("?")[0], fields).status_code == 302
    deployment.refresh_from_db()
    assert deployment.title == "Titre proposé"
    assert deployment.description == "Description plus récente."
    proposal.refresh_from_db()
    assert proposal.state == "accepted" and proposal.reviewer == reviewer


def test_the_service_refuses_a_stale_accept(newcomer, contributor, reviewer):
    from contrechamp.registry.proposals import deployment_propose
    from contrechamp.registry.services import StaleEdit, deployment_snapshot

    deployment = Deployment.objects.get(slug=SOFT)
    data = deployment_snapshot(deployment)
    proposal = deployment_propose(
        deployment=deployment,
        data={**data, "title": "Proposé"},
        base_version=deployment.version,
        author=newcomer,
    )
    deployment_update(
        deployment=deployment,
        data={**data, "title": "Plus récent"},
        base_version=deployment.version,
        author=contributor,
    )
    with pytest.raises(StaleEdit) as stale:
        proposal_accept(proposal=proposal, reviewer=reviewer)
    assert stale.value.conflicts == ["title"]
    deployment.refresh_from_db()
    assert deployment.title == "Plus récent"


def test_after_the_threshold_of_accepted_changes_a_person_publishes_directly(
    client, newcomer, reviewer, settings
):
    settings.TRUST_THRESHOLD = 2
    for n in range(2):
        draft = deployment_create(
            data=deployment_data(title=f"Brouillon {n}", is_published=False), author=newcomer
        )
        login(client, newcomer)
        client.post(reverse("deployment-publish", args=[draft.slug]))
        login(client, reviewer)
        proposal = Proposal.objects.get(object_id=draft.id, state="pending")
        client.post(reverse("moderation-accept", args=[proposal.id]), {"version": draft.version})
    newcomer.refresh_from_db()
    assert is_trusted(newcomer)
    deployment = _create_as(client, newcomer)
    assert deployment.is_published
    assert Client().get(deployment.get_absolute_url()).status_code == 200


def test_a_withdrawn_trust_sends_the_person_to_the_queue_again(client, contributor, reviewer):
    login(client, reviewer)
    response = client.post(
        reverse("moderation-person", args=[contributor.id]), {"trust": "untrusted"}
    )
    assert response.status_code == 302
    contributor.refresh_from_db()
    assert not is_trusted(contributor)
    deployment = _create_as(client, contributor)
    assert not deployment.is_published
    assert Proposal.objects.filter(object_id=deployment.id, state="pending").exists()


def test_a_contributor_cannot_reach_the_queue_nor_accept_by_post(client, newcomer, contributor):
    draft = _create_as(client, newcomer)
    proposal = Proposal.objects.get(object_id=draft.id)
    for who in (newcomer, contributor):
        login(client, who)
        assert client.get(reverse("moderation-queue")).status_code == 403
        assert client.post(reverse("moderation-accept", args=[proposal.id])).status_code == 403
        assert (
            client.post(reverse("moderation-reject", args=[proposal.id]), {"reason": "non"})
        ).status_code == 403
        assert (
            client.post(
                reverse("moderation-bulk"), {"ids": [proposal.id], "action": "accept"}
            ).status_code
            == 403
        )
        edit = reverse("deployment-edit", args=[draft.slug]) + f"?proposal={proposal.id}"
        assert client.get(edit).status_code in (403, 404)
    assert Client().get(reverse("moderation-queue")).status_code == 302  # to the log-in page
    draft.refresh_from_db()
    proposal.refresh_from_db()
    assert not draft.is_published and proposal.state == "pending"


def test_a_reviewer_cannot_accept_their_own_proposal(newcomer, reviewer):
    from django.core.exceptions import PermissionDenied

    from contrechamp.registry.proposals import deployment_submit

    draft = deployment_create(data=deployment_data(is_published=False), author=reviewer)
    proposal = deployment_submit(deployment=draft, author=reviewer)
    with pytest.raises(PermissionDenied):
        proposal_accept(proposal=proposal, reviewer=reviewer)


def test_a_rejection_needs_a_reason_which_the_author_reads_and_receives(
    client, newcomer, reviewer, django_capture_on_commit_callbacks
):
    draft = _create_as(client, newcomer)
    proposal = Proposal.objects.get(object_id=draft.id)
    login(client, reviewer)
    client.post(reverse("moderation-reject", args=[proposal.id]), {"reason": "  "})
    proposal.refresh_from_db()
    assert proposal.state == "pending"
    reason = "La source ne parle pas de Forcalquier."
    with django_capture_on_commit_callbacks(execute=True):
        with_mail = client.post(
            reverse("moderation-reject", args=[proposal.id]), {"reason": reason}
        )
    assert with_mail.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "rejected" and proposal.reason == reason
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["noa@example.org"]
    assert reason in mail.outbox[0].body
    # The change is named by its title, not "deployment #21" (a new user's walk).
    assert draft.title in mail.outbox[0].body and f"#{draft.id}" not in mail.outbox[0].body
    draft.refresh_from_db()
    assert not draft.is_published
    login(client, newcomer)
    assert reason in client.get(reverse("moderation-mine")).content.decode()


def test_a_person_withdraws_their_pending_proposal_and_nobody_elses(
    client, newcomer, other_contributor
):
    draft = _create_as(client, newcomer)
    proposal = Proposal.objects.get(object_id=draft.id)
    login(client, other_contributor)
    assert client.post(reverse("moderation-withdraw", args=[proposal.id])).status_code == 404
    login(client, newcomer)
    client.post(reverse("moderation-withdraw", args=[proposal.id]))
    proposal.refresh_from_db()
    assert proposal.state == "withdrawn"


def _count_post(**overrides):
    data = {
        "commune": "Forcalquier",
        "count": "45",
        "date": "2024",
        "perimeter": "voie publique",
        "citations-TOTAL_FORMS": "2",
        "citations-INITIAL_FORMS": "0",
        "citations-0-source_title": "Bulletin municipal",
        "citations-0-url": "https://example.org/bulletin-cameras",
        "citations-0-quote": "45 caméras",
    }
    data.update(overrides)
    return data


def test_a_pending_camera_count_is_in_no_figure_page_api_or_export(client, newcomer, reviewer):
    login(client, newcomer)
    response = client.post(reverse("camera-count-create"), _count_post())
    assert response.status_code == 302
    count = CameraCount.all_objects.get(commune__code="04088", count=45)
    assert count.state == "pending"
    visitor = Client()
    api = visitor.get("/api/v1/camera-counts?commune=04088").json()
    assert all(c["count"] != 45 for c in api["results"])
    commune = visitor.get("/communes/04088/").content.decode()
    assert "45 caméras" not in commune and "voie publique" not in commune
    assert not CameraCount.objects.filter(id=count.id).exists()

    proposal = Proposal.objects.get(target="camera_count", object_id=count.id)
    login(client, reviewer)
    client.post(reverse("moderation-accept", args=[proposal.id]))
    count.refresh_from_db()
    assert count.state == "accepted"
    api = visitor.get("/api/v1/camera-counts?commune=04088").json()
    assert any(c["count"] == 45 for c in api["results"])


def test_a_newcomers_organisation_stays_hidden_until_accepted(client, newcomer, reviewer):
    login(client, newcomer)
    response = client.post(
        reverse("organisation-create"),
        {"name": "Vigie Sonore SAS", "kind": "vendor", "country": "FR", "description": "x"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("moderation-mine")
    org = Organisation.objects.get(name="Vigie Sonore SAS")
    assert not org.is_public
    visitor = Client()
    assert visitor.get(org.get_absolute_url()).status_code == 404
    assert "Vigie Sonore" not in visitor.get("/api/v1/organisations?limit=500").content.decode()
    proposal = Proposal.objects.get(target="organisation", object_id=org.id)
    login(client, reviewer)
    client.post(reverse("moderation-accept", args=[proposal.id]))
    org.refresh_from_db()
    assert org.is_public
    assert visitor.get(org.get_absolute_url()).status_code == 200


def test_an_untrusted_edit_of_an_organisation_waits(client, newcomer, reviewer):
    org = Organisation.objects.get(slug="thales")
    login(client, newcomer)
    edit = reverse("organisation-edit", args=["thales"])
    response = client.post(
        edit,
        {
            "name": "Thales",
            "kind": org.kind,
            "country": "FR",
            "description": "Vandalisé",
            "version": str(org.version),
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.description != "Vandalisé"
    proposal = Proposal.objects.get(target="organisation", object_id=org.id, state="pending")
    login(client, reviewer)
    client.post(reverse("moderation-reject", args=[proposal.id]), {"reason": "Vandalisme."})
    org.refresh_from_db()
    assert org.description != "Vandalisé"


def test_bulk_accept_goes_on_past_a_stale_item_and_reports_it(
    client, newcomer, contributor, reviewer
):
    from contrechamp.registry.proposals import deployment_propose, deployment_submit
    from contrechamp.registry.services import deployment_snapshot

    drafts = [
        deployment_create(
            data=deployment_data(title=f"Lot {n}", is_published=False), author=newcomer
        )
        for n in range(2)
    ]
    ok = [deployment_submit(deployment=d, author=newcomer) for d in drafts]
    deployment = Deployment.objects.get(slug=SOFT)
    data = deployment_snapshot(deployment)
    stale = deployment_propose(
        deployment=deployment,
        data={**data, "title": "Proposé"},
        base_version=deployment.version,
        author=newcomer,
    )
    deployment_update(
        deployment=deployment,
        data={**data, "title": "Plus récent"},
        base_version=deployment.version,
        author=contributor,
    )
    login(client, reviewer)
    response = client.post(
        reverse("moderation-bulk"),
        {
            "ids": [f"{ok[0].id}:{drafts[0].version}", stale.id, f"{ok[1].id}:{drafts[1].version}"],
            "action": "accept",
        },
        follow=True,
    )
    html = response.content.decode()
    for p in ok:
        p.refresh_from_db()
        assert p.state == "accepted"
    stale.refresh_from_db()
    assert stale.state == "pending"
    assert "Proposé" in html  # named in the report
    deployment.refresh_from_db()
    assert deployment.title == "Plus récent"


def test_bulk_reject_needs_one_reason_for_all(
    client, newcomer, reviewer, django_capture_on_commit_callbacks
):
    from contrechamp.registry.proposals import deployment_submit

    drafts = [
        deployment_create(
            data=deployment_data(title=f"Rejet {n}", is_published=False), author=newcomer
        )
        for n in range(2)
    ]
    proposals = [deployment_submit(deployment=d, author=newcomer) for d in drafts]
    login(client, reviewer)
    ids = [p.id for p in proposals]
    client.post(reverse("moderation-bulk"), {"ids": ids, "action": "reject", "reason": ""})
    assert Proposal.objects.filter(id__in=ids, state="pending").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("moderation-bulk"), {"ids": ids, "action": "reject", "reason": "Doublons."}
        )
    assert Proposal.objects.filter(id__in=ids, state="rejected", reason="Doublons.").count() == 2
    assert len(mail.outbox) == 2


def test_an_organisation_edit_on_an_older_version_opens_the_merge_for_the_reviewer(
    client, newcomer, contributor, reviewer
):
    from contrechamp.registry.proposals import organisation_propose
    from contrechamp.registry.services import organisation_snapshot, organisation_update

    org = Organisation.objects.get(slug="thales")
    data = organisation_snapshot(org)
    proposal = organisation_propose(
        organisation=org,
        data={**data, "siren": "552059024"},
        base_version=org.version,
        author=newcomer,
    )
    organisation_update(
        organisation=org,
        data={**data, "description": "Groupe de défense et de sécurité."},
        base_version=org.version,
        author=contributor,
    )
    org.refresh_from_db()
    newer = org.version
    login(client, reviewer)
    response = client.post(reverse("moderation-accept", args=[proposal.id]))
    assert f"/organisations/thales/modifier/?proposal={proposal.id}" == response["Location"]
    org.refresh_from_db()
    assert org.version == newer and org.siren != "552059024"
    fields = form_fields(client.get(response["Location"]).content.decode())
    assert fields["siren"] == ["552059024"]
    assert fields["description"] == ["Groupe de défense et de sécurité."]
    assert client.post("/organisations/thales/modifier/", fields).status_code == 302
    org.refresh_from_db()
    assert org.siren == "552059024" and org.description == "Groupe de défense et de sécurité."
    proposal.refresh_from_db()
    assert proposal.state == "accepted"
    revision = Revision.objects.get(kind="organisation", object_id=org.id, version=org.version)
    assert revision.author == newcomer


def test_each_decision_is_in_the_audit_log_with_the_reviewer_as_actor(client, newcomer, reviewer):
    from contrechamp.audit.models import AuditEntry

    first, second = (_create_as(client, newcomer, title=t) for t in ("Premier", "Second"))
    accepted, rejected = (Proposal.objects.get(object_id=d.id) for d in (first, second))
    login(client, reviewer)
    client.post(reverse("moderation-accept", args=[accepted.id]), {"version": first.version})
    client.post(reverse("moderation-reject", args=[rejected.id]), {"reason": "Doublon."})
    entries = {
        e.action: e
        for e in AuditEntry.objects.filter(
            action__in=["proposal_accepted", "proposal_rejected"], target_model="proposal"
        )
    }
    assert entries["proposal_accepted"].target_id == str(accepted.id)
    assert entries["proposal_accepted"].actor_id == reviewer.id
    assert entries["proposal_accepted"].details["author_id"] == newcomer.id
    assert entries["proposal_rejected"].target_id == str(rejected.id)
    assert "Doublon." not in str(entries["proposal_rejected"].details)


def test_a_draft_changed_after_the_reviewer_loaded_the_queue_is_not_published_unseen(
    client, newcomer, reviewer
):
    import re

    deployment = _create_as(client, newcomer)
    proposal = Proposal.objects.get(object_id=deployment.id)
    login(client, reviewer)
    queue = client.get(reverse("moderation-queue")).content.decode()
    form = queue[queue.index(reverse("moderation-accept", args=[proposal.id])) :]
    shown = re.search(r'name="version" value="(\d+)"', form).group(1)
    assert shown == str(deployment.version)
    # The author swaps the content while the reviewer reads.
    login(client, newcomer)
    edit = reverse("deployment-edit", args=[deployment.slug])
    fields = form_fields(client.get(edit).content.decode())
    set_field(fields, "description", "Contenu substitué après relecture.")
    assert client.post(edit, fields).status_code == 302
    login(client, reviewer)
    response = client.post(reverse("moderation-accept", args=[proposal.id]), {"version": shown})
    assert f"proposal={proposal.id}" in response["Location"]
    deployment.refresh_from_db()
    proposal.refresh_from_db()
    assert not deployment.is_published and proposal.state == "pending"


def test_a_newcomer_cannot_restore_an_old_version_of_a_published_deployment(client, newcomer):
    deployment = Deployment.objects.get(slug=SOFT)
    version = deployment.version
    login(client, newcomer)
    response = client.post(reverse("deployment-revert", args=[SOFT, 1]))
    assert response.status_code == 403
    deployment.refresh_from_db()
    assert deployment.version == version


def test_a_newcomers_deployment_without_source_is_refused_as_a_published_one_would_be(
    client, newcomer
):
    login(client, newcomer)
    response = client.post(
        reverse("deployment-create"),
        _form_post(
            title=TITLE,
            **{"citations-0-source_title": "", "citations-0-url": "", "citations-0-quote": ""},
        ),
    )
    assert response.status_code == 400
    assert not Deployment.objects.filter(title=TITLE).exists()
    assert not Proposal.objects.filter(author=newcomer).exists()


def test_a_publish_request_accepted_without_the_version_its_page_showed_publishes_nothing(
    client, newcomer, reviewer
):
    """A draft is published as it is: a queue's form without the version (removed, or
    from a page of before) would publish what its author changed since, unread. Refused,
    one by one and in bulk, as the draft's own page refuses it."""
    draft = _create_as(client, newcomer, title="Sans version")
    proposal = Proposal.objects.get(object_id=draft.id)
    login(client, reviewer)
    page = client.post(reverse("moderation-accept", args=[proposal.id]), follow=True)
    assert "lisez-le tel qu" in page.content.decode()
    client.post(reverse("moderation-bulk"), {"ids": [str(proposal.id)], "action": "accept"})
    draft.refresh_from_db()
    proposal.refresh_from_db()
    assert not draft.is_published and proposal.state == "pending"


def test_the_author_reads_the_refusal_and_its_reason_on_the_draft_and_finds_their_proposals(
    client, newcomer, reviewer, other_contributor
):
    """A walk: after a refusal the draft showed only "Submit for review", its reason was in
    an e-mail and on a page linked from nowhere but the reviewers' queue."""
    from contrechamp.registry.proposals import proposal_reject

    draft = _create_as(client, newcomer)
    proposal = Proposal.objects.get(object_id=draft.id)
    reason = "La délibération citée ne parle pas de caméras."
    proposal_reject(proposal=proposal, reviewer=reviewer, reason=reason)
    login(client, newcomer)
    page = client.get(draft.get_absolute_url()).content.decode()
    notice = page.split('id="my-refusal"', 1)[1].split("</div>", 1)[0]
    assert "n’a pas accepté votre proposition" in notice and reason in notice
    assert reverse("moderation-mine") in page.split("</header>", 1)[0]
    # Submitted again, the notice gives way to the waiting one.
    client.post(reverse("deployment-publish", args=[draft.slug]))
    assert 'id="my-refusal"' not in client.get(draft.get_absolute_url()).content.decode()
    # Nobody else reads it (the reviewer sees the draft, not the author's notice).
    login(client, reviewer)
    assert 'id="my-refusal"' not in client.get(draft.get_absolute_url()).content.decode()


def test_the_author_is_told_when_their_proposal_is_accepted(
    client, newcomer, reviewer, django_capture_on_commit_callbacks
):
    """Only a refusal was mailed (a walk): the author of an accepted draft learnt it by
    chance."""
    draft = _create_as(client, newcomer)
    proposal = Proposal.objects.get(object_id=draft.id)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal_accept(proposal=proposal, reviewer=reviewer)
    (message,) = mail.outbox
    assert message.to == ["noa@example.org"]
    assert message.subject == "Votre proposition de modification a été acceptée"
    assert draft.title in message.body
    assert draft.get_absolute_url() in message.body


def test_the_author_is_told_when_a_reviewer_changed_their_proposal_before_accepting_it(
    client, newcomer, reviewer, django_capture_on_commit_callbacks
):
    """A reviewer's "edit then accept" was mailed "Un relecteur a accepté votre
    proposition" and listed "accepté": the author never learnt that the published text
    was not hers (a new user's walk)."""
    from contrechamp.registry.services import deployment_snapshot

    draft = _create_as(client, newcomer)
    proposal = Proposal.objects.get(object_id=draft.id)
    mail.outbox.clear()
    data = {**deployment_snapshot(draft), "description": "Texte revu par la relecture."}
    with django_capture_on_commit_callbacks(execute=True):
        proposal_accept(proposal=proposal, reviewer=reviewer, data=data, base_version=draft.version)
    (message,) = mail.outbox
    assert (
        message.subject == "Votre proposition de modification a été acceptée avec des changements"
    )
    assert reverse("deployment-history", args=[draft.slug]) in message.body
    login(client, newcomer)
    mine = client.get(reverse("moderation-mine")).content.decode()
    row = mine.split(f'id="p-{proposal.id}"', 1)[1].split("</tr>", 1)[0]
    assert "acceptée avec des changements" in row
    assert reverse("deployment-history", args=[draft.slug]) in row


def test_a_refused_draft_saved_again_goes_back_to_the_reviewers(client, newcomer, reviewer):
    """A draft's first save sends it to the reviewers; a save after a refusal did not:
    the corrected draft stayed where nobody was asked to read it (a new user's walk)."""
    from contrechamp.registry.proposals import proposal_reject

    draft = _create_as(client, newcomer)
    proposal = Proposal.objects.get(object_id=draft.id)
    proposal_reject(proposal=proposal, reviewer=reviewer, reason="Source manquante.")
    login(client, newcomer)
    edit = reverse("deployment-edit", args=[draft.slug])
    fields = form_fields(client.get(edit).content.decode())
    set_field(fields, "description", "Description corrigée avec la délibération.")
    response = client.post(edit, fields, follow=True)
    assert "renvoyé aux relecteurs" in response.content.decode()
    waiting = Proposal.objects.filter(object_id=draft.id, action="publish", state="pending")
    assert waiting.count() == 1
    # Saved again while it waits: still one proposal.
    client.post(edit, form_fields(client.get(edit).content.decode()))
    assert waiting.count() == 1
