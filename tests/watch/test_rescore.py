"""`contrechamp watch rescore`: every kept record scored again with today's rules and
vendors; undecided records join or leave the queue, decided ones keep their decision,
also one a reviewer decides while the rescoring runs."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from contrechamp.registry.models import Organisation
from contrechamp.watch import services
from contrechamp.watch.models import WatchRecord
from contrechamp.watch.services import import_decp, records_rescore
from tests.watch.test_decp import SELECTION

pytestmark = pytest.mark.django_db


def test_a_vendor_given_its_siren_lifts_its_records_and_decisions_stay(db):
    import_decp([SELECTION])
    below = WatchRecord.objects.filter(status="below").order_by("id")
    assert below.exists()
    lifted = below.first()
    # That record's holder becomes a known vendor: +25, enough to join the queue?
    siret = lifted.holders[0]["siret"] if lifted.holders else ""
    assert len(siret) == 14
    vendor = Organisation.objects.create(name="Vendeur Connu", slug="vendeur-connu", kind="vendor")
    vendor.siren = siret[:9]
    vendor.save()
    rejected = WatchRecord.objects.filter(status="new").order_by("id").first()
    rejected.status = "rejected"
    rejected.save()
    before = {r.id: (r.score, r.status) for r in WatchRecord.objects.all()}

    counts = records_rescore()
    lifted.refresh_from_db()
    assert lifted.score == before[lifted.id][0] + 25
    assert "Vendeur Connu" in lifted.vendors
    assert any(r["rule"] == "vendor" for r in lifted.reasons)
    assert counts["read"] == WatchRecord.objects.count()
    assert counts["changed"] >= 1
    rejected.refresh_from_db()
    assert rejected.status == "rejected"  # a decision is never undone
    for row in WatchRecord.objects.exclude(id=lifted.id):
        if row.vendors == [] and row.id != rejected.id:
            assert (row.score, row.status) == before[row.id]
    # Nothing changed since: a second pass changes nothing.
    assert records_rescore()["changed"] == 0


def test_scores_left_by_older_rules_are_corrected_and_the_command_prints_counts(db):
    import_decp([SELECTION])
    waiting = WatchRecord.objects.filter(status="new").order_by("id").first()
    # As if it had been scored by rules since tuned: a score it does not deserve.
    WatchRecord.objects.filter(status="below").update(score=999)
    out = StringIO()
    call_command("watch", "rescore", "--json", stdout=out)
    counts = json.loads(out.getvalue())
    assert counts["changed"] >= 1 and counts["left"] == 0
    waiting.refresh_from_db()
    assert waiting.status == "new"
    assert not WatchRecord.objects.filter(score=999).exists()


def test_a_decision_taken_while_the_rescoring_runs_is_not_undone(db, monkeypatch):
    import_decp([SELECTION])
    # Make every waiting candidate fall below the threshold, and a reviewer reject one
    # of them between the moment the rescoring read it and the moment it writes.
    target = WatchRecord.objects.filter(status="new").order_by("id").first()
    real = services.score_record

    def scoring_while_a_reviewer_decides(**kwargs):
        score = real(**kwargs)
        if kwargs["text"] == target.object:
            WatchRecord.objects.filter(id=target.id).update(status="rejected")
        score.score = 0
        return score

    monkeypatch.setattr(services, "score_record", scoring_while_a_reviewer_decides)
    counts = records_rescore()
    target.refresh_from_db()
    assert target.status == "rejected"
    assert counts["left"] >= 1
    assert not WatchRecord.objects.filter(status="new").exists()


def test_records_kept_before_regions_were_resolved_get_theirs(db):
    import_decp([SELECTION])
    WatchRecord.objects.update(region="", department="")
    counts = records_rescore()
    assert counts["changed"] == WatchRecord.objects.exclude(department="").count() > 0
    fos = WatchRecord.objects.get(record_id="2018xLhnXotcvc00")
    assert (fos.department, fos.region) == ("13", "93")
