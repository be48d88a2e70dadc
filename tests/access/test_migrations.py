"""The renames of `Request` to `AccessRequest` and `Campaign` to `RequestSeries` keep every
row: a database at the previous schema, with requests, a series, events, proofs and the
many-to-many links, migrated forward (the bodies get their search keys on the way). Run
in a fresh database in a subprocess (SQLite's schema editor cannot run inside the test's
transaction); on PostgreSQL too when the suite runs there."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import datetime as dt
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("access", "0003_feed_token")
call_command("migrate", "access", BEFORE[1], verbosity=0)
old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
User = old.get_model("auth", "User")
Commune = old.get_model("places", "Commune")
PublicBody = old.get_model("access", "PublicBody")
Campaign = old.get_model("access", "Campaign")
Request = old.get_model("access", "Request")
Event = old.get_model("access", "Event")
Attachment = old.get_model("access", "Attachment")
user = User.objects.create(username="camille")
commune = Commune.objects.create(code="42218", name="Saint-Étienne")
body = PublicBody.objects.create(name="Mairie de Saint-Étienne", kind="commune", commune=commune)
Department = old.get_model("places", "Department")
Region = old.get_model("places", "Region")
alpes = Department.objects.create(code="06", name="Alpes-Maritimes")
loire = Department.objects.create(code="42", name="Loire")
prefecture = PublicBody.objects.create(
    name="Préfecture (Alpes-Maritimes)", kind="prefecture", department=alpes
)
council = PublicBody.objects.create(
    name="Conseil départemental (Alpes-Maritimes)", kind="department", department=alpes
)
paris = PublicBody.objects.create(
    name="Conseil départemental (Paris)", kind="department",
    department=Department.objects.create(code="75", name="Paris"),
)
typed = PublicBody.objects.create(
    name="Préfecture de la Loire, bureau des polices", kind="prefecture", department=loire
)
region = PublicBody.objects.create(
    name="Conseil régional (Île-de-France)", kind="region",
    region=Region.objects.create(code="11", name="Île-de-France"),
)
campaign = Campaign.objects.create(title="Vidéosurveillance", created_by=user)
request = Request.objects.create(
    body=body, campaign=campaign, requester=user, title="Vidéosurveillance",
    documents_asked="Le marché", status="refused", sent_on=dt.date(2026, 3, 2),
)
request.places.add(commune)
campaign.referral_lead = request
campaign.save()
Event.objects.create(request=request, kind="refusal", date=dt.date(2026, 3, 20))
Attachment.objects.create(
    request=request, filename="preuve.pdf", mime="application/pdf", size=3, sha256="0" * 64
)

call_command("migrate", verbosity=0)
from contrechamp.access.models import AccessRequest, PublicBody, RequestSeries

moved = AccessRequest.objects.get(id=request.id)
assert moved.title == "Vidéosurveillance" and moved.status == "refused", moved
assert moved.series.title == "Vidéosurveillance", moved.series
assert moved.series.referral_lead_id == moved.id, (moved.series.referral_lead_id, moved.id)
assert [c.code for c in moved.places.all()] == ["42218"]
assert [e.kind for e in moved.events.all()] == ["refusal"]
assert [a.filename for a in moved.attachments.all()] == ["preuve.pdf"]
assert list(RequestSeries.objects.get().requests.all()) == [moved]
assert PublicBody.objects.get(id=body.id).name_key == "mairie de saint etienne"
# The names the earlier rule made are written as French writes them; a typed one stays.
names = dict(PublicBody.objects.values_list("id", "name"))
assert names[prefecture.id] == "Préfecture des Alpes-Maritimes", names
assert names[council.id] == "Conseil départemental des Alpes-Maritimes", names
assert names[typed.id] == "Préfecture de la Loire, bureau des polices", names
assert names[region.id] == "Conseil régional d'Île-de-France", names
assert names[paris.id] == "Conseil de Paris", names
assert PublicBody.objects.get(id=prefecture.id).name_key == "prefecture des alpes maritimes"
print("kept")
"""


def _migrate(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "contrechamp.settings", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_renaming_the_models_keeps_the_rows_on_sqlite(tmp_path):
    env = {
        "CONTRECHAMP_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    done = _migrate(env)
    assert done.returncode == 0 and "kept" in done.stdout, done.stderr[-3000:]


@pytest.mark.django_db
def test_renaming_the_models_keeps_the_rows_on_postgresql(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite; run it with DATABASE_URL=postgres://…")
    import psycopg

    settings = connection.settings_dict
    name = f"contrechamp_migrations_{uuid.uuid4().hex[:8]}"
    server = {
        "host": settings["HOST"],
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "password": settings["PASSWORD"],
        "dbname": "postgres",
    }
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = (
            f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
            f"{settings['PORT'] or 5432}/{name}"
        )
        done = _migrate({"CONTRECHAMP_DATA_DIR": str(tmp_path), "DATABASE_URL": url})
        assert done.returncode == 0 and "kept" in done.stdout, done.stderr[-3000:]
    finally:
        with psycopg.connect(**server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
