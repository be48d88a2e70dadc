"""Registry pages. Views parse input, call one service or query, render."""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from contrechamp.lib.markdown import render_markdown
from contrechamp.lib.numbers import whole_number
from contrechamp.places.models import Commune, Department, Epci
from contrechamp.registry import forms as f
from contrechamp.registry import spelling
from contrechamp.registry.figures import national_figures
from contrechamp.registry.filters import YEAR_RULE, DeploymentFilters, FilterError
from contrechamp.registry.models import (
    Deployment,
    Funding,
    Organisation,
    Proposal,
    Revision,
    Technology,
    documents_public,
)
from contrechamp.registry.origins import deployment_origins
from contrechamp.registry.permissions import (
    Person,
    may_add_camera_count,
    may_create_deployment,
    may_create_organisation,
    may_decide_proposal,
    may_edit_deployment,
    may_edit_organisation,
    may_publish_deployment,
    may_publish_directly,
    may_publish_organisation,
    may_read_deployment,
    may_read_organisation,
    may_revert_deployment,
    may_revert_organisation,
    may_review,
    may_submit_deployment,
    readable_deployments,
    readable_organisations,
)
from contrechamp.registry.proposals import (
    camera_count_propose,
    deployment_propose,
    deployment_submit,
    organisation_propose,
    organisation_propose_create,
    pending,
    proposal_accept,
    proposal_merge,
)
from contrechamp.registry.quotes import citation_quote, shown_quote, source_document
from contrechamp.registry.revisions import (
    FIELD_LABELS,
    display_value,
    revision_diff,
    revision_passes,
)
from contrechamp.registry.schemas import (
    CitationData,
    DeploymentData,
    FundingData,
    LegalEventData,
    SchemaError,
)
from contrechamp.registry.services import (
    DRAFT_CHANGED,
    StaleEdit,
    base_snapshot,
    camera_count_create,
    deployment_create,
    deployment_publish,
    deployment_revert,
    deployment_snapshot,
    deployment_update,
    named_pages,
    near_communes,
    organisation_create,
    organisation_publish,
    organisation_revert,
    organisation_update,
)
from contrechamp.registry.sitelinks import site_document

PAGE_SIZE = 50


def _allowed(allowed: bool) -> None:
    """Refuse (403) what a permission of `registry.permissions` does not allow."""
    if not allowed:
        raise PermissionDenied


def _author(request: HttpRequest) -> User:
    """The logged-in account making a change (views that write require a login)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _deployment_for(
    request: HttpRequest, slug: str, allowed: Callable[[Person, Deployment], bool]
) -> Deployment:
    """The deployment, or 404 when `allowed(user, deployment)` says no: a draft's very
    existence is not told to those who may not read it."""
    deployment = get_object_or_404(Deployment, slug=slug)
    if not allowed(request.user, deployment):
        raise Http404
    return deployment


def _version(value: str | None) -> int | None:
    """The version a form says it was loaded from; None when missing or not a number."""
    return whole_number(value)


def _pending_choices(
    request: HttpRequest, allowed: Collection[str]
) -> tuple[list[str], list[str], list[str]]:
    """From a form saved after a conflict: the fields the person was asked to choose
    for, those where they chose the saved version's value, and those left unchosen."""
    pending = [x for x in dict.fromkeys(request.POST.getlist("conflict")) if x in allowed]
    theirs = [x for x in pending if request.POST.get(f"choose-{x}") == "theirs"]
    unchosen = [x for x in pending if request.POST.get(f"choose-{x}") not in ("mine", "theirs")]
    return pending, theirs, unchosen


def _choice_rows(
    fields: list[str],
    mine: dict[str, Any],
    theirs: dict[str, Any],
    chosen: QueryDict | None = None,
) -> list[dict[str, Any]]:
    """Both values of each field changed by both people, for a side-by-side choice;
    `chosen` (the posted form) keeps a choice already made when the page comes back."""
    return [
        {
            "field": x,
            "label": FIELD_LABELS.get(x, x),
            "mine": display_value(x, mine.get(x)),
            "theirs": display_value(x, theirs.get(x)),
            "chosen": chosen.get(f"choose-{x}", "") if chosen is not None else "",
        }
        for x in fields
    ]


def home(request: HttpRequest) -> HttpResponse:
    technologies = Technology.objects.annotate(
        n=Count("deployments", filter=Q(deployments__is_published=True))
    )
    # The last versions as published: not a draft's (its title and comment were private
    # until a reviewer published it, perhaps amended), nor a deployment unpublished since.
    latest = [
        r
        for r in Revision.objects.filter(kind="deployment").order_by("-created_at")[:80]
        if not r.of_a_draft
    ]
    titles = dict(
        Deployment.objects.published()
        .filter(id__in=[r.object_id for r in latest])
        .values_list("id", "slug")
    )
    # A review pass (a document's suggestions accepted one after another) is one entry.
    changes = [
        {
            "revision": p.latest,
            "pass": p,
            "slug": titles[p.latest.object_id],
            "title": p.latest.snapshot["title"],
        }
        for p in revision_passes(r for r in latest if r.object_id in titles)
    ][:8]
    return render(
        request,
        "registry/home.html",
        {
            "figures": national_figures(),
            "technologies": technologies,
            "changes": changes,
            "statuses": Deployment.objects.published()
            .values("status")
            .annotate(n=Count("id"))
            .order_by("-n"),
            "status_labels": dict(Deployment.STATUSES),
        },
    )


