"""The procurement watch on a DECP-sized input, against its floor in the same run.

    .venv/bin/python benchmarks/watch.py [--records 1500000]

Generates `--records` records, half in the official 2019 shape (`{"marches": [...]}`)
and half in the 2022 shape (`{"marches": {"marche": [...]}}`), written as a stream, with
real buyers (communes' SIRENs from the places data), CPV codes, amounts, dates, holders
and about one object in a hundred about video surveillance. Then, on the same files:
1. the floor: a bare streaming parse (ijson, its C backend) that only counts records;
2. `watch import decp` as run in this process: read, normalise, resolve, score, write to
   SQLite, in batches.
Prints records per second of each, their ratio, the import's wall time and the peak
resident memory of this process (the issue's budget: 10 minutes and 500 MB for 1.5
million records). Runs in its own data folder and SQLite database (temporary)."""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OBJECTS = [
    "Travaux de voirie et réseaux divers, lot {n}",
    "Fourniture de denrées alimentaires pour la restauration scolaire",
    "Maintenance des installations de chauffage, ventilation et climatisation",
    "Mission de maîtrise d'oeuvre pour la réhabilitation du groupe scolaire",
    "Prestations de nettoyage des locaux municipaux, lot {n}",
    "Fourniture et livraison de matériel informatique",
    "Entretien des espaces verts de la commune",
    "Location et maintenance de photocopieurs",
]
SURVEILLANCE = [
    "Extension du système de vidéoprotection urbaine, tranche {n}",
    "Maintenance du centre de supervision urbain et des caméras",
    "Fourniture et pose de caméras de vidéosurveillance sur la voie publique",
]
CPV = ["45233140", "15000000", "50700000", "71000000", "90910000", "30200000", "77310000"]
CPV_SURVEILLANCE = ["32323500", "35125300"]


def records(rng: random.Random, sirens: list[str], count: int, shape: str):
    for i in range(count):
        watched = rng.random() < 0.01
        obj = rng.choice(SURVEILLANCE if watched else OBJECTS).format(n=rng.randint(1, 9))
        cpv = rng.choice(CPV_SURVEILLANCE if watched else CPV)
        siret = rng.choice(sirens) + f"{rng.randint(0, 99999):05d}"
        holder = {"typeIdentifiant": "SIRET", "id": f"{rng.randint(10**13, 10**14 - 1)}"}
        day = f"20{rng.randint(19, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        record: dict = {
            "id": f"{day[:4]}{i:09d}",
            "acheteur": {"id": siret},
            "nature": "Marché",
            "objet": obj,
            "codeCPV": cpv if shape == "2022" else cpv + "-1",
            "procedure": "Procédure adaptée",
            "lieuExecution": {"code": siret[:5], "typeCode": "Code postal"},
            "dureeMois": rng.randint(1, 48),
            "dateNotification": day,
            "datePublicationDonnees": day,
            "montant": round(rng.uniform(1000, 2_000_000), 2),
            "formePrix": "Forfaitaire",
        }
        if shape == "2019":
            record["_type"] = "Marché"
            record["acheteur"]["nom"] = f"Commune {siret[:9]}"
            holder["denominationSociale"] = f"Entreprise {holder['id'][:6]}"
            record["titulaires"] = [holder]
        else:
            record["titulaires"] = [{"titulaire": holder}]
        yield record


def write(path: Path, shape: str, rows) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write('{"marches": [' if shape == "2019" else '{"marches": {"marche": [')
        for n, row in enumerate(rows):
            if n:
                out.write(",\n")
            out.write(json.dumps(row, ensure_ascii=False))
        out.write("]}" if shape == "2019" else "]}}")


def bare_parse(paths: list[Path]) -> tuple[float, int]:
    import ijson

    began = time.perf_counter()
    count = 0
    for path, prefix in zip(paths, ("marches.item", "marches.marche.item"), strict=True):
        with path.open("rb") as stream:
            for _ in ijson.items(stream, prefix):
                count += 1
    return time.perf_counter() - began, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_500_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-watch-"))
    try:
        os.environ["CONTRECHAMP_DATA_DIR"] = str(folder)
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ["DJANGO_SETTINGS_MODULE"] = "contrechamp.settings"
        import django

        django.setup()
        from django.core.management import call_command

        from contrechamp.places.models import Commune
        from contrechamp.places.services import places_load
        from contrechamp.watch.models import WatchRecord
        from contrechamp.watch.services import import_decp

        call_command("migrate", verbosity=0)
        places_load()
        sirens = list(Commune.objects.exclude(siren="").values_list("siren", flat=True))
        rng = random.Random(15)
        half = args.records // 2
        paths = [folder / "decp-2019.json", folder / "decp-2022.json"]
        began = time.perf_counter()
        write(paths[0], "2019", records(rng, sirens, half, "2019"))
        write(paths[1], "2022", records(rng, sirens, args.records - half, "2022"))
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(
            f"generated {args.records} records, {size:.0f} MB, "
            f"in {time.perf_counter() - began:.0f} s"
        )

        parse_seconds, parsed = bare_parse(paths)
        began = time.perf_counter()
        if os.environ.get("PROFILE"):
            import cProfile

            cProfile.runctx("import_decp(paths)", globals(), locals(), "/tmp/watch.prof")
            return
        run = import_decp(paths)
        import_seconds = time.perf_counter() - began
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        assert parsed == run.read == args.records, (parsed, run.read)
        assert WatchRecord.objects.count() == run.new
        print(f"bare streaming parse   {parsed / parse_seconds:10.0f} records/s")
        print(
            f"watch import decp      {run.read / import_seconds:10.0f} records/s"
            f"  ({parse_seconds / import_seconds:.2f}× the bare parse)"
        )
        print(
            f"import: {import_seconds / 60:.1f} min for {run.read} records "
            f"(budget 10 min), {run.candidates} candidates; peak memory {peak:.0f} MB "
            f"(budget 500 MB)"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
