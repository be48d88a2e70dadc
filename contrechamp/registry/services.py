"""Every write to the registry goes through here, inside a transaction, and leaves a
revision behind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from contrechamp.lib.partialdate import parse_partial_date, partial_date_after
from contrechamp.lib.text import name_key, slug_of
from contrechamp.lib.textsearch import fts5_document
from contrechamp.places.models import Commune, Department, Epci
from contrechamp.registry.models import (
    ESTIMATE_MARKER,
    CameraCount,
    Citation,
    Deployment,
    Funding,
    LegalEvent,
    Organisation,
    Revision,
    Source,
    Technology,
)
from contrechamp.registry.revisions import merge_snapshots
from contrechamp.registry.schemas import (
    CitationData,
    DeploymentData,
    OrganisationData,
    SchemaError,
    citations_validate,
    deployment_validate,
)


class StaleEdit(Exception):
    """The object changed since the editor loaded it; nothing was written.

    `changes` says what the other person changed; `merged` is the newer version with this
    person's own changes re-applied, for the form to show; `conflicts` names the fields
    both changed differently (`merged` holds this person's value there, `theirs` the
    saved one), between which the person must choose."""

    def __init__(
        self,
        *,
        current_version: int,
        changes: list[dict[str, Any]],
        merged: dict[str, Any] | None = None,
        conflicts: list[str] | None = None,
        theirs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"stale edit: the current version is {current_version}")
        self.current_version = current_version
        self.changes = changes
        self.merged = merged or {}
        self.conflicts = conflicts or []
        self.theirs = theirs or {}


def _version_check(base_version: object, current_version: int) -> int:
    """The version the editor loaded, refused when missing or impossible: without it an
    edit would silently overwrite whatever was saved meanwhile."""
    if (
        isinstance(base_version, bool)
        or not isinstance(base_version, int)
        or not 1 <= base_version <= current_version
    ):
        raise ValidationError(
            {
                "version": [
                    _(
                        "This form does not say which version it was loaded from: nothing "
                        "was saved. Reload the page and make your change again."
                    )
                ]
            }
        )
    return base_version


def base_snapshot(*, kind: str, object_id: int, version: int) -> dict[str, Any]:
    revision = Revision.objects.filter(kind=kind, object_id=object_id, version=version).first()
    return revision.snapshot if revision else {}


# --- snapshots -------------------------------------------------------------------------


def deployment_snapshot(deployment: Deployment) -> dict[str, Any]:
    """The deployment as plain data, in the shape `deployment_validate` accepts."""
    return DeploymentData.of(deployment).snapshot()


def organisation_snapshot(org: Organisation) -> dict[str, Any]:
    return OrganisationData.of(org).snapshot()


def deployment_clean(data: dict[str, Any]) -> dict[str, Any]:
    """The normalised deployment data; raises SchemaError (a ValidationError keyed by
    field, "fundings.0.amount_eur", that keeps pydantic's locations)."""
    return deployment_validate(data).snapshot()


def snapshot_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Fields whose value differs, as {"field", "before", "after"}, in a stable order."""
    changes = []
    for key in after:
        if before.get(key) != after.get(key):
            changes.append({"field": key, "before": before.get(key), "after": after.get(key)})
    return changes


# --- shared helpers ---------------------------------------------------------------------
def _revision_record(obj: Deployment | Organisation, *, author: User | None, comment: str) -> None:
    """The revision of the version `obj` has just been saved as, with its snapshot."""
    if isinstance(obj, Deployment):
        kind, snapshot = "deployment", deployment_snapshot(obj)
    else:
        kind, snapshot = "organisation", organisation_snapshot(obj)
        if not obj.is_public:
            # A version of an organisation named in drafts only: as private as they are
            # (its name may be a sole trader's own; `Revision.of_a_draft`).
            snapshot["is_public"] = False
    Revision.objects.create(
        kind=kind,
        object_id=obj.id,
        version=obj.version,
        author=author,
        comment=comment,
        snapshot=snapshot,
    )


def _unique_slug(model: type, base: str, *, exclude_id: int | None = None) -> str:
    root = slug_of(base, "item")[:180]
    slug, n = root, 1
    qs = model.objects.all()  # type: ignore[attr-defined]
    if exclude_id:
        qs = qs.exclude(id=exclude_id)
    while qs.filter(slug=slug).exists():
        n += 1
        slug = f"{root}-{n}"
    return slug


def organisation_get_or_create(
    *, name: str, kind: str, public: bool = True, siren: str = ""
) -> Organisation:
    """The organisation with this name (case-insensitive), created if unknown; created
    hidden when `public` is false (named by a draft: see `_organisations_reveal`), with
    `siren` when one is given and no other organisation has it."""
    org = Organisation.objects.filter(name__iexact=name.strip()).first()
    if org:
        return org
    if siren and Organisation.objects.filter(siren=siren).exists():
        siren = ""
    org = Organisation.objects.create(
        name=name.strip(),
        kind=kind,
        slug=_unique_slug(Organisation, name),
        is_public=public,
        siren=siren,
    )
    _revision_record(org, author=None, comment=_("created from a deployment"))
    return org


def _former_names(organisations: list[Organisation]) -> dict[str, Organisation]:
    """Each of `organisations` by the names its versions gave it, its name today last
    (so that it wins)."""
    by_id = {o.id: o for o in organisations}
    names: dict[str, Organisation] = {}
    for object_id, snapshot in (
        Revision.objects.filter(kind="organisation", object_id__in=list(by_id))
        .order_by("version")
        .values_list("object_id", "snapshot")
    ):
        if isinstance(snapshot, dict) and snapshot.get("name"):
            names[name_key(str(snapshot["name"]))] = by_id[object_id]
    names.update({name_key(o.name): o for o in organisations})
    return names


def _organisations_of(
    names: list[str], kind: str, public: bool, current: list[Organisation]
) -> list[Organisation]:
    """The organisations `names` name for a deployment that has `current`: one of its
    own first, by its name or a name it had (an organisation of that name it already
    has stays, whatever others share the name; a version restored or a proposal
    accepted after its rename names it by its former name), else
    `organisation_get_or_create`. A deployment's unrelated edit moved it to another
    organisation of the same name; a restore after a rename, to a new one of the old
    name. A former name finds nothing for another deployment: "Axis" corrected to
    "Axians" is no alias of Axians for Axis Communications."""
    own = _former_names(current) if current else {}
    return [
        own.get(name_key(n)) or organisation_get_or_create(name=n, kind=kind, public=public)
        for n in names
    ]


def source_get_or_create(data: dict[str, Any]) -> Source:
    """The same source is stored once: by document or URL when there is one, else by title
    and publisher. A source of a library document is found only by its document (a link
    the services make, never typed text): matching it by title or URL would let anyone
    tie a claim to a private document by typing what its source shows."""
    if data.get("document"):
        source = Source.objects.filter(document_id=data["document"]).first()
    elif data.get("url"):
        source = Source.objects.filter(url=data["url"], document=None).first()
    else:
        # Never a library document's source: its title is a public label, not a key.
        source = Source.objects.filter(
            url="", title=data["title"], publisher=data.get("publisher", ""), document=None
        ).first()
    if source is None:
        source = Source.objects.create(
            title=data["title"],
            publisher=data.get("publisher", ""),
            url=data.get("url", ""),
            published_on=data.get("published_on", ""),
            document_id=data.get("document") or None,
        )
    return source


def _citation_create(*, data: dict[str, Any], **claim: Deployment | CameraCount) -> Citation:
    return Citation.objects.create(
        source=source_get_or_create(data["source"]),
        quote=data.get("quote", ""),
        locator=data.get("locator", ""),
        accessed_on=dt.date.fromisoformat(data["accessed_on"]) if data.get("accessed_on") else None,
        **claim,
    )


# --- search index -----------------------------------------------------------------------


def deployment_search_text(deployment: Deployment) -> str:
    parts = [deployment.title, deployment.description]
    for c in deployment.communes.select_related("department"):
        parts += [c.name, c.department.name if c.department else ""]
    parts += [e.name for e in deployment.epcis.all()]
    for t in deployment.technologies.all():
        parts += [t.name_fr, t.name_en]
    parts += [v.name for v in deployment.vendors.all()]
    for f in deployment.fundings.select_related("funder"):
        parts += [f.funder.name, f.programme]
    return "\n".join(p for p in parts if p)


def deployment_index(deployment: Deployment) -> None:
    """Refresh the deployment's full-text entry (on PostgreSQL the stored tsvector column
    follows search_text by itself; on SQLite an FTS5 row of stemmed words)."""
    text = deployment_search_text(deployment)
    Deployment.objects.filter(id=deployment.id).update(search_text=text)
    deployment.search_text = text
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM registry_deployment_fts WHERE rowid = %s", [deployment.id])
            cursor.execute(
                "INSERT INTO registry_deployment_fts(rowid, body) VALUES (%s, %s)",
                [deployment.id, fts5_document(text)],
            )


def deployments_follow_merged_commune(*, current: Any, **kwargs: Any) -> dict[str, int]:
    """A commune merged into another since (`places.signals.commune_folded`): the
    deployments now on the current commune are indexed again, so that a search for its
    name finds those that named the former one (their text still said "Seynod")."""
    deployments = list(Deployment.objects.filter(communes=current))
    for deployment in deployments:
        deployment_index(deployment)
    return {}


# --- deployments ------------------------------------------------------------------------


def _deployment_apply(deployment: Deployment, data: dict[str, Any]) -> None:
    """Write clean data onto the deployment and replace its child rows."""
    for field in DeploymentData.row_fields():
        setattr(deployment, field, data[field])
    deployment.save()
    deployment.communes.set(Commune.objects.filter(code__in=data["communes"]))
    deployment.epcis.set(Epci.objects.filter(siren__in=data["epcis"]))
    deployment.technologies.set(Technology.objects.filter(slug__in=data["technologies"]))
    public = deployment.is_published
    vendors = _organisations_of(data["vendors"], "vendor", public, list(deployment.vendors.all()))
    deployment.vendors.set(vendors)
    current_funders = [f.funder for f in deployment.fundings.select_related("funder")]
    deployment.fundings.all().delete()
    # Read once for all the fundings (their former names are one query).
    funders = _organisations_of(
        [f["funder"] for f in data["fundings"]], "funder", public, current_funders
    )
    for f, funder in zip(data["fundings"], funders, strict=True):
        Funding.objects.create(
            deployment=deployment,
            funder=funder,
            amount_eur=Decimal(f["amount_eur"]) if f["amount_eur"] else None,
            programme=f["programme"],
        )
    if public:
        _organisations_reveal([*vendors, *funders])
    deployment.legal_events.all().delete()
    for e in data["legal_events"]:
        LegalEvent.objects.create(deployment=deployment, **e)
    _citations_sync(deployment, data["citations"])
    deployment_index(deployment)


def _organisations_reveal(organisations: list[Organisation]) -> None:
    """Make public the organisations a published deployment names: a vendor or funder
    first named in a draft stays hidden (its name is as private as the draft) until
    then, and a published deployment shows its name anyway."""
    Organisation.objects.filter(id__in=[o.id for o in organisations], is_public=False).update(
        is_public=True
    )


_SOURCE_FIELDS = ("title", "publisher", "url", "published_on")


def _citations_with_documents(
    deployment: Deployment, items: list[dict[str, Any]], base: dict[str, Any]
) -> None:
    """Give back its library document to an edited citation whose source reads the same,
    as it was when the editor loaded it (`base`) or as it is now: the form does not carry
    the document (a hidden number anyone could change to point at a private document),
    the citation's identity does."""
    known: dict[int, list[dict[str, Any]]] = {}
    for c in base.get("citations") or []:
        if c.get("id") and c["source"].get("document"):
            known.setdefault(c["id"], []).append(c["source"])
    for c in deployment.citations.select_related("source"):
        if c.source.document_id:
            known.setdefault(c.id, []).append(CitationData.of(c).source.model_dump())
    for item in items:
        if "document" in item["source"]:
            continue
        for source in known.get(item.get("id") or 0, []):
            if all(item["source"].get(k, "") == source.get(k, "") for k in _SOURCE_FIELDS):
                item["source"]["document"] = source["document"]
                break


