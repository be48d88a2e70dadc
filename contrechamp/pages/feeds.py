"""Atom feeds to follow a commune, an intercommunality, a department, a technology, an
organisation (vendor or funder) or one deployment, in any feed reader, without an
account: the published deployments new or changed there, and for places the documents
published about them. Only what the public pages show: no draft, no document waiting
for its redaction, no contributor's name."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from contrechamp.documents.models import Document
from contrechamp.places.models import Commune, Department, Epci
from contrechamp.registry.models import (
    Deployment,
    DeploymentQuerySet,
    Organisation,
    Technology,
)

ITEMS = 50


class _Entry:
    """One entry: a deployment or a published document."""

    def __init__(self, obj: Deployment | Document) -> None:
        self.obj = obj
        self.updated = obj.updated_at
        self.created = obj.created_at


class _ScopeFeed(Feed):
    feed_type = Atom1Feed

    def lookup(self, key: str) -> Any:
        """The place, technology, organisation or deployment of this key, if public;
        else Http404. What the feed and the e-mail digests both follow."""
        raise NotImplementedError

    def get_object(self, request: HttpRequest, **kwargs: str) -> Any:
        (key,) = kwargs.values()
        return self.lookup(key)

    def name(self, scope: Any) -> str:
        return str(getattr(scope, "name", None) or scope.title)

    def deployments(self, scope: Any) -> DeploymentQuerySet:
        raise NotImplementedError

    def documents(self, scope: Any) -> QuerySet[Document]:
        return Document.objects.none()

    def entries(self, scope: Any, *, since: datetime | None = None) -> list[_Entry]:
        """The published deployments and documents of `scope`, changed after `since`,
        the latest first (at most ITEMS)."""
        deployments = self.deployments(scope).published().distinct()
        documents = self.documents(scope).filter(is_public=True).distinct()
        if since is not None:
            deployments = deployments.filter(updated_at__gt=since)
            documents = documents.filter(updated_at__gt=since)
        found = [
            _Entry(d)
            for d in deployments.prefetch_related("technologies", "communes").order_by(
                "-updated_at", "-id"
            )[:ITEMS]
        ] + [_Entry(d) for d in documents.order_by("-updated_at")[:ITEMS]]
        return sorted(found, key=lambda e: e.updated, reverse=True)[:ITEMS]

    def items(self, scope: Any) -> list[_Entry]:
        return self.entries(scope)

    def item_title(self, item: _Entry) -> str:
        if isinstance(item.obj, Document):
            return _("Document: %(title)s") % {"title": item.obj.title}
        return str(item.obj.title)

    def item_description(self, item: _Entry) -> str:
        obj = item.obj
        if isinstance(obj, Document):
            return obj.get_origin_display()
        parts = [obj.get_status_display()]
        parts += [t.name for t in obj.technologies.all()]
        parts += [c.name for c in obj.communes.all()[:10]]
        return " · ".join(str(p) for p in parts if p)

    def item_link(self, item: _Entry) -> str:
        return item.obj.get_absolute_url()

    def item_guid(self, item: _Entry) -> str:
        # Stable across changes: a reader updates the entry rather than adding one.
        kind = "document" if isinstance(item.obj, Document) else "deployment"
        return f"contrechamp:{kind}:{item.obj.id}"

    item_guid_is_permalink = False

    def item_updateddate(self, item: _Entry) -> Any:
        return item.updated

    def item_pubdate(self, item: _Entry) -> Any:
        return item.created


class CommuneFeed(_ScopeFeed):
    def lookup(self, key: str) -> Commune:
        return get_object_or_404(Commune, code=key)

    def title(self, obj: Commune) -> str:
        return _("Contrechamp: %(place)s") % {"place": obj.name}

    def link(self, obj: Commune) -> str:
        return reverse("commune-detail", args=[obj.code])

    def deployments(self, scope: Commune) -> DeploymentQuerySet:
        here = Q(communes=scope)
        if scope.epci_id:
            here |= Q(epcis=scope.epci_id)
        return Deployment.objects.filter(here)

    def documents(self, scope: Commune) -> QuerySet[Document]:
        return Document.objects.filter(places=scope)


class EpciFeed(_ScopeFeed):
    def lookup(self, key: str) -> Epci:
        return get_object_or_404(Epci, siren=key)

    def title(self, obj: Epci) -> str:
        return _("Contrechamp: %(place)s") % {"place": obj.name}

    def link(self, obj: Epci) -> str:
        return reverse("epci-detail", args=[obj.siren])

    def deployments(self, scope: Epci) -> DeploymentQuerySet:
        return Deployment.objects.filter(Q(epcis=scope) | Q(communes__epci=scope))

    def documents(self, scope: Epci) -> QuerySet[Document]:
        return Document.objects.filter(places__epci=scope)


class DepartmentFeed(_ScopeFeed):
    def lookup(self, key: str) -> Department:
        return get_object_or_404(Department, code=key)

    def title(self, obj: Department) -> str:
        return _("Contrechamp: %(place)s") % {"place": obj.name}

    def link(self, obj: Department) -> str:
        return reverse("department-detail", args=[obj.code])

    def deployments(self, scope: Department) -> DeploymentQuerySet:
        return Deployment.objects.filter(
            Q(communes__department=scope) | Q(epcis__communes__department=scope)
        )

    def documents(self, scope: Department) -> QuerySet[Document]:
        return Document.objects.filter(places__department=scope)


class TechnologyFeed(_ScopeFeed):
    def lookup(self, key: str) -> Technology:
        return get_object_or_404(Technology, slug=key)

    def title(self, obj: Technology) -> str:
        return _("Contrechamp: %(technology)s") % {"technology": obj.name}

    def link(self, obj: Technology) -> str:
        return obj.get_absolute_url()

    def deployments(self, scope: Technology) -> DeploymentQuerySet:
        return Deployment.objects.filter(technologies=scope)


class OrganisationFeed(_ScopeFeed):
    """A vendor's or a funder's deployments."""

    def lookup(self, key: str) -> Organisation:
        return get_object_or_404(Organisation.objects.public(), slug=key)

    def title(self, obj: Organisation) -> str:
        return _("Contrechamp: %(organisation)s") % {"organisation": obj.name}

    def link(self, obj: Organisation) -> str:
        return obj.get_absolute_url()

    def deployments(self, scope: Organisation) -> DeploymentQuerySet:
        return Deployment.objects.filter(Q(vendors=scope) | Q(fundings__funder=scope))


class DeploymentFeed(_ScopeFeed):
    """One published deployment: an entry each time it changes."""

    def lookup(self, key: str) -> Deployment:
        return get_object_or_404(Deployment.objects.published(), slug=key)

    def title(self, obj: Deployment) -> str:
        return _("Contrechamp: %(deployment)s") % {"deployment": obj.title}

    def link(self, obj: Deployment) -> str:
        return obj.get_absolute_url()

    def deployments(self, scope: Deployment) -> DeploymentQuerySet:
        return Deployment.objects.filter(id=scope.id)

    def item_guid(self, item: _Entry) -> str:
        # One entry per version: a reader shows each change.
        return f"contrechamp:deployment:{item.obj.id}:v{getattr(item.obj, 'version', 0)}"


# What one can follow, by the kind a subscription names.
SCOPES: dict[str, type[_ScopeFeed]] = {
    "commune": CommuneFeed,
    "epci": EpciFeed,
    "department": DepartmentFeed,
    "technology": TechnologyFeed,
    "organisation": OrganisationFeed,
    "deployment": DeploymentFeed,
}
