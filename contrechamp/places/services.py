"""Loading the reference list of places.

Names are looked up by `Commune.name_key`, written with `contrechamp.lib.text.name_key`
(re-exported here, where the API, the access requests and the registry forms have always
found it).

Sources, both vendored in `places/data/`:
- @etalab/decoupage-administratif (npm, MIT): communes, EPCI, departments, regions, with
  population and SIREN;
- communes-geo-2018.csv (IGN Admin Express COG 2018, Licence Ouverte): area and a point
  inside each commune. A commune merged since 2018 gets the sum of the areas of its own
  code and of its `anciensCodes`; the point is the one of its own code, else of the
  first former code found.
"""

import csv
import functools
import gzip
import hashlib
import io
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from contrechamp.lib.text import name_key, unaccent
from contrechamp.places.models import Commune, Department, Epci, PlaceDataLoad, Region

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
FILES = [
    "etalab-regions.json.gz",
    "etalab-departements.json.gz",
    "etalab-epci.json.gz",
    "etalab-communes.json.gz",
    "communes-geo-2018.csv.gz",
]
CURRENT_TYPES = {"commune-actuelle", "arrondissement-municipal"}
BATCH = 2000
# Bumped when the loader writes new columns or computes one differently, so that
# existing databases reload (3: `name_key` from lib/text.py, "St" read as "saint").
LOADER_VERSION = b"3"


@dataclass
class Geo:
    area_km2: float
    latitude: float
    longitude: float


def _read_json(name: str) -> list[dict]:
    with gzip.open(DATA_DIR / name, "rt", encoding="utf-8") as f:
        return json.load(f)


# How a department's or a region's name follows "de", by the official linking type of
# its name (INSEE's TNCC, `typeLiaison` in the vendored files): "de l'Ain", "du Nord",
# "des Alpes-Maritimes", "de la Loire", "d'Ille-et-Vilaine", "de Seine-et-Marne".
LINKING_ARTICLES = {
    0: "de ",
    1: "d'",
    2: "du ",
    3: "de la ",
    4: "des ",
    5: "de l'",
    6: "des ",
    7: "de las ",
    8: "de los ",
}


@functools.cache
def _linking_types() -> dict[tuple[str, str], int]:
    return {
        (kind, row["code"]): row.get("typeLiaison", 0)
        for kind, name in (
            ("region", "etalab-regions.json.gz"),
            ("department", "etalab-departements.json.gz"),
        )
        for row in _read_json(name)
    }


# The bodies that sit where a "conseil départemental" or a "conseil régional" would: the
# Conseil de Paris; the single collectivities of Corsica, Guyane and Martinique; Mayotte's
# department, which holds a region's powers; the overseas collectivities' assemblies
# (Clipperton has none: the State governs it).
_COMS = {
    "975": "Conseil territorial de Saint-Pierre-et-Miquelon",
    "977": "Conseil territorial de Saint-Barthélemy",
    "978": "Conseil territorial de Saint-Martin",
    "984": "Administration des Terres australes et antarctiques françaises",
    "986": "Assemblée territoriale des îles Wallis et Futuna",
    "987": "Assemblée de la Polynésie française",
    "988": "Congrès de la Nouvelle-Calédonie",
}
AREA_COUNCILS = {
    ("department", "75"): "Conseil de Paris",
    ("department", "2A"): "Collectivité de Corse",
    ("department", "2B"): "Collectivité de Corse",
    ("department", "972"): "Collectivité territoriale de Martinique",
    ("department", "973"): "Collectivité territoriale de Guyane",
    ("region", "94"): "Collectivité de Corse",
    ("region", "02"): "Collectivité territoriale de Martinique",
    ("region", "03"): "Collectivité territoriale de Guyane",
    ("region", "06"): "Conseil départemental de Mayotte",
    **{(kind, code): name for code, name in _COMS.items() for kind in ("department", "region")},
}


