"""What a title or a source address typed by a person becomes before it is stored. A
published document's title is public, and publication made it from the original one with
every redacted text replaced by "[…]" (`redaction.services.public_title`); a title
corrected later must go through the same rule, and a new title of a document not yet
published must be read for personal data before publication. That rule belongs to the
redaction app, above the library: it registers it when it starts. Without it, the title
of a published document cannot be changed (fail closed).

A source address is shown with the document too (its page, the API), and nothing
redacts it: the same app's rule refuses one that shows personal data (a name redacted
in the document, an e-mail address or a phone number, percent-encoded or in a slug),
on a private document as on a published one. Without the rule, the source address of a
published document cannot be changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from contrechamp.documents.models import Document


@dataclass
class TitleRule:
    # (document, title typed) -> the title to store; ValidationError to refuse it.
    checked: Callable[[Document, str], str]
    # Called in the same transaction once the document holds its new title.
    changed: Callable[[Document], None]
    # (document, source address typed) -> the address to store; ValidationError to refuse.
    address_checked: Callable[[Document, str], str]


_rules: dict[str, TitleRule] = {}


def register(rule: TitleRule) -> None:
    _rules["redaction"] = rule


def title_checked(document: Document, title: str) -> str:
    """`title` as it may be stored on `document`; raises ValidationError when it may not."""
    rule = _rules.get("redaction")
    if rule is not None:
        return rule.checked(document, title)
    if document.is_public:
        raise ValidationError(_("The title of a published document cannot be changed here."))
    return title


def title_changed(document: Document) -> None:
    rule = _rules.get("redaction")
    if rule is not None:
        rule.changed(document)


def source_url_checked(document: Document, url: str) -> str:
    """`url` (a web address already checked as one) as it may be stored on `document`;
    raises ValidationError when it may not."""
    rule = _rules.get("redaction")
    if rule is not None:
        return rule.address_checked(document, url)
    if document.is_public:
        raise ValidationError(
            _("The source address of a published document cannot be changed here.")
        )
    return url
