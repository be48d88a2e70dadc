"""The administrators' page of the audit log, and its exports (same filters)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe

from contrechamp.accounts.models import Profile
from contrechamp.audit import permissions
from contrechamp.audit.models import ACTIONS, AuditEntry, kind_name
from contrechamp.audit.services import mask_emails
from contrechamp.lib.numbers import whole_number
from contrechamp.lib.parameters import declare_parameters
from contrechamp.lib.parameters import refused as refused_parameters
from contrechamp.lib.spreadsheet import safe_row
from contrechamp.lib.text import name_key

PAGE_SIZE = 50


@dataclass
class Filters:
    actor: str = ""
    action: str = ""
    model: str = ""
    origin: str = ""
    since: date | None = None
    until: date | None = None
    # The account `actor` names (a number, or a public name as the log shows it), and why
    # it names none: the page says so and lists nothing (a name was silently ignored and
    # the whole log listed).
    actor_id: int | None = None
    actor_error: str = ""

    @property
    def active(self) -> bool:
        return bool(
            self.actor or self.action or self.model or self.origin or self.since or self.until
        )

    def query(self) -> str:
        pairs = {
            "actor": self.actor,
            "action": self.action,
            "model": self.model,
            "origin": self.origin,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return urlencode({k: v for k, v in pairs.items() if v})


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


def _actor(typed: str) -> tuple[int | None, str]:
    """The account `typed` names, by its number or its public name (as the log shows it,
    any case), and the reason when it names none."""
    if not typed or typed == "system":
        return None, ""
    if whole_number(typed):
        return int(typed), ""
    found = list(
        Profile.objects.filter(public_name__iexact=typed, deleted_at__isnull=True).values_list(
            "user_id", flat=True
        )[:2]
    )
    if len(found) == 1:
        return found[0], ""
    return None, _(
        "No account has the public name “%(name)s”: give an account number, a public "
        "name as the log shows it, or “system”."
    ) % {"name": typed}


def _filters(request: HttpRequest) -> Filters:
    get = request.GET
    actor = get.get("actor", "").strip()[:150]
    actor_id, actor_error = _actor(actor)
    return Filters(
        actor=actor,
        actor_id=actor_id,
        actor_error=actor_error,
        action=get.get("action", "").strip()[:40],
        model=get.get("model", "").strip()[:101],
        origin=get.get("origin", "").strip()[:32],
        since=_date(get.get("since", "")),
        until=_date(get.get("until", "")),
    )


def _filtered(filters: Filters) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.order_by("-id")
    if filters.actor_error:
        return entries.none()
    if filters.actor == "system":
        entries = entries.filter(actor_id__isnull=True)
    elif filters.actor_id is not None:
        entries = entries.filter(actor_id=filters.actor_id)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.origin:
        entries = entries.filter(origin=filters.origin)
    if filters.model:
        app, _dot, model = filters.model.partition(".")
        entries = entries.filter(target_app=app, target_model=model)
    zone = timezone.get_current_timezone()
    if filters.since:
        entries = entries.filter(when__gte=datetime.combine(filters.since, time.min, zone))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time.min, zone)
        entries = entries.filter(when__lt=end)
    return entries


def _allowed(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.may_read_audit_log(request.user):
        # Said: the generic refusal names the reviewers' role, and a reviewer read it as
        # hers (a new user's walk).
        raise PermissionDenied(
            _(
                "The audit log is the administrators': it names who did what and from "
                "which network. Reviewers and contributors find the history of each "
                "deployment and organisation on its page."
            )
        )
    return None


class Names:
    """Display names of the actors of some entries, read in one query: the public name of
    an account, never its e-mail; "former contributor" once it is gone or deleted."""

    def __init__(self, entries: Iterable[AuditEntry]) -> None:
        entries = list(entries)
        ids = {e.actor_id for e in entries if e.actor_id is not None}
        # The authors of the proposals a reviewer decided, named in the details.
        ids |= {
            e.details["author_id"]
            for e in entries
            if isinstance(e.details, dict) and isinstance(e.details.get("author_id"), int)
        }
        users = get_user_model().objects.filter(pk__in=ids).select_related("profile")
        self.names = {user.pk: self._name(user) for user in users}

    @staticmethod
    def _name(user: Any) -> str:
        profile = getattr(user, "profile", None)
        if profile is None or getattr(profile, "deleted_at", None) is not None:
            return _("former contributor")
        if profile.public_name:
            return mask_emails(profile.public_name)
        return _("account no. %(id)s") % {"id": user.pk}

    def of(self, entry: AuditEntry) -> str:
        if entry.actor_id is None:
            return (
                _("system: %(what)s") % {"what": entry.actor_system}
                if entry.actor_system
                else _("anonymous")
            )
        return self.user(entry.actor_id)

    def user(self, user_id: int) -> str:
        return self.names.get(user_id, _("former contributor"))


# What a key of an entry's details means, as a label on the page (the exports keep the keys).
DETAIL_LABELS: dict[str, Any] = {
    "fields": gettext_lazy("Fields"),
    "action": gettext_lazy("Proposed"),
    "target": gettext_lazy("Object"),
    "author_id": gettext_lazy("Proposed by"),
    "edited": gettext_lazy("Edited by the reviewer"),
    "group": gettext_lazy("Group"),
    "version": gettext_lazy("Version"),
    "date": gettext_lazy("Date"),
    "origin": gettext_lazy("Origin"),
    "scope": gettext_lazy("Locked"),
    "relation": gettext_lazy("Relation"),
    "ids": gettext_lazy("Related objects"),
    "identifier": gettext_lazy("Identifier typed (keyed hash)"),
    "role": pgettext_lazy("an account's", "Role"),
    "trust": gettext_lazy("Trust"),
    "is_active": gettext_lazy("Active"),
    "is_staff": gettext_lazy("Staff"),
    "is_superuser": gettext_lazy("Superuser"),
}
# Values of some keys, as the page names them (the same words as the apps' own choices).
DETAIL_VALUES: dict[str, dict[str, Any]] = {
    "action": {
        "create": gettext_lazy("creation"),
        "update": gettext_lazy("change"),
        "publish": gettext_lazy("publication"),
    },
    "scope": {"account": gettext_lazy("the account"), "address": gettext_lazy("the address")},
    "relation": {
        "add": gettext_lazy("added"),
        "remove": gettext_lazy("removed"),
        "clear": gettext_lazy("cleared"),
    },
    "role": dict(Profile.ROLES),
    "trust": dict(Profile.TRUST_LEVELS),
}
# A proposal's `target` is a registry model's: named as the kinds of object are.
PROPOSAL_TARGETS = {
    "deployment": ("registry", "deployment"),
    "organisation": ("registry", "organisation"),
    "camera_count": ("registry", "cameracount"),
}


def _value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value == "":
        return "—"
    return str(DETAIL_VALUES.get(key, {}).get(value, value))


def _field_name(entry: AuditEntry, name: str) -> str:
    """A field as its model names it ("public name", not `public_name`)."""
    try:
        model = apps.get_model(entry.target_app, entry.target_model)
        return str(model._meta.get_field(name).verbose_name)
    except (LookupError, ValueError, AttributeError):
        return str(name).replace("_", " ")


def details_text(entry: AuditEntry, names: Names | None = None) -> str:
    """An entry's details as labelled fields in the page's language: "Object: camera
    count #3 · Proposed: creation · Proposed by: Camille · Edited by the reviewer: no",
    "Fields: role, trust · Role: contributor → reviewer"."""
    details = dict(entry.details or {})
    parts = []
    if "target" in details:
        target = details.pop("target")
        app_model = PROPOSAL_TARGETS.get(str(target))
        kind = kind_name(*app_model) if app_model else str(target)
        number = details.pop("object_id", None)
        parts.append((DETAIL_LABELS["target"], f"{kind} #{number}" if number else kind))
    for key, value in details.items():
        label = DETAIL_LABELS.get(key, str(key).replace("_", " "))
        if key == "fields":
            text = ", ".join(_field_name(entry, name) for name in value) or "—"
        elif key == "author_id":
            text = names.user(value) if names is not None and value else _value(key, value)
        elif key == "group":
            text = f"#{value}"
        elif key == "ids" and isinstance(value, list):
            text = ", ".join(f"#{item}" for item in value)
        elif key == "identifier":
            text = str(value)[:8]
        elif isinstance(value, list) and len(value) == 2:
            text = f"{_value(key, value[0])} → {_value(key, value[1])}"
        else:
            text = _value(key, value)
        parts.append((label, text))
    return " · ".join(
        _("%(name)s: %(value)s") % {"name": capfirst(str(label)), "value": text}
        for label, text in parts
    )


def day_only(entry: AuditEntry) -> bool:
    """Whether the entry keeps the day only (a tip, an anonymous visitor: written at
    local midnight to the microsecond, which no recorded time is otherwise)."""
    return timezone.localtime(entry.when).time() == time(0)


@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    if (refused := _allowed(request)) is not None:
        return refused
    filters = _filters(request)
    page = Paginator(_filtered(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    names = Names(page.object_list)
    for entry in page.object_list:
        entry.actor_name = names.of(entry)  # type: ignore[attr-defined]
        entry.details_text = details_text(entry, names)  # type: ignore[attr-defined]
        entry.day_only = day_only(entry)  # type: ignore[attr-defined]
    models = (
        AuditEntry.objects.exclude(target_app="")
        .order_by("target_app", "target_model")
        .values_list("target_app", "target_model")
        .distinct()
    )
    actions = dict(ACTIONS)
    for action in AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct():
        actions.setdefault(action, action.replace("_", " "))
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "filters": filters,
            "query": filters.query(),
            "actions": sorted(actions.items(), key=lambda item: str(item[1])),
            # Each kind by its name, in the page's language; the address keeps the label.
            "models": sorted(
                ((f"{app}.{model}", capfirst(kind_name(app, model))) for app, model in models),
                key=lambda item: name_key(item[1]),  # "Événement" among the E
            ),
        },
    )


FIELDS = [
    "id",
    "when",
    "actor_id",
    "actor",
    "action",
    "target_app",
    "target_model",
    "target_id",
    "target_label",
    "target_url",
    "details",
    "origin",
]


def _rows(filters: Filters) -> Iterator[dict[str, Any]]:
    # In chunks: the names of each chunk's actors in one query.
    chunk: list[AuditEntry] = []
    for entry in _filtered(filters).iterator(chunk_size=1000):
        chunk.append(entry)
        if len(chunk) == 1000:
            yield from _export_rows(chunk)
            chunk = []
    yield from _export_rows(chunk)


def _export_rows(entries: list[AuditEntry]) -> Iterator[dict[str, Any]]:
    names = Names(entries)
    for entry in entries:
        yield {
            "id": entry.pk,
            "when": entry.when.isoformat(),
            "actor_id": entry.actor_id,
            "actor": names.of(entry),
            "action": entry.action,
            "target_app": entry.target_app,
            "target_model": entry.target_model,
            "target_id": entry.target_id,
            "target_label": mask_emails(entry.target_label),
            "target_url": entry.target_url,
            "details": entry.details,
            "origin": entry.origin,
        }


def _csv_lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    for row in rows:
        row["details"] = json.dumps(row["details"], ensure_ascii=False, sort_keys=True)
        # Names typed by anyone (an organisation's, a display name) never open in a
        # spreadsheet as a formula, as in the site's other CSV exports.
        writer.writerow(dict(zip(FIELDS, safe_row(row[f] for f in FIELDS), strict=True)))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


# What the exports take: the journal's filters, as its page links them (`Filters.query`).
EXPORT_PARAMETERS = ("actor", "action", "model", "origin", "since", "until")


def _unread(request: HttpRequest) -> HttpResponse | None:
    """An export whose actor names nobody is refused with the reason, not the whole log;
    so is a parameter that is no filter, or one given twice (`lib.parameters`: `?acteur=`
    exported the whole log), once the reader is known to be allowed."""
    if (error := refused_parameters(request.GET, EXPORT_PARAMETERS)) is not None:
        return error
    filters = _filters(request)
    if filters.actor_error:
        return HttpResponse(
            filters.actor_error, status=400, content_type="text/plain; charset=utf-8"
        )
    return None


@require_safe
def audit_export_csv(request: HttpRequest) -> HttpResponseBase:
    if (refused := _allowed(request)) is not None:
        return refused
    if (unread := _unread(request)) is not None:
        return unread
    response = StreamingHttpResponse(
        _csv_lines(_rows(_filters(request))), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="journal.csv"'
    return response


@require_safe
def audit_export_jsonl(request: HttpRequest) -> HttpResponseBase:
    if (refused := _allowed(request)) is not None:
        return refused
    if (unread := _unread(request)) is not None:
        return unread
    lines = (
        json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n"
        for row in _rows(_filters(request))
    )
    response = StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="journal.jsonl"'
    return response


declare_parameters(audit_export_csv, EXPORT_PARAMETERS)
declare_parameters(audit_export_jsonl, EXPORT_PARAMETERS)
