"""What a deleted account leaves of its access-to-documents requests.

The public record of a sent request stays (which administration, what was asked, the
deadlines and the answers are facts about the administration), attributed to "former
contributor". What carries the person goes: the letter (signed with their name), the
proofs of sending (their name and postal address), the choice to be named, and their
unsent drafts.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from contrechamp.access.models import AccessRequest, Attachment
from contrechamp.access.services.bodies import bodies_forget_unused
from contrechamp.documents import files


def requests_forget_requester(*, user: Any, **kwargs: Any) -> None:
    requests = AccessRequest.objects.filter(requester=user)
    attachments = list(Attachment.objects.filter(request__in=requests))
    paths = [a.path for a in attachments]
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()

    # Files go once the deletion is committed: a rolled-back deletion keeps its proofs.
    def _delete_files() -> None:
        for path in paths:
            files.delete(path)

    transaction.on_commit(_delete_files)
    drafts = requests.filter(status="draft", series__isnull=True)
    bodies = [draft.body for draft in drafts]
    for draft in drafts:
        draft.delete()
    # A body typed into one of them, which no other request goes to, goes too.
    bodies_forget_unused(bodies)
    requests.update(show_requester=False, letter="")
