"""Hostile review 53: the procurement watch, attacked (these fail on the code as it is)."""

import json

import pytest
from django.urls import reverse

from contrechamp.registry.models import Deployment
from contrechamp.watch import services
from contrechamp.watch.models import WatchRecord
from contrechamp.watch.services import candidate_accept, import_decp

pytestmark = pytest.mark.django_db


# One contract of the commune of Fos-sur-Mer's buyer, as the DECP's 2019 format gives it.
CONTRACT = {
    "id": "2024-VIDEO-01",
    "_type": "Marché",
    "acheteur": {"id": "21130039700014", "nom": "Mairie de Fos sur Mer"},
    "objet": "Extension du système de vidéoprotection urbaine et caméras",
    "codeCPV": "32323500-8",
    "montant": "100000",
    "dateNotification": "2024-03-01",
    "lieuExecution": {"code": "13039", "typeCode": "Code commune"},
    "titulaires": [{"id": "38012986600037", "denominationSociale": "SNEF"}],
}


def decp_file(path, *records):
    """A DECP file of these records (each `CONTRACT` with some fields of its own)."""
    path.write_text(json.dumps({"marches": list(records)}), encoding="utf-8")
    return path


def _decp(path, amount):
    return decp_file(path, {**CONTRACT, "montant": amount})


def test_an_import_running_while_a_reviewer_accepts_does_not_undo_the_decision(
    tmp_path, reviewer, monkeypatch
):
    """A reviewer turns a candidate into a deployment while the nightly import is between
    reading that record and writing its new amount (the amendment of the contract).
    `_write` saves the whole row it read before the decision (`row.save()`, every
    column): the record is "new" again, its deployment and reviewer forgotten, and it
    waits in the queue to be turned into a second deployment. `records_rescore` was
    made safe against exactly this (a status moved only from the one read, in the same
    statement); the import was not."""
    import_decp([_decp(tmp_path / "a.json", "100000")])
    row = WatchRecord.objects.get(record_id="2024-VIDEO-01")
    assert row.status == "new"
    real = services.score_record
    decided = {}

    def scoring_while_a_reviewer_accepts(**kwargs):
        if not decided:
            decided["deployment"] = candidate_accept(record_id=row.id, user=reviewer)
        return real(**kwargs)

    monkeypatch.setattr(services, "score_record", scoring_while_a_reviewer_accepts)
    # The contract's amendment: the same key (buyer, id, object, CPV), a new amount.
    import_decp([_decp(tmp_path / "b.json", "180000")])
    row.refresh_from_db()
    assert decided["deployment"].id
    assert row.amount == 180000  # the import did write its change
    assert (row.status, row.deployment_id, row.decided_by_id) == (
        "accepted",
        decided["deployment"].id,
        reviewer.id,
    ), "the reviewer's decision was overwritten by the import: the record waits again"
    assert not WatchRecord.objects.filter(id=row.id, status="new").exists()
    assert Deployment.objects.filter(id=decided["deployment"].id).exists()


def _contract(path, objet):
    record = {
        **CONTRACT,
        "id": "2023-0042",
        "objet": objet,
        "montant": "45000",
        "dateNotification": "2023-05-10",
    }
    return decp_file(path, record)


def test_a_rejected_contract_published_again_with_its_accents_repaired_stays_decided(
    tmp_path, reviewer
):
    """The 2019 files lost their accents ("vid\ufffdoprotection"); the consolidated file of
    a later day gives the same contract (same buyer, id, date, CPV, amount) with them.
    The DECP key hashes the object's exact text, so the repaired contract is a new
    record, and `_write` makes it a fresh candidate although its group (the same
    contract, which the queue shows as one card and decides as one) was rejected with
    a reason: the reviewer's decision is lost at every re-encoding of the dataset, and
    the same contract comes back to the queue again and again."""
    import_decp(
        [_contract(tmp_path / "a.json", "Maintenance du syst\ufffdme de vid\ufffdoprotection")]
    )
    first = WatchRecord.objects.get(record_id="2023-0042")
    assert first.status == "new"
    assert (
        services.candidates_decide(
            record_ids=[first.id],
            status="rejected",
            user=reviewer,
            reason="Hors sujet: déjà traité",
        )
        == 1
    )
    import_decp([_contract(tmp_path / "b.json", "Maintenance du système de vidéoprotection")])
    again = WatchRecord.objects.filter(record_id="2023-0042").exclude(id=first.id)
    assert [r.group for r in again] == [first.group]  # the same contract, by the watch's own rule
    assert not WatchRecord.objects.filter(record_id="2023-0042", status="new").exists(), (
        "the contract rejected with a reason waits in the queue again"
    )


