"""Forms for people. They turn what was typed into the plain data the services take."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contrechamp.places.models import Commune, Epci
from contrechamp.places.services import name_key
from contrechamp.registry.models import Deployment, LegalEvent, Organisation, Technology

_CODE = re.compile(r"^(?:\d[\dAB]\d{3})$")
_CODE_IN_PARENS = re.compile(r"\((\d[\dAB]\d{3})\)\s*$")
_SIREN_IN_PARENS = re.compile(r"\((\d{9})\)\s*$")


def completed_input(source: str, datalist: str) -> forms.TextInput:
    """A text input the site's script completes from the API (`source`: "communes" or
    "bodies") through the <datalist> of id `datalist`, which the page holds."""
    return forms.TextInput(
        attrs={"list": datalist, "autocomplete": "off", "data-autocomplete": source}
    )


def _split(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;\n]|,(?![^()]*\))", text or "") if p.strip()]


def parse_communes(text: str) -> tuple[list[str], list[str]]:
    """INSEE codes from "Nice (06088), 42218, Forcalquier"; and the errors for entries
    that name no commune or several."""
    codes, errors = [], []
    for entry in _split(text):
        match = _CODE_IN_PARENS.search(entry)
        if match:
            codes.append(match.group(1))
        elif _CODE.match(entry.upper()):
            codes.append(entry.upper())
        else:
            found = list(
                Commune.objects.filter(name_key=name_key(entry)).values_list("code", flat=True)[:6]
            )
            if len(found) == 1:
                codes.append(found[0])
            elif not found:
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
            if len(found) == 1:
                sirens.append(found[0])
            else:
                errors.append(_("No single intercommunality is named “%s”.") % entry)
    return sirens, errors


def communes_as_text(codes: list[str]) -> str:
    names = dict(Commune.objects.filter(code__in=codes).values_list("code", "name"))
    return ", ".join(f"{names.get(c, '?')} ({c})" for c in codes)


def epcis_as_text(sirens: list[str]) -> str:
    names = dict(Epci.objects.filter(siren__in=sirens).values_list("siren", "name"))
    return ", ".join(f"{names.get(s, '?')} ({s})" for s in sirens)


class DeploymentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
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
    description = forms.CharField(
        label=gettext_lazy("Description"),
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
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


class FundingForm(forms.Form):
    funder = forms.CharField(label=gettext_lazy("Funder"), required=False, max_length=200)
    amount_eur = forms.CharField(label=gettext_lazy("Amount (€)"), required=False, max_length=30)
    programme = forms.CharField(label=gettext_lazy("Programme"), required=False, max_length=300)


class LegalEventForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=[("", "—"), *LegalEvent.KINDS], required=False
    )
    date = forms.CharField(label=gettext_lazy("Date"), required=False, max_length=20)
    authority = forms.CharField(label=gettext_lazy("Authority"), required=False, max_length=200)
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=LegalEvent.OUTCOMES,
        initial="unknown",
        required=False,
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


CitationFormSet = formset_factory(CitationForm, extra=2, max_num=50)
FundingFormSet = formset_factory(FundingForm, extra=1, max_num=50)
LegalEventFormSet = formset_factory(LegalEventForm, extra=1, max_num=50)


def citation_initial(citations: list[dict]) -> list[dict]:
    return [
        {
            "id": c.get("id") or "",
            "source_title": c["source"]["title"],
            "publisher": c["source"]["publisher"],
            "url": c["source"]["url"],
            "published_on": c["source"]["published_on"],
            "quote": c["quote"],
            "locator": c["locator"],
            "accessed_on": c["accessed_on"] or "",
        }
        for c in citations
    ]


def citation_data(form: forms.Form) -> dict[str, Any]:
    d = form.cleaned_data
    return {
        "id": d.get("id", ""),
        "source": {
            "title": d.get("source_title", ""),
            "publisher": d.get("publisher", ""),
            "url": d.get("url", ""),
            "published_on": d.get("published_on", ""),
        },
        "quote": d.get("quote", ""),
        "locator": d.get("locator", ""),
        "accessed_on": d.get("accessed_on", ""),
    }


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=gettext_lazy("website"), required=False, assume_scheme="https")
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
