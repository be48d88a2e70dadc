"""BOAMP notices read from files and fetched from a local server that answers as the
Opendatasoft API does, with its pages, its limits and its failures (recorded responses:
the real records of the samples)."""

import json

import pytest
from django.core.management import CommandError, call_command

from contrechamp.watch import boamp, fetching
from contrechamp.watch.models import WatchRecord
from contrechamp.watch.services import fetch_boamp, import_boamp
from tests.watch import evaluation
from tests.watch.recorded import Recorded

FIELDS = (
    evaluation.SAMPLES / "boamp" / "opendatasoft-api" / "boamp_ods_v1_fields_only_4records.json"
)
NOTICES = json.loads(FIELDS.read_text())


def test_a_notice_gives_its_buyer_cpv_and_value_from_inside_donnees():
    records = {r.record_id: r for r in boamp.read_path(FIELDS)}
    soisy = records["25-123573"]
    # The contracting party's organisation, not the first organisation listed.
    assert soisy.buyer_siret == "21950598900018"
    assert soisy.buyer_name == "COMMUNE DE SOISY-SOUS-MONTMORENCY"
    assert soisy.cpv == ["71351810"] and soisy.amount == 92000
    assert soisy.date.isoformat() == "2025-11-07" and soisy.place_code == "95"
    assert records["25-123631"].buyer_siret == ""  # the notice gives no SIRET
    # Its key is its number: read without `donnees` (no SIRET), it is the same notice.
    bare = {k: v for k, v in NOTICES[1].items() if k != "donnees"}
    assert boamp.normalise(bare).key == soisy.key == "25-123573"
    # The collector's wrappers and the API's v1 and v2.1 shapes hold the same notices.
    wrapped = (
        evaluation.SAMPLES
        / "boamp"
        / "opendatasoft-api"
        / ("tcautomation_boamp_geometre_20251124.json")
    )
    assert {r.record_id for r in boamp.read_path(wrapped)} == set(records)
    v21 = boamp.records_of({"total_count": 4, "results": NOTICES})
    v1 = boamp.records_of({"records": [{"fields": n} for n in NOTICES]})
    assert v21 == v1 == NOTICES


def page(notices):
    body = json.dumps({"total_count": len(NOTICES), "results": notices}).encode()
    return (200, {"Content-Type": "application/json"}, body, 0)


@pytest.fixture
def api(settings, monkeypatch):
    servers = []

    def make(answers):
        server = Recorded(answers)
        servers.append(server)
        settings.WATCH_BOAMP_URL = server.url
        return server

    # Two notices a page, so that four make pages; and no real waiting between tries.
    monkeypatch.setattr(boamp, "PAGE", 2)
    monkeypatch.setattr(fetching.time, "sleep", lambda seconds: None)
    yield make
    for server in servers:
        server.close()


def test_a_fetch_pages_retries_429_and_5xx_and_is_idempotent(db, api):
    ordered = sorted(NOTICES, key=lambda n: n["dateparution"])
    server = api(
        [
            (429, {"Retry-After": "0"}, b"quota", 0),
            (503, {}, b"", 0),
            page(ordered[:2]),
            page(ordered[2:]),
            page([]),
        ]
    )
    run = fetch_boamp(since="2025-11-01")
    assert (run.read, run.new, run.errors) == (4, 4, 0)
    assert run.cursor == "2025-11-19"
    assert [c["offset"] for c in server.calls] == ["0", "0", "0", "2", "4"]
    assert "dateparution >= date'2025-11-01'" in server.calls[0]["where"]
    assert 'search(objet, "vidéoprotection")' in server.calls[0]["where"]
    assert WatchRecord.objects.filter(source="boamp").count() == 4

    # The next fetch resumes from the cursor; the same notices are one item each.
    again = api([page(ordered[-1:])])
    run = fetch_boamp()
    assert "date'2025-11-19'" in again.calls[0]["where"]
    assert (run.read, run.new, run.unchanged) == (1, 0, 1)


def test_past_ten_thousand_the_fetch_starts_again_from_the_last_date(db, api, monkeypatch):
    monkeypatch.setattr(boamp, "OFFSET_LIMIT", 4)
    ordered = sorted(NOTICES, key=lambda n: n["dateparution"])
    server = api([page(ordered[:2]), page(ordered[2:]), page(ordered[3:]), page([])])
    run = fetch_boamp(since="2025-11-01")
    assert run.errors == 0 and run.new == 4
    assert [(c["offset"], c["where"][:31]) for c in server.calls][2] == (
        "0",
        "dateparution >= date'2025-11-19",
    )


def test_a_server_that_does_not_answer_in_time_is_an_error_after_the_retries(db, api, settings):
    settings.WATCH_HTTP_TIMEOUT = 0.3
    server = api([(200, {}, b"[]", 1.0)] * 5)
    with pytest.raises(CommandError, match="after 5 tries"):
        call_command("watch", "fetch", "boamp", "--since", "2025-11-01")
    assert len(server.wait_for_calls(5)) == 5
    assert WatchRecord.objects.filter(source="boamp").count() == 0


def test_a_truncated_answer_is_retried_and_a_slow_drip_is_cut(db, api, settings):
    ordered = sorted(NOTICES, key=lambda n: n["dateparution"])
    truncated = (200, {"Content-Length": "100000"}, b'{"results": [', 0)
    server = api([truncated, page(ordered[:2]), page([])])
    run = fetch_boamp(since="2025-11-01")
    assert (run.errors, run.new) == (0, 2) and len(server.calls) == 3
    # Notices kept by a fetch that then fails are kept, with where it got to.
    api([page(ordered[2:]), (400, {}, b"no", 0)])
    run = fetch_boamp()
    assert run.errors == 1 and run.new == 2 and run.cursor == "2025-11-19"


def test_a_refusal_is_not_retried_and_says_what_the_server_said(db, api):
    server = api([(400, {}, b'{"error": "bad where"}', 0)])
    run = fetch_boamp(since="2025-11-01")
    assert run.errors == 1 and "HTTP 400" in run.error_samples[0]["error"]
    assert len(server.calls) == 1


def test_a_bad_date_is_refused_before_any_call(db, api):
    server = api([])
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("watch", "fetch", "boamp", "--since", "19/11/2025")
    assert server.calls == []


def test_files_of_notices_import_like_the_api(db):
    run = import_boamp([FIELDS])
    assert (run.read, run.new, run.errors) == (4, 4, 0)
    assert import_boamp([FIELDS]).unchanged == 4
