from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from contrechamp.accounts.models import has_role
from contrechamp.watch.scoring import cpv_label

register = template.Library()


@register.filter
def reason_label(reason: Any) -> str:
    """One reason of a score in the reader's language: "CPV 32323500 … (+45)",
    "video surveillance (+60)", "school photography (−60)", "known vendor: X (+25)"."""
    if not isinstance(reason, dict):
        return str(reason)
    points = int(reason.get("points", 0))
    signed = f"+{points}" if points >= 0 else f"−{-points}"
    text = str(reason.get("text", ""))
    rule = reason.get("rule")
    if rule == "cpv":
        # "35125300 Caméras de sécurité", stored in French: the label in the reader's
        # language from the code (an English page read the French label).
        code = text.partition(" ")[0]
        named = cpv_label(code, get_language() or "fr")
        label = _("CPV %(code)s") % {"code": f"{code} {named}" if named else text}
    elif rule == "vendor":
        label = _("known vendor: %(names)s") % {"names": text}
    else:
        label = _(text)
    return f"{label} ({signed})"


@register.filter
def is_administrator(user: Any) -> bool:
    """Whether `user` runs the instance (the watch's commands are theirs)."""
    return has_role(user, "administrator")
