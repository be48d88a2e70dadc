"""Typography that follows the language of the page: quotation marks (« Nice » in
French, “Nice” in English) and days ("1er octobre 2026" in French, "1 October 2026" in
English). Registered as built-ins of the templates (`quoted`, `day`, `content_lang`)."""

import datetime as dt
import re

from django.conf import settings
from django.template import Library
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from contrechamp.lib.partialdate import format_partial_date

register = Library()


def quoted(text: str) -> str:
    """`text` between the quotation marks of the language in use."""
    return gettext("“%(text)s”") % {"text": text}


@register.filter(name="quoted")
def quoted_filter(value: object) -> str:
    return quoted(str(value))


@register.simple_tag
def content_lang() -> SafeString:
    """` lang="fr"` on an element holding what people wrote (titles, descriptions,
    quotes, documents' text: French, `CONTENT_LANGUAGE`) when the page is in another
    language, so that a screen reader reads it with a French voice and a browser
    translates it; nothing on a French page."""
    content = settings.CONTENT_LANGUAGE
    if (get_language() or settings.LANGUAGE_CODE).split("-")[0] == content:
        return mark_safe("")
    return mark_safe(f' lang="{content}"')


# "1 avril 2026" is written "1er avril 2026" in French (not "11 avril", "21 avril").
_FIRST_OF_THE_MONTH = re.compile(
    r"(?<![\d,.])1 (?=(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
    r"novembre|décembre)\b)"
)


def first_of_the_month(text: str) -> str:
    """ "1er avril" where a French date reads "1 avril"."""
    return _FIRST_OF_THE_MONTH.sub("1er ", text)


def day(value: dt.date, format: str = "DATE_FORMAT") -> str:
    """A day in the words of the language in use: "1er octobre 2026", "1 October 2026"
    (Django's formats cannot write the French ordinal). An aware date and time is the
    local day, as the template filter reads it."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return first_of_the_month(date_format(value, format))


_PARTIAL_DATE = re.compile(r"\d{4}(?:-\d\d(?:-\d\d)?)?")


@register.filter(name="day", expects_localtime=True)
def day_filter(value: object) -> object:
    """`{{ event.date|day }}`; a date known to the month or the year, as the registry
    keeps them ("2024-03": "mars 2024"); a value that is neither is left as it is."""
    if value is None:
        return ""  # as Django's date filter
    if isinstance(value, dt.date):
        return day(value)
    if isinstance(value, str) and _PARTIAL_DATE.fullmatch(value):
        try:
            return format_partial_date(value, get_language() or "fr")
        except (ValueError, IndexError):
            return value
    return value


# French elision before a name: "d’Agde", "d’Yvetot", "d’Hyères", but "de Yerres" (a y
# before a vowel is a consonant) and "de Haguenau" (most names' h is aspirated: those of
# MUTE_H are the exceptions, lowercased); "du Havre", "des Mureaux" (the article Le, Les
# contracts). Digits and other letters keep "de".
_VOWELS = set("aeiouàâäéèêëîïôöùûüœæ")
MUTE_H = frozenset(
    {
        "harfleur",
        "hendaye",
        "hénin-beaumont",
        "herblay",
        "herblay-sur-seine",
        "hérouville-saint-clair",
        "hyères",
    }
)


def french_of(name: str) -> str:
    """`name` after the French preposition "de", the preposition included: "d’Agde",
    "de Lyon", "du Havre", "des Mureaux"."""
    if name.startswith("Le "):
        return f"du {name[3:]}"
    if name.startswith("Les "):
        return f"des {name[4:]}"
    lower = name.lower()
    first, second = lower[:1], lower[1:2]
    word = re.split(r"[\s’']", lower, maxsplit=1)[0]
    if (
        first in _VOWELS
        or (first == "y" and second and second not in _VOWELS and second.isalpha())
        or (first == "h" and word in MUTE_H)
    ):
        return f"d’{name}"
    return f"de {name}"


def elided(text: str, name: object) -> str:
    """`text` (a translated sentence with `name` in it) with the "de" that comes before
    `name` elided or contracted as French writes it, on a French page or e-mail; as it
    was in any other language. A safe `text` (a template's `blocktranslate`) holds the
    name escaped, and stays safe."""
    name = str(name)
    if not name or not (get_language() or settings.LANGUAGE_CODE).startswith("fr"):
        return text
    safe = isinstance(text, SafeString)
    # Escaping changes no letter the rule reads (only & < > " ').
    written = str(escape(name)) if safe else name
    contracted = french_of(written)
    pattern = re.compile(r"(?<![\w’'])([Dd])e " + re.escape(written) + r"(?![\w])")
    match = pattern.search(text)
    if match is None:
        return text
    if match.group(1) == "D":
        contracted = contracted[0].upper() + contracted[1:]
    result = text[: match.start()] + contracted + text[match.end() :]
    return mark_safe(result) if safe else result


@register.filter(name="elided")
def elided_filter(value: str, name: object) -> str:
    """`{% blocktranslate with t=group.name asvar title %}Members of {{ t }}{%
    endblocktranslate %}{{ title|elided:group.name }}`: "Membres d’Agde Sous Surveillance"."""
    return elided(value, name)
