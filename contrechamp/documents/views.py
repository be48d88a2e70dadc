"""Library pages: upload, list, document and page view, original, search, review."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pymupdf
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from contrechamp.documents import files, permissions
from contrechamp.documents import uploads as upload_limits
from contrechamp.documents.belonging import belonging
from contrechamp.documents.details import (
    DETAILS,
    DetailsConflict,
    details_values,
    document_details_update,
)
from contrechamp.documents.forms import (
    DeleteForm,
    DetailsForm,
    LibraryFilterForm,
    SearchForm,
    UploadForm,
)
from contrechamp.documents.models import Document, Entity
from contrechamp.documents.review import (
    SuggestionGroup,
    entity_role,
    group_of,
    suggestion_groups,
)
from contrechamp.documents.search import DATE_RULE, SearchFilters, Viewer, search_documents
from contrechamp.documents.services import (
    CITED_PAGES_MAX,
    DocumentInUse,
    DocumentRejected,
    document_deletion_blockers,
    document_ingest,
    document_links_elsewhere,
    documents_filtered,
    documents_listed_alone,
    entities_accept,
    entities_reject,
    entities_restore,
    with_attachments,
)
from contrechamp.documents.services import (
    document_delete as delete_document,
)
from contrechamp.lib.numbers import whole_number
from contrechamp.lib.typography import quoted
from contrechamp.registry import spelling
from contrechamp.registry.filters import (
    MAX_QUERY,
    YEAR_RULE,
    DeploymentFilters,
    FilterError,
    active_during,
)
from contrechamp.registry.models import Citation, Deployment
from contrechamp.registry.permissions import readable_deployments
from contrechamp.registry.services import named_pages

logger = logging.getLogger(__name__)

PAGE_IMAGE_DPI = 110


def _readable(request: HttpRequest, document_id: int) -> Document:
    document = permissions.readable_document(request.user, document_id)
    if document is None:
        raise Http404
    return document


def _page_link(request: HttpRequest, target: int) -> str:
    """The same list or search at page `target`, its filters kept (and not `p`, the old
    name of `page`, which would stand beside it)."""
    return _link_changed(request, page=str(target))


def _link_changed(request: HttpRequest, **changed: str | None) -> str:
    """The same list or search with `changed` parameters (None: left out), its filters
    kept, and not `p`, the old name of `page`."""
    params = request.GET.copy()
    params.pop("p", None)
    for name, value in changed.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    return "?" + params.urlencode()


def document_list(request: HttpRequest) -> HttpResponse:
    return render(request, "documents/document_list.html", _list_context(request))


def _list_context(request: HttpRequest, form: UploadForm | None = None) -> dict[str, Any]:
    """The library's list as `request`'s filters give it, with the upload form (`form`:
    one refused, shown with its errors above the list)."""
    documents = permissions.listed_documents(request.user)
    # Filters by place, origin and type (a place page links here with its own); a filter
    # that cannot be read is said at its field and lists nothing, rather than everything.
    filters = LibraryFilterForm(request.GET, private=request.user.is_authenticated)
    if filters.is_valid():
        documents = documents_filtered(
            documents,
            place=filters.cleaned_data["place"],
            origin=filters.cleaned_data["origin"],
            kind=filters.cleaned_data["kind"],
            publication=filters.cleaned_data.get("publication", ""),
        )
    else:
        documents = documents.none()
    documents = documents_listed_alone(documents)
    # What the place typed was read as, and the communes of that name when it was read
    # as a department ("Vienne"), to offer them.
    place_read, place_communes = filters.place_read() if filters.is_valid() else ("", [])
    # `page` across the site; `p`, its old name, still read so old links keep working.
    number = request.GET.get("page") or request.GET.get("p")
    page = Paginator(documents.prefetch_related("places"), 50).get_page(number)
    return {
        "page": page,
        "filters": filters,
        "filtered": not filters.is_valid() or filters.filtered(),
        "place_read": place_read,
        "place_communes": place_communes,
        "previous_link": (
            _page_link(request, page.previous_page_number()) if page.has_previous() else ""
        ),
        "next_link": _page_link(request, page.next_page_number()) if page.has_next() else "",
        # (Its fields' ids apart from the filters' of the same names: a label of one
        # focused the other.)
        "form": form or UploadForm(auto_id="upload_%s"),
        "max_upload_bytes": settings.DOCUMENT_MAX_BYTES,
        "max_upload_mb": settings.DOCUMENT_MAX_BYTES // (1024 * 1024),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def document_upload(request: HttpRequest) -> HttpResponse:
    """Several files at once. Answers JSON to the page's script (which shows progress),
    or redirects for a plain form post. The address opened in a browser (a link, the
    docs) leads to the upload form, on the library's page, not to a blank 405."""
    if request.method != "POST":
        return redirect(reverse("document-list") + "#upload-form")
    uploader = request.user
    if not isinstance(uploader, User) or not permissions.may_upload_documents(uploader):
        raise PermissionDenied
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = UploadForm(request.POST, request.FILES, auto_id="upload_%s")
    if getattr(request, "upload_refused", None) is not None:
        # The upload handler stopped a file past the size limit while it streamed in.
        if wants_json:
            return upload_limits.refused(request, upload_limits.too_large_message())
        messages.error(request, upload_limits.too_large_message())
        return redirect("document-list")
    if not form.is_valid():
        if wants_json:
            return JsonResponse({"errors": form.errors}, status=400)
        # The list as it is, under the refused form (it read "Aucun document pour
        # l'instant" above a library of hundreds).
        return render(
            request, "documents/document_list.html", _list_context(request, form), status=400
        )
    results = []
    titles: dict[int, str] = {}
    uploads = form.cleaned_data["files"]
    for upload in uploads:
        try:
            ingested = document_ingest(
                data=upload,  # streamed from its temporary file, never read whole
                filename=upload.name,
                title=form.cleaned_data["title"] if len(uploads) == 1 else "",
                origin=form.cleaned_data["origin"],
                places=[form.cleaned_data["place"]] if form.cleaned_data["place"] else [],
                uploaded_by=uploader,
            )
        except DocumentRejected as error:
            results.append({"file": upload.name, "error": error.translated()})
            continue
        document = ingested.document
        if not ingested.created and permissions.listed_document(uploader, document.id) is None:
            # Someone else's document, not published: the sender learns it is in the
            # library (their copy adds nothing), never its id or address.
            results.append(
                {
                    "file": upload.name,
                    "duplicate": True,
                    "message": _("already in the library; reviewers will see it"),
                }
            )
            continue
        result = {
            "file": upload.name,
            "id": document.id,
            "url": document.get_absolute_url(),
            "duplicate": not ingested.created,
        }
        titles[document.id] = document.title
        if ingested.places_added:
            # Said, not done silently: a walk's second sending added Toulouse to a
            # deliberation of Grenoble and nothing on the page said so.
            result["places_added"] = ", ".join(p.name for p in ingested.places_added)
            result["message"] = _(
                "already in the library, %(places)s added to its places: open"
            ) % {"places": result["places_added"]}
        results.append(result)
    if wants_json:
        return JsonResponse({"results": results})
    for result in results:
        if "error" in result:
            messages.error(request, result["error"])
        elif "url" not in result:
            messages.info(
                request, _("%s is already in the library; reviewers will see it.") % result["file"]
            )
        elif result["duplicate"] and result.get("places_added"):
            messages.info(
                request,
                _("%(file)s was already in the library; %(places)s was added to its places.")
                % {"file": result["file"], "places": result["places_added"]},
            )
        elif result["duplicate"]:
            messages.info(request, _("%s was already in the library.") % result["file"])
        elif titles.get(result["id"]) and titles[result["id"]] != result["file"]:
            # Named as the uploader titled it (a walk read "deliberation-nice-lapi.pdf
            # ajouté" after typing a title), with its file.
            messages.success(
                request,
                _("“%(title)s” (%(file)s) added; processing has started.")
                % {"title": titles[result["id"]], "file": result["file"]},
            )
        else:
            messages.success(request, _("%s added; processing has started.") % result["file"])
    return redirect("document-list")


