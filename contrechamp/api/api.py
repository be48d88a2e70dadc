"""The read API, /api/v1/. One error envelope: {"error": {"code", "message", "field"}}."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Annotated, Any

import orjson
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI, Query, Schema, Swagger
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import Operation
from pydantic import Field

from contrechamp.access.models import AccessRequest
from contrechamp.access.permissions import public_requests
from contrechamp.access.schemas import (
    AccessRequestDetailOut,
    AccessRequestOut,
    BodyFoundOut,
    EventOut,
    access_request_dict,
    event_dicts,
)
from contrechamp.access.services import body_search, with_timeline
from contrechamp.api import serializers as s
from contrechamp.api.schemas import (
    CommuneOut,
    DepartmentOut,
    DocumentOut,
    EntityOut,
    EpciDetailOut,
    EpciOut,
    PageTextOut,
    PlaceOut,
    SearchHitOut,
)
from contrechamp.documents.models import Document, Entity
from contrechamp.documents.permissions import (
    may_read_document,
    may_see_originals,
    may_see_suggestions,
    readable_document,
    readable_documents,
    visible_entities,
)
from contrechamp.documents.search import Hit, SearchFilters, Viewer, as_text, search_pages
from contrechamp.lib.numbers import whole_number
from contrechamp.lib.parameters import (
    FORMATS,
    ParameterError,
    check_parameters,
    declare_parameters,
    takes_parameters,
)
from contrechamp.lib.partialdate import typed_period
from contrechamp.lib.text import name_key, name_key_prefixes
from contrechamp.places.models import Commune, Department, Epci
from contrechamp.registry.filters import DeploymentFilters, FilterError
from contrechamp.registry.models import CameraCount, Deployment, Organisation, Technology
from contrechamp.registry.schemas import (
    CameraCountOut,
    DeploymentOut,
    OrganisationOut,
    Page,
    TechnologyOut,
)

api = NinjaAPI(
    title="Contrechamp API",
    version="1",
    description=(
        "Read API of Contrechamp, an observatory of surveillance technology in public "
        "space. Lists are paginated by cursor: follow `next` until it is null. Every "
        "address takes the parameters it documents, and `format=json` (the only format "
        "it answers in): any other parameter, or one given twice, is refused with a 400 "
        "that names the accepted ones; an empty value is the parameter left out. "
        f"Data licence: {s.LICENCE}."
    ),
    urls_namespace="api",
    docs_url="/docs",
    # Swagger UI from django-ninja's static files (its template loads them when "ninja" is
    # an installed app), never from a CDN; no spec sent to the online validator either.
    docs=Swagger(settings={"validatorUrl": None}),
    # The schema and its page follow the rule of every address under /api/v1/ (they
    # answered `?departement=92` as if it were nothing).
    docs_decorator=takes_parameters(formats=FORMATS),
)

MAX_LIMIT = 500
# The bounds are declared in the schema, so that a client (or a fuzzer) reading the
# OpenAPI document knows which values are refused.
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]
SearchLimit = Annotated[int, Field(ge=1, le=100)]
# Each parameter says what it does in the schema (a bare `limit: int` documented nothing).
LIMIT = f"How many results on one page (1 to {MAX_LIMIT})."
CURSOR = "The `next` of the previous page; left out for the first page."


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        self.status, self.code, self.message, self.field = status, code, message, field


def error_response(
    request: HttpRequest, status: int, code: str, message: str, field: str | None = None
) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "field": field}}, status=status
    )


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(request, exc.status, exc.code, exc.message, exc.field)


# Messages used in several places, translated where they are raised: every error of the
# API follows the request's language (Accept-Language, French or English; another
# language gets the site's, French), with the same codes whatever the language.
BAD_CURSOR = gettext_noop("The cursor is not one this API gave.")
LIMIT_BOUNDS = gettext_noop("limit must be between 1 and %(max)d.")
ONE_OF = gettext_noop("%(name)s must be one of: %(values)s.")


def _invalid_message(error: dict[str, Any], field: str | None) -> str:
    """A parameter's validation error in the request's language: pydantic writes its
    messages in English only, so the kinds a query parameter can fail by are said here."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    name = field or _("the value")
    if kind == "missing":
        return _("The parameter “%s” is required.") % name
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return _("“%s” takes a whole number.") % name
    if kind in ("float_parsing", "float_type"):
        return _("“%s” takes a number.") % name
    if kind in ("bool_parsing", "bool_type"):
        return _("“%s” takes true or false.") % name
    if kind in ("greater_than_equal", "greater_than") and "ge" in ctx:
        return _("“%(name)s” is %(n)s or more.") % {"name": name, "n": ctx["ge"]}
    if kind in ("less_than_equal", "less_than") and "le" in ctx:
        return _("“%(name)s” is %(n)s or less.") % {"name": name, "n": ctx["le"]}
    if kind == "string_too_long" and "max_length" in ctx:
        return _("“%(name)s” is %(n)s characters at most.") % {
            "name": name,
            "n": ctx["max_length"],
        }
    return _("“%s” has a value this address does not take.") % name


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    loc = [str(x) for x in first.get("loc", []) if x not in ("query", "path", "body")]
    field = ".".join(loc) or None
    return error_response(request, 400, "invalid_parameter", _invalid_message(first, field), field)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # The endpoints raise their 404s translated; Django's own ("No Commune matches the
    # given query.", from get_object_or_404 or a path converter) is English only.
    message = str(exc)
    if not message or message.endswith("matches the given query."):
        message = _("Not found.")
    return error_response(request, 404, "not_found", message)