def test_a_reviewer_who_changed_address_gets_no_candidates_at_the_old_one(reviewer):
    """A reviewer asks for the daily digest of new candidates (sent to their account's
    address, no confirmation), then changes their address (the old one is a job they
    left, a mailbox given up). The subscription keeps the old address: the queue's
    unreviewed candidates, with the reviewer's link to the queue, keep going to an
    address that is no longer theirs, and the new one gets nothing."""
    from datetime import timedelta

    from django.core import mail
    from django.core.signing import dumps
    from django.utils import timezone

    from contrechamp.accounts.services import EMAIL_CHANGE_SALT, email_change_confirm
    from contrechamp.pages.subscriptions import digests_send, subscribe_reviewer

    subscribe_reviewer(user=reviewer, frequency="daily", language="fr")
    token = dumps(
        {"user": reviewer.pk, "old": reviewer.email, "new": "rene.nouveau@example.net"},
        salt=EMAIL_CHANGE_SALT,
    )
    assert email_change_confirm(token=token) is not None
    import_decp([_decp_for_digest()])
    mail.outbox.clear()
    digests_send(now=timezone.now() + timedelta(days=1, hours=1))
    to = [address for message in mail.outbox for address in message.to]
    assert to, "no digest was sent at all"
    assert "rene@example.org" not in to, "the candidates went to the address the reviewer left"
    assert "rene.nouveau@example.net" in to


def _decp_for_digest():
    import tempfile
    from pathlib import Path

    return _decp(Path(tempfile.mkdtemp()) / "digest.json", "100000")


def _notice(idweb, day, donnees=None):
    fields = {
        "idweb": idweb,
        "objet": "Fourniture et pose de caméras de vidéoprotection urbaine",
        "nomacheteur": "Commune de Fos-sur-Mer",
        "dateparution": day,
        "code_departement": "13",
        "nature": "APPEL_OFFRE",
    }
    if donnees is not None:
        fields["donnees"] = json.dumps(donnees)
    return fields


def test_one_malformed_boamp_notice_does_not_stop_every_later_fetch_at_it(db):
    """A notice whose eForms data holds a list where one object was expected (XML turned
    to JSON gives a list for a repeated element: two `efac:Company`) makes
    `boamp.normalise` raise AttributeError. The fetch logs it and stops there, its
    cursor at the date before it; the next fetch starts again from that date, meets the
    same notice first, and stops again: every notice published after it is never read,
    night after night (the DECP reader skips a bad record and goes on; this one does
    not)."""
    bad = {
        "efac:Organizations": {
            "efac:Organization": [
                {"efac:Company": [{"cbc:CompanyID": "21130039700014"}, {"cbc:CompanyID": "x"}]}
            ]
        },
        "cac:ContractingParty": {"cac:Party": {"cac:PartyIdentification": {"cbc:ID": "ORG-1"}}},
    }
    notices = [
        _notice("25-100001", "2025-11-03"),
        _notice("25-100002", "2025-11-04", donnees=bad),
        _notice("25-100003", "2025-11-05"),
    ]

    def api(url):
        return {"total_count": len(notices), "results": notices}

    services.fetch_boamp(since="2025-11-01", get=api)
    services.fetch_boamp(get=api)  # the next night, from where the last one got to
    read = set(WatchRecord.objects.filter(source="boamp").values_list("record_id", flat=True))
    assert "25-100001" in read
    assert "25-100003" in read, (
        "the notice after the malformed one is never imported: each fetch stops at it"
    )


