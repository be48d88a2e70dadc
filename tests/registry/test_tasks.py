from django.core.management import call_command

from contrechamp.registry.filters import DeploymentFilters
from contrechamp.registry.models import Deployment, Organisation
from contrechamp.registry.services import organisation_update


def _found(q):
    return [d.slug for d in DeploymentFilters(q=q).apply(Deployment.objects.published())]


def test_renaming_a_vendor_reindexes_its_deployments_in_the_worker(
    contributor, django_capture_on_commit_callbacks, monkeypatch
):
    # The worker closes connections that are inside a transaction between tasks; the
    # test's own transaction must survive it (on PostgreSQL that closes the connection).
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    org = Organisation.objects.get(name="Serenicity")
    with django_capture_on_commit_callbacks(execute=True):
        organisation_update(
            organisation=org,
            data={"name": "Sérénicité Acoustique"},
            base_version=org.version,
            author=contributor,
        )
    # Queued, not done: the search still knows the old name only.
    assert _found("acoustique") == []
    call_command("db_worker", batch=True, verbosity=0)
    assert _found("acoustique") == ["soft-capteurs-sonores-a-tarentaize-beaubrun-couriot"]


def test_the_task_returns_quietly_when_the_organisation_is_gone(db):
    from contrechamp.registry.tasks import organisation_deployments_reindex

    assert organisation_deployments_reindex.call(10**9) == 0
