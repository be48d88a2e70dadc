"""The public CSV of requests: what requesters type must not run as a formula in the
spreadsheet of whoever opens the export (OWASP "CSV injection")."""

import csv
import datetime as dt
import io

import pytest
import time_machine

from contrechamp.access.models import AccessRequest

pytestmark = pytest.mark.django_db

CALC = "+cmd|' /C calc'!A0"


def _draft_and_send(client, **fields):
    data = {
        "title": "Vidéosurveillance",
        "usual": ["0"],
        "documents_asked": "Le marché de 2024",
        "channel": "email",
        **fields,
    }
    response = client.post("/demandes/nouvelle/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    request = AccessRequest.objects.latest("id")
    client.post(
        f"/demandes/{request.id}/envoi/",
        {"sent_on": "2026-03-10", "channel": "email", "received_on": ""},
    )
    request.refresh_from_db()
    assert request.status == "sent"
    return request


@time_machine.travel(dt.datetime(2026, 3, 20, 10, 0), tick=False)
def test_hostile_subjects_and_body_names_are_neutralised(contributor_client, client):
    hostile = _draft_and_send(
        contributor_client, title=CALC, new_body="@SUM(1+1)", new_body_kind="other"
    )
    arithmetic = _draft_and_send(contributor_client, title="-2+3", communes="42218")
    tabbed = _draft_and_send(contributor_client, title="=1+1", communes="13055")
    response = client.get("/exports/demandes.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows[hostile.id]["subject"] == "'" + CALC
    assert rows[hostile.id]["body"] == "'@SUM(1+1)"
    assert rows[arithmetic.id]["subject"] == "'-2+3"
    assert rows[tabbed.id]["subject"] == "'=1+1"
    # Everything else is as it was: ids stay numbers, dates stay dates.
    assert rows[arithmetic.id]["body"] == "Mairie de Saint-Étienne"
    assert rows[arithmetic.id]["sent_on"] == "2026-03-10"
    for row in rows.values():
        for cell in row.values():
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell
