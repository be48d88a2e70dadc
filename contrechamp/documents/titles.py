"""What a title typed by a person becomes before it is stored. A published document's
title is public, and publication made it from the original one with every redacted text
replaced by "[…]" (`redaction.services.public_title`); a title corrected later must go
through the same rule, and a new title of a document not yet published must be read for
personal data before publication. That rule belongs to the redaction app, above the
library: it registers it when it starts. Without it, the title of a published document
cannot be changed (fail closed)."""

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
