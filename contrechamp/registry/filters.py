"""Deployment filters shared by the list page, the API and the exports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Exists, F, Field, FloatField, OuterRef, Q, QuerySet
from django.db.models.expressions import Expression, RawSQL
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contrechamp.lib.textsearch import (
    fts5_query,
    query_spellings,
    tsquery_excluded,
    tsquery_text,
)
from contrechamp.registry.models import Citation, Deployment, Funding

MAX_QUERY = 200


class FilterError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# Statuses of a deployment not begun, and of one that stopped (for the year filter).
NOT_BEGUN = ("announced", "planned")
STOPPED = ("suspended", "abandoned", "unlawful")


@dataclass
class DeploymentFilters:
    q: str = ""
    technology: str = ""
    status: str = ""
    department: str = ""
    commune: str = ""
    epci: str = ""
    vendor: str = ""
    funder: str = ""
    year: int | None = None
    # With `year`: the deployments the year's rule cannot place, having no start date
    # (listed apart, as the list page links to them); alone: those without a start date.
    undated: bool = False

    @classmethod
    def from_params(cls, params: object) -> DeploymentFilters:
        """Read filters from a QueryDict or dict; raise FilterError on a bad value."""
        get = params.get  # type: ignore[attr-defined]
        values = {f.name: (get(f.name) or "").strip() for f in fields(cls)}
        if len(values["q"]) > MAX_QUERY:
            raise FilterError("q", _("The search is too long (%d characters at most).") % MAX_QUERY)
        if values["status"] and values["status"] not in dict(Deployment.STATUSES):
            raise FilterError("status", _("Unknown status “%s”.") % values["status"])
        undated = values.pop("undated")
        if undated.lower() not in ("", "0", "false", "1", "true"):
            raise FilterError("undated", _("“%s” is neither 1 nor 0.") % undated)
        year = values.pop("year")
        parsed_year = None
        if year:
            # isascii: "³".isdigit() is True and int("³") raises.
            if not (year.isascii() and year.isdigit() and 1900 <= int(year) <= 2100):
                raise FilterError("year", _("“%s” is not a year.") % year)
            parsed_year = int(year)
        return cls(**values, year=parsed_year, undated=undated.lower() in ("1", "true"))

    @classmethod
    def names(cls) -> list[str]:
        """The filters' parameters, in their order: all the exports of deployments take
        (`lib.parameters.takes_parameters`, where `?departement=92` returned everything
        without a word). Pages ignore the others (a tracking parameter may be appended
        to a link)."""
        return [f.name for f in fields(cls)]

    def as_params(self) -> dict[str, str]:
        return {
            k: "1" if v is True else str(v)
            for k, v in asdict(self).items()
            if v not in ("", None, False)
        }

    def list_url(self) -> str:
        """The deployments' list with these filters (the place pages and the search page
        link to it)."""
        return reverse("deployment-list") + "?" + urlencode(self.as_params())

    @property
    def active(self) -> bool:
        return bool(self.as_params())

    def apply(self, qs: QuerySet[Deployment], *, ranked: bool = True) -> QuerySet[Deployment]:
        """Filter `qs`; with a text query, order by relevance (best first) unless `ranked`
        is false (for a caller that orders the rows its own way)."""
        if self.technology:
            qs = qs.filter(
                id__in=Deployment.technologies.through.objects.filter(
                    technology__slug=self.technology
                ).values("deployment_id")
            )
        if self.status:
            qs = qs.filter(status=self.status)
        if self.commune:
            # The commune's and its intercommunality's, as its page lists them (an
            # intercommunal supervision centre covers its communes).
            at = Deployment.communes.through.objects.filter(commune__code=self.commune)
            covering = Deployment.epcis.through.objects.filter(epci__communes__code=self.commune)
            qs = qs.filter(
                Q(id__in=at.values("deployment_id")) | Q(id__in=covering.values("deployment_id"))
            )
        if self.department:
            # Its communes', and those of the intercommunalities of its communes (a
            # metropolis's supervision centre, named by the metropolis alone: the
            # department's feed announced it, its page, list, CSV and API left it out).
            at = Deployment.communes.through.objects.filter(
                commune__department__code=self.department
            )
            covering = Deployment.epcis.through.objects.filter(
                epci__communes__department__code=self.department
            )
            qs = qs.filter(
                Q(id__in=at.values("deployment_id")) | Q(id__in=covering.values("deployment_id"))
            )
        if self.epci:
            # The intercommunality's territory, as its page lists it: the deployments
            # that name it, and those of its communes (as a department's are its
            # communes').
            named = Deployment.epcis.through.objects.filter(epci__siren=self.epci)
            members = Deployment.communes.through.objects.filter(commune__epci__siren=self.epci)
            qs = qs.filter(
                Q(id__in=named.values("deployment_id")) | Q(id__in=members.values("deployment_id"))
            )
        if self.vendor:
            qs = qs.filter(
                id__in=Deployment.vendors.through.objects.filter(
                    organisation__slug=self.vendor
                ).values("deployment_id")
            )
        if self.funder:
            qs = qs.filter(
                id__in=Funding.objects.filter(funder__slug=self.funder).values("deployment_id")
            )
        if self.undated:
            qs = qs.filter(start_date="")
            if self.year:
                qs = active_in(qs, self.year)
        elif self.year:
            qs = active_during(qs, self.year, self.year)
        if self.q:
            qs = search(qs, self.q, ranked=ranked)
        return qs


class _OnThisRow(Expression):
    """Raw SQL about the query's own deployment row: `{row}` in `sql` becomes the alias
    the query gives the deployment table (`registry_deployment` in a query of its own,
    `U0` once the queryset is a subquery of another: an export's `deployment_id__in=
    qs.values("id")`, the map's `deployments__in=qs`). A condition naming the table
    itself broke there ("no such column: registry_deployment.id", review 57)."""

    def __init__(self, sql: str, params: Sequence[str], output_field: Field) -> None:
        super().__init__(output_field)
        self.sql = sql
        self.params: list[str | int] = list(params)
        self.row: Any = F("id")  # resolved to the query's own id column, alias and all

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.sql!r}, {self.params!r})"

    def get_source_expressions(self) -> list[Any]:
        return [self.row]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.row,) = exprs

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[str | int]]:
        alias = compiler.quote_name_unless_alias(self.row.alias)
        return self.sql.format(row=alias), self.params


def _condition(sql: str, *params: str) -> _OnThisRow:
    return _OnThisRow(sql, params, BooleanField())


# The year filter's rule, said on the list page and in the API's documentation.
YEAR_RULE = gettext_lazy(
    "Known to be active that year, by the dates and sources the registry holds: begun that "
    "year or before and not ended before it. Without an end date, a deployment counts as "
    "running unless its status says it stopped, and an experiment only up to the year of "
    "its latest source (an experiment is temporary: a pilot reported only in 2018 is not "
    "known to run in 2025). Announced and planned ones are left out, and those without a "
    "start date are listed apart."
)


def active_in(qs: QuerySet[Deployment], year: int) -> QuerySet[Deployment]:
    """The deployments of `qs` not known to be inactive in `year` (`YEAR_RULE`), whatever
    their start date (the caller filters it). An experiment without an end date counts up
    to the year it began or of its latest source, whichever is later."""
    qs = qs.exclude(end_date__lt=str(year), end_date__gt="")
    # Not begun yet (announced, planned): its start date is a plan. Stopped (suspended,
    # abandoned, ruled unlawful) without an end date: when it stopped is unknown, so it is
    # not counted as running (a walk read a deployment ruled unlawful in 2019 among those
    # "active in 2024").
    qs = qs.exclude(status__in=NOT_BEGUN).exclude(status__in=STOPPED, end_date="")
    # An experiment without an end date, only up to its latest source: a walk read 2018
    # pilots, only ever reported in 2018, among those "active in 2025".
    confirmed = Citation.objects.filter(
        deployment=OuterRef("pk"), source__published_on__gte=str(year)
    )
    return qs.exclude(
        Q(status="experimenting", end_date="") & ~Q(start_date__gte=str(year)) & ~Exists(confirmed)
    )


def active_during(qs: QuerySet[Deployment], first: int, last: int | None) -> QuerySet[Deployment]:
    """The deployments of `qs` known to be active in at least one year from `first` to
    `last` (None: no end), by `YEAR_RULE`: begun by `last` (a start date is needed) and
    active by the rule's other conditions in `first`. Those conditions (not ended before
    the year, an experiment confirmed that year or later) only get harder as the year
    grows, and beginning only gets easier: a deployment active in some year of the
    range is active by the rule's conditions of its first year and has begun by its
    last, and one that is both was active in the range's year it began in (or its first)."""
    qs = qs.exclude(start_date="")
    if last is not None:
        # Partial ISO dates sort as text: "2018" <= "2018-99" and "2018-03" >= "2018".
        qs = qs.filter(start_date__lte=f"{last}-99")
    return active_in(qs, first)


def search(qs: QuerySet[Deployment], text: str, *, ranked: bool = True) -> QuerySet[Deployment]:
    """French full-text search, ranked unless `ranked` is false. Accents and plural forms
    match, and so do the spellings of the field's names ("vidéoprotection" finds a
    deployment of "vidéosurveillance", `lib.textsearch.query_spellings`).

    Every condition names the deployment table through the query's own alias
    (`_OnThisRow`), so the result can be used as a subquery of another query."""
    if not query_spellings(text):
        # Only stop words: PostgreSQL would ignore the condition and match everything.
        return qs.none()
    if not ranked:
        return _matching(qs, text)
    if connection.vendor == "postgresql":
        # search_vector: a stored column computed from search_text (migration 0005).
        query = tsquery_text(text)
        return (
            _without_excluded(
                qs.filter(
                    _condition("{row}.search_vector @@ to_tsquery('contrechamp_fr', %s)", query)
                ),
                text,
            )
            .annotate(
                rank=_OnThisRow(
                    "-ts_rank({row}.search_vector, to_tsquery('contrechamp_fr', %s))",
                    [query],
                    FloatField(),
                )
            )
            .order_by("rank", "-id")
        )
    expression = fts5_query(text)
    if not expression:
        return qs.none()
    # The FTS5 table joined by rowid (bm25 needs the MATCH in the same query); it keeps
    # its own name in any query, only the deployment table is renamed in a subquery.
    return (
        qs.extra(tables=["registry_deployment_fts"])
        .filter(
            _condition("registry_deployment_fts.rowid = {row}.id"),
            _condition("registry_deployment_fts MATCH %s", expression),
        )
        .annotate(rank=_OnThisRow("bm25(registry_deployment_fts)", [], FloatField()))
        .order_by("rank", "-id")
    )


def _without_excluded(qs: QuerySet[Deployment], text: str) -> QuerySet[Deployment]:
    """On PostgreSQL, `qs` without the deployments holding what `text` excludes ("-Nice"),
    as a condition of its own (see `tsquery_excluded`)."""
    excluded = tsquery_excluded(text)
    if not excluded:
        return qs
    return qs.filter(
        _condition("NOT ({row}.search_vector @@ to_tsquery('contrechamp_fr', %s))", excluded)
    )


def _matching(qs: QuerySet[Deployment], text: str) -> QuerySet[Deployment]:
    """The deployments of `qs` matching `text`, in `qs`'s order: no rank is computed.

    On SQLite the matches are an `id IN (…)` set rather than a join: the join made SQLite
    score and sort every match (110 ms for two common words over 50,000 deployments)
    before keeping the first page by id; with the set it walks ids in order and stops
    at the page's end (8 ms)."""
    if connection.vendor == "postgresql":
        return _without_excluded(
            qs.filter(
                _condition(
                    "{row}.search_vector @@ to_tsquery('contrechamp_fr', %s)", tsquery_text(text)
                )
            ),
            text,
        )
    expression = fts5_query(text)
    if not expression:
        return qs.none()
    return qs.filter(
        id__in=RawSQL(
            "SELECT rowid FROM registry_deployment_fts WHERE registry_deployment_fts MATCH %s",
            (expression,),
        )
    )
