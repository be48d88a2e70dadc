"""The consolidated DECP in Parquet: the official tabular rows converted to Parquet read
exactly as their CSV does; decp.info's daily file (columns flattened with `_`, one row per
contract and holder) reads one record per contract with all its holders; archives,
damaged files and files that are not DECP are errors of their file, not crashes."""

import csv
import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from contrechamp.watch import decp
from contrechamp.watch.models import WatchRecord
from contrechamp.watch.services import import_decp
from tests.watch.test_decp import SAMPLES, SELECTION

TABULAR = SAMPLES / "tabular-consolidated"


def _records(path: Path) -> list[decp.Record]:
    return [decp.normalise(raw) for raw in decp.read_path(path)]


def _comparable(records: list[decp.Record]) -> list[tuple]:
    return [
        (r.record_id, r.buyer_siret, r.object, r.cpv, r.amount, r.date, r.holders, r.place_code)
        for r in records
    ]


def _write(path: Path, rows: list[dict], schema: pa.Schema | None = None, **options) -> Path:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path, **options)
    return path


@pytest.mark.parametrize(
    "name", ["decp_augmente_valides_2019_test.csv", "decp_augmente_valides_2022_test.csv"]
)
def test_the_official_tabular_rows_read_the_same_from_parquet_as_from_csv(tmp_path, name):
    source = TABULAR / name
    with source.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    # As a Parquet export types them: amounts as numbers, dates as dates, empty as null.
    typed = []
    for row in rows:
        row = {k: (v if v != "" else None) for k, v in row.items()}
        if row.get("montant"):
            row["montant"] = float(row["montant"])
        if row.get("dateNotification"):
            row["dateNotification"] = dt.date.fromisoformat(row["dateNotification"][:10])
        typed.append(row)
    parquet = _write(tmp_path / "decp.parquet", typed, row_group_size=4)  # several groups
    from_csv, from_parquet = _records(source), _records(parquet)
    assert len(from_csv) == 9
    assert _comparable(from_parquet) == _comparable(from_csv)
    assert all(r.amount is not None and r.date is not None for r in from_parquet[:3])


# decp.info's columns (schemas/decp-processing_reference_schema_base.json), with the
# values of real records of the 2019 selection: the Fos-sur-Mer contract given twice, as
# decp.info gives one row per holder, the second holder made up for the grouping.
DECP_INFO = pa.schema(
    [
        ("uid", pa.string()),
        ("id", pa.string()),
        ("nature", pa.string()),
        ("acheteur_id", pa.string()),
        ("acheteur_nom", pa.string()),
        ("titulaire_id", pa.string()),
        ("titulaire_typeIdentifiant", pa.string()),
        ("titulaire_nom", pa.string()),
        ("objet", pa.string()),
        ("montant", pa.float64()),
        ("codeCPV", pa.string()),
        ("dateNotification", pa.date32()),
        ("lieuExecution_code", pa.string()),
        ("lieuExecution_typeCode", pa.string()),
        ("acheteur_latitude", pa.float64()),
        ("sourceDataset", pa.string()),
    ]
)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def _decp_info_rows() -> list[dict]:
    import json

    rows = []
    for record in json.loads(SELECTION.read_text())["marches"][:3]:
        holders = record["titulaires"]
        if not rows:
            holders = [
                *holders,
                {
                    "typeIdentifiant": "SIRET",
                    "id": "12345678900017",
                    "denominationSociale": "Second titulaire",
                },
            ]
        for holder in holders:
            rows.append(
                {
                    "uid": record["acheteur"]["id"] + record["id"],
                    "id": record["id"],
                    "nature": record.get("nature"),
                    "acheteur_id": record["acheteur"]["id"],
                    "acheteur_nom": record["acheteur"].get("nom"),
                    "titulaire_id": holder["id"],
                    "titulaire_typeIdentifiant": holder.get("typeIdentifiant"),
                    "titulaire_nom": holder.get("denominationSociale"),
                    "objet": record["objet"],
                    "montant": float(record["montant"]),
                    "codeCPV": record["codeCPV"],
                    "dateNotification": _date(record.get("dateNotification")),
                    "lieuExecution_code": record["lieuExecution"]["code"],
                    "lieuExecution_typeCode": record["lieuExecution"]["typeCode"],
                    "acheteur_latitude": 43.43,
                    "sourceDataset": "decp-rama",
                }
            )
    return rows


def test_decp_info_rows_of_one_contract_are_one_record_with_its_holders(tmp_path):
    rows = _decp_info_rows()
    assert len(rows) == 4  # the first contract on two rows
    records = _records(_write(tmp_path / "decp.parquet", rows, schema=DECP_INFO))
    assert len(records) == 3
    fos = records[0]
    assert fos.record_id == "2018xLhnXotcvc00"
    assert fos.buyer_siret == "21130039700018" and fos.buyer_name == "Mairie de Fos sur Mer"
    assert fos.cpv == ["32323500"] and fos.amount == Decimal("131163.71")
    assert [h["siret"] for h in fos.holders] == ["05680065900155", "12345678900017"]
    assert fos.holders[0]["name"] == "SNEF"
    assert (fos.place_code, fos.place_type) == ("13", "Code département")
    # The same records as the JSON they came from, field by field.
    expected = _records(SELECTION)[:3]
    assert _comparable(records)[1:] == _comparable(expected)[1:]
    assert _comparable(records)[0][:6] == _comparable(expected)[0][:6]  # all but holders


def test_decp_info_csv_reads_as_its_parquet(tmp_path):
    rows = _decp_info_rows()
    path = tmp_path / "decp.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=DECP_INFO.names, delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    parquet = _write(tmp_path / "decp.parquet", rows, schema=DECP_INFO)
    assert _comparable(_records(path)) == _comparable(_records(parquet))


def test_a_parquet_file_in_a_zip_is_read(tmp_path):
    parquet = _write(tmp_path / "decp.parquet", _decp_info_rows(), schema=DECP_INFO)
    archive = tmp_path / "decp.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.write(parquet, "daily/decp.parquet")
        z.write(SELECTION, "selection.json")
    assert len(_records(archive)) == 3 + 24


def test_a_parquet_import_is_idempotent(db, tmp_path):
    parquet = _write(tmp_path / "decp.parquet", _decp_info_rows(), schema=DECP_INFO)
    first = import_decp([parquet])
    assert (first.read, first.new, first.errors) == (3, 3, 0)
    second = import_decp([parquet])
    assert (second.read, second.new, second.updated) == (3, 0, 0)
    assert WatchRecord.objects.filter(source="decp").count() == 3


def test_a_damaged_or_foreign_parquet_is_an_error_of_its_file(db, tmp_path):
    whole = _write(tmp_path / "whole.parquet", _decp_info_rows(), schema=DECP_INFO).read_bytes()
    truncated = tmp_path / "truncated.parquet"
    truncated.write_bytes(whole[: len(whole) // 2])
    garbage = tmp_path / "garbage.parquet"
    garbage.write_bytes(b"PAR1" + b"\x00\xff" * 500 + b"PAR1")
    foreign = _write(tmp_path / "foreign.parquet", [{"name": "a", "value": 1}])
    for bad in (truncated, garbage, foreign):
        with pytest.raises(decp.DecpError):
            _records(bad)
        run = import_decp([bad, SELECTION])
        assert run.errors == 1 and run.read == 24, bad.name
        assert run.error_samples[0]["input"] == str(bad)