def deployment_list(request: HttpRequest) -> HttpResponse:
    error = None
    params = request.GET.copy()
    while True:
        try:
            filters = DeploymentFilters.from_params(params)
            break
        except FilterError as e:
            # The field at fault is left out, the others kept ("20l8" as a year wiped
            # the place, the technology and the search with it).
            error = error or e.message
            if e.field not in params:
                filters = DeploymentFilters()
                break
            params.pop(e.field)
    page, deployments = deployment_page(
        filters.apply(Deployment.objects.published()), request.GET.get("page")
    )
    query = filters.as_params()
    # The year's rule is said, and what it cannot place (no start date) is counted and
    # linked to: a walk read city camera systems missing from "active in 2025" unsaid.
    undated_count, undated_url, dated_url = 0, "", ""
    if filters.year and not filters.undated:
        undated = replace(filters, undated=True)
        undated_count = undated.apply(Deployment.objects.published(), ranked=False).count()
        undated_url = undated.list_url()
    elif filters.undated:
        dated_url = replace(filters, undated=False).list_url()
    # The pages of what the search names: the home page's search box leads here, and a
    # town typed there found no deployment and no way to its page (a new user's walk).
    named = named_pages(filters.q) if filters.q else []
    near = near_communes(filters.q) if filters.q and not (named or page.paginator.count) else []
    return render(
        request,
        "registry/deployment_list.html",
        {
            "page": page,
            "deployments": deployments,
            "filters": filters,
            "named": named,
            "near": near,
            "suggestion": _spelling_suggestion(filters) if not page.paginator.count else None,
            "error": error,
            "query": query,
            "query_string": urlencode(query),
            "places": _place_filters(query),
            # (value, label) pairs: the template compares hundreds of options with the
            # selected one, and a tuple costs it far less to read than a model instance.
            "technologies": [(t.slug, t.name) for t in Technology.objects.all()],
            "statuses": Deployment.STATUSES,
            "year_rule": YEAR_RULE,
            "undated_count": undated_count,
            "undated_url": undated_url,
            "dated_url": dated_url,
            **filter_choices(),
        },
        status=400 if error else 200,
    )


def _spelling_suggestion(filters: DeploymentFilters) -> tuple[str, str] | None:
    """For a search that finds no deployment, its misspelt words corrected and the list's
    address with them (the other filters kept), when the corrected search finds
    published deployments; else None. The home page's search box leads here: a slip
    ("reconnaisance faciale") found nothing and offered nothing."""
    if not filters.q:
        return None
    suggested = spelling.suggestion(filters.q)
    if not suggested:
        return None
    corrected = replace(filters, q=suggested)
    if not corrected.apply(Deployment.objects.published(), ranked=False).exists():
        return None
    return suggested, corrected.list_url()


def _place_filters(params: dict[str, str]) -> list[tuple[str, str]]:
    """The place filters the form has no field for (a commune, an intercommunality: a
    link from a place's page or from the search page sets them) among the list's
    `params`, each named, with the list's address without it: a filter the reader cannot
    see is one they cannot lift."""
    places = []
    for field, model, key in (("commune", Commune, "code"), ("epci", Epci, "siren")):
        value = params.get(field)
        if value:
            name = model.objects.filter(**{key: value}).values_list("name", flat=True).first()
            rest = {k: v for k, v in params.items() if k != field}
            label = f"{name} ({value})" if name else value
            places.append((label, "?" + urlencode(rest) if rest else "?"))
    return places


def deployment_page(
    qs: QuerySet[Deployment], number: str | None
) -> tuple[Page[int], list[Deployment]]:
    """Page `number` of `qs` (in its order), as the page of ids (its number, count and
    neighbours) and the deployments on it, read as the rows of the list show them.

    The page is chosen on ids alone, then its rows are read by id: counting and skipping
    to a deep page then walk the public-list index, never the table (page 800 of 50,000
    deployments read 40,000 rows before). The rows leave out the long texts the list does
    not show, and their communes and technologies come in one query each."""
    paginator = Paginator(qs.values_list("id", flat=True), PAGE_SIZE)
    page = paginator.get_page(number)
    ids = list(page.object_list)
    rows = (
        Deployment.objects.filter(id__in=ids)
        .defer("description", "search_text")
        # How recent its evidence is, beside its dates (`Deployment.latest_source_on`).
        .annotate(latest_source=Max("citations__source__published_on"))
        .prefetch_related(
            Prefetch("communes", queryset=Commune.objects.only("id", "code", "name")),
            "technologies",
        )
        .order_by()
        .in_bulk()
    )
    # A row deleted between the two queries is left out rather than failing the page.
    return page, [rows[i] for i in ids if i in rows]


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The places and organisations worth offering as filters, those with a published
    deployment, as (code or slug, name) pairs. EXISTS probes on indexed columns rather
    than DISTINCT over joins, which cost 200 ms on 50,000 deployments."""
    # The probe joins the deployment row rather than testing `deployment IN (published
    # ids)`: with IN, SQLite scanned every funding for each organisation (5 s on 50,000
    # deployments); with the join it walks the foreign-key index and stops at the first hit.
    through = Deployment.communes.through.objects
    departments = Department.objects.filter(
        Exists(through.filter(commune__department=OuterRef("pk"), deployment__is_published=True))
    )
    # PostgreSQL turns an EXISTS into a hash join over every vendor link or funding
    # (20-70 ms on 50,000 deployments); the first published one as a scalar subquery
    # stays a probe of an index per organisation (1-2 ms). The funding is the first by
    # id so that the probe walks the (funder, id) index: by the funder's index alone,
    # PostgreSQL chose to scan the whole table for each organisation that funds nothing.
    first_supplied = (
        Deployment.vendors.through.objects.filter(
            organisation=OuterRef("pk"), deployment__is_published=True
        )
        .order_by()
        .values("deployment_id")[:1]
    )
    vendors = Organisation.objects.annotate(first_supplied=Subquery(first_supplied)).filter(
        first_supplied__isnull=False
    )
    first_funding = (
        Funding.objects.filter(funder=OuterRef("pk"), deployment__is_published=True)
        .order_by("id")
        .values("id")[:1]
    )
    funders = Organisation.objects.annotate(first_funding=Subquery(first_funding)).filter(
        first_funding__isnull=False
    )
    return {
        "departments": list(departments.values_list("code", "name")),
        "vendors": list(vendors.values_list("slug", "name")),
        "funders": list(funders.values_list("slug", "name")),
    }


def deployment_detail(request: HttpRequest, slug: str) -> HttpResponse:
    deployment = _deployment_for(request, slug, may_read_deployment)
    # (With the library document a source may be: its page is linked once published.)
    citations = list(deployment.citations.select_related("source__document"))
    # Sources numbered in order of first citation, as in a footnote list.
    numbers: dict[int, int] = {}
    for c in citations:
        numbers.setdefault(c.source_id, len(numbers) + 1)
        # A library document's words as this reader may see them (`registry.quotes`).
        c.shown_quote = citation_quote(request.user, c)  # type: ignore[attr-defined]
    sources = sorted(
        {c.source_id: c.source for c in citations}.values(), key=lambda s: numbers[s.id]
    )
    return render(
        request,
        "registry/deployment_detail.html",
        {
            "deployment": deployment,
            "description_html": render_markdown(deployment.description),
            "may_publish": may_publish_deployment(request.user, deployment),
            "may_submit": may_submit_deployment(request.user, deployment),
            # The reader's own changes waiting for review ("your change waits for review").
            "my_proposals": _my_pending(request, "deployment", deployment.id),
            # Their last proposal's refusal, with its reason, until they propose again:
            # the draft showed only "Submit for review" after a refusal, its reason in
            # an e-mail and on a page linked from nowhere (a walk).
            "my_refusal": _my_refusal(request, "deployment", deployment.id),
            # A tip it was made from, for those who may read the tip (`registry.origins`).
            "origins": deployment_origins(request.user, deployment),
            "citations": [(numbers[c.source_id], c) for c in citations],
            "sources": [
                (numbers[s.id], s, [c for c in citations if c.source_id == s.id]) for s in sources
            ],
            "fundings": deployment.fundings.select_related("funder"),
            "legal_events": deployment.legal_events.all(),
            # "Cite this entry": the page's address on the site's own name (not the
            # address it was reached by), and the day it is read.
            "cite_url": settings.SITE_URL.rstrip("/") + deployment.get_absolute_url(),
            "cite_on": timezone.localdate(),
        },
    )


def _my_refusal(request: HttpRequest, target: str, object_id: int) -> Proposal | None:
    """The reader's latest proposal on the object, when a reviewer refused it."""
    if not request.user.is_authenticated:
        return None
    last = (
        Proposal.objects.filter(target=target, object_id=object_id, author_id=request.user.pk)
        .order_by("-created_at", "-id")
        .first()
    )
    return last if last is not None and last.state == "rejected" else None


