"""The library's permissions for templates, so a page offers a link or a button only to
those the view behind it lets in: `{% load documents_permissions %}` then
`{% if user|may_download_original:document %}`. Each filter is the function of
`documents.permissions`, never a rule of its own."""

from __future__ import annotations

from django import template

from contrechamp.documents import permissions

register = template.Library()

for _name in (
    "may_see_originals",
    "may_upload_documents",
    "may_read_document",
    "may_download_original",
    "may_accept_entities",
    "may_see_suggestions",
    "may_decide_suggestions",
    "may_correct_details",
):
    register.filter(_name, getattr(permissions, _name))
