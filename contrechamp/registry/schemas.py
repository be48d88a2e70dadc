"""One shape per registry resource, in pydantic.

`DeploymentData` is the deployment as plain data: what the form, the API input, the
demo loader and entity acceptance hand to the services, and what a revision stores (its
snapshot is `DeploymentData.snapshot()`, the same JSON the revisions table has always
held). Validation lives in it, so that every entry point refuses the same bad input with
the same message at the same location; the form maps errors back by their location
tuple. `DeploymentOut` (API output) and `DeploymentRow` (the CSV export) declare how
they derive from it, and a test holds them, the snapshot keys and the form to its
field list, so that a new field cannot be forgotten in one place."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Generic, TypeVar, get_origin

import annotated_types
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import InitErrorDetails, PydanticCustomError

from contrechamp.lib.numbers import whole_number
from contrechamp.lib.partialdate import parse_partial_date
from contrechamp.places.models import Commune, Epci
from contrechamp.registry.models import (
    Citation,
    Deployment,
    LegalEvent,
    Organisation,
    Source,
    Technology,
)
from contrechamp.registry.sitelinks import site_document, site_document_path

MAX_ITEMS = 50


@dataclasses.dataclass(frozen=True)
class Label:
    """The name a person reads for a field (form label, revision diff, error message)."""

    text: Promise | str


def label_of(model: type[BaseModel], field: str) -> Promise | str:
    """The field's label, lazy: translated when shown, in the reader's language."""
    for meta in model.model_fields[field].metadata:
        if isinstance(meta, Label):
            return meta.text
    return field


def max_length(field: FieldInfo) -> int | None:
    for meta in field.metadata:
        if isinstance(meta, annotated_types.MaxLen):
            return int(meta.max_length)
    return None


def _refuse(message: str) -> PydanticCustomError:
    # The message is passed as context, never as the template: a typed value quoted in
    # it may hold braces.
    return PydanticCustomError("contrechamp", "{message}", {"message": message})


def _partial_date(value: object) -> str:
    try:
        return parse_partial_date(str(value or ""))
    except DjangoValidationError as e:
        raise _refuse(" ".join(e.messages)) from None


class Shape(BaseModel):
    """Text fields are stripped and held to their `max_length` with a message that names
    the field (pydantic's own is English and names no field)."""

    model_config = ConfigDict(extra="ignore", validate_default=True)

    @field_validator("*", mode="before")
    @classmethod
    def _text(cls, value: object, info: ValidationInfo) -> object:
        field = cls.model_fields[info.field_name or ""]
        if field.annotation not in (str, "str"):
            return value
        text = str(value if value is not None else "").strip()
        limit = max_length(field)
        if limit is not None and len(text) > limit:
            raise _refuse(
                _("%(label)s is too long: %(n)d characters, %(max)d at most.")
                % {"label": label_of(cls, info.field_name or ""), "n": len(text), "max": limit}
            )
        return text


# --- deployment (input, snapshot) ------------------------------------------------------


class SourceData(Shape):
    document: int | None = Field(None, description="Library document number, if any.")
    title: Annotated[str, Label(gettext_lazy("Source title"))] = Field("", max_length=400)
    publisher: Annotated[str, Label(gettext_lazy("Publisher"))] = Field("", max_length=200)
    url: Annotated[str, Label(gettext_lazy("URL"))] = Field("", max_length=1000)
    published_on: Annotated[str, Label(gettext_lazy("Publication date"))] = ""

    @field_validator("document", mode="before")
    @classmethod
    def _document(cls, value: object) -> int | None:
        if value is None:
            return None
        number = whole_number(value)
        # The library's model is reached through the registry's own foreign key: the
        # registry sits below the library and never imports it.
        documents = Source._meta.get_field("document").related_model
        if number is None or not documents._default_manager.filter(id=number).exists():  # type: ignore[union-attr]
            raise _refuse(_("No document has the number “%s”.") % value)
        return number

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        # An address of this site's own library document, relative or whole, is kept as
        # its page's address relative to the site (`registry.sitelinks`).
        value = site_document_path(value)
        if value and site_document(value) is None:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except DjangoValidationError:
                raise _refuse(_("“%s” is not a web address.") % value) from None
        return value

    @field_validator("published_on")
    @classmethod
    def _published_on(cls, value: str) -> str:
        return _partial_date(value)

    @model_validator(mode="after")
    def _titled(self) -> SourceData:
        if not self.title:
            raise _refuse(_("A source needs a title or publication name."))
        return self

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("document") is None:
            data.pop("document", None)
        return data


def _no_source() -> Any:
    # Validated as any input (`validate_default`): a citation without a source is
    # refused for its missing title, at the source's location.
    return {}


class CitationData(Shape):
    # The id of a citation being edited, so that it keeps its identity (the service
    # honours it only for a citation of the same claim); anything else is no id.
    id: int | None = None
    source: SourceData = Field(default_factory=lambda: _no_source())
    quote: Annotated[str, Label(gettext_lazy("Quote"))] = Field("", max_length=5000)
    locator: Annotated[str, Label(gettext_lazy("Page or section"))] = Field("", max_length=100)
    accessed_on: Annotated[str | None, Label(gettext_lazy("Accessed on"))] = None

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: object) -> int | None:
        return whole_number(value)

    @field_validator("accessed_on", mode="before")
    @classmethod
    def _accessed_on(cls, value: object) -> str | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise _refuse(_("“%s” is not a date: write YYYY-MM-DD.") % text) from None

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("id") is None:
            data.pop("id", None)
        return data

    @staticmethod
    def is_blank(item: object) -> bool:
        """A row left empty (a spare form row): dropped, not refused."""
        if not isinstance(item, dict):
            return False
        source = item.get("source") or {}
        return not any(
            str(x or "").strip()
            for x in (source.get("title"), source.get("url"), item.get("quote"))
        )

    @classmethod
    def of(cls, citation: Citation) -> CitationData:
        """A stored citation, without validating it again (an old one may no longer pass
        today's checks, and reading it must not query the database)."""
        source = citation.source
        return cls.model_construct(
            id=citation.id,
            source=SourceData.model_construct(
                document=source.document_id,
                title=source.title,
                publisher=source.publisher,
                url=source.url,
                published_on=source.published_on,
            ),
            quote=citation.quote,
            locator=citation.locator,
            accessed_on=citation.accessed_on.isoformat() if citation.accessed_on else None,
        )