def council_name(kind: str, code: str, name: str) -> str:
    """The council of a department or a region ("department" or "region") as letters
    address it: "Conseil départemental de la Loire", "Conseil régional d'Île-de-France",
    "Conseil de Paris", "Collectivité territoriale de Guyane"."""
    special = AREA_COUNCILS.get((kind, code))
    if special:
        return special
    title = "Conseil départemental" if kind == "department" else "Conseil régional"
    return f"{title} {of_area_named(kind, code, name)}"


def of_area(area: Department | Region) -> str:
    """ "de la Loire", "des Alpes-Maritimes", "d'Île-de-France": the department's or
    the region's name after "de", as French writes it ("Préfecture de la Loire")."""
    kind = "department" if isinstance(area, Department) else "region"
    return of_area_named(kind, area.code, area.name)


def of_area_named(kind: str, code: str, name: str) -> str:
    """`of_area` from the kind ("department" or "region"), code and name (for a
    migration's models). A name's own article is dropped where the linking holds it
    ("du Territoire de Belfort"); "La Réunion" keeps it ("de La Réunion")."""
    linking = _linking_types().get((kind, code), 0)
    if linking in (2, 3, 4, 5):
        for article in ("Le ", "La ", "Les ", "L'"):
            if name.startswith(article):
                name = name[len(article) :]
    article = LINKING_ARTICLES.get(linking, "de ")
    if article == "de " and unaccent(name[:1]).lower() in "aeiouy":
        article = "d'"  # "Île de Clipperton" is written with the type of a consonant
    return f"{article}{name}"


def _read_geo() -> dict[str, Geo]:
    with gzip.open(DATA_DIR / "communes-geo-2018.csv.gz", "rb") as f:
        reader = csv.DictReader(io.TextIOWrapper(f, encoding="utf-8"))
        return {
            row["insee_code_2018"]: Geo(
                float(row["area_km2"]), float(row["lat"]), float(row["lon"])
            )
            for row in reader
        }


# Names communes go by that the official list writes otherwise: New Caledonia's
# Boulouparis, as the town and the territory's press write it, is "Bouloupari" in the COG;
# Berck is "Berck-sur-Mer" on its own signs and in the press; Le Touquet-Paris-Plage is
# "Le Touquet", Soorts-Hossegor "Hossegor" (no commune bears any of these names).
# (Cherbourg, a former commune, is in the list already.)
USUAL_NAMES = [
    ("Boulouparis", "98802"),
    ("Berck-sur-Mer", "62108"),
    ("Le Touquet", "62826"),
    ("Hossegor", "40304"),
    ("Sablé", "72264"),
    # The town writes its Breton name with its apostrophe; the list writes "Crach".
    ("Crac'h", "56046"),
]


def former_commune_names() -> list[tuple[str, str]]:
    """(name, code of today's commune) for every delegated or associated commune of the
    vendored list: the names of communes merged into another ("Le Chesnay", in
    Le Chesnay-Rocquencourt since 2019), which texts written before or since still use;
    and the usual names the list writes otherwise (`USUAL_NAMES`). Read from the file,
    not the database: the loader keeps only current communes."""
    return [
        *(
            (c["nom"], c["chefLieu"])
            for c in _read_json("etalab-communes.json.gz")
            if c["type"] in ("commune-deleguee", "commune-associee") and c.get("chefLieu")
        ),
        *USUAL_NAMES,
    ]


def places_data_digest() -> str:
    digest = hashlib.sha256(LOADER_VERSION)
    for name in FILES:
        digest.update((DATA_DIR / name).read_bytes())
    return digest.hexdigest()


def commune_geo(code: str, former_codes: list[str], geo: dict[str, Geo]) -> Geo | None:
    """Area summed over the commune's own code and former codes; None when none is known."""
    found = [geo[c] for c in [code, *former_codes] if c in geo]
    if not found:
        return None
    return Geo(
        area_km2=round(sum(g.area_km2 for g in found), 3),
        latitude=found[0].latitude,
        longitude=found[0].longitude,
    )


