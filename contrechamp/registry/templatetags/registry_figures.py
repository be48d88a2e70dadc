"""How the figures read: `{% load registry_figures %}` then `{{ share|percent }}`."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """A share in per cent with one decimal, in the reader's language ("45,3 %",
    "45.3%"); "less than 0.1%" rather than a 0 that reads as nobody; "—" for none."""
    if value is None:
        return "—"
    if 0 < value < 0.05:
        return _("less than 0.1%")
    return _("%(p)s%%") % {"p": number_format(round(value, 1), 1)}
