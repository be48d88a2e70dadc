"""The DECP in every shape, read as a stream, imported idempotently, scored; and the
scorer against the hand-labelled records (tests/watch/data)."""

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from contrechamp.watch import decp
from contrechamp.watch.models import WatchRecord
from contrechamp.watch.scoring import THRESHOLD, score_record
from contrechamp.watch.services import import_decp
from tests.watch import evaluation

SAMPLES = evaluation.SAMPLES / "decp"
SELECTION = SAMPLES / "format-2019-v1.x" / "decp-rama_surveillance-selection.json"


def _records(path: Path) -> list[decp.Record]:
    return [decp.normalise(raw) for raw in decp.read_path(path)]


def test_the_2019_selection_reads_with_its_buyer_holders_cpv_and_amount():
    records = _records(SELECTION)
    assert len(records) == 24
    fos = records[0]
    assert fos.record_id == "2018xLhnXotcvc00"
    assert fos.buyer_siret == "21130039700018" and fos.buyer_name == "Mairie de Fos sur Mer"
    assert fos.cpv == ["32323500"] and fos.amount == Decimal("131163.71")
    assert fos.holders == [{"siret": "05680065900155", "name": "SNEF", "scheme": "SIRET"}]
    assert (fos.place_code, fos.place_type) == ("13", "Code département")


def test_the_2022_shape_its_xml_and_its_concessions_read_apart():
    folder = SAMPLES / "format-2022-v2.0" / "official-examples-139bercy"
    both = _records(folder / "marches_concessions.json")
    assert sorted(r.kind for r in both) == ["concession", "concession", "contract", "contract"]
    xml = _records(folder / "Marche.xml")
    assert [r.record_id for r in xml] == ["TEST2022", "TEST2022"]
    assert xml[0].cpv == ["45000000"] and xml[0].holders[0]["siret"] == "55204599900869"


def test_a_nan_a_bom_a_lost_leading_zero_and_html_are_read():
    # pandas writes NaN, which strict JSON parsers refuse.
    fixture = SAMPLES / "format-2022-v2.0" / "decp-processing-test-fixtures" / "decp_test_2022.json"
    assert len(_records(fixture)) == 5
    csv_file = SAMPLES / "tabular-consolidated" / "decp_augmente_valides_2022_test.csv"
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = _records(csv_file)
    assert len(rows) == 9 and rows[1].cpv == ["45212221"] and rows[1].buyer_siret
    assert decp.cpv_codes("9132100") == ["09132100"]
    assert decp.cpv_codes("323235002") == ["32323500"]  # the check digit without its dash
    assert decp.cpv_codes("INX 67151000-0") == ["67151000"]
    assert decp.clean_text("D&#8217;UN<br />lot_x0001_ma\x9cuvre") == "D’UN lot maœuvre"
    assert decp.clean_text("a\x00b") == "a b"  # PostgreSQL refuses NUL in text
    assert decp.amount("NC") is None and decp.amount("-3") is None
    assert decp.iso_date("2019-01-15+01:00").isoformat() == "2019-01-15"


def test_a_bom_and_infinity_in_json_are_read(tmp_path):
    record = json.loads(SELECTION.read_text())["marches"][0]
    record["dureeMois"] = "__INF__"
    body = json.dumps({"marches": [record]}).replace('"__INF__"', "Infinity")
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode())
    assert [r.record_id for r in _records(path)] == ["2018xLhnXotcvc00"]


def test_two_contracts_under_one_id_of_one_buyer_stay_two(db):
    # The real e-marchespublics file holds two contracts of one buyer under 2018113001.
    path = SAMPLES / "format-2019-v1.x" / "decp-rama_e-marchespublics_2019-04-03_first50.json"
    run = import_decp([path])
    assert (run.read, run.new) == (50, 50)
    assert WatchRecord.objects.filter(record_id="2018113001").count() == 2
    assert import_decp([path]).unchanged == 50


