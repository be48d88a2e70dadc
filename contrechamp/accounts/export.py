"""A person's own data, as one JSON document they download from their account page.

Found from the relations to the user model rather than listed by hand, so that a model
another app adds later (groups, proposals...) is exported without anyone remembering to.
Files are described (name, size, hash), never included.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from contrechamp.accounts.models import Profile, display_name

# Secrets of the account itself are not data about the person: a TOTP key or a recovery
# code in a downloaded file would be a second factor lying in a downloads folder.
SKIPPED_MODELS = {"otp_totp.totpdevice", "otp_static.staticdevice", "otp_static.statictoken"}
SKIPPED_FIELDS = {"password", "key", "token", "digest", "secret"}
# Rows a reviewer acted on hold other people's personal data (a redaction holds the name
# it hides, an entity the words of a private page): the export says what the person did
# (kind, status, dates, ids), not that text.
# A refused publication's findings quote the text the gate found unredacted.
REVIEW_ACTIONS = {"redaction.redaction", "documents.entity", "documents.publication"}
# Relations by which a row is another person's work the person decided on or was given:
# a newcomer's rejected draft and its comment (the reviewer's), an item of a group's work
# list written by another member (the assignee's, who may have left the group since).
OTHERS_WORK = {("registry.proposal", "reviewer"), ("groups.workitem", "assignee")}
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def user_relations() -> Iterator[tuple[type[models.Model], str, bool]]:
    """(model, field name, many-to-many?) of every relation pointing to the user model,
    the profile and Django's own permission tables aside."""
    # include_hidden: a relation declared with related_name="+" points to the person too.
    for rel in User._meta.get_fields(include_hidden=True):
        if not rel.auto_created or rel.concrete or not isinstance(rel, models.ForeignObjectRel):
            continue
        model = rel.related_model
        if not isinstance(model, type) or not issubclass(model, models.Model) or model is Profile:
            continue
        if model._meta.app_label in {"auth", "admin", "contenttypes", "sessions"}:
            continue
        if model._meta.label_lower in SKIPPED_MODELS:
            continue
        yield model, rel.field.name, bool(rel.many_to_many)


def _row(obj: models.Model, *, without_text: bool = False) -> dict[str, Any]:
    """The row's fields; `without_text`: what was done (kinds, states, dates, ids), not
    the words, which are someone else's."""
    data: dict[str, Any] = {"id": obj.pk}
    without_text = without_text or obj._meta.label_lower in REVIEW_ACTIONS
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in SKIPPED_FIELDS:
            continue
        if without_text and isinstance(field, TEXT_FIELDS) and not field.choices:
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, models.FileField):
            value = str(value) if value else ""
        elif isinstance(value, bytes | memoryview):
            value = bytes(value).hex()
        data[field.name] = value
    return data


def account_export(*, user: User) -> dict[str, Any]:
    """Everything Contrechamp holds about `user`, by table."""
    profile = getattr(user, "profile", None)
    data: dict[str, Any] = {
        "exported_at": timezone.now(),
        "account": {
            "email": user.email,
            "display_name": display_name(user),
            "internal_user_name": user.username,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "role": getattr(profile, "role", "contributor"),
            "trust": getattr(profile, "trust", ""),
            "accepted_changes": getattr(profile, "accepted_changes", 0),
            "email_confirmed_at": getattr(profile, "email_confirmed_at", None),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "postal_address": getattr(profile, "postal_address", ""),
            "email_language": getattr(profile, "email_language", ""),
            "deadline_emails": getattr(profile, "deadline_emails", True),
        },
    }
    for model, field_name, _many in user_relations():
        rows = model._default_manager.filter(**{field_name: user}).distinct().order_by("pk")
        key = f"{model._meta.label_lower}.{field_name}"
        others = (model._meta.label_lower, field_name) in OTHERS_WORK
        data[key] = [_row(obj, without_text=others) for obj in rows]
    return data


def account_export_json(*, user: User) -> bytes:
    return json.dumps(account_export(user=user), cls=DjangoJSONEncoder, indent=2).encode()