def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    """Reviewers read the original pages; others the published copy, and an uploader
    sees the status of their document until it is published."""
    document = permissions.listed_document(request.user, document_id)
    if document is None:
        raise Http404
    reviewer = permissions.may_see_originals(request.user)
    # The original's pages (image and text) for reviewers, and for its uploader, whose
    # own file it is, until it is published: then she reads it as everyone does (what is
    # public is what she checks), her original still hers to download and to open by page.
    original = permissions.may_download_original(request.user, document)
    shows_original = reviewer or (original and not document.is_public)
    readable = shows_original or permissions.may_read_document(request.user, document)
    pages = document.pages.order_by("number")
    paginator = Paginator(pages, 1)
    current = paginator.get_page(request.GET.get("page")) if readable and pages.exists() else None
    page = current.object_list[0] if current else None
    deciding = permissions.may_decide_suggestions(request.user, document)
    # The quotes of the occurrences come from the original text: for reviewers only. The
    # uploader sees the rows of their document (wording, value, pages) but not its text
    # until it is published, as before; readers of the published copy see the accepted rows.
    suggestions = suggestion_groups(
        permissions.document_suggestions(request.user, document), quotes=reviewer
    )
    # What was rejected, for those who decide: a reject made by mistake is brought back.
    rejected = (
        suggestion_groups(
            Entity.objects.filter(page__document=document, status="rejected"), quotes=False
        )
        if deciding
        else []
    )
    deployments, chosen = (
        _deployment_choices(request, document, suggestions) if deciding else ([], None)
    )
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "page": page,
            "page_text": (page.text if shows_original else page.published_text) if page else "",
            "pages": current,
            "readable": readable,
            # The published copy's image for one who could have the original's.
            "published_image": original and not shows_original,
            "own_original": permissions.owns_original(request.user, document) and not reviewer,
            "published": files.publication_of(document),
            "suggestions": suggestions,
            "rejected": rejected,
            "quotes": reviewer,
            "deciding": deciding,
            "steps": document.steps.order_by("id"),
            # The attachments and the e-mail this person may know of (`listed_documents`:
            # the published ones, and a contributor's own, whose e-mail's attachments
            # are theirs too): a private e-mail's subject (its title) may name a person,
            # and its address says it exists.
            "children": permissions.listed_documents(request.user).filter(parent=document),
            "parent": (
                permissions.listed_document(request.user, document.parent_id)
                if document.parent_id
                else None
            ),
            # The link to the redaction review (by its URL name: the library does not
            # import the app above it) comes with the count of the redactions of its pages.
            "redactions": document.pages.aggregate(n=Count("redactions"))["n"] if reviewer else 0,
            "deployments": deployments,
            "chosen_deployment": chosen,
            "cited_by": _cited_by(request, document),
            "belonging": belonging(request.user, document),
            "may_delete": permissions.may_delete_document(request.user, document),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def document_details(request: HttpRequest, document_id: int) -> HttpResponse:
    """Correct a document's date, title, origin and source address. A form loaded at
    another version of the details is a conflict (409): shown what was saved meanwhile,
    its own values kept to be saved again knowingly."""
    document = permissions.listed_document(request.user, document_id)
    if document is None:
        raise Http404
    user = request.user
    if not isinstance(user, User) or not permissions.may_correct_details(user, document):
        raise PermissionDenied
    current = details_values(document)
    conflict = None
    status = 200
    if request.method == "POST":
        # Only the fields the post holds: one left out (an old page, a hand-made post)
        # keeps its value rather than being blanked.
        sent = {name: request.POST[name] for name in DETAILS if name in request.POST}
        form = DetailsForm(
            {**current, **sent, "version": request.POST.get("version", "")}, document=document
        )
        try:
            corrected = document_details_update(
                document=document, data=sent, base_version=request.POST.get("version"), user=user
            )
        except DetailsConflict as stale:
            conflict = stale.current
            # Saved again, this form replaces what is there now: the person has read it.
            form = DetailsForm(
                {**current, **sent, "version": stale.current.version}, document=document
            )
            status = 409
        except ValidationError as error:
            form.is_valid()  # (the form only shows the service's errors, at their fields)
            by_field = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            for field, errors in by_field.items():
                shown = field if field in form.fields and field != "version" else None
                for message in errors:
                    form.add_error(shown, message)
            status = 400
        else:
            if corrected.fields:
                messages.success(request, _("The details of this document are corrected."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(corrected.document.get_absolute_url())
    else:
        form = DetailsForm(initial={**current, "version": document.version}, document=document)
    return render(
        request,
        "documents/document_details.html",
        {
            "document": document,
            "form": form,
            "conflict": conflict,
            "reviewer": permissions.may_see_originals(user),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def document_delete(request: HttpRequest, document_id: int) -> HttpResponse:
    """Delete a document for good, after a page that says what goes with it and what
    stops it; the box "cannot be undone" must be ticked (a form sent without it deletes
    nothing)."""
    document = permissions.listed_document(request.user, document_id)
    if document is None:
        raise Http404
    if not permissions.may_delete_document(request.user, document):
        raise PermissionDenied
    reviewer = permissions.may_see_originals(request.user)
    blockers = document_deletion_blockers(document, request.user)
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not blockers:
        if form.is_valid():
            title = document.title
            try:
                delete_document(document=document, user=request.user)
            except DocumentInUse as refused:
                blockers = refused.blockers
            else:
                # The same words to an uploader whether the rows went or stay for the
                # reviewers (another record holds the file: they may not know of it).
                said = (
                    _("“%(title)s” is deleted, with its pages and its files.")
                    if reviewer
                    else _("“%(title)s” is deleted from your uploads.")
                )
                messages.success(request, said % {"title": title})
                return redirect("document-list")
    attachments = permissions.listed_documents(request.user).filter(parent=document)
    status = 200
    if request.method == "POST":
        status = 409 if blockers else 400
    return render(
        request,
        "documents/document_delete.html",
        {
            "document": document,
            "form": form,
            "blockers": blockers,
            "attachments": attachments,
            "attachment_count": len(with_attachments(document)) - 1,
            "published": document.is_public,
            "published_attachments": [c for c in attachments if c.is_public],
            "reviewer": reviewer,
            "links": document_links_elsewhere(document) if reviewer else 0,
        },
        status=status,
    )


def _deployment_choices(
    request: HttpRequest, document: Document, suggestions: list[SuggestionGroup]
) -> tuple[list[Deployment], int | None]:
    """The deployments a suggestion may be accepted into from this page: those citing the
    document, then those of its places and suggested communes; only ones this person may
    add to (`may_accept_into`: all for a reviewer, published ones and their own drafts for
    a trusted uploader); and the one chosen by default."""
    allowed: QuerySet[Deployment] = Deployment.objects.all()
    if not permissions.may_accept_entities(request.user):
        allowed = readable_deployments(request.user)
    codes = list(document.places.values_list("code", flat=True))
    codes += [g.value for g in suggestions if g.kind == "commune"]
    nearby = allowed.filter(communes__code__in=codes).distinct().order_by("title")[:50]
    # The citing one last changed is chosen by default: a row accepted on this page goes
    # there (a new one for each row made drafts of the same title, a new user's walk).
    citing = allowed.filter(citations__source__document=document).distinct()
    linked = list(citing.order_by("-updated_at"))
    choices = list({d.id: d for d in [*linked, *nearby]}.values())
    return choices, linked[0].id if linked else None


def _cited_by(request: HttpRequest, document: Document) -> list[tuple[Citation, str]]:
    """What cites this document, each once with the pages it cites ("Vidéosurveillance
    municipale de Nice (p. 1, p. 2)", not the deployment once a page): deployments this
    person may read (a draft's title stays with those who may read the draft) and
    accepted camera counts (public, like the commune page that shows them; a count
    waiting for review is in no page)."""
    citations = (
        Citation.objects.filter(source__document=document)
        .filter(
            Q(deployment__in=readable_deployments(request.user)) | Q(camera_count__state="accepted")
        )
        .select_related("deployment", "camera_count__commune")
        .order_by("id")
    )
    grouped: dict[tuple[int | None, int | None], tuple[Citation, list[str]]] = {}
    for citation in citations:
        first, locators = grouped.setdefault(
            (citation.deployment_id, citation.camera_count_id), (citation, [])
        )
        if citation.locator and citation.locator not in locators:
            locators.append(citation.locator)
    return [(first, ", ".join(locators)) for first, locators in grouped.values()]


def document_page_image(request: HttpRequest, document_id: int, number: int) -> HttpResponse:
    """The page rendered by the server (never the original file), cached once made:
    from the original for those who may open it, reviewers and its uploader
    (`?version=published` for the published copy), from the published copy for everyone
    else. The same 404 for a document that does not exist and one whose pages this
    person may not see."""
    document = Document.objects.filter(id=document_id).first()
    if document is None:
        raise Http404
    original = permissions.may_download_original(request.user, document)
    if not (original or permissions.may_read_document(request.user, document)):
        raise Http404
    if not document.pages.filter(number=number).exists():
        raise Http404
    publication = files.publication_of(document)
    source_file: Callable[[Document], bytes | None]
    if original and request.GET.get("version") != "published":
        name, source_file = f"page-{number}-{PAGE_IMAGE_DPI}.png", files.rendition
    elif publication is not None:
        name = f"published-{publication.sha256[:16]}-{number}-{PAGE_IMAGE_DPI}.png"
        source_file = files.published_file
    else:
        raise Http404
    path = files.derived_path(document, name)
    png = None
    if files.exists(path):
        # Gone between the check and the read when the document's files are being
        # removed: this one then renders its own (a file being written is never seen half
        # made: `files.save` renames it into place whole).
        with contextlib.suppress(FileNotFoundError):
            png = files.read(path)
    if png is None:
        try:
            data = source_file(document)
        except FileNotFoundError:  # deleted meanwhile: its files went with it
            raise Http404 from None
        if data is None:
            raise Http404
        pdf = pymupdf.open(stream=data, filetype="pdf")
        source = pdf[number - 1]
        scale = min(PAGE_IMAGE_DPI / 72, 2400 / max(source.rect.width, source.rect.height))
        png = source.get_pixmap(matrix=pymupdf.Matrix(scale, scale)).tobytes("png")
        # Served from what was rendered, not read back: a second request saving the same
        # image at once may have replaced the file in between. A cache that cannot be
        # written (a full disk) costs the next request a rendering, not this one its image.
        try:
            files.save(path, png)
        except OSError:
            logger.warning("document %s: page %s image not cached", document.id, number)
        else:
            # Deleted while this rendered: its files are gone, and so goes this one (an
            # image of the original would stay on disk with no document to own it).
            if not Document.objects.filter(id=document.id).exists():
                files.delete(path)
                raise Http404
    response = HttpResponse(png, content_type="image/png")
    # An original's page, every name on it, is not kept on a shared computer's disk after
    # the reviewer (or its uploader) logs out, as every page made for a signed-in person
    # (a hostile review); nor by a cache on the way, which would serve it to the next.
    original = name.startswith("page-")
    response["Cache-Control"] = "private, no-store" if original else "private, max-age=3600"
    return response


def document_original(request: HttpRequest, document_id: int) -> HttpResponse | FileResponse:
    """The original file, for reviewers and for its uploader (`may_download_original`).
    Everyone else gets the same 404 for a document
    that exists and one that does not, anonymous visitors included (a login redirect
    would tell them which ids exist)."""
    document = Document.objects.filter(id=document_id).first()
    if document is None or not permissions.may_download_original(request.user, document):
        raise Http404
    try:
        original = files.original(document)
    except FileNotFoundError:  # deleted meanwhile
        raise Http404 from None
    response = FileResponse(
        io.BytesIO(original),
        as_attachment=True,
        filename=document.filename,
        content_type="application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def document_published(request: HttpRequest, document_id: int) -> HttpResponse:
    """The published, redacted copy: for everyone once the document is published."""
    document = _readable(request, document_id)
    data = files.published_file(document)
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="contrechamp-{document.id}.pdf"'
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


# Documents per page of search results, and how far the pages go (each page asks the
# engine for the documents before it).
SEARCH_PER_PAGE = 20
SEARCH_MAX_PAGES = 50


# The deployments the search page shows above the documents; the rest on their list.
SEARCH_DEPLOYMENTS = 5

# A search that finds nothing with its filters counts what it finds without each one up
# to this many documents ("more than 20" past it): a count says which filter to lift,
# and an exact one would ask the engine for every match.
WIDENED_COUNT = 20

# The first year the date filters take (`lib.partialdate`): a range with no start.
FIRST_YEAR = 1900


def _search_filters(request: HttpRequest, form: SearchForm) -> list[tuple[str, str, str]]:
    """The filters the search holds, each as (field, in words, the same search without
    it): named above the results so that a search finding little says why, and each
    lifted in one click."""
    return [
        (name, text, _link_changed(request, page=None, **{name: None}))
        for name, text in form.active_filters()
    ]


def _widened(
    request: HttpRequest,
    query: str,
    filters: SearchFilters,
    viewer: Viewer,
    active: list[tuple[str, str, str]],
) -> list[tuple[str, int, bool, str]]:
    """For a search its filters leave empty: what it finds without each filter, and
    without them all when it has several, as (in words, documents found up to
    `WIDENED_COUNT`, whether more, the search without it), those finding nothing left
    out. Counted for the same eyes as the search (a visitor's, the published text only):
    a count must not tell that a word sits in a redacted passage."""
    blank = SearchFilters()
    lifts = [
        (_("without “%(filter)s”") % {"filter": text}, [name], link) for name, text, link in active
    ]
    if len(active) > 1:
        names = [name for name, _text, _link in active]
        lifts.append(
            (
                _("without any filter"),
                names,
                _link_changed(request, page=None, **dict.fromkeys(names)),
            )
        )
    found = []
    for words, names, link in lifts:
        wider = replace(filters, **{name: getattr(blank, name) for name in names})
        result = search_documents(query, viewer=viewer, filters=wider, limit=WIDENED_COUNT, pages=1)
        if result.documents:
            found.append((words, len(result.documents), result.has_next, link))
    return found


def _years(filters: SearchFilters) -> tuple[int, int | None] | None:
    """The years the date filters span (None: no end), or None without a date filter."""
    if not (filters.date_from or filters.date_to):
        return None
    first = filters.date_from.year if filters.date_from else FIRST_YEAR
    return first, filters.date_to.year if filters.date_to else None


def _years_text(first: int, last: int | None) -> str:
    if last is None:
        return _("from %(first)s on") % {"first": first}
    if first == FIRST_YEAR:
        return _("up to %(last)s") % {"last": last}
    if first == last:
        return _("in %(year)s") % {"year": first}
    return _("from %(first)s to %(last)s") % {"first": first, "last": last}


def _deployment_filters(query: str, place: str) -> DeploymentFilters | None:
    """The deployments' filters for the search page's query and place, read as the list
    reads its own (the place as its filter of that kind: a SIREN has nine digits, a
    commune's code five characters, a department's two or three), so that the
    deployments shown above the documents are those of the list the page links to; None
    when the list would refuse them (a query longer than its search takes)."""
    params = {"q": query}
    if place:
        kind = "epci" if len(place) == 9 else "commune" if len(place) == 5 else "department"
        params[kind] = place
    try:
        return DeploymentFilters.from_params(params)
    except FilterError:
        return None


def _excluded_words(excluded: list[str]) -> dict[str, str]:
    marks = [quoted(w) for w in excluded]
    if len(marks) < 2:
        return {"excluded": "".join(marks), "excluded_last": ""}
    return {"excluded": ", ".join(marks[:-1]), "excluded_last": marks[-1]}


def _spelling_suggestion(query: str, filters: SearchFilters, viewer: Viewer) -> str:
    """The query with its misspelt words corrected (`spelling.suggestion`), when the
    corrected query finds pages holding all its words for this viewer, or published
    deployments (the registry's search, above the documents); else ""."""
    suggested = spelling.suggestion(query)
    if not suggested:
        return ""
    found = search_documents(suggested, viewer=viewer, filters=filters, limit=1)
    # (A query in quotes: its words side by side, not apart.)
    exact = found.exact or not found.quoted
    if found.documents and found.all_words and exact:
        return suggested
    wanted = _deployment_filters(suggested, filters.place)
    if wanted is not None and wanted.apply(Deployment.objects.published()).exists():
        return suggested
    return ""


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    result = None
    deployments = []
    more_deployments = ""
    deployments_every_year: tuple[int, str] | None = None
    registry_refused = 0
    query = ""
    number = 1
    suggestion: tuple[str, str] | None = None
    named: list[tuple[str, str, str]] = []
    active: list[tuple[str, str, str]] = []
    widened: list[tuple[str, int, bool, str]] = []
    years: tuple[int, int | None] | None = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        filters = form.filters()
        viewer = Viewer.of(request.user)
        active = _search_filters(request, form)
        raw = request.GET.get("page", "")
        number = min(whole_number(raw) or 1, SEARCH_MAX_PAGES)
        # One result per document, its best pages under it; pages of documents.
        result = search_documents(
            query,
            viewer=viewer,
            filters=filters,
            limit=SEARCH_PER_PAGE,
            offset=(number - 1) * SEARCH_PER_PAGE,
        )
        if number == 1 and active and not result.documents:
            widened = _widened(request, query, filters, viewer, active)
        if number == 1:
            named = named_pages(query)
            # The place filter holds for them too (a commune, a department, an EPCI),
            # and the dates: those known to be active in their years (`YEAR_RULE`).
            wanted = _deployment_filters(query, filters.place)
            years = _years(filters)
            if wanted is None:
                registry_refused = MAX_QUERY
            else:
                every_year = wanted.apply(Deployment.objects.published())
                published = every_year
                if years is not None:
                    published = active_during(every_year, *years)
                deployments = list(published[: SEARCH_DEPLOYMENTS + 1])
                if len(deployments) > SEARCH_DEPLOYMENTS:
                    deployments = deployments[:SEARCH_DEPLOYMENTS]
                    # The list's own year filter when the dates hold one year; past
                    # it the list has no filter for the range, and the link says so.
                    if years is not None and years[0] == years[1]:
                        more_deployments = replace(wanted, year=years[0]).list_url()
                    else:
                        more_deployments = wanted.list_url()
                elif not deployments and years is not None:
                    # None in these years: how many in every year, to lift the dates.
                    count = every_year.count()
                    if count:
                        deployments_every_year = (count, wanted.list_url())
        # A misspelt query ("reconnaisance faciale") finds no deployment and no page
        # holding all its words: the corrected one is offered if it finds either.
        if number == 1 and not deployments and (not result.documents or not result.all_words):
            suggested = _spelling_suggestion(query, filters, viewer)
            if suggested:
                suggestion = (suggested, _link_changed(request, page=None, q=suggested))

    return render(
        request,
        "documents/search.html",
        {
            "form": form,
            "result": result,
            "deployments": deployments,
            "named": named,
            "more_deployments": more_deployments,
            "registry_refused": registry_refused,
            "deployments_every_year": deployments_every_year,
            # The dates' years, in words, for the deployments' rule.
            "deployment_years": _years_text(*years) if years else "",
            "deployments_one_year": bool(years and years[0] == years[1]),
            "year_rule": YEAR_RULE,
            "active_filters": active,
            # Said where dates filter: a month or a year within them whole, or not listed.
            "date_rule": DATE_RULE
            if any(name in ("date_from", "date_to") for name, _, _ in active)
            else "",
            "widened": widened,
            "suggestion": suggestion,
            # What the query leaves out, each wording in the page's quotation marks: "« a »,
            # « b » or « c »" (pages holding any of them).
            **_excluded_words(result.excluded if result else []),
            "query": query,
            # A contributor's own uploads not yet published are not searched: said, as
            # a walk read "no page matches" words it had just uploaded.
            "own_private": bool(query)
            and request.user.is_authenticated
            and not permissions.may_see_originals(request.user)
            and Document.objects.filter(uploaded_by=request.user, is_public=False).exists(),
            "number": number,
            "first_rank": (number - 1) * SEARCH_PER_PAGE + 1,
            # (Past the last results, "previous" leads back to the first page: the one
            # before may be past them too.)
            "previous_link": (
                _page_link(request, number - 1)
                if result and result.documents
                else _page_link(request, 1)
            )
            if number > 1
            else "",
            "next_link": _page_link(request, number + 1)
            if result and result.has_next and number < SEARCH_MAX_PAGES
            else "",
        },
    )


def _suggestion(
    request: HttpRequest, entity_id: int, document_id: int | None, *, status: str = "suggested"
) -> tuple[Entity, list[Entity], User]:
    """The row (every waiting occurrence of the entity in its document) a person decides
    on. A suggestion they may not see, or one of another document than the address says,
    is the 404 of one that does not exist; one they see but may not decide on (the
    uploader not yet trusted) is refused."""
    entity = Entity.objects.select_related("page__document").filter(id=entity_id).first()
    if entity is None or (document_id is not None and entity.page.document_id != document_id):
        raise Http404
    document = entity.page.document
    user = request.user
    if not isinstance(user, User) or not permissions.may_see_suggestions(user, document):
        raise Http404
    if not permissions.may_decide_suggestions(user, document):
        # The page tells them so (the notice of the suggestions): a reviewer decides.
        raise PermissionDenied
    occurrences = list(group_of(entity).filter(status=status).select_related("page"))
    return entity, occurrences, user


def _back(entity: Entity) -> HttpResponse:
    return redirect(entity.page.get_absolute_url() + "#suggestions")


@require_POST
def entity_accept_view(
    request: HttpRequest, entity_id: int, document_id: int | None = None
) -> HttpResponse:
    """Accept a row: all the waiting occurrences of the entity in the document at once,
    into the chosen deployment (`new` for a new draft)."""
    entity, occurrences, user = _suggestion(request, entity_id, document_id)
    target = request.POST.get("deployment", "").strip()
    deployment = None
    if not target:
        messages.error(
            request,
            _("Choose the deployment to add “%(text)s” to, or a new one.") % {"text": entity.text},
        )
        return _back(entity)
    if target != "new":
        deployment = Deployment.objects.filter(id=whole_number(target) or 0).first()
        if deployment is None or not permissions.may_accept_into(user, deployment):
            messages.error(request, _("That deployment does not exist."))
            return _back(entity)
    # An organisation's role in the deployment; a form without it (an old page, or the
    # field removed) takes the role the page offers first, never "vendor" by default.
    role = ""
    if entity.kind == "organisation":
        role = request.POST.get("role", "").strip() or entity_role(entity)
    version_before = deployment.version if deployment is not None else None
    try:
        deployment = entities_accept(
            entities=occurrences, deployment=deployment, user=user, role=role
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(entity)
    pages = sorted({o.page.number for o in occurrences})
    values = {
        # A commune by its name ("Nice"), not as a heading wrote it ("NICE"); an
        # organisation as the deployment names it ("Préfecture des Alpes-Maritimes").
        "text": entity.commune.name
        if entity.kind == "commune" and entity.commune
        else entity.value
        if entity.kind == "organisation"
        else entity.text,
        "deployment": deployment.title,
        "pages": ", ".join(str(n) for n in pages[:CITED_PAGES_MAX]),
    }
    cited = len(pages[:CITED_PAGES_MAX])
    if deployment.version == version_before and entity.kind != "amount":
        # (An amount's message says where an amount goes, whether or not it changed.)
        # Nothing to add: no version was made (`entities_accept`).
        message = ngettext(
            "“%(text)s” accepted: “%(deployment)s” already holds it and its citation of "
            "page %(pages)s already quotes it, so no new version was made.",
            "“%(text)s” accepted: “%(deployment)s” already holds it and its citations of "
            "pages %(pages)s already quote it, so no new version was made.",
            cited,
        )
    elif entity.kind == "organisation" and role == "cited":
        message = ngettext(
            "“%(text)s” cited in “%(deployment)s” (page %(pages)s), in none of its lists.",
            "“%(text)s” cited in “%(deployment)s” (pages %(pages)s), in none of its lists.",
            cited,
        )
    elif entity.kind == "organisation" and role == "funder":
        message = ngettext(
            "“%(text)s” added to the funders of “%(deployment)s” with a citation of page "
            "%(pages)s.",
            "“%(text)s” added to the funders of “%(deployment)s” with citations of pages "
            "%(pages)s.",
            cited,
        )
    elif entity.kind == "organisation":
        message = ngettext(
            "“%(text)s” added to the vendors of “%(deployment)s” with a citation of page "
            "%(pages)s.",
            "“%(text)s” added to the vendors of “%(deployment)s” with citations of pages "
            "%(pages)s.",
            cited,
        )
    elif entity.kind == "amount":
        # Nothing but the citation: the registry keeps an amount in the funding it belongs
        # to, and whether it is a cost or a grant, and whose, is the reader's to say.
        message = ngettext(
            "“%(text)s” cited in “%(deployment)s” (page %(pages)s). An amount is kept in "
            "the funding it belongs to: enter it there in the deployment's form.",
            "“%(text)s” cited in “%(deployment)s” (pages %(pages)s). An amount is kept in "
            "the funding it belongs to: enter it there in the deployment's form.",
            cited,
        )
    else:
        message = ngettext(
            "“%(text)s” added to “%(deployment)s” with a citation of page %(pages)s.",
            "“%(text)s” added to “%(deployment)s” with citations of pages %(pages)s.",
            cited,
        )
    messages.success(request, message % values)
    if not deployment.is_published:
        return redirect("deployment-edit", slug=deployment.slug)
    return _back(entity)


@require_POST
def entity_reject_view(
    request: HttpRequest, entity_id: int, document_id: int | None = None
) -> HttpResponse:
    """Reject a row: all the waiting occurrences of the entity in the document."""
    entity, occurrences, user = _suggestion(request, entity_id, document_id)
    if not entities_reject(entities=occurrences, user=user):
        messages.error(
            request, _("These suggestions were already accepted or rejected; nothing was done.")
        )
    else:
        messages.success(
            request,
            _("“%(text)s” rejected; the rejected suggestions below the table can be restored.")
            % {"text": entity.text},
        )
    return _back(entity)


@require_POST
def entity_restore_view(request: HttpRequest, document_id: int, entity_id: int) -> HttpResponse:
    """Bring back a rejected row: all the rejected occurrences of the entity in the
    document wait again (a reject made by mistake)."""
    entity, occurrences, user = _suggestion(request, entity_id, document_id, status="rejected")
    if not entities_restore(entities=occurrences, user=user):
        messages.error(request, _("This suggestion is not rejected any more; nothing was done."))
    else:
        messages.success(request, _("“%(text)s” is waiting again.") % {"text": entity.text})
    return _back(entity)