def _citations_sync(deployment: Deployment, items: list[dict[str, Any]]) -> None:
    """Update the deployment's citations in place rather than replacing them: their ids
    are referenced (an accepted suggestion points at the citation it made) and must not
    change at each save. An item keeps the citation named by its id, or else one with the
    same source and page; what is left over was removed by the editor."""
    existing = {c.id: c for c in deployment.citations.select_related("source")}
    used: set[int] = set()
    for item in items:
        current = existing.get(item.get("id") or 0)
        if current is not None and current.id in used:
            current = None
        if (
            current is not None
            and all(item["source"].get(k, "") == getattr(current.source, k) for k in _SOURCE_FIELDS)
            and item["source"].get("document") in (None, current.source.document_id)
        ):
            source = current.source
        else:
            source = source_get_or_create(item["source"])
        if current is None:
            same_page = [
                c
                for c in existing.values()
                if c.id not in used and c.source_id == source.id and c.locator == item["locator"]
            ]
            current = next((c for c in same_page if c.quote == item["quote"]), None) or next(
                iter(same_page), None
            )
        accessed = dt.date.fromisoformat(item["accessed_on"]) if item.get("accessed_on") else None
        if current is None:
            current = _citation_create(data=item, deployment=deployment)
        elif (current.source_id, current.quote, current.locator, current.accessed_on) != (
            source.id,
            item["quote"],
            item["locator"],
            accessed,
        ):
            current.source, current.quote, current.locator = source, item["quote"], item["locator"]
            current.accessed_on = accessed
            current.save()
        used.add(current.id)
    deployment.citations.exclude(id__in=used).delete()


