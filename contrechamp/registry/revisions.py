"""Readable differences between two snapshots of an object."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from contrechamp.lib.partialdate import format_partial_date
from contrechamp.lib.typography import quoted
from contrechamp.places.models import Commune, Epci
from contrechamp.registry.models import (
    Deployment,
    LegalEvent,
    Organisation,
    Revision,
    Source,
    Technology,
)
from contrechamp.registry.quotes import shown_quote
from contrechamp.registry.schemas import field_labels

# Labels of the fields a snapshot holds, read from the schemas that define them.
FIELD_LABELS = field_labels()


def _as_lines(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [
            json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, dict) else str(v)
            for v in value
        ]
    return str(value).splitlines() or [""]


def _word_diff(before: str, after: str) -> tuple[SafeString, SafeString]:
    a, b = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old, new = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(old)
            right.append(new)
        else:
            if old:
                left.append(f"<del>{old}</del>")
            if new:
                right.append(f"<ins>{new}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 (escaped above)


def _display(field: str, value: Any) -> Any:
    """What a person reads for a stored value: labels rather than codes."""
    choices = {
        "status": dict(Deployment.STATUSES),
        "scope": dict(Deployment.SCOPES),
        "kind": dict(Organisation.KINDS),
    }
    if field in choices and isinstance(value, str):
        return str(choices[field].get(value, value))
    if field in ("is_published", "approximate") and isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    # As the record's page writes them ("juin 2024", "1 200 000 €"), not as stored
    # ("2024-06", "1200000.00": a walk read the history so).
    if field in ("start_date", "end_date") and isinstance(value, str):
        return _date(value)
    if not isinstance(value, list):
        return value
    if field == "technologies":
        names = {t.slug: t.name for t in Technology.objects.filter(slug__in=value)}
        return [names.get(v, v) for v in value]
    if field == "communes":
        names = dict(Commune.objects.filter(code__in=value).values_list("code", "name"))
        return [f"{names.get(v, '?')} ({v})" for v in value]
    if field == "epcis":
        names = dict(Epci.objects.filter(siren__in=value).values_list("siren", "name"))
        return [f"{names.get(v, '?')} ({v})" for v in value]
    if field == "legal_events":
        kinds, outcomes = dict(LegalEvent.KINDS), dict(LegalEvent.OUTCOMES)
        return [
            " — ".join(
                x
                for x in [
                    str(kinds.get(e.get("kind"), "")),
                    _date(e.get("date", "")),
                    e.get("authority", ""),
                    str(outcomes.get(e.get("outcome"), "")),
                    e.get("summary", ""),
                ]
                if x
            )
            for e in value
        ]
    if field == "fundings":
        return [
            " — ".join(
                x
                for x in [
                    f.get("funder", ""),
                    f"{floatformat(f['amount_eur'], '-2g')} €" if f.get("amount_eur") else "",
                    f.get("programme", ""),
                ]
                if x
            )
            for f in value
        ]
    if field == "citations":
        # A library document is named as its source is now (its published title, or a
        # neutral label), never by the title an older snapshot stored, which may be the
        # document's original title.
        documents = [c["source"]["document"] for c in value if c["source"].get("document")]
        named = dict(
            Source.objects.filter(document_id__in=documents).values_list("document_id", "title")
        )
        return [
            " — ".join(
                x
                for x in [
                    named.get(c["source"]["document"], "")
                    if c["source"].get("document")
                    else c["source"].get("title", ""),
                    c["source"].get("url", ""),
                    c.get("locator", ""),
                    # (The words a reader of the history may see: `registry.quotes`.)
                    _shown(c),
                ]
                if x
            )
            for c in value
        ]
    return value


def _date(value: str) -> str:
    try:
        return format_partial_date(value, get_language() or "fr")
    except (ValueError, IndexError):  # a snapshot older than the partial dates' form
        return value


def _shown(citation: dict[str, Any]) -> str:
    """A snapshot's citation quote as anyone may read it, between quotation marks."""
    shown = shown_quote(
        None, citation.get("source") or {}, citation.get("locator", ""), citation.get("quote", "")
    )
    text = quoted(shown) if shown else ""
    quote = citation.get("quote", "")
    withheld = len(quote.split()) - len(shown.split())
    if withheld > 0:
        # A quote of a private document changed by a suggestion accepted: the history
        # said "No difference" (a new user's walk); it says how much it withholds.
        note = ngettext(
            "%d word of the quote withheld: the document's original text is not public",
            "%d words of the quote withheld: the document's original text is not public",
            withheld,
        )
        text = f"{text} ({note % withheld})" if text else f"({note % withheld})"
    return text


