"""Forms for people. They turn what was typed into the plain data the services take."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from contrechamp.lib.partialdate import format_partial_date, parse_partial_date
from contrechamp.places.models import Commune, Epci
from contrechamp.places.services import USUAL_NAMES, name_key
from contrechamp.registry.models import (
    RUNNING,
    Deployment,
    LegalEvent,
    Organisation,
    Technology,
    documents_public,
    ended_before_today,
)
from contrechamp.registry.schemas import (
    DeploymentData,
    FundingData,
    LegalEventData,
    Shape,
    label_of,
    max_length,
)
from contrechamp.registry.sitelinks import site_document

_CODE = re.compile(r"^(?:\d[\dAB]\d{3})$")
_CODE_IN_PARENS = re.compile(r"\((\d[\dABab]\d{3})\)\s*$")
_SIREN_IN_PARENS = re.compile(r"\((\d{9})\)\s*$")


def completed_input(source: str, datalist: str) -> forms.TextInput:
    """A text input the site's script completes from the API (`source`: "communes",
    "places" or "bodies") through the <datalist> of id `datalist`, which the page holds."""
    return forms.TextInput(
        attrs={"list": datalist, "autocomplete": "off", "data-autocomplete": source}
    )


def _split(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;\n]|,(?![^()]*\))", text or "") if p.strip()]


def parse_communes(text: str, *, suggest: bool = True) -> tuple[list[str], list[str]]:
    """INSEE codes from "Nice (06088), 42218, Forcalquier"; and the errors for entries
    that name no commune or several, naming the communes of a close name unless
    `suggest` is false (the caller offers them its own way)."""
    codes, errors = [], []
    # Names close to an unknown one are looked for the first few only: each costs a
    # comparison with hundreds of names, and a form may hold any number.
    suggested = 0
    for entry in _split(text):
        match = _CODE_IN_PARENS.search(entry)
        if match:
            codes.append(match.group(1).upper())  # "Ajaccio (2a004)"
        elif _CODE.match(entry.upper()):
            codes.append(entry.upper())
        else:
            key = name_key(entry)
            found = list(Commune.objects.filter(name_key=key).values_list("code", flat=True)[:6])
            if not found:
                # A name a commune goes by that the official list writes otherwise
                # ("Crac'h", "Le Touquet"), as the entity suggestions read it.
                found = [c for n, c in USUAL_NAMES if name_key(n) == key]
            if len(found) == 1:
                codes.append(found[0])
            elif not found:
                close = Commune.objects.named_like(key) if suggest and suggested < 3 else []
                suggested += 1
                if close:
                    errors.append(
                        _("No commune is named “%(name)s”. Did you mean %(close)s?")
                        % {"name": entry, "close": ", ".join(str(c) for c in close)}
                    )
                else:
                    errors.append(_("No commune is named “%s”.") % entry)
            else:
                errors.append(
                    _("“%(name)s” names several communes (%(codes)s): give the INSEE code.")
                    % {"name": entry, "codes": ", ".join(found)}
                )
    return codes, errors


def parse_epcis(text: str) -> tuple[list[str], list[str]]:
    sirens, errors = [], []
    for entry in _split(text):
        match = _SIREN_IN_PARENS.search(entry)
        if match:
            sirens.append(match.group(1))
        elif entry.isdigit():
            sirens.append(entry)
        else:
            found = list(
                Epci.objects.filter(name__iexact=entry).values_list("siren", flat=True)[:2]
            )
            if len(found) != 1:
                found, close = _epcis_named_like(entry)
            if len(found) == 1:
                sirens.append(found[0])
            elif close:
                errors.append(
                    _("No single intercommunality is named “%(name)s”. Did you mean %(close)s?")
                    % {"name": entry, "close": ", ".join(f"{e.name} ({e.siren})" for e in close)}
                )
            else:
                errors.append(_("No single intercommunality is named “%s”.") % entry)
    return sirens, errors


# The legal form an intercommunality's official name opens with, which people leave out
# ("Lorient Agglomération" for "CA Lorient Agglomération").
_EPCI_FORM = re.compile(
    r"^(?:CA|CC|CU|communaut[ée]\s+(?:d['’]\s*agglom[ée]ration|de\s+communes|urbaine))\s+"
    r"(?:(?:du|de\s+la|de\s+l['’]|des|de|d['’])\s*)?",
    re.I,
)


def _epci_key(name: str) -> str:
    return name_key(_EPCI_FORM.sub("", name.strip()))


def _epcis_named_like(entry: str) -> tuple[list[str], list[Epci]]:
    """The intercommunalities `entry` names without their legal form ("Lorient
    Agglomération", "Pays de Redon"), as SIRENs; else, to suggest, those of the commune
    of that name ("Lorient") and those whose name holds it (at most three). The group
    form and the deployment form refused the everyday name, with no help (a new user's
    walk)."""
    wanted = _epci_key(entry)
    if len(wanted) < 3:
        return [], []
    # Some 1,250 rows, each name's key made once.
    keyed = [(epci, _epci_key(epci.name)) for epci in Epci.objects.only("siren", "name")]
    exact = [epci.siren for epci, epci_key in keyed if epci_key == wanted]
    if exact:
        return exact, []
    close: list[Epci] = list(
        Epci.objects.filter(communes__name_key=wanted).distinct().order_by("name")[:3]
    )
    for epci, epci_key in keyed:
        if len(close) >= 3:
            break
        if wanted in epci_key and epci not in close:
            close.append(epci)
    return [], close


def communes_as_text(codes: list[str]) -> str:
    names = dict(Commune.objects.filter(code__in=codes).values_list("code", "name"))
    return ", ".join(f"{names.get(c, '?')} ({c})" for c in codes)


def epcis_as_text(sirens: list[str]) -> str:
    names = dict(Epci.objects.filter(siren__in=sirens).values_list("siren", "name"))
    return ", ".join(f"{names.get(s, '?')} ({s})" for s in sirens)


def schema_text(model: type[Shape], name: str, **kwargs: Any) -> forms.CharField:
    """A text field labelled and limited as the schema's field `name` is."""
    field = model.model_fields[name]
    kwargs.setdefault("label", label_of(model, name))
    kwargs.setdefault("max_length", max_length(field))
    return forms.CharField(**kwargs)


class DeploymentForm(forms.Form):
    """The deployment's own fields (DeploymentData less its rows, which are formsets)."""

    title = schema_text(DeploymentData, "title")
    scope = forms.ChoiceField(
        label=gettext_lazy("Scope"), choices=Deployment.SCOPES, initial="local"
    )
    communes = forms.CharField(
        label=gettext_lazy("Communes"),
        required=False,
        help_text=gettext_lazy("Names or INSEE codes, separated by commas: “Nice (06088), 42218”."),
        widget=completed_input("communes", "commune-suggestions"),
    )
    epcis = forms.CharField(
        label=gettext_lazy("Intercommunalities"),
        required=False,
        help_text=gettext_lazy("Names or SIREN numbers, separated by commas."),
    )
    technologies = forms.MultipleChoiceField(
        label=gettext_lazy("Technologies"), widget=forms.CheckboxSelectMultiple, required=False
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=[("", "—"), *Deployment.STATUSES], required=False
    )
    start_date = forms.CharField(
        label=gettext_lazy("Start"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("YYYY, YYYY-MM or YYYY-MM-DD"),
    )
    end_date = forms.CharField(
        label=gettext_lazy("End"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("YYYY, YYYY-MM or YYYY-MM-DD"),
    )
    vendors = forms.CharField(
        label=gettext_lazy("Vendors"),
        required=False,
        help_text=gettext_lazy("Organisation names, separated by commas."),
    )
    description = schema_text(
        DeploymentData,
        "description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Markdown. HTML is removed."),
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment on this change"), required=False, max_length=500
    )
    # Read by the view, not validated here: a missing or bad version is refused by the
    # service with a message the page shows (an error on a hidden field would not be).
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        """Refuses a status that says the deployment runs (experimenting, deployed) with an
        end date already past: one of the two is wrong, and the year filter, the figures
        and the map count by both. Refused rather than warned: a warning is read once and
        the pair stays published; the editor knows which of the two to correct. (Imports
        and restored versions keep what their source said; their pages say it ended.)"""
        data = super().clean() or {}
        status, end = data.get("status") or "", data.get("end_date") or ""
        try:
            end = parse_partial_date(end)
        except ValidationError:
            return data  # the schema says what is wrong with the date
        # An edit that leaves a stored pair as it was (a record from before this rule, the
        # demo's experiment that ended in 2018) is not refused for it: another field may
        # be corrected without choosing, and the page says it ended.
        unchanged = self.stored == (status, data.get("end_date") or "")
        if status in RUNNING and ended_before_today(end) and not unchanged:
            self.add_error(
                "status",
                _(
                    "The end date (%(end)s) is past, so it is no longer “%(status)s”: choose "
                    "what became of it (abandoned, suspended, ruled unlawful), or clear the "
                    "end date if it still runs."
                )
                % {
                    "end": format_partial_date(end, get_language() or "fr"),
                    "status": dict(Deployment.STATUSES)[status],
                },
            )
        return data

    def __init__(self, *args: Any, stored: tuple[str, str] | None = None, **kwargs: Any) -> None:
        """`stored`: the deployment's status and end date as saved, when editing it."""
        self.stored = stored
        super().__init__(*args, **kwargs)
        technologies = self.fields["technologies"]
        assert isinstance(technologies, forms.MultipleChoiceField)
        technologies.choices = [(t.slug, t.name) for t in Technology.objects.all()]


class CitationForm(forms.Form):
    # Which stored citation this row edits, so that it keeps its identity.
    id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    source_title = forms.CharField(
        label=gettext_lazy("Source (title)"), required=False, max_length=400
    )
    publisher = forms.CharField(
        label=gettext_lazy("Publication or publisher"), required=False, max_length=200
    )
    url = forms.CharField(label=gettext_lazy("URL"), required=False, max_length=1000)
    published_on = forms.CharField(
        label=gettext_lazy("Publication date"), required=False, max_length=20
    )
    quote = forms.CharField(
        label=gettext_lazy("Quote"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    locator = forms.CharField(label=gettext_lazy("Page or section"), required=False, max_length=100)
    accessed_on = forms.CharField(
        label=gettext_lazy("Accessed on"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("YYYY-MM-DD"),
    )
    # Set when the form showed the quote withheld (a library document its reader may not
    # read whole): the saved quote is then kept (see registry.views._keep_withheld_quotes).
    quote_kept = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def unpublished_document(self) -> int | None:
        """The number of this site's library document the row's address names when that
        document is not published (or not there): the form says so beside the row, as
        visitors would see the source without a link."""
        found = site_document(str(self["url"].value() or ""))
        if found is None or found.number in documents_public([found.number]):
            return None
        return found.number


class FundingForm(forms.Form):
    funder = schema_text(FundingData, "funder", required=False)
    amount_eur = forms.CharField(label=gettext_lazy("Amount (€)"), required=False, max_length=30)
    programme = schema_text(FundingData, "programme", required=False)


class LegalEventForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=[("", "—"), *LegalEvent.KINDS], required=False
    )
    date = forms.CharField(label=gettext_lazy("Date"), required=False, max_length=20)
    authority = schema_text(LegalEventData, "authority", required=False)
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=LegalEvent.OUTCOMES,
        initial="unknown",
        required=False,
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# The rows a formset's fields name in a POST ("citations-3-url").
_ROW_FIELD = re.compile(r"^(?P<prefix>[a-z_]+)-(?P<index>\d{1,3})-")


def _rows_counted(data: Any, prefix: str, limit: int) -> Any:
    """`data` with the formset's count of rows given back from the rows it holds, when the
    count is missing or no number: a form whose hidden counter was removed (a browser's
    extension, a hand-made request) lost its whole Sources block and showed the technical
    "(champ masqué TOTAL_FORMS)" instead (a new user's walk). At most `limit` rows are
    read, as Django would. Without the count of rows already there, there were none
    (these formsets edit no stored rows one by one)."""
    if data is None:
        return None
    total = data.get(f"{prefix}-TOTAL_FORMS", "")
    initial = data.get(f"{prefix}-INITIAL_FORMS", "")
    total_read = total.isascii() and total.isdigit()
    if total_read and initial.isascii() and initial.isdigit():
        return data
    mended = data.copy()
    if not total_read:
        rows = [
            int(m["index"])
            for key in data
            if (m := _ROW_FIELD.match(key)) is not None and m["prefix"] == prefix
        ]
        mended[f"{prefix}-TOTAL_FORMS"] = str(min(max(rows, default=-1) + 1, limit))
    mended[f"{prefix}-INITIAL_FORMS"] = "0"
    return mended


class RowsFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """A formset of rows that keeps its rows when its management form was spoilt
    (`_rows_counted`)."""

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        auto_id: str = "id_%s",
        prefix: str | None = None,
        **kwargs: Any,
    ) -> None:
        counted = _rows_counted(data, prefix or self.get_default_prefix(), self.max_num)
        super().__init__(counted, files, auto_id, prefix, **kwargs)


CitationFormSet = formset_factory(CitationForm, formset=RowsFormSet, extra=2, max_num=50)
FundingFormSet = formset_factory(FundingForm, formset=RowsFormSet, extra=1, max_num=50)
LegalEventFormSet = formset_factory(LegalEventForm, formset=RowsFormSet, extra=1, max_num=50)


# Where each field of a citation row sits in the schema's CitationData. The library
# document is left out on purpose: a hidden number anyone could change would tie a claim
# to a private document; the service gives it back from the citation's id.
CITATION_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "source_title": ("source", "title"),
    "publisher": ("source", "publisher"),
    "url": ("source", "url"),
    "published_on": ("source", "published_on"),
    "quote": ("quote",),
    "locator": ("locator",),
    "accessed_on": ("accessed_on",),
}
# The rows of the other formsets have the schema's own field names.
ROW_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "citations": CITATION_FIELDS,
    "fundings": {name: (name,) for name in FundingForm.base_fields},
    "legal_events": {name: (name,) for name in LegalEventForm.base_fields},
}


def _get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def row_initial(kind: str, item: dict[str, Any]) -> dict[str, Any]:
    """A form row's initial values from a row of the schema's plain data."""
    values = {name: _get(item, path) for name, path in ROW_FIELDS[kind].items()}
    return {name: "" if value is None else value for name, value in values.items()}


def row_data(kind: str, form: forms.Form) -> dict[str, Any]:
    """The schema's plain data of a valid form row."""
    out: dict[str, Any] = {}
    for name, path in ROW_FIELDS[kind].items():
        target = out
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = form.cleaned_data.get(name, "")
    return out


def row_field(kind: str, location: tuple[str | int, ...]) -> str | None:
    """The form field of a row that an error location inside the row names (None for
    the row as a whole)."""
    return next((n for n, p in ROW_FIELDS[kind].items() if p == tuple(location)), None)


def citation_initial(citations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [row_initial("citations", c) for c in citations]


def citation_data(form: forms.Form) -> dict[str, Any]:
    return row_data("citations", form)


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=gettext_lazy("Website"), required=False, assume_scheme="https")
    comment = forms.CharField(
        label=gettext_lazy("Comment on this change"), required=False, max_length=500
    )
    # As for deployments: the view reads it and the service refuses it when missing.
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Organisation
        fields = ["name", "kind", "siren", "country", "website", "description"]


class CameraCountForm(forms.Form):
    commune = forms.CharField(
        label=gettext_lazy("Commune"),
        help_text=gettext_lazy("Name or INSEE code."),
        widget=completed_input("communes", "commune-suggestions"),
    )
    count = forms.CharField(label=gettext_lazy("Number of cameras"), max_length=20)
    date = forms.CharField(
        label=gettext_lazy("Date of the figure"),
        max_length=20,
        help_text=gettext_lazy("YYYY, YYYY-MM or YYYY-MM-DD"),
    )
    perimeter = forms.CharField(
        label=gettext_lazy("Perimeter"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("What was counted, e.g. “public roads, municipal police”."),
    )
    approximate = forms.BooleanField(
        label=gettext_lazy("The source gives an estimate (“about 1,000”), not a count"),
        required=False,
    )