@transaction.atomic
def deployment_create(
    *, data: dict[str, Any], author: User | None, comment: str = ""
) -> Deployment:
    clean = deployment_clean(data)
    deployment = Deployment(slug=_unique_slug(Deployment, clean["title"]), version=1)
    _deployment_apply(deployment, clean)
    _revision_record(deployment, author=author, comment=comment or _("created"))
    return deployment


@transaction.atomic
def deployment_update(
    *,
    deployment: Deployment,
    data: dict[str, Any],
    base_version: int,
    author: User | None,
    comment: str = "",
    keep_theirs: list[str] | tuple[str, ...] = (),
) -> Deployment:
    """Save a new version. Raises ValidationError on bad data or when `base_version`, the
    version the editor loaded, is missing or impossible. Raises StaleEdit, writing
    nothing, when someone saved another version since: it carries the newer version with
    this person's changes re-applied. `keep_theirs` names fields for which the person,
    shown both values, chose the one of `base_version` over what their form holds.

    Publication is not an edit: the deployment stays published or unpublished as it is
    (see `deployment_publish`), whatever the data says."""
    current = Deployment.objects.select_for_update().get(id=deployment.id)
    base_version = _version_check(base_version, current.version)
    base = base_snapshot(kind="deployment", object_id=current.id, version=base_version)
    data = {**data, "is_published": current.is_published}
    for field in keep_theirs:
        if field in base and field != "is_published":
            data[field] = base[field]
    clean = deployment_clean(data)
    _citations_with_documents(current, clean["citations"], base)
    if current.version != base_version:
        theirs = deployment_snapshot(current)
        merged, conflicts = merge_snapshots(base, clean, theirs)
        raise StaleEdit(
            current_version=current.version,
            changes=snapshot_changes(base, theirs),
            merged=merged,
            conflicts=conflicts,
            theirs=theirs,
        )
    current.version += 1
    _deployment_apply(current, clean)
    _revision_record(current, author=author, comment=comment)
    return current


