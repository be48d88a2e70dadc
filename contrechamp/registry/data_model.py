"""The plain-data shape of a deployment: what forms, the API, the demo loader and revision
snapshots all exchange. Validation lives here so that every entry point refuses the same
bad input with the same message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from contrechamp.lib.partialdate import parse_partial_date
from contrechamp.places.models import Commune, Epci
from contrechamp.registry.models import Deployment, LegalEvent, Technology

LIMITS = {
    "title": 300,
    "description": 20_000,
    "quote": 5_000,
    "source_title": 400,
    "publisher": 200,
    "url": 1000,
    "programme": 300,
    "authority": 200,
    "summary": 5_000,
    "organisation": 200,
    "locator": 100,
}
MAX_ITEMS = 50
# The largest id or version a database column holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def whole_number(value: Any) -> int | None:
    """`value` as a positive whole number written in ASCII digits, else None (so callers
    refuse it as they refuse a missing one). str.isdigit() accepts “²”, which int() then
    refuses, and other scripts' digits; a number past 64 bits overflows the database."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def empty_deployment() -> dict[str, Any]:
    return {
        "title": "",
        "scope": "local",
        "status": "",
        "start_date": "",
        "end_date": "",
        "description": "",
        "is_published": True,
        "communes": [],
        "epcis": [],
        "technologies": [],
        "vendors": [],
        "fundings": [],
        "legal_events": [],
        "citations": [],
    }


def _text(errors: dict, value: Any, limit_key: str, label: str, error_key: str) -> str:
    value = str(value or "").strip()
    if len(value) > LIMITS[limit_key]:
        errors.setdefault(error_key, []).append(
            _("%(label)s is too long: %(n)d characters, %(max)d at most.")
            % {"label": label, "n": len(value), "max": LIMITS[limit_key]}
        )
    return value


def _date(errors: dict, key: str, value: Any) -> str:
    try:
        return parse_partial_date(str(value or ""))
    except ValidationError as e:
        errors.setdefault(key, []).extend(e.messages)
        return ""


