"""The requests about a commune or a deployment, on their pages (and the way to draft
one), without the place and registry pages knowing about requests."""

from __future__ import annotations

from django import template
from django.template.context import Context
from django.urls import reverse
from django.utils.http import urlencode

from contrechamp.access.permissions import may_draft_requests, public_requests
from contrechamp.places.models import Commune
from contrechamp.registry.models import Deployment

register = template.Library()


@register.inclusion_tag("access/_requests_about.html", takes_context=True)
def requests_about(context: Context, subject: Commune | Deployment) -> dict[str, object]:
    """`subject`: a commune or a deployment."""
    sent = public_requests().select_related("body")
    if isinstance(subject, Deployment):
        found = sent.filter(deployments=subject)
        query = {"deploiement": subject.slug}
    else:
        found = sent.filter(places=subject)
        query = {"commune": subject.code}
    user = context["request"].user if "request" in context else None
    return {
        "requests": list(found[:50]),
        "create_url": reverse("request-create") + "?" + urlencode(query),
        "can_create": may_draft_requests(user),
    }
