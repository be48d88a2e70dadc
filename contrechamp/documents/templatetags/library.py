"""The library's documents on a place's page: `{% load library %}` then
`{% documents_about commune %}` (a commune, an intercommunality or a department)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.contrib.auth.models import AnonymousUser
from django.db.models import F
from django.urls import reverse

from contrechamp.documents import permissions
from contrechamp.documents.services import documents_about_place, documents_listed_alone
from contrechamp.places.models import Commune, Department, Epci

register = template.Library()

# Documents listed on a place's page; the others are counted, and the library's list
# filtered to the place shows them all.
SHOWN = 20


@register.inclusion_tag("documents/_documents_about.html")
def documents_about(place: Commune | Epci | Department) -> dict[str, object]:
    """The published documents about `place` (about one of its communes, for an
    intercommunality or a department), the latest dated first. Published ones only,
    whoever looks: the page is the same for everyone, and a document not yet redacted
    is no one's to show here (the library's list shows its own to each)."""
    code = place.siren if isinstance(place, Epci) else place.code
    published = permissions.listed_documents(AnonymousUser())
    found = documents_listed_alone(documents_about_place(published, code)).order_by(
        F("date").desc(nulls_last=True), "-created_at", "-id"
    )
    shown = list(found[: SHOWN + 1])
    return {
        "documents": shown[:SHOWN],
        "more": found.count() - SHOWN if len(shown) > SHOWN else 0,
        "list_url": reverse("document-list") + "?" + urlencode({"place": code}),
    }