class FundingData(Shape):
    funder: Annotated[str, Label(gettext_lazy("Funder"))] = Field("", max_length=200)
    amount_eur: Annotated[str | None, Label(gettext_lazy("Amount (€)"))] = Field(
        None, description="Euros as a decimal string, two decimals.", examples=["500000.00"]
    )
    programme: Annotated[str, Label(gettext_lazy("Programme"))] = Field("", max_length=300)

    @field_validator("amount_eur", mode="before")
    @classmethod
    def _amount(cls, value: object) -> str | None:
        if value in (None, ""):
            return None
        try:
            amount = Decimal(str(value).replace(" ", "").replace("\u202f", "").replace(",", "."))
            if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
                raise InvalidOperation
        except InvalidOperation:
            raise _refuse(_("“%s” is not an amount in euros.") % value) from None
        return str(amount.quantize(Decimal("0.01")))

    @staticmethod
    def is_blank(item: object) -> bool:
        return isinstance(item, dict) and not str(item.get("funder") or "").strip()


class LegalEventData(Shape):
    kind: Annotated[str, Label(gettext_lazy("Kind"))] = ""
    date: Annotated[str, Label(gettext_lazy("Date"))] = ""
    authority: Annotated[str, Label(gettext_lazy("Authority"))] = Field("", max_length=200)
    outcome: Annotated[str, Label(gettext_lazy("Outcome"))] = "unknown"
    summary: Annotated[str, Label(gettext_lazy("Summary"))] = Field("", max_length=5000)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in dict(LegalEvent.KINDS):
            raise _refuse(_("Choose the kind of legal event."))
        return value

    @field_validator("date")
    @classmethod
    def _date(cls, value: str) -> str:
        return _partial_date(value)

    @field_validator("outcome")
    @classmethod
    def _outcome(cls, value: str) -> str:
        value = value or "unknown"
        if value not in dict(LegalEvent.OUTCOMES):
            raise _refuse(_("Unknown outcome."))
        return value

    @staticmethod
    def is_blank(item: object) -> bool:
        return isinstance(item, dict) and not (
            item.get("kind") or item.get("summary") or item.get("date")
        )