# Said wherever a draft's publication is refused for a version its publisher did not read.
DRAFT_CHANGED = gettext_noop(
    "The draft changed since this page was opened: read it as it is now, then publish it."
)


@transaction.atomic
def deployment_publish(
    *, deployment: Deployment, author: User | None, seen_version: int | None = None
) -> Deployment:
    """Make a draft public, as a new version that says so. Raises ValidationError when
    the deployment lacks what every published one has (a source), or when it is no
    longer the `seen_version` the publisher's page showed (its author changed it since:
    what they did not read is not published)."""
    current = Deployment.objects.select_for_update().get(id=deployment.id)
    if current.is_published:
        return current
    if seen_version is not None and current.version != seen_version:
        raise ValidationError(_(DRAFT_CHANGED))
    clean = deployment_clean({**deployment_snapshot(current), "is_published": True})
    current.version += 1
    _deployment_apply(current, clean)
    _revision_record(current, author=author, comment=_("published"))
    return current


@transaction.atomic
def deployment_revert(
    *, deployment: Deployment, version: int, base_version: int | None, author: User | None
) -> Deployment:
    """Make a new version whose content is that of `version`. `base_version` is the
    version the person saw as current: as for an edit, a missing one is refused and a
    stale one raises StaleEdit (with the restore re-applied to the newer version), so a
    restore never silently undoes what was saved meanwhile."""
    revision = Revision.objects.get(kind="deployment", object_id=deployment.id, version=version)
    return deployment_update(
        deployment=deployment,
        data=revision.snapshot,
        base_version=base_version,  # type: ignore[arg-type]  # None is refused
        author=author,
        comment=_("reverted to version %d") % version,
    )


