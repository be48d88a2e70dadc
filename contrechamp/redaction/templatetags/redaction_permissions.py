"""Redaction's permissions for templates: `{% load redaction_permissions %}` then
`{% if user|may_publish:document %}`. Each filter is the function of
`redaction.permissions`, never a rule of its own."""

from __future__ import annotations

from django import template

from contrechamp.redaction import permissions

register = template.Library()

for _name in ("may_review_redactions", "may_publish", "may_unpublish"):
    register.filter(_name, getattr(permissions, _name))