def test_a_candidate_with_a_very_long_object_can_still_be_turned_into_a_deployment(
    tmp_path, client, reviewer
):
    """DECP objects are free text; some buyers paste the whole specification (tens of
    thousands of characters). The reader keeps the object whole, the scorer reads it,
    the queue shows it; but "Create a deployment" copies it whole into the draft's
    description (20,000 characters at most), and the reviewer gets "Description is too
    long" for a field they never typed and cannot shorten: the candidate can never be
    turned into a deployment."""
    path = _decp(tmp_path / "long.json", "250000")
    data = json.loads(path.read_text())
    data["marches"][0]["objet"] = (
        "Extension du système de vidéoprotection urbaine : " + "caméras et fibre. " * 1300
    )
    path.write_text(json.dumps(data), encoding="utf-8")
    import_decp([path])
    row = WatchRecord.objects.get(record_id="2024-VIDEO-01")
    assert row.status == "new" and len(row.object) > 20_000
    client.force_login(reviewer)
    response = client.post(reverse("watch-accept", args=[row.id]), follow=True)
    row.refresh_from_db()
    assert row.status == "accepted", "refused: " + " | ".join(
        str(m) for m in response.context["messages"]
    )


def test_a_contract_turned_into_a_deployment_and_published_again_is_attached_to_it(
    tmp_path, reviewer
):
    """For an acceptance: the contract published again with its accents repaired waits
    for a reviewer (it may bring an amount or a holder), the deployment it became
    offered first, so that attaching it is one click and not a second deployment; a
    BOAMP or TED file with a notice that cannot be read keeps the others."""
    import_decp(
        [_contract(tmp_path / "a.json", "Maintenance du syst\ufffdme de vid\ufffdoprotection")]
    )
    first = WatchRecord.objects.get(record_id="2023-0042")
    deployment = candidate_accept(record_id=first.id, user=reviewer)
    import_decp([_contract(tmp_path / "b.json", "Maintenance du système de vidéoprotection")])
    again = WatchRecord.objects.exclude(id=first.id).get(record_id="2023-0042")
    assert again.status == "new" and services.near_deployments(again)[0] == deployment
    # Files: one notice that cannot be read among readable ones.
    notices = [_notice("25-200001", "2025-11-03"), _notice("25-200002", "2025-11-04")]
    notices.insert(
        1,
        {
            **_notice("25-200009", "2025-11-04"),
            "donnees": json.dumps(
                {"efac:Organizations": {"efac:Organization": [{"efac:Company": [{}, {}]}]}}
            ),
        },
    )
    path = tmp_path / "boamp.json"
    path.write_text(json.dumps({"results": notices}), encoding="utf-8")
    run = services.import_boamp([path])
    read = set(WatchRecord.objects.filter(source="boamp").values_list("record_id", flat=True))
    assert {"25-200001", "25-200002"} <= read and run.errors == 1


def test_a_draft_made_from_a_contract_reads_as_a_page(tmp_path, reviewer):
    """The walk's draft: its facts ran into one paragraph ("…URBAINE Montant : … Date :
    2019-03-01 Acheteur : …") and its title stayed in capitals."""
    path = _decp(tmp_path / "caps.json", "327276.63")
    data = json.loads(path.read_text())
    data["marches"][0]["objet"] = "EXTENSION DU SYSTEME DE VIDEOPROTECTION URBAINE"
    path.write_text(json.dumps(data), encoding="utf-8")
    import_decp([path])
    row = WatchRecord.objects.get(record_id="2024-VIDEO-01")
    deployment = candidate_accept(record_id=row.id, user=reviewer)
    assert deployment.title.startswith("Extension du systeme de videoprotection urbaine – ")
    assert deployment.description == (
        "EXTENSION DU SYSTEME DE VIDEOPROTECTION URBAINE\n\n"
        "- Montant : 327 276,63 €\n"
        "- Date : 1er mars 2024\n"
        "- Acheteur : Mairie de Fos sur Mer (21130039700014)"
    )
