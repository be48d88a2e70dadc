"""Typography that follows the language of the page: quotation marks (« Nice » in
French, “Nice” in English). Registered as a built-in of the templates (`quoted`)."""

from django.template import Library
from django.utils.translation import gettext

register = Library()


def quoted(text: str) -> str:
    """`text` between the quotation marks of the language in use."""
    return gettext("“%(text)s”") % {"text": text}


@register.filter(name="quoted")
def quoted_filter(value: object) -> str:
    return quoted(str(value))