def places_load(*, force: bool = False) -> tuple[PlaceDataLoad, bool]:
    """Load or refresh every place. Returns (the load record, whether anything was done).

    Idempotent: when the vendored files have not changed since the last load, nothing is
    written. Rows are upserted by their official code, so ids and the deployments that
    point at them survive a refresh.
    """
    digest = places_data_digest()
    last = PlaceDataLoad.objects.order_by("-loaded_at").first()
    if last and last.digest == digest and not force and Commune.objects.exists():
        return last, False

    regions = _read_json("etalab-regions.json.gz")
    departments = _read_json("etalab-departements.json.gz")
    epcis = _read_json("etalab-epci.json.gz")
    communes = [c for c in _read_json("etalab-communes.json.gz") if c["type"] in CURRENT_TYPES]
    geo = _read_geo()

    with transaction.atomic():
        Region.objects.bulk_create(
            [Region(code=r["code"], name=r["nom"]) for r in regions],
            update_conflicts=True,
            unique_fields=["country", "code"],
            update_fields=["name"],
        )
        region_ids = dict(Region.objects.filter(country="FR").values_list("code", "id"))
        Department.objects.bulk_create(
            [
                Department(
                    code=d["code"], name=d["nom"], region_id=region_ids.get(d.get("region", ""))
                )
                for d in departments
            ],
            update_conflicts=True,
            unique_fields=["country", "code"],
            update_fields=["name", "region"],
        )
        department_ids = dict(Department.objects.filter(country="FR").values_list("code", "id"))
        Epci.objects.bulk_create(
            [
                Epci(
                    siren=e["code"],
                    name=e["nom"],
                    kind=e["type"],
                    population=e.get("populationMunicipale"),
                )
                for e in epcis
            ],
            update_conflicts=True,
            unique_fields=["siren"],
            update_fields=["name", "kind", "population"],
            batch_size=BATCH,
        )
        epci_ids = dict(Epci.objects.values_list("siren", "id"))
        epci_of_commune = {
            member["code"]: epci_ids[e["code"]] for e in epcis for member in e["membres"]
        }

        rows = []
        with_area = 0
        for c in communes:
            former = c.get("anciensCodes", [])
            g = commune_geo(c["code"], former, geo)
            with_area += g is not None
            rows.append(
                Commune(
                    code=c["code"],
                    name=c["nom"],
                    name_key=name_key(c["nom"]),
                    kind="arrondissement" if c["type"] == "arrondissement-municipal" else "commune",
                    department_id=department_ids.get(c.get("departement", "")),
                    epci_id=epci_of_commune.get(c["code"]),
                    siren=c.get("siren", ""),
                    population=c.get("population"),
                    area_km2=g.area_km2 if g else None,
                    latitude=g.latitude if g else None,
                    longitude=g.longitude if g else None,
                    postal_codes=" ".join(c.get("codesPostaux", [])),
                    former_codes=" ".join(former),
                )
            )
        Commune.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=[
                "name",
                "name_key",
                "kind",
                "department",
                "epci",
                "siren",
                "population",
                "area_km2",
                "latitude",
                "longitude",
                "postal_codes",
                "former_codes",
            ],
            batch_size=BATCH,
        )
        commune_ids = dict(Commune.objects.values_list("code", "id"))
        arrondissements = [c for c in communes if c["type"] == "arrondissement-municipal"]
        for c in arrondissements:
            Commune.objects.filter(code=c["code"]).update(parent_id=commune_ids[c["commune"]])
        # A point for arrondissements comes from their city when the 2018 file has none.
        load = PlaceDataLoad.objects.create(
            digest=digest,
            communes=len(rows),
            epcis=len(epcis),
            departments=len(departments),
            regions=len(regions),
            communes_with_area=with_area,
        )
    logger.info("places loaded: %s communes, %s with an area", len(rows), with_area)
    return load, True