def _my_pending(request: HttpRequest, target: str, object_id: int) -> list[Proposal]:
    if not request.user.is_authenticated:
        return []
    return list(pending(target, object_id).filter(author_id=request.user.pk))


def _deployment_forms(
    request: HttpRequest,
    initial: dict[str, Any] | None = None,
    data: QueryDict | None = None,
    stored: tuple[str, str] | None = None,
) -> dict[str, Any]:
    initial = initial or {}
    return {
        "form": f.DeploymentForm(data, initial=initial.get("main"), stored=stored),
        "citations": f.CitationFormSet(data, prefix="citations", initial=initial.get("citations")),
        "fundings": f.FundingFormSet(data, prefix="fundings", initial=initial.get("fundings")),
        "legal_events": f.LegalEventFormSet(
            data, prefix="legal", initial=initial.get("legal_events")
        ),
    }


# The deployment's rows edited by a formset each (the form's prefix is "legal" for
# legal events, as the pages have always posted it).
FORMSETS: dict[str, type[CitationData] | type[FundingData] | type[LegalEventData]] = {
    "citations": CitationData,
    "fundings": FundingData,
    "legal_events": LegalEventData,
}
# Fields the main form edits as text (parsed back into codes and names) rather than as
# the schema's lists; `is_published` is no edit (see deployment_publish).
_TEXT_LISTS = {"communes", "epcis", "vendors"}


def _withheld_quotes(reader: Any, snapshot: dict[str, Any]) -> dict[str, str]:
    """The quotes of library documents that `reader` may not read whole, by citation id:
    what they may see of each, which the edit form shows instead (an unpublished
    document's words went to any contributor who opened the form; the quote itself is
    kept, see `_keep_withheld_quotes`)."""
    withheld = {}
    for citation in snapshot.get("citations", []):
        source = citation.get("source") or {}
        if source_document(source) is None or not citation.get("id") or not citation.get("quote"):
            continue
        shown = shown_quote(reader, source, citation.get("locator", ""), citation["quote"])
        if shown != citation["quote"]:
            withheld[str(citation["id"])] = shown
    return withheld


def _initial_from_snapshot(snapshot: dict[str, Any], version: int, reader: Any) -> dict[str, Any]:
    withheld = _withheld_quotes(reader, snapshot)
    citations = [
        {**row, "quote": withheld[str(row["id"])], "quote_kept": True}
        if str(row.get("id")) in withheld
        else row
        for row in f.citation_initial(snapshot["citations"])
    ]
    main = {
        name: snapshot[name]
        for name in f.DeploymentForm.base_fields
        if name in snapshot and name not in _TEXT_LISTS
    }
    return {
        "main": {
            **main,
            "communes": f.communes_as_text(snapshot["communes"]),
            "epcis": f.epcis_as_text(snapshot["epcis"]),
            "vendors": ", ".join(snapshot["vendors"]),
            "version": version,
        },
        "citations": citations,
        "fundings": [{**x, "amount_eur": x["amount_eur"] or ""} for x in snapshot["fundings"]],
        "legal_events": snapshot["legal_events"],
    }


def _mark_withheld(forms: dict[str, Any]) -> None:
    """A withheld quote's field is read-only and says why (the quote is kept; the row
    may still be removed)."""
    for form in forms["citations"].forms:
        if form.fields["quote_kept"].to_python(form["quote_kept"].value()):
            field = form.fields["quote"]
            field.widget.attrs["readonly"] = True
            field.help_text = _(
                "The quote is from a document of the library not yet published without its "
                "personal data: only its published passages are shown here, and the quote is "
                "kept as it is."
            )


def _keep_withheld_quotes(
    forms: dict[str, Any],
    data: dict[str, Any],
    kept: dict[str, list[int]],
    saved: list[dict[str, Any]],
) -> None:
    """Give back its words to each quote the form showed withheld (`quote_kept`): the
    person could not read it, and did not replace it. Only for a row still citing the same
    library source as saved, now or in the version the form was loaded from (`saved`;
    publication retitles the source): a quote moved to another source, a web page, would
    publish the private words. A row cleared to be removed is gone from `data` already."""
    stored: dict[str, list[dict[str, Any]]] = {}
    for snapshot in saved:
        for c in snapshot.get("citations", []):
            # (A source citing the document by its address as well: `registry.quotes`.)
            if c.get("id") and source_document(c.get("source") or {}) is not None:
                stored.setdefault(str(c["id"]), []).append(c)
    rows = [forms["citations"].forms[i] for i in kept.get("citations", [])]
    for item, form in zip(data.get("citations", []), rows, strict=True):
        if not form.cleaned_data.get("quote_kept"):
            continue
        for citation in stored.get(str(item.get("id")), []):
            if all(
                (item.get("source") or {}).get(k, "") == (citation["source"].get(k) or "")
                for k in ("title", "publisher", "url", "published_on")
            ):
                item["quote"] = citation["quote"]
                break