def deployment_clean(data: dict[str, Any]) -> dict[str, Any]:
    """Return the normalised deployment data, or raise ValidationError({field: [msgs]})."""
    errors: dict[str, list[str]] = {}
    out = empty_deployment()

    out["title"] = _text(errors, data.get("title"), "title", _("Title"), "title")
    if not out["title"]:
        errors.setdefault("title", []).append(_("A deployment needs a title."))
    out["description"] = _text(
        errors, data.get("description"), "description", _("Description"), "description"
    )

    scope = data.get("scope") or "local"
    if scope not in dict(Deployment.SCOPES):
        errors.setdefault("scope", []).append(_("Unknown scope “%s”.") % scope)
    out["scope"] = scope
    status = data.get("status") or ""
    if status not in dict(Deployment.STATUSES):
        errors.setdefault("status", []).append(
            _("Choose a status among: %s.") % ", ".join(dict(Deployment.STATUSES))
        )
    out["status"] = status
    out["start_date"] = _date(errors, "start_date", data.get("start_date"))
    out["end_date"] = _date(errors, "end_date", data.get("end_date"))
    if (
        out["start_date"]
        and out["end_date"]
        and out["end_date"] < out["start_date"][: len(out["end_date"])]
    ):
        errors.setdefault("end_date", []).append(_("The end comes before the start."))
    out["is_published"] = bool(data.get("is_published", True))

    codes = [str(c).strip() for c in data.get("communes") or [] if str(c).strip()]
    known = set(Commune.objects.filter(code__in=codes).values_list("code", flat=True))
    for code in codes:
        if code not in known:
            errors.setdefault("communes", []).append(
                _("No commune has the INSEE code “%s”.") % code
            )
    out["communes"] = sorted(set(codes))
    sirens = [str(c).strip() for c in data.get("epcis") or [] if str(c).strip()]
    known = set(Epci.objects.filter(siren__in=sirens).values_list("siren", flat=True))
    for siren in sirens:
        if siren not in known:
            errors.setdefault("epcis", []).append(
                _("No intercommunality has the SIREN “%s”.") % siren
            )
    out["epcis"] = sorted(set(sirens))
    if (
        out["scope"] == "local"
        and not out["communes"]
        and not out["epcis"]
        and "communes" not in errors
    ):
        errors.setdefault("communes", []).append(
            _("A local deployment needs at least one commune or intercommunality.")
        )

    slugs = [str(s).strip() for s in data.get("technologies") or [] if str(s).strip()]
    known = set(Technology.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    for slug in slugs:
        if slug not in known:
            errors.setdefault("technologies", []).append(_("Unknown technology “%s”.") % slug)
    if not slugs:
        errors.setdefault("technologies", []).append(_("Choose at least one technology."))
    out["technologies"] = sorted(set(slugs))

    vendors = []
    for name in data.get("vendors") or []:
        name = str(name).strip()
        if len(name) > LIMITS["organisation"]:
            errors.setdefault("vendors", []).append(_("A vendor name is too long."))
        elif name and name not in vendors:
            vendors.append(name)
    out["vendors"] = vendors

    for i, f in enumerate((data.get("fundings") or [])[:MAX_ITEMS]):
        funder = str(f.get("funder") or "").strip()
        if not funder:
            continue
        amount = f.get("amount_eur")
        amount_text = ""
        if amount not in (None, ""):
            try:
                value = Decimal(
                    str(amount).replace(" ", "").replace("\u202f", "").replace(",", ".")
                )
                if value < 0 or value >= Decimal("1e12"):
                    raise InvalidOperation
                amount_text = str(value.quantize(Decimal("0.01")))
            except InvalidOperation:
                errors.setdefault(f"fundings.{i}.amount_eur", []).append(
                    _("“%s” is not an amount in euros.") % amount
                )
        out["fundings"].append(
            {
                "funder": _text(
                    errors, funder, "organisation", _("Funder"), f"fundings.{i}.funder"
                ),
                "amount_eur": amount_text or None,
                "programme": _text(
                    errors,
                    f.get("programme"),
                    "programme",
                    _("Programme"),
                    f"fundings.{i}.programme",
                ),
            }
        )

    for i, e in enumerate((data.get("legal_events") or [])[:MAX_ITEMS]):
        if not (e.get("kind") or e.get("summary") or e.get("date")):
            continue
        kind = e.get("kind") or ""
        if kind not in dict(LegalEvent.KINDS):
            errors.setdefault(f"legal_events.{i}.kind", []).append(
                _("Choose the kind of legal event.")
            )
        outcome = e.get("outcome") or "unknown"
        if outcome not in dict(LegalEvent.OUTCOMES):
            errors.setdefault(f"legal_events.{i}.outcome", []).append(_("Unknown outcome."))
        out["legal_events"].append(
            {
                "kind": kind,
                "date": _date(errors, f"legal_events.{i}.date", e.get("date")),
                "authority": _text(
                    errors,
                    e.get("authority"),
                    "authority",
                    _("Authority"),
                    f"legal_events.{i}.authority",
                ),
                "outcome": outcome,
                "summary": _text(
                    errors, e.get("summary"), "summary", _("Summary"), f"legal_events.{i}.summary"
                ),
            }
        )

    out["citations"] = citations_clean(errors, data.get("citations") or [])
    if out["is_published"] and not out["citations"] and "citations" not in errors:
        errors.setdefault("citations", []).append(
            _("Every published deployment cites at least one source.")
        )

    if errors:
        raise ValidationError({k: v for k, v in errors.items()})
    return out


def citations_clean(errors: dict, citations: list[dict]) -> list[dict]:
    out = []
    url_validator = URLValidator(schemes=["http", "https"])
    for i, c in enumerate(citations[:MAX_ITEMS]):
        source = c.get("source") or {}
        title = str(source.get("title") or "").strip()
        url = str(source.get("url") or "").strip()
        quote = str(c.get("quote") or "").strip()
        if not (title or url or quote):
            continue
        key = f"citations.{i}"
        if not title:
            errors.setdefault(key, []).append(_("A source needs a title or publication name."))
        if url:
            try:
                url_validator(url)
            except ValidationError:
                errors.setdefault(key, []).append(_("“%s” is not a web address.") % url)
        accessed = str(c.get("accessed_on") or "").strip()
        if accessed:
            try:
                accessed = dt.date.fromisoformat(accessed).isoformat()
            except ValueError:
                errors.setdefault(key, []).append(
                    _("“%s” is not a date: write YYYY-MM-DD.") % accessed
                )
                accessed = ""
        document = source.get("document")
        if document is not None:
            from contrechamp.documents.models import Document

            number = whole_number(document)
            if number is None or not Document.objects.filter(id=number).exists():
                errors.setdefault(key, []).append(_("No document has the number “%s”.") % document)
            document = number
        # The id of a citation being edited, so that it keeps its identity (the service
        # honours it only for a citation of the same claim); anything else is no id.
        ident = whole_number(c.get("id"))
        out.append(
            {
                **({"id": ident} if ident is not None else {}),
                "source": {
                    **({"document": document} if document else {}),
                    "title": _text(errors, title, "source_title", _("Source title"), key),
                    "publisher": _text(
                        errors, source.get("publisher"), "publisher", _("Publisher"), key
                    ),
                    "url": _text(errors, url, "url", _("URL"), key),
                    "published_on": _date(errors, key, source.get("published_on")),
                },
                "quote": _text(errors, quote, "quote", _("Quote"), key),
                "locator": _text(errors, c.get("locator"), "locator", _("Page or section"), key),
                "accessed_on": accessed or None,
            }
        )
    return out