def test_an_amendment_changes_the_amount_and_is_kept_in_history(db, tmp_path):
    import_decp([SELECTION])
    data = json.loads(SELECTION.read_text())
    data["marches"][0]["modifications"] = [{"montant": 180000, "dureeMois": 60}]
    changed = tmp_path / "amended.json"
    changed.write_text(json.dumps(data))
    assert import_decp([changed]).updated == 1
    fos = WatchRecord.objects.get(record_id="2018xLhnXotcvc00")
    assert fos.amount == Decimal("180000.00")
    assert fos.history[-1]["before"] == {"amount": "131163.71"}


def test_a_csv_field_too_large_is_an_error_of_its_file_only(db, tmp_path):
    big = tmp_path / "big.csv"
    big.write_text("id;objet\n1;" + "x" * 200_000 + "\n")
    run = import_decp([big, SELECTION])
    assert run.errors == 1 and run.read == 24 and run.finished_at is not None


def test_a_zip_of_files_reads_every_member(tmp_path):
    archive = tmp_path / "decp.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(SELECTION, "a/selection.json")
        z.write(SAMPLES / "tabular-consolidated" / "decp_augmente_valides_2019_test.csv", "b.csv")
    assert len(_records(archive)) == 24 + 9


def test_a_large_file_is_read_one_record_at_a_time():
    # 20,000 records through a stream that cannot be read whole: the reader yields the
    # first before the stream is half read.
    record = json.loads(SELECTION.read_text())["marches"][0]
    body = b'{"marches": [' + b",".join(json.dumps(record).encode() for _ in range(20_000)) + b"]}"

    class Counting(io.BytesIO):
        def read(self, size=-1):
            assert size != -1, "read whole"
            return super().read(size)

    stream = Counting(body)
    records = decp.read_stream(stream, "big.json")
    next(records)
    assert stream.tell() < len(body) / 2
    assert sum(1 for _ in records) == 19_999


@pytest.mark.parametrize("body", [b"{not json", b"<marches><marche>", b"a;b\n1;2\n"])
def test_a_broken_file_is_an_error_of_the_run_not_a_crash(db, tmp_path, body):
    bad = tmp_path / "bad.json"
    bad.write_bytes(body)
    run = import_decp([bad, SELECTION])
    assert run.errors == 1 and run.read == 24
    assert run.error_samples[0]["input"] == str(bad)


def test_importing_twice_is_idempotent_and_a_change_is_kept_with_its_history(db, tmp_path):
    first = import_decp([SELECTION])
    assert first.read == 24
    # The selection holds the same Vitrolles record twice: one row.
    assert first.new == WatchRecord.objects.count() == 23
    assert first.candidates == WatchRecord.objects.filter(status="new").count() >= 18
    again = import_decp([SELECTION])
    assert (again.new, again.updated, again.unchanged) == (0, 0, 23)

    fos = WatchRecord.objects.get(record_id="2018xLhnXotcvc00")
    fos.status = "rejected"
    fos.save()
    data = json.loads(SELECTION.read_text())
    data["marches"][0]["montant"] = 150000
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    third = import_decp([changed])
    assert (third.new, third.updated) == (0, 1)
    fos.refresh_from_db()
    assert fos.amount == Decimal("150000.00")
    assert fos.history[-1]["before"] == {"amount": "131163.71"}
    assert fos.status == "rejected"  # a decision is not undone by a new import


def test_the_buyer_resolves_to_its_commune_by_siren(db):
    import_decp([SELECTION])
    fos = WatchRecord.objects.get(record_id="2018xLhnXotcvc00")
    assert fos.commune is not None and fos.commune.code == "13039"
    assert fos.department == "13"


def test_the_command_prints_each_candidate_as_json(db, capsys):
    call_command("watch", "import", "decp", str(SELECTION), "--json")
    run = json.loads(capsys.readouterr().out)
    assert run["read"] == 24 and run["errors"] == 0
    call_command("watch", "candidates", "--source", "decp", "--json")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines and all(c["score"] >= THRESHOLD and c["status"] == "new" for c in lines)
    fos = next(c for c in lines if c["record"] == "2018xLhnXotcvc00")
    assert fos["buyer"]["siret"] == "21130039700018" and fos["commune"] == "13039"
    assert fos["cpv"] == ["32323500"] and fos["amount"] == 131163.71
    assert {"rule": "cpv", "text": "32323500 Système de surveillance vidéo", "points": 45} in (
        fos["reasons"]
    )
    assert "videosurveillance" in fos["technologies"]


