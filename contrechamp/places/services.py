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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from django.db import models, transaction
from django.db.models import Q

from contrechamp.lib.relations import relations_to
from contrechamp.lib.text import name_key, unaccent
from contrechamp.places.models import Commune, Department, Epci, PlaceDataLoad, Region
from contrechamp.places.signals import commune_folded

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


@dataclass(frozen=True)
class PlacesSources:
    """Where the places' figures come from, as the vendored data's own metadata says
    (places/data/etalab-VERSION.json, communes-geo-2018-SOURCE.json): the census year
    of the populations and the year of the areas."""

    package_version: str
    population_source: str
    population_year: int | None
    areas_source: str
    areas_year: int | None


def _metadata(name: str) -> dict[str, Any]:
    try:
        data = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _year(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def places_sources() -> PlacesSources:
    """The places' sources as their metadata gives them; a year the metadata does not
    give is None (said to be unknown, never guessed)."""
    etalab = _metadata("etalab-VERSION.json")
    population = etalab.get("population")
    population = population if isinstance(population, dict) else {}
    geo = _metadata("communes-geo-2018-SOURCE.json")
    return PlacesSources(
        package_version=str(etalab.get("version", "")),
        population_source=str(population.get("source", "")),
        population_year=_year(population.get("year")),
        areas_source=str(geo.get("source", "")),
        areas_year=_year(geo.get("year")),
    )


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


@dataclass
class FormerCommune:
    """A commune row of an earlier load that the current official file no longer has,
    its code now a former code of a current commune: `into` the code of that commune
    when it was folded into it, with what moved (`moved`: "registry.Deployment.communes":
    3); empty when its code is a former code of several current communes (a commune
    split since: which one inherits a deployment is not guessed), listed in `owners`."""

    code: str
    name: str
    into: str = ""
    owners: list[str] = field(default_factory=list)
    moved: dict[str, int] = field(default_factory=dict)


def _unique_sets(model: type[models.Model], name: str) -> list[tuple[list[str], Q | None]]:
    """The sets of fields `model` keeps unique that hold the field `name`, each with the
    condition under which it applies (None: always)."""
    found: list[tuple[list[str], Q | None]] = []
    if getattr(model._meta.get_field(name), "unique", False):
        found.append(([name], None))
    for together in model._meta.unique_together:
        if name in together:
            found.append((list(together), None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and name in constraint.fields:
            found.append((list(constraint.fields), constraint.condition))
    return found


def _blanks_filled(kept: models.Model, gone: models.Model) -> None:
    """What `gone` holds that `kept` lacks, written into `kept` before `gone` is folded
    into it: the former commune's town hall's address and e-mail were deleted with its
    row when the current commune's, blank, was kept (a hostile review)."""
    changed = []
    for column in kept._meta.concrete_fields:
        if column.primary_key or column.is_relation or column.unique:
            continue
        mine, theirs = getattr(kept, column.attname), getattr(gone, column.attname)
        if mine in ("", None) and theirs not in ("", None):
            setattr(kept, column.attname, theirs)
            changed.append(column.attname)
    if changed:
        type(kept)._base_manager.filter(pk=kept.pk).update(
            **{name: getattr(kept, name) for name in changed}
        )


def _row_fold(old: models.Model, new: models.Model, moved: dict[str, int], depth: int = 0) -> None:
    """Point every relation to `old` at `new` instead, then delete `old`. Relations are
    read from the model (`_meta`), so one added later is moved as well. A link `new`
    already has is dropped rather than doubled (a deployment on both); a row that would
    break a unique constraint once moved (the former commune's town hall beside the
    current one's) is folded into the row it would duplicate, the same way."""
    if depth > 3:
        raise RuntimeError(f"folding {old!r} into {new!r} goes too deep")
    # (A many-to-many's own table is moved with it.)
    for relation in relations_to(old):
        related = cast(type[models.Model], relation.related_model)
        fk: Any = relation.field
        if not relation.many_to_many and related._meta.auto_created:
            continue
        label = f"{related._meta.label}.{fk.name}"
        if relation.many_to_many:
            through = cast(type[models.Model], fk.remote_field.through)
            here, there = fk.m2m_reverse_field_name(), fk.m2m_field_name()
            links = through._base_manager.filter(**{here: old})
            both = through._base_manager.filter(**{here: new}).values(there)
            count = links.count()
            links.filter(**{f"{there}__in": both}).delete()
            links.update(**{here: new})
        else:
            count = 0
            name = fk.name
            uniques = _unique_sets(related, name)
            for row in related._base_manager.filter(**{name: old}):
                twin = None
                for fields, condition in uniques:
                    same = {f: getattr(row, related._meta.get_field(f).attname) for f in fields}  # type: ignore[union-attr]
                    candidates = related._base_manager.filter(**{**same, name: new})
                    if condition is not None:
                        if not related._base_manager.filter(condition, pk=row.pk).exists():
                            continue
                        candidates = candidates.filter(condition)
                    twin = candidates.exclude(pk=row.pk).first()
                    if twin is not None:
                        break
                if twin is not None:
                    _blanks_filled(twin, row)
                    _row_fold(row, twin, moved, depth + 1)
                else:
                    related._base_manager.filter(pk=row.pk).update(**{name: new})
                count += 1
        if count:
            moved[label] = moved.get(label, 0) + count
    old.delete()


def former_communes_fold(current: set[str]) -> list[FormerCommune]:
    """Fold the communes of an earlier load merged since (in `current`, the official
    file's codes, they are gone; a current commune names them in its `former_codes`)
    into the commune they are part of now, so that their deployments, documents and
    requests are counted there and their page leads there (as a former code typed by
    hand does). Rows whose code no current commune names are left alone, and so are
    those of a commune split since. Returns what was done to each."""
    stale = list(Commune.objects.filter(country="FR").exclude(code__in=current))
    if not stale:
        return []
    owners: dict[str, list[Commune]] = {}
    for commune in Commune.objects.filter(code__in=current).exclude(former_codes=""):
        for code in commune.former_codes.split():
            owners.setdefault(code, []).append(commune)
    report = []
    for commune in stale:
        found = owners.get(commune.code, [])
        if not found:
            continue
        item = FormerCommune(
            code=commune.code, name=commune.name, owners=sorted(c.code for c in found)
        )
        if len(found) == 1:
            (into,) = found
            item.into = into.code
            _row_fold(commune, into, item.moved)
            for _receiver, count in commune_folded.send(
                sender=Commune, former=commune.code, name=commune.name, current=into
            ):
                for label, n in cast(dict[str, int], count or {}).items():
                    item.moved[label] = item.moved.get(label, 0) + n
        report.append(item)
    return report


def places_load(
    *, force: bool = False, former: list[FormerCommune] | None = None
) -> tuple[PlaceDataLoad, bool]:
    """Load or refresh every place. Returns (the load record, whether anything was done).

    Idempotent: when the vendored files have not changed since the last load, nothing is
    written. Rows are upserted by their official code, so ids and the deployments that
    point at them survive a refresh. A commune of an earlier load merged since into a
    current one is folded into it (`former_communes_fold`); `former`, when given,
    receives what was done to each such row.
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
            former_codes = c.get("anciensCodes", [])
            g = commune_geo(c["code"], former_codes, geo)
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
                    former_codes=" ".join(former_codes),
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
        folded = former_communes_fold({c["code"] for c in communes})
        if former is not None:
            former.extend(folded)
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