def revision_diff(changes: list[tuple[str, Any, Any]]) -> list[dict[str, Any]]:
    """Rows {label, before, after} with <del>/<ins> marks, for a template table."""
    rows = []
    for field, before, after in changes:
        before, after = _display(field, before), _display(field, after)
        if isinstance(before, list) or isinstance(after, list):
            old, new = _as_lines(before), _as_lines(after)
            removed = [escape(x) for x in old if x not in new]
            added = [escape(x) for x in new if x not in old]
            if not removed and not added:
                # Only something a reader does not see changed (a citation's id).
                continue
            left = mark_safe("<br>".join(f"<del>{x}</del>" for x in removed))  # noqa: S308
            right = mark_safe("<br>".join(f"<ins>{x}</ins>" for x in added))  # noqa: S308
        else:
            left, right = _word_diff(
                "" if before is None else str(before), "" if after is None else str(after)
            )
            if not left and not right:
                # Empty before and after (a record's first version without an end date):
                # a row of nothing (a walk).
                continue
        rows.append(
            {
                "field": field,
                "label": FIELD_LABELS.get(field, field),
                "before": left,
                "after": right,
            }
        )
    return rows


# --- three-way merge of concurrent edits ------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    """Equal values; lists of plain strings (codes, slugs, names) compare as sets, since
    their order carries no meaning."""
    if isinstance(a, list) and isinstance(b, list) and all(isinstance(x, str) for x in a + b):
        return sorted(a) == sorted(b)
    return bool(a == b)


def _merge_lists(base: list, mine: list, theirs: list) -> tuple[list, bool]:
    """Items both people added are kept, items either removed are dropped. Returns the
    merged list and whether both rewrote the same item (an edit shows up as one item
    removed and one added; two different rewrites of one item are a real clash, and
    keeping both would silently duplicate a funding or a source)."""
    removed_by_me = [x for x in base if x not in mine]
    removed_by_them = [x for x in base if x not in theirs]
    added_by_me = [x for x in mine if x not in base]
    added_by_them = [x for x in theirs if x not in base]
    clash = (
        any(isinstance(x, dict) for x in base + mine + theirs)
        and any(x in removed_by_them for x in removed_by_me)
        and bool(added_by_me)
        and bool(added_by_them)
    )
    merged = [x for x in theirs if x not in removed_by_me]
    merged += [x for x in added_by_me if x not in merged]
    return merged, clash


def merge_snapshots(
    base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Start from `theirs` (the version saved meanwhile) and re-apply what this person
    changed since `base` (the version they loaded). Returns the merged snapshot and the
    fields both changed differently: for those the merged snapshot holds this person's
    value, and they must choose. Without a base (no revision kept) every field that
    differs counts as changed by both."""
    merged = dict(theirs)
    conflicts: list[str] = []
    for key, value in mine.items():
        before, saved = base.get(key), theirs.get(key)
        if _same(value, before) or _same(value, saved):
            continue
        if key in base and _same(saved, before):
            merged[key] = value
            continue
        if isinstance(value, list) and isinstance(saved, list) and key in base:
            items, clash = _merge_lists(before or [], value, saved)
            if not clash:
                merged[key] = items
                continue
        merged[key] = value
        conflicts.append(key)
    return merged, conflicts


def display_value(field: str, value: Any) -> str:
    """A stored value as a person reads it, on one line per item."""
    shown = _display(field, value)
    if isinstance(shown, list):
        return "\n".join(_as_lines(shown))
    return "" if shown is None else str(shown)


# The comments the software writes on versions, in the language of whoever acted then
# ("publié (acceptée en relecture)", "jeu de démonstration", "commune « Nice »"): shown
# in the reader's (a walk read them in French on English pages). Translated whole, or as
# "what (note)" and "kind “label”"; people's own comments are shown as written.
SYSTEM_COMMENTS = [
    gettext_noop("created from a deployment"),
    gettext_noop("created"),
    gettext_noop("published"),
    gettext_noop("accepted by review"),
    gettext_noop("edited and accepted by review"),
    gettext_noop("demo data set"),
    # The kinds of a document's suggestions, which name the deployment they made.
    gettext_noop("commune"),
    gettext_noop("organisation"),
    gettext_noop("technology"),
    gettext_noop("funder or programme"),
    gettext_noop("amount"),
    gettext_noop("date"),
]
_NUMBERED = [gettext_noop("reverted to version %d")]
# The notes a review adds in brackets, and what is published with one ("published
# (…)"): only these make a bracket the software's.
_NOTES = {"accepted by review", "edited and accepted by review"}
_NOTE = re.compile(r"(?P<what>.+?) \((?P<note>.+)\)", re.S)
_KIND_LABEL = re.compile(r"(?P<kind>[^«»“”\"]+?) (?:« (?P<fr>[^«»“”\"]+) »|“(?P<en>[^«»“”\"]+)”)")


