"""The requests about a commune or a deployment, on their pages (and the way to draft
one), without the places and registry views knowing about requests."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from contrechamp.access.models import Request
from contrechamp.accounts.models import has_role

register = template.Library()


@register.inclusion_tag("access/_requests_about.html", takes_context=True)
def requests_about(context: dict[str, Any], subject: Any) -> dict[str, Any]:
    """`subject`: a commune or a deployment."""
    sent = Request.objects.exclude(status="draft").select_related("body")
    if hasattr(subject, "slug"):  # a deployment
        found = sent.filter(deployments=subject)
        query = {"deploiement": subject.slug}
    else:
        found = sent.filter(places=subject)
        query = {"commune": subject.code}
    user = context["request"].user if "request" in context else None
    return {
        "requests": list(found[:50]),
        "create_url": reverse("request-create") + "?" + urlencode(query),
        "can_create": has_role(user, "contributor"),
    }