def http_error_message(status: int, fallback: str) -> str:
    """A refusal's message in the request's language (ninja's and Django's are English)."""
    messages = {
        400: _("Bad request."),
        401: _("Sign in first."),
        403: _("Forbidden."),
        404: _("Not found."),
        413: _("The request is too large."),
        429: _("Too many requests: wait a moment, then try again."),
    }
    return messages.get(status, fallback)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(
        request, exc.status_code, "http_error", http_error_message(exc.status_code, str(exc))
    )


def _query_parameters(operation: Operation) -> dict[str, bool]:
    """The query parameters `operation` declares, in their order, each with whether it
    is required: those its schema documents, so that what is documented and what is
    accepted are one list."""
    names: dict[str, bool] = {}
    for model in operation.models:
        if model.__ninja_param_source__ != "query":
            continue
        flat = getattr(model, "__ninja_flatten_map__", None) or {
            n: (n,) for n in model.model_fields
        }
        for name, path in flat.items():
            # A parameter of a `Query[Schema]` is a field of that schema's field.
            info = model.model_fields[path[0]]
            for step in path[1:]:
                info = info.annotation.model_fields[step]  # type: ignore[union-attr]
            names.setdefault(name, info.is_required())
    return names


def refuse_unknown_parameters(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap an endpoint so that a parameter it does not take, or one given twice, is a
    400 naming the accepted ones (`lib.parameters`), before anything is read: every list
    but the deployments' ignored `?departement=92` and answered as if unfiltered. Applied
    to every endpoint of the API at once (`api.add_decorator`), not endpoint by endpoint.
    An empty value of an optional parameter is read as the parameter left out, as a form
    sends it (`?limit=` was "not a valid integer", `?department=` no filter)."""
    operation = getattr(run, "__self__", None)
    if not isinstance(operation, Operation):
        raise TypeError("refuse_unknown_parameters wraps an operation's run method")
    parameters = _query_parameters(operation)
    accepted = list(parameters)

    @functools.wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            check_parameters(request.GET, accepted, formats=FORMATS)
        except ParameterError as e:
            return error_response(request, 400, "invalid_parameter", e.message, e.field)
        empty = [
            name
            for name, value in request.GET.items()
            if value == "" and not parameters.get(name, True)
        ]
        if empty:
            kept = request.GET.copy()
            for name in empty:
                del kept[name]
            kept._mutable = False
            request.GET = kept  # type: ignore[assignment]
        return run(request, *args, **kwargs)

    declare_parameters(checked, accepted)
    return checked


# "view": around the whole operation, before its parameters are validated.
api.add_decorator(refuse_unknown_parameters, mode="view")


def unmatched(request: HttpRequest) -> HttpResponse:
    """Any address under /api/v1/ that no endpoint answers: the error envelope, as
    every other API error, rather than the site's HTML page (routed last in urls.py)."""
    # Where the endpoints are: `/api/v1/` itself answered a bare 404 (a new user's walk).
    return error_response(
        request,
        404,
        "not_found",
        _("No API endpoint at %(path)s. The endpoints and their documentation: %(docs)s")
        % {"path": request.path, "docs": reverse("api:openapi-view")},
    )


def _unchecked(data: dict[str, Any]) -> HttpResponse:
    """`data` as JSON, not validated against the endpoint's declared schema: for a page of
    100 deployments, pydantic's check took 17 ms and the standard library's encoding 5 ms,
    orjson 0.4 ms. The tests hold the output to the schema instead
    (tests/registry/test_schema.py)."""
    return HttpResponse(orjson.dumps(data), content_type="application/json; charset=utf-8")


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorEnvelope(Schema):
    error: ErrorBody


ERRORS: dict[int | frozenset[int], Any] = {frozenset({400, 404}): ErrorEnvelope}


def _decode_cursor(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        key = base64.urlsafe_b64decode(cursor.encode() + b"==").decode()
    except (binascii.Error, UnicodeDecodeError):
        key = "\x00"
    # A NUL character is no key this API gave (PostgreSQL refuses it in text: a 500).
    if "\x00" in key:
        raise ApiError(400, "invalid_cursor", _(BAD_CURSOR), "cursor")
    return key


def _encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, "invalid_parameter", _(LIMIT_BOUNDS) % {"max": MAX_LIMIT}, "limit")
    return limit


def paginate(
    request: HttpRequest,
    qs: QuerySet[Any],
    key: str,
    limit: int,
    render: Callable[[Any], dict[str, Any]],
    numeric: bool = False,
) -> dict[str, Any]:
    """Keyset pagination on a unique column: the cursor is the last key seen. Returns a
    `Page` ({"results", "next"}): every list of the API pages this one way."""
    limit = _limit(limit)
    after = _decode_cursor(request.GET.get("cursor"))
    qs = qs.order_by(key)
    if after is not None:
        # ("³".isdigit() is True; int() refuses 4,300 digits and more.)
        last = whole_number(after) if numeric else after
        if last is None:
            raise ApiError(400, "invalid_cursor", _(BAD_CURSOR), "cursor")
        qs = qs.filter(**{f"{key}__gt": last})
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _encode_cursor(str(getattr(rows[-1], key))) if more and rows else None
    return {"results": [render(r) for r in rows], "next": next_cursor}


class DeploymentQuery(Schema):
    q: str = Field("", description="Words searched in titles, descriptions and places.")
    technology: str = Field(
        "", description="A technology's slug (videosurveillance, vsa, drones…: /technologies)."
    )
    status: str = Field(
        "",
        description="announced, planned, experimenting, deployed, suspended, abandoned or "
        "unlawful.",
    )
    department: str = Field("", description="A department's code (06, 2A, 971…).")
    commune: str = Field("", description="A commune's INSEE code (06088).")
    epci: str = Field("", description="An intercommunality's SIREN.")
    vendor: str = Field("", description="The slug of an organisation that supplied it.")
    funder: str = Field("", description="The slug of an organisation that funded it.")
    year: str = Field(
        "",
        description="Known to be active that year, by the dates and sources the registry "
        "holds: begun that year or before (a start date is needed) and not ended before it. "
        "Without an end date, a deployment counts as running unless its status says it "
        "stopped (suspended, abandoned, unlawful: left out), and an experiment only up to "
        "the year it began or of its latest source, whichever is later. Announced and "
        "planned deployments are left out. With undated=1: those the rule cannot place "
        "for want of a start date, listed apart.",
    )
    undated: str = Field(
        "",
        description="1: only deployments without a start date (with year: those that may "
        "have been active that year, by the same rule less the start date).",
    )
    limit: Limit = Field(100, description=LIMIT)
    cursor: str | None = Field(None, description=CURSOR)


def filtered_deployments(params: dict[str, Any]) -> QuerySet[Deployment]:
    try:
        filters = DeploymentFilters.from_params(params)
    except FilterError as e:
        raise ApiError(400, "invalid_parameter", e.message, e.field) from None
    # Relevance order is for people; the API pages by id so cursors stay stable, and no
    # rank is computed for rows it would not order by.
    return filters.apply(Deployment.objects.published(), ranked=False)


@api.get("/deployments", response={200: Page[DeploymentOut], **ERRORS}, tags=["deployments"])
def list_deployments(request: HttpRequest, query: Query[DeploymentQuery]) -> HttpResponse:
    """Published deployments, filtered like the list page; ordered by id. A parameter
    that is not one of these is refused (400), with the accepted ones."""
    qs = filtered_deployments(query.dict()).prefetch_related(*s.DEPLOYMENT_PREFETCH)
    # The search text is for the index only: not read from the database for the page.
    qs = qs.order_by().defer("search_text")
    return _unchecked(paginate(request, qs, "id", query.limit, s.deployment_dict, numeric=True))


@api.get("/deployments/{slug}", response={200: DeploymentOut, **ERRORS}, tags=["deployments"])
def get_deployment(request: HttpRequest, slug: str) -> dict:
    d = (
        Deployment.objects.published()
        .prefetch_related(*s.DEPLOYMENT_PREFETCH)
        .filter(slug=slug)
        .first()
    )
    if d is None:
        raise Http404(_("No published deployment has the slug “%s”.") % slug)
    return s.deployment_dict(d)


@api.get("/communes", response={200: Page[CommuneOut], **ERRORS}, tags=["places"])
def list_communes(
    request: HttpRequest,
    q: str = Query("", description="The start of a name or of an INSEE code."),
    department: str = Query("", description="A department's code (06, 2A, 971…)."),
    limit: int = Query(100, ge=1, le=MAX_LIMIT, description=LIMIT),
    cursor: str | None = Query(None, description=CURSOR),
) -> dict:
    """Communes and municipal arrondissements, by INSEE code.

    With `q` (the start of a name, accents and hyphens optional, or of a code), the
    `limit` best matches, most populated first, on a single page: this serves
    autocompletion."""
    qs = Commune.objects.select_related("department", "epci")
    if department:
        qs = qs.filter(department__code=department)
    if q:
        qs = qs.filter(_communes_starting(q, name_key_prefixes(q)))
        rows = qs.order_by(F("population").desc(nulls_last=True), "code")[: _limit(limit)]
        return {"results": [s.commune_dict(c) for c in rows], "next": None}
    return paginate(request, qs, "code", limit, s.commune_dict)


def _communes_starting(q: str, keys: list[str]) -> Q:
    """Communes whose code begins with `q`, or whose name key begins with one of `keys`
    (`name_key_prefixes`: accents, hyphens and a trailing "St" read as typed)."""
    starts = Q(code__startswith=q.strip())
    for key in keys:
        starts |= Q(name_key__startswith=key)
    return starts


@api.get("/places", response={200: Page[PlaceOut], **ERRORS}, tags=["places"])
def list_places(
    request: HttpRequest,
    q: str = Query(description="The start of a name, or of a code."),
    limit: int = Query(10, ge=1, le=MAX_LIMIT, description="How many places, on one page."),
) -> dict:
    """Departments, intercommunalities and communes whose name or code begins with `q`
    (or one of whose words does, for an intercommunality: "Nice" finds "Métropole Nice
    Côte d'Azur"), the `limit` first on a single page, in this order: the departments, the
    communes of exactly that name, the intercommunalities whose name begins so, the other
    communes most populated first, then the intercommunalities with a word that begins
    so. This serves the completion of the library's and the search's place filter, which
    takes all three."""
    keys = [k for k in name_key_prefixes(q) if k]
    typed = q.strip().upper()
    wanted = _limit(limit)
    if not keys and not typed:
        return {"results": [], "next": None}

    def place(kind: str, code: str, name: str) -> dict[str, str]:
        return {"kind": kind, "code": code, "name": name}

    departments = [
        place("department", code, name)
        for code, name in Department.objects.order_by("code").values_list("code", "name")
        if code == typed or any(name_key(name).startswith(k) for k in keys)
    ]
    communes = list(
        Commune.objects.filter(_communes_starting(q, keys))
        .order_by(F("population").desc(nulls_last=True), "code")
        .values_list("code", "name", "name_key")[: wanted + 20]
    )
    exact = [place("commune", c, n) for c, n, k in communes if k in keys]
    others = [place("commune", c, n) for c, n, k in communes if k not in keys]
    epci_first, epci_word = [], []
    if typed.isdigit() or any(len(k) >= 2 for k in keys):
        rows = Epci.objects.order_by(F("population").desc(nulls_last=True), "siren")
        for siren, name in rows.values_list("siren", "name"):
            key = name_key(name)
            if any(key.startswith(k) for k in keys) or (
                len(typed) >= 3 and siren.startswith(typed)
            ):
                epci_first.append(place("epci", siren, name))
            elif any(len(k) >= 3 and f" {k}" in f" {key}" for k in keys):
                epci_word.append(place("epci", siren, name))
    results = [*departments, *exact, *epci_first, *others, *epci_word]
    return {"results": results[:wanted], "next": None}


@api.get("/communes/{code}", response={200: CommuneOut, **ERRORS}, tags=["places"])
def get_commune(request: HttpRequest, code: str) -> dict:
    c = Commune.objects.select_related("department", "epci").filter(code=code).first()
    if c is None:
        raise Http404(_("No commune has the INSEE code “%s”.") % code)
    return s.commune_dict(c)


@api.get("/epcis", response={200: Page[EpciOut], **ERRORS}, tags=["places"])
def list_epcis(
    request: HttpRequest,
    q: str = Query("", description="Words of its name."),
    limit: int = Query(100, ge=1, le=MAX_LIMIT, description=LIMIT),
    cursor: str | None = Query(None, description=CURSOR),
) -> dict:
    qs = Epci.objects.all()
    if q:
        qs = qs.filter(name__icontains=q)
    return paginate(request, qs, "siren", limit, s.epci_dict)


@api.get("/epcis/{siren}", response={200: EpciDetailOut, **ERRORS}, tags=["places"])
def get_epci(request: HttpRequest, siren: str) -> dict:
    e = Epci.objects.filter(siren=siren).first()
    if e is None:
        raise Http404(_("No intercommunality has the SIREN “%s”.") % siren)
    return {**s.epci_dict(e), "members": list(e.communes.values_list("code", flat=True))}


@api.get("/departments", response={200: Page[DepartmentOut], **ERRORS}, tags=["places"])
def list_departments(
    request: HttpRequest,
    limit: int = Query(200, ge=1, le=MAX_LIMIT, description=LIMIT),
    cursor: str | None = Query(None, description=CURSOR),
) -> dict:
    return paginate(
        request, Department.objects.select_related("region"), "code", limit, s.department_dict
    )


@api.get("/departments/{code}", response={200: DepartmentOut, **ERRORS}, tags=["places"])
def get_department(request: HttpRequest, code: str) -> dict:
    d = Department.objects.select_related("region").filter(code=code).first()
    if d is None:
        raise Http404(_("No department has the code “%s”.") % code)
    return s.department_dict(d)


@api.get("/organisations", response={200: Page[OrganisationOut], **ERRORS}, tags=["registry"])
def list_organisations(
    request: HttpRequest,
    kind: str = Query("", description="One of: " + ", ".join(dict(Organisation.KINDS)) + "."),
    limit: int = Query(100, ge=1, le=MAX_LIMIT, description=LIMIT),
    cursor: str | None = Query(None, description=CURSOR),
) -> dict:
    # Open data is what everyone may read: no organisation named only in a draft.
    qs = Organisation.objects.public()
    if kind:
        if kind not in dict(Organisation.KINDS):
            raise ApiError(400, "invalid_parameter", _("Unknown kind “%s”.") % kind, "kind")
        qs = qs.filter(kind=kind)
    return paginate(request, qs, "id", limit, s.organisation_dict, numeric=True)


@api.get("/organisations/{slug}", response={200: OrganisationOut, **ERRORS}, tags=["registry"])
def get_organisation(request: HttpRequest, slug: str) -> dict:
    o = Organisation.objects.public().filter(slug=slug).first()
    if o is None:
        raise Http404(_("No organisation has the slug “%s”.") % slug)
    return s.organisation_dict(o)


@api.get("/technologies", response={200: Page[TechnologyOut], **ERRORS}, tags=["registry"])
def list_technologies(
    request: HttpRequest,
    limit: int = Query(100, ge=1, le=MAX_LIMIT, description=LIMIT),
    cursor: str | None = Query(None, description=CURSOR),
) -> dict:
    return paginate(request, Technology.objects.all(), "slug", limit, s.technology_dict)


@api.get("/camera-counts", response={200: Page[CameraCountOut], **ERRORS}, tags=["registry"])
def list_camera_counts(
    request: HttpRequest,
    commune: str = Query("", description="A commune's INSEE code."),
    department: str = Query("", description="A department's code: its communes' counts."),
    limit: int = Query(100, ge=1, le=MAX_LIMIT, description=LIMIT),
    cursor: str | None = Query(None, description=CURSOR),
) -> dict:
    """Accepted camera counts, by id, each with its figure per km² and per 1,000
    inhabitants (the commune's area and population in the places dataset)."""
    qs = CameraCount.objects.select_related("commune").prefetch_related(
        "citations__source__document"
    )
    if commune:
        qs = qs.filter(commune__code=commune)
    if department:
        qs = qs.filter(commune__department__code=department)
    return paginate(request, qs, "id", limit, s.camera_count_dict, numeric=True)


# --- document library -----------------------------------------------------------------


# As the search page's field: a query is read for its first words anyway.
SEARCH_MAX_CHARS = 300


class SearchQuery(Schema):
    q: str = Field(description="Words searched for (French stemming, accents ignored).")
    place: str = Field(
        "",
        description="Documents about a place: a commune's INSEE code, a department's code "
        "or an intercommunality's SIREN (/places completes a name).",
    )
    origin: str = Field(
        "", description="Where documents came from: " + ", ".join(dict(Document.ORIGINS)) + "."
    )
    kind: str = Field("", description="Type of file: " + ", ".join(dict(Document.KINDS)) + ".")
    date_from: str = Field(
        "",
        description="From the first day of this year, month or day: 2023, 2023-05, 2023-05-15. "
        "A document dated by a month or a year is found only when that whole month or year is "
        "within date_from and date_to.",
    )
    date_to: str = Field(
        "", description="Up to the last day of this year, month or day: 2023 is up to 31 December."
    )
    limit: SearchLimit = Field(20, description="How many pages, best first (one page of results).")


def _document_dict(document: Document, user: Any) -> dict[str, Any]:
    """A document as the API gives it to `user`: its parent (the e-mail it was attached
    to) only when `user` may read that too (a private e-mail's id says it exists)."""
    parent = document.parent_id
    if document.parent is not None and not may_read_document(user, document.parent):
        parent = None
    return {
        "id": document.id,
        "title": document.title,
        "kind": document.kind,
        "origin": document.origin,
        "status": document.status,
        "error": document.error or None,
        "pages": document.page_count,
        "date": document.date_value or None,
        "date_precision": document.date_precision if document.date else None,
        "date_source": (document.date_corrected_by or document.date_read_from or None)
        if document.date
        else None,
        "date_read": document.date_read_value or None,
        "source_url": document.source_url or None,
        # The original's fingerprint, for those who may download it: a leaked file's
        # copies can differ by a byte each (a canary trap), so its hash could tell its
        # sender which copy reached the observatory.
        "sha256": document.sha256 if may_see_originals(user) else None,
        "parent": parent,
        "places": [p.code for p in document.places.all()],
        # Absolute, as every address the API gives (a deployment's `url`, a source's).
        "url": s.absolute(document.get_absolute_url()),
        "published": s.absolute(reverse("document-published", args=[document.id]))
        if document.is_public
        else None,
    }


def _search_hit(hit: Hit, user: Any) -> dict[str, Any]:
    # The snippet as the page shows it (escaped HTML, matches in <mark>), and as plain
    # text with the matches' offsets, for a client that does not render HTML (one that
    # printed the HTML showed "l&#x27;arrêté" for "l'arrêté").
    text, highlights = as_text(hit.passage)
    assert hit.document is not None
    return {
        "document": _document_dict(hit.document, user),
        "page": hit.number,
        "score": round(hit.score, 4),
        "snippet": hit.snippet,
        "snippet_text": text,
        "highlights": highlights,
        "url": s.absolute(
            reverse("document-detail", args=[hit.document_id]) + f"?page={hit.number}"
        ),
    }


@api.get("/search", response={200: Page[SearchHitOut], **ERRORS}, tags=["documents"])
def search(request: HttpRequest, query: Query[SearchQuery]) -> dict:
    """Document pages matching `q` (French stemming, accents ignored), best first, with
    a highlighted snippet (as HTML and as plain text); only pages the caller may read.
    Same hits as /recherche/."""
    # Read as the page reads them: date_from from the first day of the year or month
    # given, date_to up to its last ("2023" to "2023" is the whole year).
    dates: dict[str, dt.date | None] = {}
    for name, end in (("date_from", 0), ("date_to", 1)):
        raw = getattr(query, name)
        period: tuple[dt.date, dt.date] | None = None
        # (ISO only: the day-first forms are for people typing in the page.)
        refused = not re.fullmatch(r"[\d-]*", raw, re.ASCII)
        if not refused:
            try:
                period = typed_period(raw)
            except ValidationError:
                refused = True
        if refused:
            raise ApiError(
                400,
                "invalid_parameter",
                _("Dates are written YYYY, YYYY-MM or YYYY-MM-DD (a real day, 1900 to 2100)."),
                name,
            )
        dates[name] = period[end] if period else None
    if dates["date_from"] and dates["date_to"] and dates["date_from"] > dates["date_to"]:
        raise ApiError(400, "invalid_parameter", _("date_to comes before date_from."), "date_to")
    for name, choices in (("origin", Document.ORIGINS), ("kind", Document.KINDS)):
        # A misspelt value matched no document: an empty answer that reads as "nothing
        # about it", as an unknown parameter did.
        value = getattr(query, name)
        if value and value not in dict(choices):
            raise ApiError(
                400,
                "invalid_parameter",
                _(ONE_OF) % {"name": name, "values": ", ".join(dict(choices))},
                name,
            )
    if not 1 <= query.limit <= 100:
        raise ApiError(400, "invalid_parameter", _(LIMIT_BOUNDS) % {"max": 100}, "limit")
    if len(query.q) > SEARCH_MAX_CHARS:
        raise ApiError(
            400,
            "invalid_parameter",
            _("q is %(n)d characters at most.") % {"n": SEARCH_MAX_CHARS},
            "q",
        )
    hits = search_pages(
        query.q,
        viewer=Viewer.of(request.user),
        filters=SearchFilters(
            place=query.place,
            origin=query.origin,
            kind=query.kind,
            date_from=dates["date_from"],
            date_to=dates["date_to"],
        ),
        limit=query.limit,
    )
    return {
        "results": [_search_hit(hit, request.user) for hit in hits if hit.document is not None],
        # The best `limit` hits, on one page.
        "next": None,
    }


@api.get("/documents", response={200: Page[DocumentOut], **ERRORS}, tags=["documents"])
def list_documents(
    request: HttpRequest,
    limit: int = Query(100, ge=1, le=MAX_LIMIT, description=LIMIT),
    cursor: str | None = Query(None, description=CURSOR),
) -> dict:
    """Documents the caller may read, by id."""
    qs = readable_documents(request.user).select_related("parent").prefetch_related("places")
    return paginate(
        request, qs, "id", limit, lambda d: _document_dict(d, request.user), numeric=True
    )


def _readable_document(request: HttpRequest, document_id: int) -> Document:
    document = readable_document(request.user, document_id)
    if document is None:
        raise Http404(_("No document %s that you may read.") % document_id)
    return document


@api.get("/documents/{document_id}", response={200: DocumentOut, **ERRORS}, tags=["documents"])
def get_document(request: HttpRequest, document_id: int) -> dict:
    return _document_dict(_readable_document(request, document_id), request.user)


@api.get(
    "/documents/{document_id}/pages/{number}",
    response={200: PageTextOut, **ERRORS},
    tags=["documents"],
)
def document_page(request: HttpRequest, document_id: int, number: int) -> dict:
    """The text of one page: the published, redacted text for everyone but reviewers."""
    document = _readable_document(request, document_id)
    page = document.pages.filter(number=number).first()
    if page is None:
        raise Http404(_("Document %(id)s has no page %(n)s.") % {"id": document_id, "n": number})
    return {
        "document": document.id,
        "number": page.number,
        "method": page.read_by,
        "text": Viewer.of(request.user).text(page),
        "image": s.absolute(reverse("document-page-image", args=[document.id, page.number])),
    }


@api.get(
    "/documents/{document_id}/entities",
    response={200: Page[EntityOut], **ERRORS},
    tags=["documents"],
)
def document_entities(request: HttpRequest, document_id: int) -> dict:
    """Entities of every page: kind, text, normalised value, page, character offsets in
    the page text, confidence. Reviewers get every suggestion; others the accepted
    entities, without offsets (those point into the unredacted text); the uploader of a
    published document its suggestions too, as on its page."""
    document = _readable_document(request, document_id)
    rows = Entity.objects.filter(page__document=document).select_related("page")
    reviewer = may_see_originals(request.user)
    if not reviewer and may_see_suggestions(request.user, document):
        rows = rows.exclude(status="rejected")
    else:
        rows = visible_entities(request.user, rows)
    return {
        "results": [
            {
                "kind": e.kind,
                "text": e.text,
                "value": e.value,
                "page": e.page.number,
                "start": e.start if reviewer else None,
                "end": e.end if reviewer else None,
                "confidence": e.confidence,
                "status": e.status,
            }
            for e in rows
        ],
        "next": None,
    }


# --- access-to-documents requests -----------------------------------------------------


def _public_request(request_id: int) -> AccessRequest:
    item = with_timeline(public_requests()).filter(id=request_id).first()
    if item is None:
        raise Http404(_("No sent request %s.") % request_id)
    return item


@api.get("/bodies", response={200: Page[BodyFoundOut], **ERRORS}, tags=["requests"])
def list_bodies(
    request: HttpRequest,
    q: str = Query(description="Words of its name (two letters at least), or its code."),
    limit: int = Query(20, ge=1, le=MAX_LIMIT, description="How many bodies, on one page."),
) -> dict:
    """Public bodies a request can go to, for autocompletion: bodies added before that a
    sent request goes to (and, for the signed-in person, those of their own drafts), and
    those of the places dataset (communes' town halls, intercommunalities, departments
    and their prefectures, regions), each with the `reference` the request form takes."""
    # The `limit` best matches on a single page, as the commune search does.
    return {"results": body_search(q, limit=_limit(limit), reader=request.user), "next": None}


@api.get("/requests", response={200: Page[AccessRequestOut], **ERRORS}, tags=["requests"])
def list_requests(
    request: HttpRequest,
    limit: int = Query(100, ge=1, le=MAX_LIMIT, description=LIMIT),
    status: str = Query("", description="One of: " + ", ".join(dict(AccessRequest.STATUSES)) + "."),
    cursor: str | None = Query(None, description=CURSOR),
) -> dict:
    """Access-to-documents requests that were sent, by id, with their next legal date."""
    # Each item's next date reads its events and its body's department: read for the
    # whole page at once (a constant number of queries, not 1 + 3n).
    qs = with_timeline(public_requests())
    if status:
        # An unknown status is an error, as on /deployments, not an empty list that
        # reads as "no such request".
        if status not in dict(AccessRequest.STATUSES):
            raise ApiError(
                400,
                "invalid_parameter",
                _(ONE_OF) % {"name": "status", "values": ", ".join(dict(AccessRequest.STATUSES))},
                "status",
            )
        qs = qs.filter(status=status)
    return paginate(request, qs, "id", limit, access_request_dict, numeric=True)


@api.get(
    "/requests/{request_id}", response={200: AccessRequestDetailOut, **ERRORS}, tags=["requests"]
)
def get_request(request: HttpRequest, request_id: int) -> dict:
    """One request: documents asked for, places, every legal date, the timeline."""
    return access_request_dict(_public_request(request_id), detail=True)


@api.get(
    "/requests/{request_id}/events", response={200: Page[EventOut], **ERRORS}, tags=["requests"]
)
def request_events(request: HttpRequest, request_id: int) -> dict:
    """The timeline of one sent request, oldest first, on a single page."""
    return {"results": event_dicts(_public_request(request_id)), "next": None}