@lru_cache(maxsize=1)
def _renderings() -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
    """Every language's rendering of each system comment, with its message id."""
    whole: dict[str, str] = {}
    numbered: list[tuple[re.Pattern[str], str]] = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for message in SYSTEM_COMMENTS:
                whole.setdefault(gettext(message), message)
            for message in _NUMBERED:
                pattern = re.escape(gettext(message)).replace("%d", r"(\d+)")
                numbered.append((re.compile(pattern), message))
    return whole, numbered


def comment_shown(comment: str) -> str:
    """A version's comment in the language in use, when the software wrote it."""
    whole, numbered = _renderings()
    text = comment.strip()
    if text in whole:
        return gettext(whole[text])
    for pattern, message in numbered:
        if match := pattern.fullmatch(text):
            return gettext(message) % int(match[1])
    if match := _NOTE.fullmatch(text):
        what, note = match["what"], match["note"].strip()
        if whole.get(note) in _NOTES:
            # "Ajout du marché (acceptée en relecture)": a person's comment and the note.
            return f"{comment_shown(what)} ({gettext(whole[note])})"
        if whole.get(what.strip()) == "published" and (inner := comment_shown(note)) != note:
            return f"{gettext('published')} ({inner})"
        return comment
    if (match := _KIND_LABEL.fullmatch(text)) and match["kind"] in whole:
        return f"{gettext(whole[match['kind']])} {quoted(match['fr'] or match['en'])}"
    return comment


# --- review passes ---------------------------------------------------------------------

# The kinds of a document's suggestions, as the comment of the version an accepted one
# made names them ("commune « Suresnes »").
_SUGGESTION_KINDS = frozenset(
    ("commune", "organisation", "technology", "funder or programme", "amount", "date")
)
# Versions of an acceptance further apart than this are two passes.
PASS_GAP = dt.timedelta(minutes=30)


def is_acceptance(comment: str) -> bool:
    """Whether a version's comment is the one the software writes for a document's
    suggestion accepted into the deployment ("commune « Suresnes »", in any language)."""
    whole, _numbered = _renderings()
    match = _KIND_LABEL.fullmatch(comment.strip())
    return match is not None and whole.get(match["kind"], "") in _SUGGESTION_KINDS


@dataclass
class RevisionPass:
    """Versions one reviewer made in one review pass, newest first: one version each
    when alone."""

    revisions: list[Revision]

    @property
    def latest(self) -> Revision:
        return self.revisions[0]

    @property
    def earliest(self) -> Revision:
        return self.revisions[-1]

    @property
    def grouped(self) -> bool:
        return len(self.revisions) > 1

    @property
    def oldest_first(self) -> list[Revision]:
        return self.revisions[::-1]

    @property
    def summary(self) -> str:
        """ "5 suggestions accepted in one review: commune « Suresnes », organisation
        « XXII », … and 2 more", in the reader's language."""
        comments = [comment_shown(r.comment) for r in self.oldest_first]
        listed = ", ".join(comments[:PASS_LISTED])
        rest = len(comments) - PASS_LISTED
        if rest > 0:
            listed = ngettext("%(list)s and %(n)d more", "%(list)s and %(n)d more", rest) % {
                "list": listed,
                "n": rest,
            }
        return ngettext(
            "%(n)d suggestion accepted in one review: %(list)s",
            "%(n)d suggestions accepted in one review: %(list)s",
            len(comments),
        ) % {"n": len(comments), "list": listed}


# The comments a grouped pass lists on the home page before "and N more".
PASS_LISTED = 4


def revision_passes(revisions: Iterable[Revision]) -> list[RevisionPass]:
    """`revisions` (newest first, of one object or several) with the versions of one
    review pass together: consecutive versions of one object by one person, each made by
    accepting a document's suggestion, none more than `PASS_GAP` after the one before.

    Every version is kept and stays readable, citable ("version 6") and restorable, and
    the conflict check of an edit rests on its number; so a pass is not merged into one
    version after the fact (that would renumber versions readers may have cited, or
    change what a number holds). The history and the home page's latest changes show a
    pass as one entry instead of one per suggestion (a new user's walk read five entries
    in a minute for one document)."""
    passes: list[RevisionPass] = []
    last_of: dict[tuple[str, int], RevisionPass] = {}
    for revision in revisions:
        key = (revision.kind, revision.object_id)
        group = last_of.get(key)
        if group is not None:
            after = group.earliest
            if (
                revision.author_id is not None
                and revision.author_id == after.author_id
                and after.version == revision.version + 1
                and after.created_at - revision.created_at <= PASS_GAP
                and is_acceptance(revision.comment)
                and is_acceptance(after.comment)
            ):
                group.revisions.append(revision)
                continue
        group = last_of[key] = RevisionPass([revision])
        passes.append(group)
    return passes
