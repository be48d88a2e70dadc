"""Writers at once, in separate processes against one database: the chain stays whole
(the head row serialises the links; SQLite has a single writer anyway)."""

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import prepared_database, query_database

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 3
EACH = 30

WRITER = f"""
import os, time
import django
django.setup()
from django.db import transaction
from contrechamp.audit.services import audit_record
from contrechamp.registry.models import Technology

go = os.environ["AUDIT_GO"]
while not os.path.exists(go):  # all writers start together
    time.sleep(0.005)
name = os.environ["AUDIT_WRITER"]
for i in range({EACH}):
    with transaction.atomic():
        # Both kinds of entry: explicit, and recorded from a change of the registry.
        audit_record("changed", details={{"writer": name, "i": i}})
        Technology.objects.create(slug=f"t-{{name}}-{{i}}", name_fr="x", name_en="x")
"""


def _env(data_dir: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=url,
        CONTRECHAMP_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="contrechamp.settings",
        SECRET_KEY="concurrency-test-key",
    )
    return env


def test_concurrent_writers_leave_a_valid_chain(tmp_path):
    url = prepared_database(tmp_path, "auditchain")
    env = _env(tmp_path, url)
    contrechamp = [sys.executable, "-m", "contrechamp"]
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER],
            env={**env, "AUDIT_GO": str(go), "AUDIT_WRITER": f"w{n}"},
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    time.sleep(0.5)  # not a timing assertion: lets the writers reach their start line
    go.touch()
    for writer in writers:
        _out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err

    entries = query_database(url, "SELECT COUNT(*) FROM audit_auditentry")[0][0]
    links = query_database(url, "SELECT COUNT(*) FROM audit_auditlink")[0][0]
    assert entries == links == 2 * WRITERS * EACH  # every entry chained after its commit
    verified = subprocess.run(
        [*contrechamp, "audit", "verify"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert verified.returncode == 0, verified.stderr
    assert f"intact: {2 * WRITERS * EACH} entries checked" in verified.stdout
    assert "Chained" not in verified.stdout

    # Emptying the whole database on purpose (`flush`, as a test that commits ends) goes
    # through the triggers; another client deleting rows does not.
    refused = subprocess.run(
        [
            *contrechamp,
            "shell",
            "-c",
            "from django.db import connection\n"
            "connection.cursor().execute('DELETE FROM audit_auditentry')",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0 and "append-only" in refused.stderr
    subprocess.run([*contrechamp, "flush", "--no-input"], env=env, cwd=ROOT, check=True)
    assert query_database(url, "SELECT COUNT(*) FROM audit_auditentry")[0][0] == 0