def _data_from_forms(
    forms: dict[str, Any],
) -> tuple[dict[str, Any] | None, dict[str, list[int]]]:
    """The service's input built from valid forms, and for each formset the form index
    of each row passed on (blank rows are left out, as the schema would drop them)."""
    if not all(x.is_valid() for x in forms.values()):
        return None, {}
    main = forms["form"].cleaned_data
    communes, errors = f.parse_communes(main["communes"])
    for e in errors:
        forms["form"].add_error("communes", e)
    epcis, errors = f.parse_epcis(main["epcis"])
    for e in errors:
        forms["form"].add_error("epcis", e)
    if forms["form"].errors:
        return None, {}
    kept: dict[str, list[int]] = {name: [] for name in FORMSETS}
    data: dict[str, Any] = {
        name: main[name] for name in DeploymentData.model_fields if name in main
    }
    for name, schema in FORMSETS.items():
        data[name] = []
        for i, form in enumerate(forms[name].forms):
            item = f.row_data(name, form)
            if not schema.is_blank(item):
                data[name].append(item)
                kept[name].append(i)
    data.update(
        communes=communes,
        epcis=epcis,
        vendors=[v.strip() for v in main["vendors"].split(",") if v.strip()],
        # A deployment made with the form is public (the form says so); an edit never
        # changes that (see deployment_update), publishing a draft is its own action.
        is_published=True,
    )
    return data, kept


def _absent_parts(posted: QueryDict, forms: dict[str, Any]) -> list[str]:
    """The deployment's fields and blocks a posted edit form does not carry at all (a
    page of an older release, a browser extension removing a block, a hand-made
    request). A browser sends every text field and every block's counter, empty or not;
    boxes left unticked are not sent, so they are not counted."""
    main = forms["form"]
    absent = [
        name
        for name, field in main.fields.items()
        if (name in DeploymentData.model_fields or name in _TEXT_LISTS)
        and not isinstance(field, (django_forms.MultipleChoiceField, django_forms.BooleanField))
        and name not in posted
    ]
    for name in FORMSETS:
        prefix = forms[name].prefix + "-"
        if not any(key.startswith(prefix) for key in posted):
            absent.append(name)
    return absent


def _keep_absent_parts(
    request: HttpRequest,
    forms: dict[str, Any],
    data: dict[str, Any],
    kept: dict[str, list[int]],
    stored: dict[str, Any],
) -> None:
    """An edit keeps as stored what its form did not carry: read as emptied, a missing
    block erased a deployment's legal events and description with "Deployment saved."
    (a hostile review). The person is told which parts were kept."""
    absent = _absent_parts(request.POST, forms)
    for name in absent:
        data[name] = copy.deepcopy(stored[name])
        if name in FORMSETS:
            kept[name] = []
    if absent:
        labels = [str(FIELD_LABELS.get(name, name)) for name in absent]
        messages.warning(
            request,
            _("Part of the form did not arrive (%s): it was kept as it was saved.")
            % ", ".join(labels),
        )


def _attach_errors(
    forms: dict[str, Any], error: ValidationError, kept: dict[str, list[int]]
) -> list[str]:
    """Put each service error next to the field it concerns, by the location the schema
    gives it ("citations", 3, "source", "url"); return the rest."""
    if isinstance(error, SchemaError):
        locations = error.locations
    else:
        locations = [((k,), m) for k, msgs in error.message_dict.items() for m in msgs]
    general = []
    main = forms["form"]
    for loc, message in locations:
        head = str(loc[0]) if loc else ""
        if (
            head in FORMSETS
            and len(loc) > 1
            and isinstance(loc[1], int)
            and loc[1] < len(kept.get(head, []))
        ):
            form = forms[head].forms[kept[head][loc[1]]]
            form.add_error(f.row_field(head, loc[2:]), message)
        elif head in FORMSETS:
            forms.setdefault(f"{head}_errors", []).append(message)
        elif head in main.fields and head != "version":
            main.add_error(head, message)
        else:
            general.append(message)
    return general


def _warn_unpublished_documents(request: HttpRequest, data: dict[str, Any]) -> None:
    """After a save: the sources whose address is one of this site's library documents
    not published (or not there), which visitors see without a link until it is."""
    numbers = sorted(
        {
            found.number
            for c in data.get("citations") or []
            if (found := site_document(str((c.get("source") or {}).get("url") or "")))
        }
    )
    hidden = [n for n in numbers if n not in documents_public(numbers)]
    if hidden:
        messages.warning(
            request,
            ngettext(
                "A source cites document %(n)s of the library, which is not published: "
                "visitors see it without a link until it is.",
                "Sources cite documents %(n)s of the library, which are not published: "
                "visitors see them without a link until they are.",
                len(hidden),
            )
            % {"n": ", ".join(str(n) for n in hidden)},
        )