# --- organisations ----------------------------------------------------------------------


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    data: dict[str, Any],
    base_version: int,
    author: User | None,
    comment: str = "",
    keep_theirs: list[str] | tuple[str, ...] = (),
) -> Organisation:
    """As `deployment_update`: refuses a missing version, and on a stale one raises
    StaleEdit with the newer version and this person's changes re-applied."""
    current = Organisation.objects.select_for_update().get(id=organisation.id)
    base_version = _version_check(base_version, current.version)
    base = base_snapshot(kind="organisation", object_id=current.id, version=base_version)
    data = {**data, **{k: base[k] for k in keep_theirs if k in base}}
    if current.version != base_version:
        theirs = organisation_snapshot(current)
        mine = {k: data[k] for k in theirs if k in data}
        merged, conflicts = merge_snapshots(base, mine, theirs)
        raise StaleEdit(
            current_version=current.version,
            changes=snapshot_changes(base, theirs),
            merged=merged,
            conflicts=conflicts,
            theirs=theirs,
        )
    name = str(data.get("name", current.name)).strip()
    if (
        name != current.name
        and Organisation.objects.filter(name__iexact=name).exclude(id=current.id).exists()
    ):
        # Two of one name: every deployment naming it would pick one of them by chance.
        raise ValidationError({"name": [_("An organisation with this name already exists.")]})
    for field in OrganisationData.model_fields:
        setattr(current, field, data.get(field, getattr(current, field)))
    current.full_clean(exclude=["slug"])
    current.version += 1
    current.save()
    _revision_record(current, author=author, comment=comment)
    if "name" in data:
        # The name is part of every related deployment's search entry. Imported here:
        # the task module imports this one (a task calls a service), so this side of the
        # cycle is the lazy one.
        from contrechamp.registry.tasks import organisation_deployments_reindex

        transaction.on_commit(lambda: organisation_deployments_reindex.enqueue(current.id))
    return current


@transaction.atomic
def organisation_create(
    *, data: dict[str, Any], author: User | None, comment: str = ""
) -> Organisation:
    if Organisation.objects.filter(name__iexact=str(data.get("name", "")).strip()).exists():
        raise ValidationError({"name": [_("An organisation with this name already exists.")]})
    org = Organisation(slug=_unique_slug(Organisation, str(data.get("name") or "")))
    for field in OrganisationData.model_fields:
        if field in data:
            setattr(org, field, data[field])
    org.full_clean(exclude=["slug"])
    org.save()
    _revision_record(org, author=author, comment=comment or _("created"))
    return org


@transaction.atomic
def organisation_publish(*, organisation: Organisation, author: User | None) -> Organisation:
    """Make public an organisation named only in drafts, as a new version that says so."""
    current = Organisation.objects.select_for_update().get(id=organisation.id)
    if current.is_public:
        return current
    current.is_public = True
    current.version += 1
    current.save()
    _revision_record(current, author=author, comment=_("published"))
    return current


@transaction.atomic
def organisation_revert(
    *, organisation: Organisation, version: int, base_version: int | None, author: User | None
) -> Organisation:
    """As `deployment_revert`: refused without the version seen as current, StaleEdit
    when it is no longer the current one."""
    revision = Revision.objects.get(kind="organisation", object_id=organisation.id, version=version)
    return organisation_update(
        organisation=organisation,
        data=revision.snapshot,
        base_version=base_version,  # type: ignore[arg-type]  # None is refused
        author=author,
        comment=_("reverted to version %d") % version,
    )


# --- camera counts ----------------------------------------------------------------------


