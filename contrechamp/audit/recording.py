"""Automatic recording: every create, update and delete of the project's models, of
accounts, groups and second-factor devices, and log-ins.

Not recorded (EXCLUDED, the one place that says so), each for a reason:
- documents.page, documents.step: derived by the extraction pipeline, thousands per
  document; the document's own changes are recorded.
- documents.entity created: suggestions found automatically on each page; a reviewer's
  accept or reject is a change, and recorded.
- redaction.redaction created by detection (no author): same, suggestions; a reviewer's
  decision, or a box drawn by hand, is recorded.
- The same suggestions deleted by the pipeline that replaces them with fresh ones
  (`delete_derived`, which deletes only rows still as the pipeline made them:
  AUTOMATIC_ROWS); deleted any other way, they are recorded.
- redaction.detection: "detection ran on this page", derived, one per page.
- registry.revision: the history itself, written with every change already recorded.
- access.reminderlog: the daily task's note of e-mails sent, derived.
- documents.document, the columns its pipeline derives from the file (DERIVED_UPDATES:
  kind, page count, the date read in its text, processing status), when the pipeline
  writes them (`update_derived`); the same columns changed any other way (a date
  corrected by a person) are recorded as before.
- ops.*: the scheduler's periodic job slots.
- audit.*: the log itself.
- Search index rows, task results (django_tasks_db), sessions and Django's own tables are
  outside the recorded apps to begin with.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from contrechamp.audit import context
from contrechamp.audit.services import audit_record

EXCLUDED = {
    "documents.page",
    "documents.step",
    "redaction.detection",
    "registry.revision",
    "access.reminderlog",
}
EXCLUDED_APPS = {"audit", "ops"}
# Recorded besides the apps of the package contrechamp.*
EXTRA_MODELS = {"auth.user", "auth.group"}
EXTRA_APPS = {"otp_totp", "otp_static"}
# Old → new values are kept for these fields (rights); for any other field, its name only.
RIGHTS_FIELDS = {
    "accounts.profile": {"role", "trust"},
    "auth.user": {"is_active", "is_staff", "is_superuser"},
}
# A log-in writes last_login: the "logged_in" entry says it already.
QUIET_UPDATES = {"auth.user": {"last_login"}}
# Columns a pipeline derives from a row's own content, not recorded when that pipeline
# writes them through `update_derived` (an entry and its seal per document processed, for
# what the file says of itself); written any other way, they are recorded.
DERIVED_UPDATES = {
    "documents.document": {
        "kind",
        "mime",
        "page_count",
        "date",
        "date_precision",
        "date_read",
        "date_read_precision",
        "date_read_from",
        "status",
        "error",
        "error_detail",
        "processed_at",
        "lease_until",
        "updated_at",
        # A file sent with a tip keeps the day it came, not the time (documents.services
        # `_day_only_for_a_tip`): an entry holding the old value would keep the time.
        "created_at",
    },
}


# Rows a pipeline makes by itself, as the filter that still finds them as it made them
# (not reviewed, no author): their creation is not recorded (`_automatic_creation`), nor
# their replacement by the same pipeline (`delete_derived`).
AUTOMATIC_ROWS: dict[str, dict[str, Any]] = {
    "documents.entity": {"status": "suggested"},
    "redaction.redaction": {"status": "suggested", "created_by": None},
}


def delete_derived(queryset: models.QuerySet[Any]) -> int:
    """Delete the rows of `queryset` that its pipeline made and nobody has decided on
    (AUTOMATIC_ROWS), in one query and without an entry per row: a document processed
    again replaced hundreds of suggestions, each with an entry and its seal. Any other row
    of the queryset stays. Returns how many were deleted."""
    model = queryset.model
    label = label_of(model)
    if label not in AUTOMATIC_ROWS:
        raise ValueError(f"{label} has no rows made by a pipeline")
    # One DELETE sends no signal and follows no relation: nothing may point to these rows.
    if model._meta.related_objects or model._meta.many_to_many:
        raise ValueError(f"rows of {label} are pointed to: delete them one by one")
    return int(queryset.filter(**AUTOMATIC_ROWS[label])._raw_delete(queryset.db))


def update_derived(queryset: models.QuerySet[Any], **values: Any) -> int:
    """Write `values`, columns a pipeline derives (DERIVED_UPDATES), to the rows of
    `queryset` in one UPDATE whose WHERE holds the queryset's conditions (a pipeline's
    "only if this worker still holds the row"): no audit entry, no read before. A column
    outside the model's derived columns is refused. Returns how many rows were written."""
    label = label_of(queryset.model)
    outside = set(values) - DERIVED_UPDATES.get(label, set())
    if outside:
        raise ValueError(f"not derived columns of {label}: {sorted(outside)}")
    return int(queryset.update(**values))


