"""Database triggers that refuse UPDATE and DELETE on the audit tables, whatever the client.

They stop mistakes (an ORM `.update()`, a queryset delete, a careless SQL session) on both
engines; someone who can drop a trigger can also edit a row, and the keyed hash chain is
what shows that (`contrechamp audit verify`). Emptying a whole database (`flush`, a restore)
goes through `services.audit_purge_allowed`, which lets DELETE (never UPDATE) through.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

purge: ContextVar[bool] = ContextVar("audit_purge", default=False)

TABLES = ["audit_auditentry", "audit_auditlink"]
SQLITE_FUNCTION = "contrechamp_audit_purge"


def _sqlite_purge_allowed() -> int:
    return 1 if purge.get() else 0


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created: the function the SQLite triggers call. Another program opening
    the file has no such function, so its DELETE fails too."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 0, _sqlite_purge_allowed)


def sqlite_create() -> list[str]:
    statements = []
    for table in TABLES:
        statements += [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"WHEN {SQLITE_FUNCTION}() = 0 "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        ]
    return statements


def sqlite_drop() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_{what}"
        for table in TABLES
        for what in ("no_update", "no_delete")
    ]


POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' AND current_setting('contrechamp.audit_purge', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only (% refused on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def postgres_create() -> list[str]:
    statements = [POSTGRES_FUNCTION]
    for table in TABLES:
        statements += [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
        ]
    return statements


def postgres_drop() -> list[str]:
    statements = []
    for table in TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        ]
    return statements + ["DROP FUNCTION IF EXISTS audit_refuse_change()"]


def statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "sqlite":
        return sqlite_create() if create else sqlite_drop()
    if vendor == "postgresql":
        return postgres_create() if create else postgres_drop()
    raise RuntimeError(f"no append-only triggers for {vendor}")


def create(schema_editor: Any) -> None:
    for statement in statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(statement, params=None)


def drop(schema_editor: Any) -> None:
    for statement in statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(statement, params=None)
