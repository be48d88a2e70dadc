"""The registry's permissions for templates, so a page offers a link only to those the
view behind it lets in: `{% load registry_permissions %}` then
`{% if user|may_edit_deployment:deployment %}`. Each filter is the function of
`registry.permissions`, never a rule of its own."""

from __future__ import annotations

from django import template

from contrechamp.registry import permissions

register = template.Library()

for _name in (
    "may_create_deployment",
    "may_add_camera_count",
    "may_create_organisation",
    "may_edit_deployment",
    "may_publish_deployment",
    "may_revert_deployment",
    "may_edit_organisation",
    "may_publish_organisation",
    "may_revert_organisation",
    "may_review",
):
    register.filter(_name, getattr(permissions, _name))
