"""Background tasks of the registry: take an id, return quietly if the row is gone."""

from django_tasks import task

from contrechamp.registry.models import Organisation
from contrechamp.registry.services import deployment_index


@task()
def organisation_deployments_reindex(organisation_id: int) -> int:
    """Refresh the search entries of every deployment of an organisation (after a rename,
    a vendor may have thousands). Returns how many were reindexed."""
    organisation = Organisation.objects.filter(id=organisation_id).first()
    if organisation is None:
        return 0
    deployments = list(organisation.deployments_supplied.all())
    deployments += [f.deployment for f in organisation.fundings.select_related("deployment")]
    for deployment in {d.id: d for d in deployments}.values():
        deployment_index(deployment)
    return len(deployments)