def _codes(value: object) -> list[str]:
    return [str(c).strip() for c in value or [] if str(c).strip()]  # type: ignore[attr-defined]


def _rows(value: object, blank: Callable[[object], bool]) -> object:
    """A list of rows without the blank ones, at most MAX_ITEMS."""
    if not isinstance(value, list | tuple):
        return value if value else []
    return [x for x in value if not blank(x)][:MAX_ITEMS]


class DeploymentData(Shape):
    """A deployment as plain data: input of the services and snapshot of a revision."""

    title: Annotated[str, Label(gettext_lazy("Title"))] = Field("", max_length=300)
    scope: Annotated[str, Label(gettext_lazy("Scope"))] = "local"
    status: Annotated[str, Label(gettext_lazy("Status"))] = ""
    start_date: Annotated[str, Label(gettext_lazy("Start"))] = ""
    end_date: Annotated[str, Label(gettext_lazy("End"))] = ""
    description: Annotated[str, Label(gettext_lazy("Description"))] = Field("", max_length=20_000)
    is_published: Annotated[bool, Label(gettext_lazy("Published"))] = True
    communes: Annotated[list[str], Label(gettext_lazy("Communes"))] = Field(
        default_factory=list, description="INSEE codes."
    )
    epcis: Annotated[list[str], Label(gettext_lazy("Intercommunalities"))] = Field(
        default_factory=list, description="SIREN numbers."
    )
    technologies: Annotated[list[str], Label(gettext_lazy("Technologies"))] = Field(
        default_factory=list, description="Technology slugs."
    )
    vendors: Annotated[list[str], Label(gettext_lazy("Vendors"))] = Field(
        default_factory=list, description="Organisation names."
    )
    fundings: Annotated[list[FundingData], Label(gettext_lazy("Funding"))] = Field(
        default_factory=list
    )
    legal_events: Annotated[list[LegalEventData], Label(gettext_lazy("Legal events"))] = Field(
        default_factory=list
    )
    citations: Annotated[list[CitationData], Label(gettext_lazy("Sources"))] = Field(
        default_factory=list
    )

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        if not value:
            raise _refuse(_("A deployment needs a title."))
        return value

    @field_validator("scope", mode="before")
    @classmethod
    def _scope(cls, value: object) -> str:
        scope = str(value or "local")
        if scope not in dict(Deployment.SCOPES):
            raise _refuse(_("Unknown scope “%s”.") % scope)
        return scope

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: object) -> str:
        status = str(value or "")
        if status not in dict(Deployment.STATUSES):
            raise _refuse(_("Choose a status among: %s.") % ", ".join(dict(Deployment.STATUSES)))
        return status

    @field_validator("start_date", "end_date")
    @classmethod
    def _dates(cls, value: str) -> str:
        return _partial_date(value)

    @field_validator("is_published", mode="before")
    @classmethod
    def _published(cls, value: object) -> bool:
        return bool(value)

    @field_validator("communes", "epcis", mode="before")
    @classmethod
    def _place_codes(cls, value: object) -> list[str]:
        return sorted(set(_codes(value)))

    @field_validator("technologies", mode="before")
    @classmethod
    def _technologies(cls, value: object) -> list[str]:
        slugs = sorted(set(_codes(value)))
        if not slugs:
            raise _refuse(_("Choose at least one technology."))
        return slugs

    @field_validator("vendors", mode="before")
    @classmethod
    def _vendors(cls, value: object) -> list[str]:
        names: list[str] = []
        for name in _codes(value):
            if len(name) > 200:
                raise _refuse(_("A vendor name is too long."))
            if name not in names:
                names.append(name)
        return names

    @field_validator("fundings", mode="before")
    @classmethod
    def _fundings(cls, value: object) -> object:
        return _rows(value, FundingData.is_blank)

    @field_validator("legal_events", mode="before")
    @classmethod
    def _legal_events(cls, value: object) -> object:
        return _rows(value, LegalEventData.is_blank)

    @field_validator("citations", mode="before")
    @classmethod
    def _citations(cls, value: object) -> object:
        return _rows(value, CitationData.is_blank)

    @model_validator(mode="after")
    def _consistent(self) -> DeploymentData:
        """Rules across fields, and the codes that must name known rows."""
        errors: list[tuple[tuple[str | int, ...], str]] = []
        if (
            self.start_date
            and self.end_date
            and self.end_date < self.start_date[: len(self.end_date)]
        ):
            errors.append((("end_date",), _("The end comes before the start.")))
        known = set(Commune.objects.filter(code__in=self.communes).values_list("code", flat=True))
        # A commune merged into another since (a version written before, restored) is
        # where it is part of now; one split since names nothing.
        for code in [c for c in self.communes if c not in known]:
            now = list(Commune.objects.formerly(code).values_list("code", flat=True)[:2])
            if len(now) == 1:
                self.communes = sorted({*(c for c in self.communes if c != code), now[0]})
                known.add(now[0])
        errors += [
            (("communes",), _("No commune has the INSEE code “%s”.") % code)
            for code in self.communes
            if code not in known
        ]
        known = set(Epci.objects.filter(siren__in=self.epcis).values_list("siren", flat=True))
        errors += [
            (("epcis",), _("No intercommunality has the SIREN “%s”.") % siren)
            for siren in self.epcis
            if siren not in known
        ]
        if self.scope == "local" and not self.communes and not self.epcis:
            errors.append(
                (
                    ("communes",),
                    _("A local deployment needs at least one commune or intercommunality."),
                )
            )
        known = set(
            Technology.objects.filter(slug__in=self.technologies).values_list("slug", flat=True)
        )
        errors += [
            (("technologies",), _("Unknown technology “%s”.") % slug)
            for slug in self.technologies
            if slug not in known
        ]
        if self.is_published and not self.citations:
            errors.append(
                (("citations",), _("Every published deployment cites at least one source."))
            )
        if errors:
            raise ValidationError.from_exception_data(
                type(self).__name__,
                [InitErrorDetails(type=_refuse(m), loc=loc, input=None) for loc, m in errors],
            )
        return self

    @classmethod
    def row_fields(cls) -> list[str]:
        """The fields stored on the deployment's own row (the others are related rows)."""
        return [n for n, f in cls.model_fields.items() if get_origin(f.annotation) is not list]

    def snapshot(self) -> dict[str, Any]:
        """The JSON a revision stores (the format revisions have always had)."""
        return self.model_dump(mode="json")

    @classmethod
    def of(cls, deployment: Deployment) -> DeploymentData:
        """A stored deployment, without validating it again."""
        return cls.model_construct(
            # The fields of the deployment's own row, by name; the related rows below.
            **{name: getattr(deployment, name) for name in cls.row_fields()},
            communes=sorted(deployment.communes.values_list("code", flat=True)),
            epcis=sorted(deployment.epcis.values_list("siren", flat=True)),
            technologies=sorted(deployment.technologies.values_list("slug", flat=True)),
            vendors=list(deployment.vendors.order_by("name").values_list("name", flat=True)),
            fundings=[
                FundingData.model_construct(
                    funder=f.funder.name,
                    amount_eur=str(f.amount_eur) if f.amount_eur is not None else None,
                    programme=f.programme,
                )
                for f in deployment.fundings.select_related("funder")
            ],
            legal_events=[
                LegalEventData.model_construct(
                    kind=e.kind,
                    date=e.date,
                    authority=e.authority,
                    outcome=e.outcome,
                    summary=e.summary,
                )
                for e in deployment.legal_events.all()
            ],
            citations=[CitationData.of(c) for c in deployment.citations.select_related("source")],
        )