@transaction.atomic
def camera_count_create(
    *,
    commune_code: str,
    count: int | str,
    date: str,
    perimeter: str = "",
    approximate: bool = False,
    citations: list[dict[str, Any]],
    author: User | None,
) -> CameraCount:
    errors: dict[str, list[str]] = {}
    commune = Commune.objects.filter(code=str(commune_code).strip()).first()
    if commune is None:
        errors["commune"] = [_("No commune has the INSEE code “%s”.") % commune_code]
    try:
        n = int(str(count).replace(" ", "").replace("\u202f", "").replace("\u00a0", ""))
    except ValueError:
        errors["count"] = [_("The number of cameras must be a whole number.")]
        n = 0
    else:
        # "must be a whole number" answered 99999999999, a whole number: the bounds said.
        if n < 0 or n > 10_000_000:
            errors["count"] = [
                _("The number of cameras must be between 0 and %s.") % "10\u00a0000\u00a0000"
            ]
    try:
        date = parse_partial_date(date)
        if not date:
            errors["date"] = [_("A camera count needs the date of the figure.")]
        elif partial_date_after(date, timezone.localdate()):
            # A count is an observation already made; a typo ("2042" for "2024") would
            # otherwise be the commune's latest figure for years.
            errors["date"] = [
                _("The figure's date (%s) is after today: a count is dated when it was made.")
                % date
            ]
    except ValidationError as e:
        errors["date"] = e.messages
    if len(perimeter) > 200:
        errors["perimeter"] = [_("The perimeter is too long (200 characters at most).")]
    try:
        clean_citations = citations_validate(citations)
    except SchemaError as e:
        errors.update(e.message_dict)
        clean_citations = []
    if not clean_citations and not any(k.startswith("citations") for k in errors):
        errors["citations"] = [_("A camera count cites at least one source.")]
    if errors:
        raise ValidationError(errors)
    assert commune is not None  # errors raised above otherwise
    # "Public roads (about)": the estimate said in the perimeter is the flag, so that
    # totals and ranks say it too; the perimeter keeps what was counted.
    if ESTIMATE_MARKER.search(perimeter):
        perimeter, approximate = ESTIMATE_MARKER.sub("", perimeter), True
    record = CameraCount.objects.create(
        commune=commune,
        count=n,
        date=date,
        perimeter=perimeter.strip(),
        approximate=bool(approximate),
        created_by=author,
    )
    for c in clean_citations:
        _citation_create(data=c.model_dump(), camera_count=record)
    return record


# How many places and organisations a search names at most.
NAMED_PAGES = 8


def _commune_page(commune: Commune) -> tuple[str, str, str]:
    where = commune.department.name if commune.department else ""
    what = _("commune, %s") % where if where else _("commune")
    return commune.name, what, commune.get_absolute_url()


def _query_words(query: str) -> str:
    """The query's words, or "" for too short or too long a query to name a page."""
    words = " ".join(query.split())
    return words if 2 <= len(words) <= 100 else ""


def named_pages(query: str) -> list[tuple[str, str, str]]:
    """The pages of the places and public organisations the query names, as (name, what it
    is, address): the communes and departments of that name, the organisations whose name
    holds it. "SNEF" found documents and deployments, never the SNEF's own page; nor did
    "Marseille" find Marseille's (a new user's walk), nor did the home page's search box
    find "Lorient" (it searches deployments)."""
    words = _query_words(query)
    if not words:
        return []
    wanted = name_key(words)
    found = [
        _commune_page(c)
        for c in Commune.objects.filter(name_key=wanted).select_related("department")[:5]
    ]
    for department in Department.objects.filter(Q(name__iexact=words) | Q(code__iexact=words))[:2]:
        found.append((department.name, _("department"), department.get_absolute_url()))
    for epci in Epci.objects.filter(name__iexact=words)[:2]:
        found.append((epci.name, _("intercommunality"), epci.get_absolute_url()))
    if len(words) >= 3:
        organisations = Organisation.objects.public().filter(name__icontains=words)
        for organisation in organisations.order_by("name")[:NAMED_PAGES]:
            found.append((organisation.name, _("organisation"), organisation.get_absolute_url()))
    return found[:NAMED_PAGES]


def near_communes(query: str) -> list[tuple[str, str, str]]:
    """The pages of the communes whose names are nearest to a one-word query that names
    none ("Loriant"), as `named_pages` gives them."""
    wanted = name_key(_query_words(query))
    if not wanted or " " in wanted:
        return []
    return [_commune_page(c) for c in Commune.objects.named_like(wanted)]
