"""The reviewers' count of open tips, for other queues' pages (the moderation queue):
`{% load tips_queue %}{% tips_open user as count %}`; None for anyone who may not see
the tips, so the page shows neither the link nor the count."""

from __future__ import annotations

from typing import Any

from django import template

from contrechamp.tips.models import Tip
from contrechamp.tips.permissions import may_handle_tips

register = template.Library()


@register.simple_tag
def tips_open(user: Any) -> int | None:
    if not may_handle_tips(user):
        return None
    return Tip.objects.exclude(status="closed").count()
