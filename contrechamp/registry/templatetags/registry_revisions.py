from django import template

from contrechamp.registry.revisions import comment_shown

register = template.Library()


@register.filter
def revision_comment(comment: str) -> str:
    """`{{ revision.comment|revision_comment }}`: the software's own comments in the
    reader's language (`comment_shown`), people's as they wrote them."""
    return comment_shown(str(comment or ""))
