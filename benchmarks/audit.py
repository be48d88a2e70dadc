"""Overhead of the audit log on a deployment update, with and without it in the same run.

    .venv/bin/python benchmarks/audit.py [--updates 200 --database-url postgres://...]

Each round updates one deployment (its description, through `deployment_update`, the
service the edit page calls) once with the audit log recording and once without (its
receivers disconnected), alternately, so that both see the same database as it grows.
With the log, an update writes its entries (the deployment changed, its m2m relations
set again...) in the service's transaction and chains them in a short transaction after
the commit: both are inside the time measured. Prints the medians (elapsed, and CPU time of this
process: the machine is shared, its disk noisy), the overhead and the entries written
per update.

Runs in its own SQLite database and data folder (temporary), or in the PostgreSQL
database given (a scratch one: it is migrated and written to).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(database_url: str) -> None:
    if database_url:
        import tempfile

        os.environ["CONTRECHAMP_DATA_DIR"] = tempfile.mkdtemp(prefix="contrechamp-audit-")
        os.environ["DATABASE_URL"] = database_url
        os.environ["DJANGO_SETTINGS_MODULE"] = "contrechamp.settings"
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    else:
        from benchmarks.documents import workdir

        workdir("contrechamp-audit-")


def audit_receivers(connected: bool) -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

    from contrechamp.audit import recording

    pairs: list[tuple[object, Callable[..., None], str]] = [
        (pre_save, recording.before_save, "audit-pre-save"),
        (post_save, recording.after_save, "audit-post-save"),
        (post_delete, recording.after_delete, "audit-post-delete"),
        (m2m_changed, recording.m2m, "audit-m2m"),
    ]
    for signal, receiver, uid in pairs:
        if connected:
            signal.connect(receiver, dispatch_uid=uid)  # type: ignore[attr-defined]
        else:
            signal.disconnect(receiver, dispatch_uid=uid)  # type: ignore[attr-defined]


def update(deployment_id: int, n: int) -> tuple[float, float]:
    from contrechamp.registry.models import Deployment
    from contrechamp.registry.services import deployment_snapshot, deployment_update

    deployment = Deployment.objects.get(id=deployment_id)
    data = {**deployment_snapshot(deployment), "description": f"Révision {n} du texte."}
    start, cpu = time.perf_counter(), time.process_time()
    deployment_update(
        deployment=deployment, data=data, base_version=deployment.version, author=None
    )
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=200)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    setup(args.database_url)

    from django.db import connection

    from contrechamp.audit.models import AuditEntry
    from contrechamp.audit.services import audit_verify
    from contrechamp.places.services import places_load
    from contrechamp.registry.demo import demo_load
    from contrechamp.registry.models import Deployment

    places_load()
    demo_load()
    deployment_id = Deployment.objects.order_by("id").values_list("id", flat=True).first()
    assert deployment_id is not None
    with_log: list[tuple[float, float]] = []
    without_log: list[tuple[float, float]] = []
    entries = []
    for n in range(args.updates):
        audit_receivers(connected=False)
        without_log.append(update(deployment_id, 2 * n))
        audit_receivers(connected=True)
        before = AuditEntry.objects.count()
        with_log.append(update(deployment_id, 2 * n + 1))
        entries.append(AuditEntry.objects.count() - before)
    print(f"engine: {connection.vendor}, {args.updates} updates each way")
    for what, index in (("elapsed", 0), ("CPU of this process", 1)):
        on = statistics.median(t[index] for t in with_log)
        off = statistics.median(t[index] for t in without_log)
        print(
            f"{what}: without the audit log {off * 1000:.1f} ms, with it {on * 1000:.1f} ms, "
            f"overhead {(on - off) * 1000:+.1f} ms ({(on / off - 1) * 100:+.0f} %)"
        )
    print(f"entries per update: {statistics.median(entries):.0f}")
    start = time.perf_counter()
    result = audit_verify()
    print(
        f"audit verify: {result.checked} entries in {time.perf_counter() - start:.2f} s, "
        f"{'intact' if result.ok else 'BROKEN'}"
    )


if __name__ == "__main__":
    main()
