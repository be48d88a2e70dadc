"""Helpers of the audit log's tests: acting as a person from an address, and editing the
log behind the application's back."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection

from contrechamp.audit import context, triggers
from contrechamp.audit.models import AuditEntry


@contextmanager
def acting_as(user, address: str = "198.51.100.23") -> Iterator[None]:
    """What the middleware does for a request of `user` from `address`."""
    with context.acting(
        context.AuditContext(actor=lambda: user.pk, origin=context.origin_of(address))
    ):
        yield


@contextmanager
def triggers_dropped() -> Iterator[None]:
    """An attacker with the database's password: drop the triggers, then put them back."""
    with connection.cursor() as cursor:
        for statement in triggers.statements(connection.vendor, create=False):
            cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for statement in triggers.statements(connection.vendor, create=True):
                cursor.execute(statement)


def entries_about(obj) -> list[AuditEntry]:
    meta = obj._meta
    return list(
        AuditEntry.objects.filter(
            target_app=meta.app_label, target_model=meta.model_name, target_id=str(obj.pk)
        ).order_by("id")
    )


@pytest.fixture
def library(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    return tmp_path
