"""Every service that changes data or rights leaves an entry, attributed to the person
acting (here as the middleware would set it for their request)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from contrechamp.audit.models import AuditEntry
from contrechamp.audit.recording import EXCLUDED, is_recorded
from tests.audit.conftest import acting_as
from tests.factories import deployment_data

TEXT = (
    "Délibération du conseil municipal. La ville de Saint-Étienne installe des capteurs "
    "sonores fournis par la société Serenicity pour 45 000 € HT."
)


def _document(user):
    from contrechamp.documents.services import document_ingest, document_process
    from tests.documents import samples

    document = document_ingest(
        data=samples.text_pdf([TEXT]), filename="deliberation.pdf", uploaded_by=user
    ).document
    document_process(document=document)
    document.refresh_from_db()
    return document


def deployment_create(user):
    from contrechamp.registry.services import deployment_create

    return deployment_create(data=deployment_data(), author=user), {"created"}


def _unpublished(user):
    from contrechamp.registry.services import deployment_create

    with acting_as(user):
        return deployment_create(data=deployment_data(is_published=False), author=user)


def deployment_update(user):
    from contrechamp.registry.models import Deployment
    from contrechamp.registry.services import deployment_snapshot, deployment_update

    deployment = Deployment.objects.order_by("id").first()
    data = {**deployment_snapshot(deployment), "description": "Mise à jour."}
    return deployment_update(
        deployment=deployment, data=data, base_version=deployment.version, author=user
    ), {"changed"}


def deployment_publish(user):
    from contrechamp.registry.services import deployment_publish

    deployment = _unpublished(user)
    return deployment_publish(deployment=deployment, author=user), {"changed"}


def deployment_revert(user):
    from contrechamp.registry.models import Deployment
    from contrechamp.registry.services import deployment_revert

    deployment = Deployment.objects.order_by("id").first()
    return deployment_revert(
        deployment=deployment, version=1, base_version=deployment.version, author=user
    ), {"changed"}


def organisation_create(user):
    from contrechamp.registry.services import organisation_create

    return organisation_create(
        data={"name": "Vigilance Urbaine SAS", "kind": "vendor"}, author=user
    ), {"created"}


def organisation_update(user):
    from contrechamp.registry.models import Organisation
    from contrechamp.registry.services import organisation_update

    org = Organisation.objects.get(name="Wintics")
    return organisation_update(
        organisation=org, data={"siren": "830787512"}, base_version=org.version, author=user
    ), {"changed"}


def camera_count_create(user):
    from contrechamp.registry.services import camera_count_create

    return camera_count_create(
        commune_code="42218",
        count="1 200",
        date="2021-06",
        citations=[{"source": {"title": "Rapport annuel"}, "quote": "1 200 caméras"}],
        author=user,
    ), {"created"}


def document_upload(user):
    from contrechamp.documents.services import document_ingest
    from tests.documents import samples

    return document_ingest(
        data=samples.text_pdf(["Une page."]), filename="a.pdf", uploaded_by=user
    ).document, {"created"}


def entity_accept(user):
    from contrechamp.documents.models import Entity
    from contrechamp.documents.services import entity_accept

    with acting_as(user):
        document = _document(user)
    entity = Entity.objects.filter(page__document=document, kind="commune").first()
    entity_accept(entity=entity, user=user)
    entity.refresh_from_db()
    return entity, {"changed"}


def redaction_publish(user):
    from contrechamp.redaction.services import document_publish, redactions_suggest

    with acting_as(user):
        document = _document(user)
        redactions_suggest(document=document)
    try:
        document_publish(document=document, user=user)
    except ValidationError:  # nothing to redact: published as it is, knowingly
        document_publish(document=document, user=user, no_redactions=True)
    document.refresh_from_db()
    assert document.is_public
    return document, {"changed"}


def _access_request(user):
    from contrechamp.access.services import body_for_commune, request_create
    from contrechamp.places.models import Commune

    return request_create(
        body=body_for_commune(Commune.objects.get(code="42218")),
        requester=user,
        title="Caméras du marché",
        documents_asked="La délibération",
    )


def request_create(user):
    return _access_request(user), {"created"}


def request_send(user):
    from contrechamp.access.services import request_send

    with acting_as(user):
        request = _access_request(user)
    return request_send(request=request, sent_on=dt.date(2024, 1, 15)), {"changed"}


def role_change(user):
    # What the admin site does: the profile saved with another role.
    from contrechamp.accounts.services import user_create

    other = user_create(username="sacha", email="sacha@example.org", password="x" * 20)
    profile = other.profile
    profile.role = "reviewer"
    profile.save()
    return profile, {"role_changed"}


def trust_change(user):
    from contrechamp.accounts.services import user_create
    from contrechamp.accounts.trust import trust_set

    other = user_create(username="sacha", email="sacha@example.org", password="x" * 20)
    return trust_set(person=other, trust="untrusted"), {"trust_changed"}


SERVICES = [
    deployment_create,
    deployment_update,
    deployment_publish,
    deployment_revert,
    organisation_create,
    organisation_update,
    camera_count_create,
    document_upload,
    entity_accept,
    redaction_publish,
    request_create,
    request_send,
    role_change,
    trust_change,
]


@pytest.fixture
def library(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"


@pytest.mark.parametrize("service", SERVICES, ids=[s.__name__ for s in SERVICES])
def test_each_service_that_changes_data_leaves_an_entry(service, library, reviewer):
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with acting_as(reviewer):
        target, actions = service(reviewer)
    meta = target._meta
    entries = AuditEntry.objects.filter(
        id__gt=before,
        target_app=meta.app_label,
        target_model=meta.model_name,
        target_id=str(target.pk),
        action__in=actions,
    )
    assert entries.exists(), list(AuditEntry.objects.filter(id__gt=before).values())
    assert all(e.actor_id == reviewer.pk and e.origin for e in entries)


def test_rights_changes_say_old_and_new(db, administrator):
    from contrechamp.accounts.services import user_create

    other = user_create(username="sacha", email="sacha@example.org", password="x" * 20)
    with acting_as(administrator):
        other.profile.role = "administrator"
        other.profile.save()
        other.is_staff = True
        other.save()
    role = AuditEntry.objects.filter(action="role_changed").latest("id")
    assert role.details == {"fields": ["role"], "role": ["contributor", "administrator"]}
    staff = AuditEntry.objects.filter(target_model="user", action="changed").latest("id")
    assert staff.details["is_staff"] == [False, True] and "password" not in staff.details


def test_a_deployment_change_lists_the_fields_changed(db, contributor):
    ((deployment, _actions),) = [deployment_update(contributor)]
    entry = AuditEntry.objects.filter(target_model="deployment", action="changed").latest("id")
    assert "description" in entry.details["fields"] and "title" not in entry.details["fields"]
    assert entry.target_url == f"/dispositifs/{deployment.slug}/historique/"


def test_derived_rows_are_left_out_in_one_place(library, contributor):
    from django.apps import apps

    from contrechamp.documents.models import Page, Step

    assert {"documents.page", "documents.step"} <= EXCLUDED
    assert not is_recorded(Page) and not is_recorded(Step)
    assert not is_recorded(apps.get_model("sessions", "Session"))
    assert not is_recorded(apps.get_model("django_tasks_database", "DBTaskResult"))
    assert not is_recorded(apps.get_model("audit", "AuditEntry"))
    assert is_recorded(apps.get_model("auth", "User"))
    assert is_recorded(apps.get_model("otp_totp", "TOTPDevice"))
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    document = _document(contributor)
    assert document.page_count >= 1
    written = AuditEntry.objects.filter(id__gt=before)
    assert not written.filter(target_model__in=["page", "step", "entity"]).exists()
    assert written.filter(target_model="document").exists()