class OrganisationData(Shape):
    """An organisation's editable fields: the snapshot of its revisions. The model's own
    validation (`full_clean`) checks them."""

    name: Annotated[str, Label(gettext_lazy("Name"))] = ""
    kind: Annotated[str, Label(gettext_lazy("Kind"))] = "vendor"
    siren: Annotated[str, Label(gettext_lazy("SIREN"))] = ""
    country: Annotated[str, Label(gettext_lazy("Country"))] = "FR"
    website: Annotated[str, Label(gettext_lazy("Website"))] = ""
    description: Annotated[str, Label(gettext_lazy("Description"))] = ""

    @classmethod
    def of(cls, organisation: Organisation) -> OrganisationData:
        return cls.model_construct(
            **{name: getattr(organisation, name) for name in cls.model_fields}
        )

    def snapshot(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def field_labels() -> dict[str, Promise | str]:
    """Labels of every field a revision may hold, for the history pages."""
    labels: dict[str, Promise | str] = {}
    for model in (OrganisationData, DeploymentData):
        labels.update({name: label_of(model, name) for name in model.model_fields})
    return labels


# --- errors ---------------------------------------------------------------------------

# A citation's errors are reported on the citation as a whole (its form row, its key
# "citations.3"); the other rows' errors name their field ("fundings.0.amount_eur").
_ERROR_DEPTH = {"citations": 2}


class SchemaError(DjangoValidationError):
    """A Django ValidationError (what views, tests and the API already handle, keyed
    "fundings.0.amount_eur") that also keeps pydantic's location tuples, so a form maps
    each message back onto its row and field without parsing the key."""

    def __init__(self, errors: Iterable[tuple[tuple[str | int, ...], str]]) -> None:
        self.locations = list(errors)
        keyed: dict[str, list[str]] = {}
        for loc, message in self.locations:
            depth = _ERROR_DEPTH.get(str(loc[0]), len(loc)) if loc else 0
            keyed.setdefault(".".join(str(x) for x in loc[:depth]) or "__all__", []).append(message)
        super().__init__(keyed)

    @classmethod
    def of(cls, error: ValidationError) -> SchemaError:
        return cls((tuple(e["loc"]), str(e["msg"])) for e in error.errors())


def deployment_validate(data: dict[str, Any]) -> DeploymentData:
    """`data` checked and normalised; raises SchemaError."""
    try:
        return DeploymentData.model_validate(data)
    except ValidationError as e:
        raise SchemaError.of(e) from None


def citations_validate(citations: list[dict[str, Any]]) -> list[CitationData]:
    """A list of citations alone (a camera count's), with the same rules and keys."""
    rows = _rows(citations, CitationData.is_blank)
    out: list[CitationData] = []
    errors: list[tuple[tuple[str | int, ...], str]] = []
    for i, item in enumerate(rows if isinstance(rows, list) else []):
        try:
            out.append(CitationData.model_validate(item))
        except ValidationError as e:
            errors += [(("citations", i, *e_["loc"]), str(e_["msg"])) for e_ in e.errors()]
    if errors:
        raise SchemaError(errors)
    return out


# --- API output ------------------------------------------------------------------------

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list. Lists are paged by cursor: pass `next` as `cursor` to get the
    following page; `next` is null on the last page (and on lists served in one page)."""

    results: list[T]
    next: str | None = Field(None, description="Cursor of the next page; null on the last.")


class OrganisationRef(BaseModel):
    slug: str = Field(examples=["thales"])
    name: str = Field(examples=["Thales"])


class CommuneRef(BaseModel):
    code: str = Field(description="INSEE code.", examples=["42218"])
    name: str = Field(examples=["Saint-Étienne"])
    department: str | None = Field(description="Department code.", examples=["42"])
    latitude: float | None
    longitude: float | None


class EpciRef(BaseModel):
    siren: str = Field(examples=["244200770"])
    name: str


class SourceOut(BaseModel):
    title: str
    publisher: str
    url: str | None
    published_on: str | None = Field(description="YYYY, YYYY-MM or YYYY-MM-DD.")


class CitationOut(BaseModel):
    source: SourceOut
    quote: str = Field(description="The words of the source that support the claim.")
    locator: str = Field(description="Page or section in the source.")
    accessed_on: str | None = Field(description="YYYY-MM-DD.")


class FundingOut(BaseModel):
    funder: OrganisationRef
    amount_eur: float | None = Field(examples=[500000.0])
    programme: str


class LegalEventOut(BaseModel):
    kind: str = Field(description="One of: " + ", ".join(k for k, _v in LegalEvent.KINDS) + ".")
    date: str | None
    authority: str
    outcome: str = Field(
        description="One of: " + ", ".join(k for k, _v in LegalEvent.OUTCOMES) + "."
    )
    summary: str


# The fields every API resource of the registry adds to the data it shows: identity,
# address, version. The rest of DeploymentOut is DeploymentData's fields (less
# `is_published`: the API shows published deployments only), with related rows as
# objects rather than codes.
DEPLOYMENT_IDENTITY = ("id", "slug", "url", "version", "updated_at")
DEPLOYMENT_NOT_IN_API = ("is_published",)
# Fields of the API read from others, not stored: the latest of its citations' sources'
# dates (`Deployment.latest_source_on`, which its page shows).
DEPLOYMENT_DERIVED = ("latest_source_on",)


class DeploymentOut(BaseModel):
    """A published deployment."""

    id: int = Field(examples=[12])
    slug: str = Field(examples=["videoprotection-saint-etienne"])
    url: str = Field(description="Its page on the site.")
    title: str
    scope: str = Field(description="local or national.", examples=["local"])
    status: str = Field(
        description="One of: " + ", ".join(k for k, _v in Deployment.STATUSES) + ".",
        examples=["deployed"],
    )
    start_date: str | None = Field(description="YYYY, YYYY-MM or YYYY-MM-DD.", examples=["2019"])
    end_date: str | None = Field(description="YYYY, YYYY-MM or YYYY-MM-DD.")
    communes: list[CommuneRef]
    epcis: list[EpciRef]
    technologies: list[str] = Field(description="Technology slugs.", examples=[["vsa"]])
    vendors: list[OrganisationRef]
    fundings: list[FundingOut]
    legal_events: list[LegalEventOut]
    description: str = Field(description="Markdown.")
    citations: list[CitationOut]
    latest_source_on: str | None = Field(
        description="Publication date of its latest dated source (YYYY, YYYY-MM or "
        "YYYY-MM-DD), as its page shows it: how recent the evidence is. The `year` filter "
        "counts an experiment without an end date as active up to this year, or up to the "
        "year it began if that is later. Null when no source is dated.",
        examples=["2024-03"],
    )
    version: int = Field(description="Incremented at each change.", examples=[3])
    updated_at: str = Field(description="ISO 8601 date and time of the last change.")


class OrganisationOut(BaseModel):
    id: int
    slug: str = Field(examples=["thales"])
    name: str = Field(examples=["Thales"])
    kind: str = Field(description="One of: " + ", ".join(k for k, _v in Organisation.KINDS) + ".")
    siren: str | None
    country: str = Field(examples=["FR"])
    website: str | None
    description: str
    version: int


class TechnologyOut(BaseModel):
    slug: str = Field(examples=["reconnaissance-faciale"])
    name_fr: str
    name_en: str
    definition_fr: str
    definition_en: str


class CameraCountOut(BaseModel):
    id: int
    commune: str = Field(description="INSEE code.", examples=["06088"])
    commune_name: str = Field(examples=["Nice"])
    count: int = Field(description="Number of cameras.", examples=[4000])
    date: str = Field(description="Date of the figure: YYYY, YYYY-MM or YYYY-MM-DD.")
    perimeter: str = Field(
        description="What was counted (the town's cameras, the police prefecture's, a "
        "transport operator's…), as the source says it; empty when it does not. Counts "
        "of different perimeters do not count the same cameras."
    )
    approximate: bool = Field(
        description="true when the source gives an estimate (“about 1,000”), not a count."
    )
    per_km2: float | None = Field(
        description="Cameras per km² of the commune's area, rounded half up to 2 "
        "decimals as the pages show it; null when its area is unknown.",
        examples=[56.3],
    )
    per_1000: float | None = Field(
        description="Cameras per 1,000 inhabitants of the commune's population in the "
        "places dataset, rounded half up to 2 decimals as the pages show it; null when "
        "unknown or zero.",
        examples=[11.4],
    )
    citations: list[CitationOut]


# --- CSV export ------------------------------------------------------------------------


def _column(description: str, *derived_from: str) -> Any:
    return Field(description=description, json_schema_extra={"from": list(derived_from)})


# DeploymentData's fields the CSV leaves out (one line per deployment, flat columns):
# a new field must be added to the CSV or here, the test says which.
DEPLOYMENT_NOT_IN_CSV = ("description", "is_published", "legal_events")


class DeploymentRow(BaseModel):
    """One line of the CSV export; each column says which fields it derives from."""

    id: int = _column("Deployment id.")
    title: str = _column("Title.", "title")
    status: str = _column("Status code.", "status")
    scope: str = _column("local or national.", "scope")
    start_date: str = _column("YYYY, YYYY-MM or YYYY-MM-DD.", "start_date")
    end_date: str = _column("YYYY, YYYY-MM or YYYY-MM-DD.", "end_date")
    communes: str = _column("Commune names, separated by “; ”.", "communes")
    insee_codes: str = _column("INSEE codes, separated by “; ”.", "communes")
    departments: str = _column("Department codes, separated by “; ”.", "communes")
    technologies: str = _column("Technology slugs, separated by “; ”.", "technologies")
    vendors: str = _column("Vendor names, separated by “; ”.", "vendors")
    funders: str = _column("Funder names, separated by “; ”.", "fundings")
    amount_eur: Decimal | str = _column("Total of the known amounts, in euros.", "fundings")
    sources: str = _column("Source URLs (or titles), separated by “ | ”.", "citations")
    url: str = _column("Page of the deployment on the site.")
    # (After the first columns, which reusers read by their place.)
    intercommunalities: str = _column("Intercommunality names, separated by “; ”.", "epcis")
    epci_sirens: str = _column("Intercommunality SIREN numbers, separated by “; ”.", "epcis")
    latest_source_on: str = _column(
        "Publication date of its latest dated source (YYYY, YYYY-MM or YYYY-MM-DD), as "
        "the API's `latest_source_on`; empty when no source is dated.",
        "citations",
    )

    @classmethod
    def columns(cls) -> list[str]:
        return list(cls.model_fields)

    @classmethod
    def derived_from(cls) -> set[str]:
        fields: set[str] = set()
        for field in cls.model_fields.values():
            extra = field.json_schema_extra
            if isinstance(extra, dict):
                fields.update(extra.get("from") or [])  # type: ignore[arg-type]
        return fields


def empty_deployment() -> dict[str, Any]:
    """A deployment with nothing filled in, as plain data (what a new one starts from)."""
    return DeploymentData.model_construct().snapshot()
