"""Hostile review 52, groups: a removed member stays the assignee of the items they had
finished; reopened, such an item is "taken" by someone outside the group."""

import pytest

from contrechamp.groups import services as group_services
from contrechamp.groups.models import WorkItem
from tests.groups.conftest import group  # noqa: F401 (fixture)


@pytest.mark.django_db
def test_a_reopened_item_is_not_left_taken_by_a_removed_member(
    group,  # noqa: F811
    contributor,
    other_contributor,  # noqa: F811
):
    item = group_services.work_item_add(group=group, user=contributor, kind="other", note="Lire")
    item = group_services.work_item_change(
        item=item, user=other_contributor, version=item.version, action="take"
    )
    item = group_services.work_item_change(
        item=item, user=other_contributor, version=item.version, action="done"
    )
    membership = group.memberships.get(user=other_contributor)
    group_services.membership_remove(membership=membership, by=contributor)
    group_services.work_item_change(
        item=item, user=contributor, version=item.version, action="reopen"
    )
    item = WorkItem.objects.get(id=item.id)
    assert item.state == "open"
    assert item.assignee_id != other_contributor.id