@pytest.mark.parametrize(
    "text, cpv",
    [
        ("Photographie scolaire et photos de classe : caméras et tirages", ["79961000"]),
        ("Location d'un système de visioconférence vidéo pour la salle du conseil", []),
        ("Inspection télévisée des canalisations par caméra", ["71631000"]),
        ("Achat de drones programmables pour les collèges", ["30200000"]),
    ],
)
def test_the_traps_are_not_candidates(db, text, cpv):
    assert not score_record(text=text, cpv=cpv, holders=[], vendors={}).candidate


def test_a_lost_accent_still_reads_as_video_surveillance(db):
    score = score_record(
        text="Extension du syst\ufffdme de vid\ufffdoprotection", cpv=[], holders=[], vendors={}
    )
    assert score.candidate and "videosurveillance" in score.technologies


def test_a_known_vendor_adds_to_the_score(db):
    alone = score_record(text="Maintenance", cpv=["35120000"], holders=[], vendors={})
    known = score_record(
        text="Maintenance",
        cpv=["35120000"],
        holders=[{"siret": "12345678900011", "name": "X"}],
        vendors={"123456789": "Acme Vision"},
    )
    assert known.score == alone.score + 25 and known.vendors == ["Acme Vision"]


# Measured on the held-out part on 2026-12-02 (docs/quality.md), minus 0.03.
FLOORS = {"precision": 0.97, "recall": 0.97}


def test_candidates_on_the_held_out_labelled_records_stay_above_their_floors(db):
    items = evaluation.outcomes()
    held_out = evaluation.split(items, held_out=True)
    figures = evaluation.figures(held_out)
    assert figures["records"] >= 100 and figures["surveillance"] >= 5
    for name, floor in FLOORS.items():
        assert figures[name] >= floor, (name, figures)
    # Both parts are real records, and none is in both.
    development = evaluation.split(items, held_out=False)
    assert len(development) + len(held_out) == len(items)


@pytest.mark.parametrize(
    ("buyer", "department", "region"),
    [
        # Buyers of the samples (marches-publics.info, 2019).
        ("Département de la Vendée", "85", "52"),
        ("Conseil Départemental de la Gironde", "33", "75"),
        ("DEPARTEMENT DE LA HAUTE-SAVOIE", "74", "84"),
        ("SM du Parc Naturel Regional du Vercors", "", ""),
        # The other ways departments and regions name themselves.
        ("Département de la Savoie", "73", "84"),
        ("Conseil général de l'Ain", "01", "84"),
        ("Conseil départemental des Hauts-de-Seine", "92", "11"),
        ("Région Occitanie", "", "76"),
        ("Conseil régional d'Île-de-France", "", "11"),
        ("REGION SUD PROVENCE-ALPES-COTE D'AZUR", "", "93"),
        ("Région Provence-Alpes-Côte d'Azur", "", "93"),
        # Bodies that only use the adjective, or a region that does not exist.
        ("Service départemental d'incendie et de secours du Nord", "", ""),
        ("Syndicat départemental d'énergie de la Savoie", "", ""),
        ("Région de Lens", "", ""),
    ],
)
def test_a_department_or_region_buying_is_resolved_by_its_name(db, buyer, department, region):
    from contrechamp.watch.services import Places

    record = decp.Record(record_id="1", kind="contract", buyer_siret="22850001700014")
    record.buyer_name = buyer
    found = Places().resolve(record)
    assert (found["department"], found["region"]) == (department, region)
    assert found["commune_id"] is None


def test_the_departments_of_the_samples_are_resolved_on_import(db):
    path = SAMPLES / "format-2019-v1.x" / "decp-rama_marches-publics.info_2019-03-07_first50.json"
    import_decp([path, SELECTION])
    vendee = WatchRecord.objects.filter(buyer_name="Département de la Vendée")
    assert vendee.exists() and set(vendee.values_list("department", "region")) == {("85", "52")}
    # A commune's record has its department's region too.
    fos = WatchRecord.objects.get(record_id="2018xLhnXotcvc00")
    assert (fos.commune.code, fos.department, fos.region) == ("13039", "13", "93")