@login_required
def deployment_create_view(request: HttpRequest) -> HttpResponse:
    _allowed(may_create_deployment(request.user))
    errors: list[str] = []
    if request.method == "POST":
        forms = _deployment_forms(request, data=request.POST)
        data, kept = _data_from_forms(forms)
        if data is not None:
            comment = forms["form"].cleaned_data["comment"]
            direct = may_publish_directly(request.user)
            try:
                if direct:
                    deployment = deployment_create(
                        data=data, author=_author(request), comment=comment
                    )
                else:
                    # A contributor not yet trusted makes a draft, at once submitted for
                    # review: checked as a publication would be, public once accepted.
                    with transaction.atomic():
                        deployment = deployment_create(
                            data={**data, "is_published": False},
                            author=_author(request),
                            comment=comment,
                        )
                        deployment_submit(
                            deployment=deployment, author=_author(request), comment=comment
                        )
            except ValidationError as e:
                errors = _attach_errors(forms, e, kept)
            else:
                if direct:
                    messages.success(request, _("Deployment saved."))
                else:
                    messages.success(
                        request,
                        _(
                            "Deployment saved as a draft: it waits for a reviewer and "
                            "becomes public once accepted."
                        ),
                    )
                _warn_unpublished_documents(request, data)
                return redirect(deployment)
    else:
        forms = _deployment_forms(request, initial={"main": {"status": "deployed"}})
    return render(
        request,
        "registry/deployment_form.html",
        {
            **forms,
            "errors": errors,
            "creating": True,
            "direct": may_publish_directly(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


def _review_proposal(request: HttpRequest, target: str, obj_id: int) -> Proposal | None:
    """The proposal a reviewer is editing before accepting it ("edit then accept"), from
    `?proposal=` or the form; 404 when it concerns another object, 403 when this person
    may not decide it (a contributor, or its own author)."""
    raw = request.POST.get("proposal") or request.GET.get("proposal")
    if not raw:
        return None
    proposal = get_object_or_404(
        Proposal, id=whole_number(raw) or 0, target=target, object_id=obj_id
    )
    _allowed(may_decide_proposal(request.user, proposal))
    return proposal


def _submitted_again(request: HttpRequest, deployment: Deployment) -> bool:
    """A draft whose publication was refused, saved again by an author who cannot
    publish: it goes back to the reviewers, as its first save sent it (it stayed a draft
    nobody was asked to read: a walk). Whether it was, with the message saying so."""
    if (
        deployment.is_published
        or may_publish_directly(request.user)
        or pending("deployment", deployment.id).filter(action="publish").exists()
        or not Proposal.objects.filter(
            target="deployment", object_id=deployment.id, action="publish", state="rejected"
        ).exists()
    ):
        return False
    try:
        deployment_submit(deployment=deployment, author=_author(request))  # type: ignore[arg-type]
    except ValidationError as error:
        messages.warning(
            request,
            _("Draft saved; it cannot go back to the reviewers yet: %s") % " ".join(error.messages),
        )
        return True
    messages.success(
        request,
        _("Draft saved and sent back to the reviewers: nothing is public until one accepts it."),
    )
    return True


@login_required
def deployment_edit_view(request: HttpRequest, slug: str) -> HttpResponse:
    deployment = _deployment_for(request, slug, may_read_deployment)
    _allowed(may_edit_deployment(request.user, deployment))
    proposal = _review_proposal(request, "deployment", deployment.id)
    # A contributor not yet trusted proposes a change to a published deployment; their
    # own draft is theirs to edit (nobody else reads it).
    proposing = (
        proposal is None and deployment.is_published and not may_publish_directly(request.user)
    )
    errors: list[str] = []
    conflict: StaleEdit | None = None
    choices: list[dict] = []
    if request.method == "POST":
        forms = _deployment_forms(
            request, data=request.POST, stored=(deployment.status, deployment.end_date)
        )
        data, kept = _data_from_forms(forms)
        # What the page shows back (a choice to make, an error) is what was posted; the
        # service receives the withheld quotes whole.
        shown_data = copy.deepcopy(data)
        if data is not None:
            loaded = _version(request.POST.get("version"))
            snapshots = [deployment_snapshot(deployment)]
            if loaded:
                snapshots.append(
                    base_snapshot(kind="deployment", object_id=deployment.id, version=loaded)
                )
            _keep_withheld_quotes(forms, data, kept, snapshots)
            _keep_absent_parts(request, forms, data, kept, snapshots[0])
        base_version = _version(request.POST.get("version"))
        pending_fields, keep_theirs, unchosen = _pending_choices(request, FIELD_LABELS)
        if data is not None and unchosen and base_version:
            errors.append(_("Choose which value to keep for each field below."))
        elif data is not None and proposing:
            try:
                deployment_propose(
                    deployment=deployment,
                    data=data,
                    base_version=base_version,
                    author=_author(request),
                    comment=forms["form"].cleaned_data["comment"],
                )
            except ValidationError as e:
                errors = _attach_errors(forms, e, kept)
            else:
                messages.success(
                    request,
                    _(
                        "Your change waits for review: nothing public changes until a "
                        "reviewer accepts it."
                    ),
                )
                _warn_unpublished_documents(request, data)
                return redirect(deployment)
        elif data is not None:
            try:
                if proposal is not None:
                    proposal_accept(
                        proposal=proposal,
                        reviewer=_author(request),
                        data=data,
                        base_version=base_version,
                        keep_theirs=keep_theirs,
                    )
                    deployment.refresh_from_db()
                else:
                    deployment = deployment_update(
                        deployment=deployment,
                        data=data,
                        base_version=base_version,  # type: ignore[arg-type]  # None is refused
                        author=_author(request),
                        comment=forms["form"].cleaned_data["comment"],
                        keep_theirs=keep_theirs,
                    )
            except StaleEdit as stale:
                conflict = stale
                forms, choices = _deployment_stale_forms(
                    request, stale, request.POST.get("comment", "")
                )
            except ValidationError as e:
                errors = _attach_errors(forms, e, kept)
            else:
                if proposal is not None:
                    messages.success(request, _("Proposal edited and accepted."))
                    return redirect("moderation-queue")
                _warn_unpublished_documents(request, data)
                if _submitted_again(request, deployment):
                    return redirect(deployment)
                messages.success(request, _("Deployment saved."))
                return redirect(deployment)
        if pending_fields and conflict is None and base_version:
            # Nothing was saved: the choices still to make come back with the page.
            saved = base_snapshot(kind="deployment", object_id=deployment.id, version=base_version)
            choices = _choice_rows(pending_fields, shown_data or {}, saved, chosen=request.POST)
    elif proposal is not None:
        # The form holds the proposal; made on an older version, it holds the newer one
        # with the proposal's changes re-applied, and the reviewer chooses where both
        # changed the same field.
        conflict = proposal_merge(proposal)
        if conflict is not None:
            snapshot, version = conflict.merged, conflict.current_version
            choices = _choice_rows(conflict.conflicts, conflict.merged, conflict.theirs)
        elif proposal.action == "update":
            snapshot, version = proposal.data, proposal.base_version or deployment.version
        else:
            snapshot, version = deployment_snapshot(deployment), deployment.version
        forms = _deployment_forms(
            request, initial=_initial_from_snapshot(snapshot, version, request.user)
        )
        forms["form"].initial["comment"] = proposal.comment
    else:
        forms = _deployment_forms(
            request,
            initial=_initial_from_snapshot(
                deployment_snapshot(deployment), deployment.version, request.user
            ),
        )
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return _deployment_form_page(
        request,
        deployment=deployment,
        forms=forms,
        status=status,
        errors=errors,
        proposal=proposal,
        proposing=proposing,
        conflict=conflict,
        choices=choices,
    )


def _deployment_stale_forms(
    request: HttpRequest, stale: StaleEdit, comment: str
) -> tuple[dict[str, Any], list[dict]]:
    """The edit form after a stale save (an edit, or a restore of an old version): the
    newer version with only this person's changes re-applied, so that saving the page
    again loses nobody's work, and the fields both changed to choose between."""
    forms = _deployment_forms(
        request,
        initial=_initial_from_snapshot(stale.merged, stale.current_version, request.user),
    )
    forms["form"].initial["comment"] = comment
    return forms, _choice_rows(stale.conflicts, stale.merged, stale.theirs)


def _deployment_form_page(
    request: HttpRequest,
    *,
    deployment: Deployment,
    forms: dict[str, Any],
    status: int,
    errors: list[str] | None = None,
    proposal: Proposal | None = None,
    proposing: bool = False,
    conflict: StaleEdit | None = None,
    choices: list[dict] | None = None,
) -> HttpResponse:
    _mark_withheld(forms)
    return render(
        request,
        "registry/deployment_form.html",
        {
            **forms,
            "errors": errors or [],
            "deployment": deployment,
            "proposal": proposal,
            "proposing": proposing,
            "conflict": conflict,
            "conflict_rows": revision_diff(
                [(c["field"], c["before"], c["after"]) for c in conflict.changes]
            )
            if conflict
            else [],
            "choices": choices or [],
            # The form posts to the edit page even when a restore shows it.
            "form_action": reverse("deployment-edit", args=[deployment.slug]),
        },
        status=status,
    )


@require_POST
@login_required
def deployment_publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish a draft; for a contributor not yet trusted (and for anyone posting here
    by hand without the right), at most a request that a reviewer publish it."""
    deployment = _deployment_for(request, slug, may_read_deployment)
    if may_publish_deployment(request.user, deployment):
        # The version the page showed: what its author changed since is not published
        # unread (the moderation queue checked it, the draft's own page did not). A
        # form without it, from a page of before, is refused the same way.
        seen = _version(request.POST.get("version"))
        # Submitted by its author for review: accepting that request publishes it,
        # credits the author and closes the request, which stayed waiting.
        waiting = (
            pending("deployment", deployment.id)
            .filter(action="publish")
            .exclude(author=_author(request))
            .first()
        )
        try:
            if seen is None:
                raise ValidationError(_(DRAFT_CHANGED))
            if waiting is not None:
                proposal_accept(proposal=waiting, reviewer=_author(request), seen_version=seen)
                deployment.refresh_from_db()
            else:
                deployment = deployment_publish(
                    deployment=deployment, author=_author(request), seen_version=seen
                )
        except StaleEdit:
            messages.error(request, _(DRAFT_CHANGED))
        except ValidationError as e:
            messages.error(
                request, _("This draft cannot be published yet: %s") % " ".join(e.messages)
            )
        else:
            messages.success(request, _("Deployment published: everyone can now read it."))
        return redirect(deployment)
    if not may_submit_deployment(request.user, deployment):
        raise PermissionDenied if deployment.is_published else Http404
    try:
        deployment_submit(deployment=deployment, author=_author(request))
    except ValidationError as e:
        messages.error(request, _("This draft cannot be submitted yet: %s") % " ".join(e.messages))
    else:
        messages.success(
            request, _("Submitted for review: the deployment becomes public once accepted.")
        )
    return redirect(deployment)


def _shown_revisions(
    request: HttpRequest, kind: str, obj: Deployment | Organisation
) -> list[Revision]:
    """The versions this reader may read: for reviewers every one; for everyone else those
    of the deployment as published, not the drafts before (a draft's text, a name a
    reviewer removed before publishing it, and its comments were public once it was: a
    walk, and the hostile read of it)."""
    revisions = list(Revision.objects.filter(kind=kind, object_id=obj.id).select_related("author"))
    if may_review(request.user):
        return revisions
    # An organisation still hidden is read only by reviewers and its drafts' authors;
    # an author reads its version of today, not a name a reviewer took out of another
    # person's draft (a hostile review).
    if isinstance(obj, Organisation) and not obj.is_public:
        return [r for r in revisions if r.version == obj.version]
    # An organisation made public by a deployment's publication has no version of its
    # own saying so: its version of today is public with it.
    return [
        r
        for r in revisions
        if not r.of_a_draft or (isinstance(obj, Organisation) and r.version == obj.version)
    ]


def _restorable(
    request: HttpRequest, kind: str, obj: Deployment | Organisation, version: int
) -> None:
    """Only a version this person may read can be restored: restoring a draft's version
    by its number republished a name a reviewer took out before publication (a hostile
    review)."""
    if all(r.version != version for r in _shown_revisions(request, kind, obj)):
        raise Http404


def _history(request: HttpRequest, kind: str, obj: Deployment | Organisation) -> HttpResponse:
    revisions = _shown_revisions(request, kind, obj)
    return render(
        request,
        "registry/history.html",
        {"object": obj, "kind": kind, "passes": revision_passes(revisions)},
    )


def _revision(
    request: HttpRequest, kind: str, obj: Deployment | Organisation, version: int
) -> HttpResponse:
    shown = _shown_revisions(request, kind, obj)
    revision = next((r for r in shown if r.version == version), None)
    if revision is None:
        raise Http404
    # The version before, among those this reader may read (the diff of the first
    # published version is against nothing, not against the draft).
    previous = max((r for r in shown if r.version < version), key=lambda r: r.version, default=None)
    # Or the one the history names (`?from=1`: what a review pass changed in all).
    since = whole_number(request.GET.get("from"))
    if since is not None and since < version:
        previous = next((r for r in shown if r.version == since), previous)
    before = previous.snapshot if previous else {}
    rows = revision_diff(
        [
            (k, before.get(k), revision.snapshot.get(k))
            for k in revision.snapshot
            if before.get(k) != revision.snapshot.get(k) and k != "is_public"
        ]
    )
    return render(
        request,
        "registry/revision.html",
        {
            "object": obj,
            "kind": kind,
            "revision": revision,
            "previous": previous,
            "rows": rows,
            "is_current": version == obj.version,
            "may_revert": may_revert_deployment(request.user, obj)
            if isinstance(obj, Deployment)
            else may_revert_organisation(request.user, obj),
        },
    )


def deployment_history(request: HttpRequest, slug: str) -> HttpResponse:
    return _history(request, "deployment", _deployment_for(request, slug, may_read_deployment))


def deployment_revision(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    deployment = _deployment_for(request, slug, may_read_deployment)
    return _revision(request, "deployment", deployment, version)


@require_POST
@login_required
def deployment_revert_view(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    deployment = _deployment_for(request, slug, may_read_deployment)
    _allowed(may_revert_deployment(request.user, deployment))
    _restorable(request, "deployment", deployment, version)
    try:
        deployment = deployment_revert(
            deployment=deployment,
            version=version,
            # The version the page showed as current: a restore of a page read before
            # someone else's save is refused like a stale edit, never applied over it.
            base_version=_version(request.POST.get("version")),
            author=_author(request),
        )
    except Revision.DoesNotExist:
        raise Http404 from None
    except StaleEdit as stale:
        # As a stale edit: the edit form with the restored content re-applied to the
        # newer version, what the other person changed, and the fields to choose.
        forms, choices = _deployment_stale_forms(
            request, stale, _("reverted to version %d") % version
        )
        return _deployment_form_page(
            request,
            deployment=deployment,
            forms=forms,
            status=409,
            conflict=stale,
            choices=choices,
        )
    except ValidationError as e:
        messages.error(request, _("This version cannot be restored: %s") % "; ".join(e.messages))
        return redirect("deployment-history", slug=slug)
    messages.success(request, _("Version %d restored as a new version.") % version)
    return redirect(deployment)


def organisation_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    qs = readable_organisations(request.user).annotate(
        n=Count(
            "deployments_supplied", filter=Q(deployments_supplied__is_published=True), distinct=True
        ),
        # A funder supplies nothing: Bpifrance showed 0 (a new user's walk).
        funded=Count(
            "fundings__deployment",
            filter=Q(fundings__deployment__is_published=True),
            distinct=True,
        ),
    )
    if kind in dict(Organisation.KINDS):
        qs = qs.filter(kind=kind)
    # By the address, which is the name without accents or capitals ("Évitech" among the
    # E, not after "Zenith").
    qs = qs.order_by("slug")
    return render(
        request,
        "registry/organisation_list.html",
        {"organisations": qs, "kinds": Organisation.KINDS, "kind": kind},
    )


def _organisation_for(request: HttpRequest, slug: str) -> Organisation:
    """The organisation, or 404 for those who may not read it (named only in a draft)."""
    org = get_object_or_404(Organisation, slug=slug)
    if not may_read_organisation(request.user, org):
        raise Http404
    return org


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation_for(request, slug)
    readable = readable_deployments(request.user)
    supplied = readable_deployments(request.user, org.deployments_supplied.all())
    supplied = supplied.prefetch_related("communes", "technologies")
    funded = readable.filter(fundings__funder=org).distinct()
    return render(
        request,
        "registry/organisation_detail.html",
        {
            "organisation": org,
            "may_publish": may_publish_organisation(request.user, org),
            "supplied": supplied,
            "funded": funded,
            "description_html": render_markdown(org.description),
            "fundings": org.fundings.filter(deployment__in=readable).select_related("deployment"),
        },
    )


@require_POST
@login_required
def organisation_publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation_for(request, slug)
    _allowed(may_publish_organisation(request.user, org))
    org = organisation_publish(organisation=org, author=_author(request))
    messages.success(request, _("Organisation published: everyone can now read it."))
    return redirect(org)


def _organisation_form_view(request: HttpRequest, org: Organisation | None) -> HttpResponse:
    _allowed(
        may_create_organisation(request.user)
        if org is None
        else may_edit_organisation(request.user, org)
    )
    # A reviewer editing a proposed change before accepting it ("edit then accept").
    proposal = _review_proposal(request, "organisation", org.id) if org is not None else None
    conflict: StaleEdit | None = None
    choices: list[dict] = []
    if request.method == "POST":
        form = f.OrganisationForm(
            request.POST,
            instance=Organisation() if org is None else Organisation.objects.get(id=org.id),
        )
        base_version = _version(request.POST.get("version"))
        pending, keep_theirs, unchosen = _pending_choices(request, f.OrganisationForm.Meta.fields)
        if form.is_valid() and org is not None and unchosen and base_version:
            form.add_error(None, _("Choose which value to keep for each field below."))
        elif form.is_valid():
            data = {k: form.cleaned_data[k] for k in f.OrganisationForm.Meta.fields}
            comment = form.cleaned_data["comment"]
            direct = may_publish_directly(request.user)
            try:
                if proposal is not None:
                    proposal_accept(
                        proposal=proposal,
                        reviewer=_author(request),
                        data=data,
                        base_version=base_version,
                        keep_theirs=keep_theirs,
                    )
                elif org is None and not direct:
                    # Hidden until a reviewer accepts it.
                    org, _proposal = organisation_propose_create(
                        data=data, author=_author(request), comment=comment
                    )
                elif org is None:
                    org = organisation_create(data=data, author=_author(request), comment=comment)
                elif not direct:
                    organisation_propose(
                        organisation=org,
                        data=data,
                        author=_author(request),
                        comment=comment,
                        base_version=base_version,
                    )
                else:
                    org = organisation_update(
                        organisation=org,
                        data=data,
                        author=_author(request),
                        comment=comment,
                        base_version=base_version,  # type: ignore[arg-type]  # None is refused
                        keep_theirs=keep_theirs,
                    )
            except StaleEdit as stale:
                assert org is not None  # a stale edit only happens to an existing one
                conflict = stale
                form, choices = _organisation_stale_form(org, stale, comment)
            except ValidationError as e:
                for field, msgs in e.message_dict.items():
                    for m in msgs:
                        form.add_error(
                            field if field in form.fields and field != "version" else None, m
                        )
            else:
                if proposal is not None:
                    messages.success(request, _("Proposal edited and accepted."))
                    return redirect("moderation-queue")
                if direct and org is not None:
                    messages.success(request, _("Organisation saved."))
                    return redirect(org)
                messages.success(
                    request,
                    _(
                        "Your change waits for review: nothing public changes until a "
                        "reviewer accepts it."
                    ),
                )
                # A new organisation is hidden, even from its author, until accepted.
                return redirect("moderation-mine")
        if pending and conflict is None and base_version and org is not None:
            saved = base_snapshot(kind="organisation", object_id=org.id, version=base_version)
            mine = getattr(form, "cleaned_data", {})
            choices = _choice_rows(pending, mine, saved, chosen=request.POST)
    elif proposal is not None and org is not None:
        # The proposal, or on a newer version the merge of both, to check and choose.
        conflict = proposal_merge(proposal)
        if conflict is not None:
            initial, version = conflict.merged, conflict.current_version
            choices = _choice_rows(conflict.conflicts, conflict.merged, conflict.theirs)
        else:
            initial, version = proposal.data, proposal.base_version or org.version
        form = f.OrganisationForm(
            instance=org, initial={**initial, "version": version, "comment": proposal.comment}
        )
    else:
        form = f.OrganisationForm(instance=org, initial={"version": org.version} if org else None)
    return _organisation_form_page(
        request,
        form=form,
        organisation=org,
        status=200 if request.method == "GET" else (409 if conflict else 400),
        proposal=proposal,
        conflict=conflict,
        choices=choices,
    )


def _organisation_stale_form(
    org: Organisation, stale: StaleEdit, comment: str
) -> tuple[f.OrganisationForm, list[dict]]:
    """As `_deployment_stale_forms`, for an organisation."""
    form = f.OrganisationForm(
        instance=Organisation.objects.get(id=org.id),
        initial={**stale.merged, "version": stale.current_version, "comment": comment},
    )
    return form, _choice_rows(stale.conflicts, stale.merged, stale.theirs)


def _organisation_form_page(
    request: HttpRequest,
    *,
    form: f.OrganisationForm,
    organisation: Organisation | None,
    status: int,
    proposal: Proposal | None = None,
    conflict: StaleEdit | None = None,
    choices: list[dict] | None = None,
) -> HttpResponse:
    return render(
        request,
        "registry/organisation_form.html",
        {
            "form": form,
            "proposal": proposal,
            "organisation": organisation,
            "conflict": conflict,
            "conflict_rows": revision_diff(
                [(c["field"], c["before"], c["after"]) for c in conflict.changes]
            )
            if conflict
            else [],
            "choices": choices or [],
            # The form posts to the edit page even when a restore shows it.
            "form_action": reverse("organisation-edit", args=[organisation.slug])
            if organisation is not None
            else "",
        },
        status=status,
    )


@login_required
def organisation_create_view(request: HttpRequest) -> HttpResponse:
    return _organisation_form_view(request, None)


@login_required
def organisation_edit_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _organisation_form_view(request, _organisation_for(request, slug))


def organisation_history(request: HttpRequest, slug: str) -> HttpResponse:
    return _history(request, "organisation", _organisation_for(request, slug))


def organisation_revision(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    return _revision(request, "organisation", _organisation_for(request, slug), version)


@require_POST
@login_required
def organisation_revert_view(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    org = _organisation_for(request, slug)
    _allowed(may_revert_organisation(request.user, org))
    _restorable(request, "organisation", org, version)
    try:
        org = organisation_revert(
            organisation=org,
            version=version,
            base_version=_version(request.POST.get("version")),  # as a deployment's
            author=_author(request),
        )
    except Revision.DoesNotExist:
        raise Http404 from None
    except StaleEdit as stale:
        form, choices = _organisation_stale_form(org, stale, _("reverted to version %d") % version)
        return _organisation_form_page(
            request, form=form, organisation=org, status=409, conflict=stale, choices=choices
        )
    except ValidationError as e:
        # An old version may no longer pass today's checks: say why, change nothing.
        messages.error(request, _("This version cannot be restored: %s") % "; ".join(e.messages))
        return redirect("organisation-history", slug=slug)
    messages.success(request, _("Version %d restored as a new version.") % version)
    return redirect(org)


def technology_list(request: HttpRequest) -> HttpResponse:
    technologies = Technology.objects.annotate(
        n=Count("deployments", filter=Q(deployments__is_published=True))
    )
    return render(request, "registry/technology_list.html", {"technologies": technologies})


def technology_detail(request: HttpRequest, slug: str) -> HttpResponse:
    technology = get_object_or_404(Technology, slug=slug)
    deployments = technology.deployments.published().prefetch_related("communes")
    return render(
        request,
        "registry/technology_detail.html",
        {"technology": technology, "deployments": deployments},
    )


def map_page(request: HttpRequest) -> HttpResponse:
    technologies = Technology.objects.all()
    technology = request.GET.get("technology", "")
    # A filter no technology has ("?technology=zzz", a link gone stale): said, rather
    # than the map of every technology shown as if it were that one's.
    unknown = bool(technology) and not any(t.slug == technology for t in technologies)
    return render(
        request,
        "registry/map.html",
        {"technologies": technologies, "technology": technology, "unknown": unknown},
    )


@login_required
def camera_count_create_view(request: HttpRequest) -> HttpResponse:
    _allowed(may_add_camera_count(request.user))
    if request.method == "POST":
        form = f.CameraCountForm(request.POST)
        citations = f.CitationFormSet(request.POST, prefix="citations")
        if form.is_valid() and citations.is_valid():
            codes, errors = f.parse_communes(form.cleaned_data["commune"])
            for e in errors:
                form.add_error("commune", e)
            if not errors:
                fields: dict[str, Any] = {
                    "commune_code": codes[0] if codes else "",
                    "count": form.cleaned_data["count"],
                    "date": form.cleaned_data["date"],
                    "perimeter": form.cleaned_data["perimeter"],
                    "approximate": form.cleaned_data["approximate"],
                    "citations": [f.citation_data(x) for x in citations.forms],
                }
                direct = may_publish_directly(request.user)
                try:
                    if direct:
                        count = camera_count_create(**fields, author=_author(request))
                    else:
                        count, _proposal = camera_count_propose(**fields, author=_author(request))
                except ValidationError as e:
                    for field, msgs in e.message_dict.items():
                        for m in msgs:
                            form.add_error(field if field in form.fields else None, m)
                else:
                    if not direct:
                        messages.success(
                            request,
                            _(
                                "Camera count saved: it waits for a reviewer and counts in "
                                "the figures once accepted."
                            ),
                        )
                        return redirect("moderation-mine")
                    messages.success(request, _("Camera count saved."))
                    return redirect(count.commune)
    else:
        form = f.CameraCountForm(initial={"commune": request.GET.get("commune", "")})
        citations = f.CitationFormSet(prefix="citations")
    return render(
        request,
        "registry/camera_count_form.html",
        {"form": form, "citations": citations, "direct": may_publish_directly(request.user)},
        status=200 if request.method == "GET" else 400,
    )
