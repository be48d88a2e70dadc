"""Who may do what with the library, one function per action, used alike by views, the
API and templates (froide's `get_read_foirequest_queryset` / `can_write_foirequest`).

Reviewers and administrators see everything: originals, unredacted text, page images of
the original, every entity suggestion. Everyone else sees a document's text and pages
only once it is published, and then only the published, redacted copy, with the
entities a reviewer accepted; the person who uploaded a document sees its title,
processing status and entity suggestions in the meantime (and decides on the
suggestions when their changes are trusted, as in the registry), and opens her own
original: its file, its pages' images and text (she sent them; nothing in them is news
to her). Every other original is served to reviewers and administrators only.
Redaction and publication have their own rules (`contrechamp.redaction.permissions`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from contrechamp.accounts.models import has_role
from contrechamp.documents.models import Document, Entity, Page
from contrechamp.registry.permissions import may_edit_deployment, may_publish_directly

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from contrechamp.registry.models import Deployment

    User = AbstractBaseUser | AnonymousUser


def may_see_originals(user: User) -> bool:
    """Every original, its unredacted text and page images: reviewers and
    administrators. (The uploader's own is `owns_original`.)"""
    return has_role(user, "reviewer")


def may_upload_documents(user: User) -> bool:
    return has_role(user, "contributor")


def readable_documents(
    user: User, documents: QuerySet[Document] | None = None
) -> QuerySet[Document]:
    """Documents whose text and pages `user` may read (for others than reviewers: the
    published copy, so only published documents)."""
    qs = Document.objects.all() if documents is None else documents
    if may_see_originals(user):
        return qs
    return qs.filter(is_public=True)


def may_read_document(user: User, document: Document) -> bool:
    return document.is_public or may_see_originals(user)


def readable_document(user: User, document_id: int) -> Document | None:
    """The document if `user` may read it; None for a document that does not exist and
    for one they may not see alike (ids reveal nothing)."""
    return readable_documents(user).filter(id=document_id).first()


def listed_documents(user: User, documents: QuerySet[Document] | None = None) -> QuerySet[Document]:
    """Documents `user` may know of: those they may read, and their own uploads (title
    and status only until published)."""
    qs = Document.objects.all() if documents is None else documents
    if may_see_originals(user) or not user.is_authenticated:
        return readable_documents(user, qs)
    return qs.filter(Q(is_public=True) | Q(uploaded_by=user))


def listed_document(user: User, document_id: int) -> Document | None:
    """The document if `user` may know of it (`listed_documents`), else None."""
    return listed_documents(user).filter(id=document_id).first()


def may_download_original(user: User, document: Document) -> bool:
    """The original of `document`, its pages' images and its unredacted text: reviewers
    and administrators for every document, and its uploader for her own
    (`owns_original`); nobody else, not for a published document either (the published
    copy is what others get)."""
    return may_see_originals(user) or owns_original(user, document)


def owns_original(user: User, document: Document) -> bool:
    """Whether `user` opens the original of `document` because she uploaded it (what her
    page says, not a reviewer's role). A copy of the same file sent by someone else does
    not make them its uploader (`document_ingest` keeps the first), nor does a member of
    her group, and a tip has none. An account deleted or disabled opens nothing, even
    with a session left open somewhere."""
    return _uploader(user, document)


def visible_entities(user: User, entities: QuerySet[Entity]) -> QuerySet[Entity]:
    """The entities of readable pages `user` may see: every suggestion for reviewers,
    only the accepted ones for everyone else (a suggestion is read from the unredacted
    text and may name what redaction removed)."""
    if may_see_originals(user):
        return entities
    return unredacted(entities.filter(status="accepted"))


def unredacted(entities: QuerySet[Entity]) -> QuerySet[Entity]:
    """Without the entities whose words a redaction of their page covers: their text is
    read from the original, and "Durand Sécurité", a sole trader's name redacted on
    every occurrence, was still served with the published copy as an entity of its page
    (a hostile review). (The redaction app sits above the library: its model is reached
    through the pages' relation, not imported.)"""
    redaction = Page._meta.get_field("redactions").related_model
    covering = redaction.objects.filter(  # type: ignore[union-attr]
        page_id=OuterRef("page_id"),
        status="accepted",
        start__lt=OuterRef("end"),
        end__gt=OuterRef("start"),
    )
    # A box drawn by hand (or a photo's, a signature's) has no offsets in the text: an
    # entity is shown only if its words are in its page's published text (a hostile
    # review: "Durand Sécurité" under a drawn box was still served).
    return entities.exclude(Exists(covering)).filter(page__published_text__contains=F("text"))


def may_accept_entities(user: User) -> bool:
    """Accept a suggestion into the registry, or reject it, in any document: reviewers and
    administrators."""
    return has_role(user, "reviewer")


def _uploader(user: User, document: Document) -> bool:
    """The contributor who uploaded the document (a copy sent again by someone else
    leaves the first uploader in place: the second learns nothing of it), while her
    account is active and not deleted: a deleted account stays as a row (its history
    keeps its shape) still named as the uploader, and a disabled one keeps its role."""
    profile = getattr(user, "profile", None)
    return (
        may_upload_documents(user)
        and getattr(user, "is_active", False)
        and getattr(profile, "deleted_at", None) is None
        and document.uploaded_by_id is not None
        and document.uploaded_by_id == getattr(user, "pk", None)
    )


def may_delete_document(user: User, document: Document) -> bool:
    """Delete a document and all that was made from it: reviewers and administrators; its
    uploader while it is not published (a file sent by mistake stayed in the library for
    good, with what it says of the people it names). What else stops a deletion (a
    citation, a worker on it) is the service's: `services.document_deletion_blockers`."""
    return may_see_originals(user) or (_uploader(user, document) and not document.is_public)


def may_correct_details(user: User, document: Document) -> bool:
    """Correct a document's date, title, origin and source address: reviewers and
    administrators; its uploader while it is not published (they know the document
    best, and nothing of it is public yet: a reviewer reads what they wrote before
    publishing, and the page says who corrected the date)."""
    return may_see_originals(user) or (_uploader(user, document) and not document.is_public)


def may_see_suggestions(user: User, document: Document) -> bool:
    """Every suggestion of the document (its wording, value and pages): reviewers, and the
    uploader of their own document. The quotes around them are original text, for
    `may_see_originals` only."""
    return may_see_originals(user) or _uploader(user, document)


def document_suggestions(user: User, document: Document) -> QuerySet[Entity]:
    """The entities of `document` that `user` may see on its page: every suggestion not
    rejected for `may_see_suggestions`, the accepted ones for the readers of the document,
    nothing for anyone else."""
    entities = Entity.objects.filter(page__document=document)
    if may_see_suggestions(user, document):
        return entities.exclude(status="rejected")
    if may_read_document(user, document):
        return unredacted(entities.filter(status="accepted"))
    return entities.none()


def may_decide_suggestions(user: User, document: Document) -> bool:
    """Accept or reject the suggestions of the document: reviewers; its uploader when
    their changes go public at once (trusted, `may_publish_directly`). An accepted
    suggestion is public (shown with the published document, cited in the registry), so a
    contributor not yet trusted leaves the decision to a reviewer."""
    return may_accept_entities(user) or (_uploader(user, document) and may_publish_directly(user))


def may_accept_into(user: User, deployment: Deployment) -> bool:
    """A deployment this person may add an accepted suggestion to: any for a reviewer; for
    a trusted uploader one they may edit (a published one, or their own draft)."""
    return may_accept_entities(user) or may_edit_deployment(user, deployment)
