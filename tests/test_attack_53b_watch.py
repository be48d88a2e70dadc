"""Hostile review 53b: the procurement watch's carried decisions, attacked (these fail on
the code as it is)."""

import pytest

from contrechamp.registry.models import Organisation
from contrechamp.watch import services
from contrechamp.watch.models import WatchRecord
from contrechamp.watch.services import candidate_accept, import_decp, records_rescore
from tests.test_attack_53_watch import CONTRACT, decp_file

pytestmark = pytest.mark.django_db


def _lot(number, holder, amount="60000"):
    """A lot of one contract: the same buyer, object (but its lot number) and date, as
    DECP gives each lot its own record."""
    return {
        **CONTRACT,
        "id": f"2024-SEC-0{number}",
        "objet": f"Aménagement des abords du centre-ville - lot {number}",
        "montant": amount,
        "dateNotification": "2024-06-03",
        "titulaires": [holder],
    }


SNEF = {"id": "38012986600037", "denominationSociale": "SNEF"}
CITEOS = {"id": "73282932000074", "denominationSociale": "Citéos"}


@pytest.fixture
def snef_known(db):
    org = Organisation.objects.filter(siren="380129866").first()
    if org is None:
        Organisation.objects.create(name="SNEF (test)", slug="snef-test", siren="380129866")


def _rejected_contract(tmp_path, reviewer):
    """Lot 1 (a holder the registry knows) is a candidate, lot 2 (a holder it does not)
    waits below the threshold; the reviewer rejects the contract with a reason."""
    import_decp([decp_file(tmp_path / "a.json", _lot(1, SNEF), _lot(2, CITEOS))])
    lot1 = WatchRecord.objects.get(record_id="2024-SEC-01")
    lot2 = WatchRecord.objects.get(record_id="2024-SEC-02")
    assert (lot1.status, lot2.status) == ("new", "below")
    assert lot1.group == lot2.group  # one contract, by the watch's own rule
    services.candidates_decide(
        record_ids=[lot1.id],
        status="rejected",
        user=reviewer,
        reason="Bornes escamotables et contrôle d'accès : aucune caméra",
    )
    return lot1, lot2


def test_a_lot_of_a_rejected_contract_that_reaches_the_threshold_later_stays_rejected(
    tmp_path, reviewer, snef_known
):
    """The mended rule: "what a reviewer decided of a contract holds for the records of
    it that come later". It holds only for a record imported for the first time. Lot 2
    of the contract rejected above waited below the threshold; its holder Citéos then
    becomes a vendor the registry knows by its SIREN (another deployment), and
    `records_rescore` (run after every tuning, as its docstring says) lifts it into the
    queue as a fresh candidate: the contract rejected with a reason is back."""
    lot1, lot2 = _rejected_contract(tmp_path, reviewer)
    Organisation.objects.create(name="Citéos", slug="citeos-test", siren="732829320")
    records_rescore()
    lot2.refresh_from_db()
    assert lot2.status != "new", (
        "a lot of the contract the reviewer rejected waits in the queue again: "
        f"{lot2.status}, score {lot2.score}"
    )


def test_a_lot_of_a_rejected_contract_amended_into_the_queue_stays_rejected(
    tmp_path, reviewer, snef_known
):
    """The same through an import: lot 2's amendment adds SNEF as co-holder (same key:
    the object and CPV did not change); `_write` moves it from "below" to "new" without
    looking at its contract's decision, which only new rows are given
    (`_decided_before(created)`)."""
    lot1, lot2 = _rejected_contract(tmp_path, reviewer)
    amended = _lot(2, CITEOS, amount="75000")
    amended["titulaires"] = [CITEOS, SNEF]
    import_decp([decp_file(tmp_path / "b.json", amended)])
    lot2.refresh_from_db()
    assert lot2.amount == 75000
    assert lot2.status != "new", (
        "the amended lot of a rejected contract is a fresh candidate: "
        f"{lot2.status}, score {lot2.score}"
    )


def test_a_record_said_attached_to_a_deployment_is_one_of_its_sources(
    tmp_path, reviewer, snef_known
):
    """Attaching a record to a deployment (`candidate_attach`) cites it among the
    deployment's sources. A lot of an accepted contract that came later was marked
    "attached" to the deployment at import, by nobody, with the reviewer's name, but
    never cited. It now waits for a reviewer, the deployment its contract became
    offered first; attached, it is cited."""
    import_decp([decp_file(tmp_path / "a.json", _lot(1, SNEF))])
    lot1 = WatchRecord.objects.get(record_id="2024-SEC-01")
    deployment = candidate_accept(record_id=lot1.id, user=reviewer)
    import_decp([decp_file(tmp_path / "b.json", _lot(3, SNEF, amount="90000"))])
    lot3 = WatchRecord.objects.get(record_id="2024-SEC-03")
    assert (lot3.status, lot3.deployment_id) == ("new", None)
    assert services.near_deployments(lot3)[0] == deployment
    services.candidate_attach(record_id=lot3.id, deployment=deployment, user=reviewer)
    locators = list(deployment.citations.values_list("locator", flat=True))
    assert any("2024-SEC-03" in locator for locator in locators), locators
