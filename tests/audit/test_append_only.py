"""The log cannot be changed nor emptied: not by the model, not by the ORM's bulk
operations, not by raw SQL (the triggers, on SQLite as on PostgreSQL)."""

import pytest
from django.db import DatabaseError, connection, transaction

from contrechamp.audit.models import AppendOnlyError, AuditEntry, AuditLink
from contrechamp.audit.services import audit_purge_allowed, audit_record, audit_seal


@pytest.fixture
def entry(db):
    entry = audit_record("changed", details={"fields": ["title"]})
    audit_seal(ids=[entry.pk])
    return entry


def _unchanged(entry):
    again = AuditEntry.objects.get(pk=entry.pk)
    assert (again.action, again.details) == ("changed", {"fields": ["title"]})
    assert AuditLink.objects.filter(entry_id=entry.pk).exists()


def test_it_refuses_to_save_an_existing_entry(entry):
    entry.action = "deleted"
    with pytest.raises(AppendOnlyError):
        entry.save()
    _unchanged(entry)


def test_it_refuses_to_delete_an_entry(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditLink.objects.get(entry_id=entry.pk).delete()
    _unchanged(entry)


ATTACKS = {
    "orm update": lambda e: AuditEntry.objects.filter(pk=e.pk).update(action="deleted"),
    "orm queryset delete": lambda e: AuditEntry.objects.filter(pk=e.pk).delete(),
    "orm delete of every entry": lambda e: AuditEntry.objects.all().delete(),
    "orm update of the chain": lambda e: AuditLink.objects.filter(entry_id=e.pk).update(hash="0"),
    "orm delete of the chain": lambda e: AuditLink.objects.filter(entry_id=e.pk).delete(),
    "sql update": lambda e: _sql("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", e.pk),
    "sql delete": lambda e: _sql("DELETE FROM audit_auditentry WHERE id = %s", e.pk),
    # SQLite empties a table at once for a DELETE without WHERE, unless it has triggers.
    "sql delete all": lambda e: _sql("DELETE FROM audit_auditentry"),
    "sql update of the chain": lambda e: _sql("UPDATE audit_auditlink SET prev_hash = ''"),
    "sql delete of the chain": lambda e: _sql("DELETE FROM audit_auditlink"),
}


def _sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params or None)


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_the_database_refuses_updates_and_deletes(entry, attack):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        attack(entry)
    _unchanged(entry)


def test_postgresql_refuses_truncate(entry):
    if connection.vendor != "postgresql":
        # SQLite has no TRUNCATE: its "DELETE FROM" without WHERE is attacked above.
        assert connection.vendor == "sqlite"
        return
    for table in ("audit_auditentry", "audit_auditlink"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _sql(f"TRUNCATE {table} CASCADE")
    _unchanged(entry)


def test_emptying_a_whole_database_is_let_through_but_never_an_update(entry):
    # What `flush` (the end of a transactional test) and a restore need; nothing else.
    with audit_purge_allowed():
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).update(action="deleted")
        AuditLink.objects.filter(entry_id=entry.pk).delete()
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert not AuditEntry.objects.filter(pk=entry.pk).exists()
    # Outside the block, refused again.
    other = audit_record("changed")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=other.pk).delete()