def label_of(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def is_recorded(model: type[models.Model]) -> bool:
    # A migration's historical models (module "__fake__") save rows while the schema is
    # half built, perhaps before this app's own tables exist: migrations are not actions.
    if model.__module__ == "__fake__":
        return False
    label = label_of(model)
    app = model._meta.app_label
    if label in EXCLUDED or app in EXCLUDED_APPS:
        return False
    if label in EXTRA_MODELS or app in EXTRA_APPS:
        return True
    return model.__module__.startswith("contrechamp.")


def _automatic_creation(label: str, instance: Any) -> bool:
    if label == "documents.entity":
        return True
    if label == "redaction.redaction":
        return getattr(instance, "created_by_id", None) is None
    return False


@cache
def _fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def before_save(sender: type[models.Model], instance: Any, raw: bool = False, **kw: Any) -> None:
    if raw or instance._state.adding or instance.pk is None or not is_recorded(sender):
        instance._audit_before = None
        return
    names = [f.attname for f in _fields(sender)]
    update_fields = kw.get("update_fields")
    if update_fields:
        wanted = set(update_fields)
        names = [f.attname for f in _fields(sender) if f.name in wanted or f.attname in wanted]
    # The base manager: a default manager may hide rows (pending camera counts).
    instance._audit_before = (
        sender._base_manager.using(kw.get("using")).filter(pk=instance.pk).values(*names).first()
    )


def after_save(
    sender: type[models.Model], instance: Any, created: bool, raw: bool = False, **kw: Any
) -> None:
    if raw or not is_recorded(sender):
        return
    label = label_of(sender)
    if created:
        if not _automatic_creation(label, instance):
            audit_record("created", target=instance)
        return
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    if before is None:  # saved without a row before it (force_update on a gone row)
        audit_record("changed", target=instance, details={"fields": []})
        return
    by_attname = {f.attname: f for f in _fields(sender)}
    changed = sorted(
        by_attname[a].name for a, old in before.items() if getattr(instance, a, None) != old
    )
    if not changed or set(changed) <= QUIET_UPDATES.get(label, set()):
        return
    details: dict[str, Any] = {"fields": changed}
    rights = RIGHTS_FIELDS.get(label, set()) & set(changed)
    for name in sorted(rights):
        attname = next(f.attname for f in _fields(sender) if f.name == name)
        details[name] = [before[attname], getattr(instance, attname)]
    action = "changed"
    if label == "accounts.profile" and "role" in rights:
        action = "role_changed"
    elif label == "accounts.profile" and "trust" in rights:
        action = "trust_changed"
    audit_record(action, target=instance, details=details)


def after_delete(sender: type[models.Model], instance: Any, **kw: Any) -> None:
    if is_recorded(sender):
        audit_record("deleted", target=instance)


def m2m(
    sender: Any, instance: Any, action: str, model: Any, pk_set: Any, reverse: bool, **kw: Any
) -> None:
    if action not in {"post_add", "post_remove", "post_clear"} or not is_recorded(type(instance)):
        return
    # The relation's name on the instance: the field whose through table sent this.
    name = next(
        (
            f.name
            for f in type(instance)._meta.get_fields()
            if getattr(getattr(f, "remote_field", None), "through", None) is sender
        ),
        sender._meta.model_name,
    )
    details: dict[str, Any] = {"fields": [name], "relation": action.removeprefix("post_")}
    if pk_set:
        details["ids"] = sorted(pk_set)
    audit_record("changed", target=instance, details=details)


def logged_in(sender: Any, request: Any, user: Any, **kw: Any) -> None:
    audit_record("logged_in", target=user, actor_id=user.pk)


def logged_out(sender: Any, request: Any, user: Any, **kw: Any) -> None:
    if user is not None and user.pk is not None:
        audit_record("logged_out", target=user, actor_id=user.pk)


def login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    # Neither the password nor the identifier typed: a keyed hash of the identifier, so
    # that failures against one account can be seen together within the month.
    typed = str(credentials.get("username") or credentials.get("email") or "")
    details = {"identifier": context.keyed_hash(typed)} if typed else {}
    audit_record("login_failed", details=details)


def locked_out(sender: Any, user: Any = None, request: Any = None, **kw: Any) -> None:
    """[abuse]'s `login_locked` signal; a lock on an address only has no account."""
    target = user if isinstance(user, get_user_model()) else None
    audit_record("locked_out", target=target, details={"scope": str(kw.get("scope", ""))[:20]})


def connect() -> None:
    from django.contrib.auth import signals as auth_signals

    pre_save.connect(before_save, dispatch_uid="audit-pre-save")
    post_save.connect(after_save, dispatch_uid="audit-post-save")
    post_delete.connect(after_delete, dispatch_uid="audit-post-delete")
    m2m_changed.connect(m2m, dispatch_uid="audit-m2m")
    auth_signals.user_logged_in.connect(logged_in, dispatch_uid="audit-login")
    auth_signals.user_logged_out.connect(logged_out, dispatch_uid="audit-logout")
    auth_signals.user_login_failed.connect(login_failed, dispatch_uid="audit-login-failed")
    try:
        from contrechamp.accounts import signals as account_signals
    except ImportError:  # declared by the rate limits, when present
        return
    login_locked = getattr(account_signals, "login_locked", None)
    if login_locked is not None:
        login_locked.connect(locked_out, dispatch_uid="audit-locked-out")
