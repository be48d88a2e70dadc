"""Camera figures for places: latest count, density, rank among comparable places.

The rules a figure follows (docs/features.md, "Places, figures and the map", says them
to the reader too):

- A commune's figure is its latest accepted count dated today or before: a count dated
  after today is refused when entered, and one stored earlier is never the latest.
- A city divided into municipal arrondissements (Paris, Lyon, Marseille) is one commune
  with one figure, never its own count plus its arrondissements': its own latest count,
  or the sum of its arrondissements' latest counts when every arrondissement has one and
  the oldest of them is more recent than the city's own (the sum is only as recent as
  its oldest part). A city with no count of its own adds up the counts its
  arrondissements have. National and department figures and the ranking read these
  figures; an arrondissement's own page shows its own count, unranked (it is not a
  commune).
- Per-inhabitant and per-km² figures need a population and an area above zero (the
  six villages of the Meuse "morts pour la France" have no inhabitant): otherwise none.
  A city's sum of some of its arrondissements' counts is of their inhabitants, not the
  whole city's (arrondissements have no area: it has no figure per km²).
- A department's figures add up its communes' figures: its cameras are their sum; per
  1,000 inhabitants and per km² divide the cameras of the communes with a population
  (an area) above zero by those communes' population (area), not the department's, whose
  other communes have no known count; its coverage is how many of its communes have a
  figure and the share of its population they hold. A department whose communes have
  no figure has no total ("no figure known"), not 0.
- The departments' table sorts by name, code, cameras, per 1,000 inhabitants, per km²
  or coverage, either way; a department with no value in the column sorted by (no
  figure known, or no inhabitant for per 1,000) comes last in both directions, in the
  order of codes, so that a reversed order never opens on empty rows.
- Counts are added up and ranked as they are: the observatory cannot turn a police
  prefecture's count of street cameras into a town's count of its own. But no total or
  rank hides what it adds: a figure that is an estimate says "about", a total that
  includes one says how many, and a total or rank made of counts of different
  perimeters ("what was counted", compared by `scope_key`; a perimeter not stated is
  the same as none other) says so, with a link to the counts and their perimeters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from contrechamp.lib.parameters import ParameterError
from contrechamp.lib.partialdate import format_partial_date
from contrechamp.lib.text import name_key
from contrechamp.places.models import Commune, Department
from contrechamp.registry.models import CameraCount, CountFigures, Deployment, same_scope

# Comparable communes: same population band (INSEE-like size classes).
BANDS = [(0, 10_000), (10_000, 50_000), (50_000, 200_000), (200_000, 10**9)]


@dataclass
class CommuneCameras(CountFigures):
    """The camera figure of one commune (or, on its own page, of one arrondissement)."""

    commune: Commune
    count: int
    date: str
    perimeter: str = ""
    approximate: bool = False
    # How many arrondissements' counts it adds up (0: the commune's own count), and of
    # how many the city has.
    parts: int = 0
    parts_of: int = 0
    # For a sum of some of the city's arrondissements: their inhabitants and area (None
    # when one has none), which the figures per inhabitant and per km² divide by.
    parts_population: int | None = None
    parts_area_km2: float | None = None

    @property
    def partial(self) -> bool:
        return 0 < self.parts < self.parts_of

    @property
    def covered_population(self) -> int | None:
        return self.parts_population if self.partial else self.commune.population

    @property
    def covered_area_km2(self) -> float | None:
        return self.parts_area_km2 if self.partial else self.commune.area_km2


@dataclass
class CameraFigures:
    count: CommuneCameras | None
    per_km2: float | None
    per_1000: float | None
    rank: int | None
    rank_of: int | None
    band: tuple[int, int] | None
    # The figures it is ranked among (its own included): their estimates and perimeters;
    # and how many of the others counted something else than it did (another perimeter,
    # or one not stated: not known to be the same).
    ranked: Mix | None = None
    ranked_other_scope: int = 0


def not_future() -> Q:
    """Counts dated today or before. Partial dates are ISO text, so "2025" and "2025-06"
    sort before "2025-06-03": a year or month holding today is not in the future."""
    return Q(date__lte=timezone.localdate().isoformat())


def latest_counts() -> QuerySet[CameraCount]:
    """CameraCount rows that are the latest figure of their commune or arrondissement
    (largest on a tie), among those not dated after today."""
    latest = (
        CameraCount.objects.filter(not_future(), commune=OuterRef("commune"))
        .order_by("-date", "-count", "-id")
        .values("id")[:1]
    )
    return CameraCount.objects.filter(id=Subquery(latest)).select_related(
        "commune", "commune__department"
    )


def commune_cameras(rows: Iterable[CameraCount] | None = None) -> list[CommuneCameras]:
    """One figure per commune with a count, a city once (see the module's rules), from
    `rows` (by default `latest_counts()`), the largest first."""
    own: dict[int, CommuneCameras] = {}
    parts: dict[int, list[CameraCount]] = defaultdict(list)
    for row in latest_counts() if rows is None else rows:
        if row.commune.parent_id is not None:
            parts[row.commune.parent_id].append(row)
        else:
            own[row.commune_id] = _figure_of(row)
    if parts:
        sizes = dict(
            Commune.objects.filter(parent_id__in=parts)
            .values("parent_id")
            .annotate(n=Count("id"))
            .values_list("parent_id", "n")
        )
        cities = Commune.objects.in_bulk(list(parts))
        for city_id, counted in parts.items():
            whole = len(counted) == sizes.get(city_id)
            oldest = min(c.date for c in counted)
            mine = own.get(city_id)
            if mine is None or (whole and oldest > mine.date):
                areas = [c.commune.area_km2 for c in counted]
                keys = {c.scope_key for c in counted}
                own[city_id] = CommuneCameras(
                    cities[city_id],
                    sum(c.count for c in counted),
                    oldest,
                    # One perimeter when every part states the same, else none stated.
                    perimeter=counted[0].perimeter if len(keys) == 1 and "" not in keys else "",
                    approximate=any(c.approximate for c in counted),
                    parts=len(counted),
                    parts_of=sizes.get(city_id, 0),
                    parts_population=sum(c.commune.population or 0 for c in counted),
                    parts_area_km2=None if None in areas else sum(a or 0 for a in areas),
                )
    return sorted(own.values(), key=lambda f: (-f.count, f.commune.name_key))


def _figure_of(row: CameraCount) -> CommuneCameras:
    return CommuneCameras(row.commune, row.count, row.date, row.perimeter, row.approximate)


@dataclass
class Mix:
    """What a total or a ranking mixes: how many of its figures are estimates, and of
    how many perimeters its figures are (each unstated one counted apart)."""

    figures: int = 0
    estimates: int = 0
    scopes: int = 0

    @property
    def mixed_scopes(self) -> bool:
        return self.scopes > 1


def mix_of(figures: Iterable[CountFigures]) -> Mix:
    keys: set[str] = set()
    unstated = estimates = n = 0
    for f in figures:
        n += 1
        estimates += f.approximate
        if f.scope_key:
            keys.add(f.scope_key)
        else:
            unstated += 1
    return Mix(n, estimates, len(keys) + unstated)


def _band(population: int | None) -> tuple[int, int] | None:
    if population is None:
        return None
    for low, high in BANDS:
        if low <= population < high:
            return (low, high)
    return None


def commune_figures(commune: Commune) -> CameraFigures:
    band = _band(commune.population)
    if commune.parent_id is not None:
        # An arrondissement: its own count, unranked (the ranking is of communes).
        row = latest_counts().filter(commune=commune).first()
        mine = _figure_of(row) if row else None
        if mine is None:
            return CameraFigures(None, None, None, None, None, band)
        return CameraFigures(mine, mine.per_km2, mine.per_1000, None, None, band)
    figures = commune_cameras()
    mine = next((f for f in figures if f.commune.id == commune.id), None)
    if mine is None:
        return CameraFigures(None, None, None, None, None, band)
    per_1000 = mine.per_1000
    rank = rank_of = None
    ranked = None
    other_scope = 0
    if band and per_1000 is not None:
        # Peers of no inhabitant have no figure per inhabitant, hence no rank.
        peers = [
            f for f in figures if f.per_1000 is not None and _band(f.commune.population) == band
        ]
        rank_of = len(peers)
        rank = 1 + sum(1 for f in peers if (f.per_1000 or 0) > per_1000)
        ranked = mix_of(peers)
        other_scope = sum(
            1 for f in peers if f is not mine and not same_scope(f.perimeter, mine.perimeter)
        )
    return CameraFigures(
        mine, mine.per_km2, per_1000, rank, rank_of, band, ranked, ranked_other_scope=other_scope
    )


def national_figures() -> dict[str, int | str | Mix]:
    published = Deployment.objects.published()
    counted = commune_cameras()
    # A deployment of an arrondissement is its city's: the city counts once.
    concerned = (
        Commune.objects.filter(deployments__is_published=True)
        .annotate(city=Coalesce("parent_id", "id"))
        .values("city")
        .distinct()
    )
    return {
        "deployments": published.count(),
        "communes": concerned.count(),
        "departments": Commune.objects.filter(deployments__is_published=True)
        .values("department")
        .distinct()
        .count(),
        "cameras_counted": sum(f.count for f in counted),
        "communes_counted": len(counted),
        "latest_count_date": max((f.date for f in counted), default=""),
        # The total adds each commune's latest figure, of whatever year: the home page
        # says the span when they are of several years.
        "earliest_count_date": min((f.date for f in counted), default=""),
        # What the total adds up: estimates, and counts of different perimeters.
        "mix": mix_of(counted),
    }


def deployments_by_department() -> dict[int, set[int]]:
    """The published deployments of each department (by id): those naming one of its
    communes, and those naming the intercommunality of one of them."""
    by_department: dict[int, set[int]] = {}
    pairs = [
        Deployment.communes.through.objects.filter(deployment__is_published=True).values_list(
            "commune__department_id", "deployment_id"
        ),
        Deployment.epcis.through.objects.filter(deployment__is_published=True)
        .values_list("epci__communes__department_id", "deployment_id")
        .distinct(),
    ]
    for rows in pairs:
        for department_id, deployment_id in rows:
            if department_id is not None:
                by_department.setdefault(department_id, set()).add(deployment_id)
    return by_department


@dataclass
class DepartmentFigures:
    """A department's camera figures, from its communes' (see the module's rules)."""

    department: Department
    # Its communes (a city with arrondissements is one), their inhabitants, and the area
    # of those with a known area (`communes_with_area` of them).
    communes: int
    population: int | None
    area_km2: float | None
    communes_with_area: int
    # Its communes with a figure, the inhabitants their counts are of.
    communes_counted: int
    population_counted: int
    # None: no commune of it has a figure ("no figure known", not 0).
    cameras: int | None
    per_1000: float | None
    per_km2: float | None
    earliest_date: str
    latest_date: str
    deployments: int
    # What its cameras add up: estimates, counts of different perimeters.
    mix: Mix = field(default_factory=Mix)

    @property
    def population_share(self) -> float | None:
        """The share of its inhabitants living in a commune with a figure (0 to 1)."""
        if not self.population:
            return None
        return min(1.0, self.population_counted / self.population)

    @property
    def population_percent(self) -> float | None:
        share = self.population_share
        return None if share is None else 100 * share

    @property
    def earliest_date_text(self) -> str:
        return format_partial_date(self.earliest_date, get_language() or "fr")

    @property
    def latest_date_text(self) -> str:
        return format_partial_date(self.latest_date, get_language() or "fr")


def department_figures(department: Department | None = None) -> list[DepartmentFigures]:
    """The figures of every department, by code (or of `department` alone): a handful of
    queries whatever their number."""
    departments = (
        [department]
        if department is not None
        else list(Department.objects.select_related("region"))
    )
    ids = [d.id for d in departments]
    places = {
        row["department_id"]: row
        for row in Commune.objects.filter(parent__isnull=True, department_id__in=ids)
        .values("department_id")
        .annotate(
            n=Count("id"),
            population=Sum("population"),
            area=Sum("area_km2"),
            with_area=Count("area_km2"),
        )
    }
    counted: dict[int, list[CommuneCameras]] = defaultdict(list)
    for figure in commune_cameras():
        department_id = figure.commune.department_id
        if department_id is not None and department_id in places:
            counted[department_id].append(figure)
    deployments = deployments_by_department()
    result = []
    for d in departments:
        row = places.get(d.id, {})
        mine = counted.get(d.id, [])
        inhabited = [(f.count, p) for f in mine if (p := f.covered_population)]
        sized = [(f.count, a) for f in mine if (a := f.covered_area_km2)]
        people = sum(p for _c, p in inhabited)
        area = sum(a for _c, a in sized)
        dates = [f.date for f in mine]
        result.append(
            DepartmentFigures(
                department=d,
                communes=row.get("n", 0),
                population=row.get("population"),
                area_km2=row.get("area"),
                communes_with_area=row.get("with_area", 0),
                communes_counted=len(mine),
                population_counted=sum(f.covered_population or 0 for f in mine),
                cameras=sum(f.count for f in mine) if mine else None,
                per_1000=sum(c for c, _p in inhabited) * 1_000 / people if people else None,
                per_km2=sum(c for c, _a in sized) / area if area else None,
                earliest_date=min(dates, default=""),
                latest_date=max(dates, default=""),
                deployments=len(deployments.get(d.id, ())),
                mix=mix_of(mine),
            )
        )
    return result


def departments_coverage(figures: list[DepartmentFigures]) -> dict[str, int | float | None]:
    """How complete the departments' figures are: how many departments and communes
    have one, and the share of the inhabitants those communes hold (0 to 1)."""
    population = sum(f.population or 0 for f in figures)
    counted = sum(f.population_counted for f in figures)
    return {
        "departments": len(figures),
        "departments_counted": sum(1 for f in figures if f.cameras is not None),
        "communes": sum(f.communes for f in figures),
        "communes_counted": sum(f.communes_counted for f in figures),
        "population_percent": 100 * counted / population if population else None,
    }


# --- the departments' table's order ----------------------------------------------------

# The parameter of the table's page and of its CSV (`/departements/?tri=-cameras`), and
# its values, French as the site's addresses are: each reads one value of a department,
# None when it has none. A "-" before it reverses the order.
ORDER_PARAMETER = "tri"
_Value = Callable[[DepartmentFigures], "str | int | float | None"]


def _known(read: Callable[[DepartmentFigures], int | float | None]) -> _Value:
    # A figure of a department with no count is none, whatever it reads (its coverage
    # of 0 % is not a figure to sort among the others).
    return lambda f: None if f.cameras is None else read(f)


DEPARTMENT_ORDERS: dict[str, _Value] = {
    "nom": lambda f: name_key(f.department.name),
    "code": lambda f: f.department.code,
    "cameras": _known(lambda f: f.cameras),
    "pour-1000": _known(lambda f: f.per_1000),
    "par-km2": _known(lambda f: f.per_km2),
    "couverture": _known(lambda f: f.population_share),
}
DEFAULT_ORDER = "code"
# The way a column's link sorts first: names and codes from A, figures from the largest.
DESCENDING_FIRST = frozenset({"cameras", "pour-1000", "par-km2", "couverture"})


@dataclass(frozen=True)
class DepartmentOrder:
    key: str = DEFAULT_ORDER
    descending: bool = False

    @property
    def value(self) -> str:
        """As the parameter gives it ("-cameras"); "" for the default order."""
        if (self.key, self.descending) == (DEFAULT_ORDER, False):
            return ""
        return ("-" if self.descending else "") + self.key

    def link(self, key: str) -> str:
        """The value a column's link gives: the other way when it is the order, else its
        first way."""
        if key == self.key:
            return DepartmentOrder(key, not self.descending).value
        return DepartmentOrder(key, key in DESCENDING_FIRST).value


def department_order(value: str) -> DepartmentOrder:
    """The order `value` names ("" for the default); raises ParameterError for a value
    that names none, saying which are accepted."""
    value = value.strip()
    if not value:
        return DepartmentOrder()
    key = value.removeprefix("-")
    if key not in DEPARTMENT_ORDERS:
        raise ParameterError(
            ORDER_PARAMETER,
            _(
                "Unknown order “%(value)s”. Accepted: %(accepted)s, each with “-” before "
                "it for the reverse order."
            )
            % {"value": value[:50], "accepted": ", ".join(DEPARTMENT_ORDERS)},
        )
    return DepartmentOrder(key, value.startswith("-"))


def departments_sorted(
    figures: list[DepartmentFigures], order: DepartmentOrder
) -> list[DepartmentFigures]:
    """`figures` (in the order of codes) in `order`, those without a value for it last,
    in the order of codes, whichever the direction."""
    read = DEPARTMENT_ORDERS[order.key]
    valued = [(v, f) for f in figures if (v := read(f)) is not None]
    unvalued = [f for f in figures if read(f) is None]
    # A stable sort: ties keep the order of codes, in both directions.
    valued.sort(key=lambda pair: pair[0], reverse=order.descending)  # type: ignore[arg-type,return-value]
    return [f for _v, f in valued] + unvalued
