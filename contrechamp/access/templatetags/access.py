"""The requests about a place or a deployment, on their pages (and the way to draft
one), without the place and registry pages knowing about requests."""

from __future__ import annotations

from django import template
from django.db.models import F
from django.template.context import Context
from django.urls import reverse
from django.utils.http import urlencode

from contrechamp.access.permissions import may_draft_requests, public_requests
from contrechamp.access.services import place_parameter, requests_about_place
from contrechamp.places.models import Commune, Department, Epci
from contrechamp.registry.models import Deployment

register = template.Library()


# Requests listed on a page; the others are counted.
SHOWN = 50


@register.inclusion_tag("access/_requests_about.html", takes_context=True)
def requests_about(
    context: Context, subject: Commune | Epci | Department | Deployment
) -> dict[str, object]:
    """`subject`: a commune, an intercommunality, a department or a deployment. A
    place's requests are those about it or sent to its body; an intercommunality's and a
    department's, those about one of their communes too."""
    sent = public_requests().select_related("body")
    if isinstance(subject, Deployment):
        found = sent.filter(deployments=subject)
        query = {"deploiement": subject.slug}
        listed = ""
    else:
        found = requests_about_place(sent, subject)
        listed = urlencode(place_parameter(subject))
        if isinstance(subject, Epci):
            query = {"organisme": f"epci:{subject.siren}"}
        elif isinstance(subject, Department):
            # Its prefecture: it authorises cameras and drones (the form offers the rest).
            query = {"organisme": f"prefecture:{subject.code}"}
        else:
            query = {"commune": subject.code}
    found = found.order_by(F("sent_on").desc(nulls_last=True), "-id")
    user = context["request"].user if "request" in context else None
    shown = list(found[: SHOWN + 1])
    return {
        "requests": shown[:SHOWN],
        "more": found.count() - SHOWN if len(shown) > SHOWN else 0,
        "list_url": reverse("request-list") + (f"?{listed}" if listed else ""),
        "create_url": reverse("request-create") + "?" + urlencode(query),
        "can_create": may_draft_requests(user),
    }
