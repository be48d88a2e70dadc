import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contrechamp.documents.details import CHOSEN_ORIGINS
from contrechamp.documents.models import Document
from contrechamp.documents.search import SearchFilters
from contrechamp.lib.partialdate import typed_period
from contrechamp.lib.text import name_key
from contrechamp.lib.typography import day
from contrechamp.places.models import Commune, Department, Epci
from contrechamp.registry.forms import completed_input, parse_communes


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        # An empty file among several is refused on its own, named, where each file is
        # read; here it refused the whole batch with "The submitted file is empty."
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):  # type: ignore[no-untyped-def]
        if not data:
            raise forms.ValidationError(_("Choose at least one file."))
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class UploadForm(forms.Form):
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Files")
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=400,
        required=False,
        help_text=_("Optional; the file name or the e-mail subject otherwise."),
    )
    origin = forms.ChoiceField(label=_("Origin"), choices=Document.ORIGINS, initial="other")
    place = forms.CharField(
        label=_("Commune (name or INSEE code)"),
        max_length=200,
        required=False,
        widget=completed_input("communes", "commune-suggestions"),
    )

    def clean_place(self) -> Commune | None:
        text = self.cleaned_data["place"].strip()
        if not text:
            return None
        return Commune.objects.get(code=_place_code(text, communes_only=True))


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that the deletion cannot be undone."),
        error_messages={"required": _("Tick this box to delete the document.")},
        widget=forms.CheckboxInput(attrs={"value": "yes"}),
    )

    def clean_confirm(self) -> bool:
        # The box's own value only: Django reads any other word ("0", "off", "no") as
        # ticked.
        if self.data.get("confirm") != "yes":
            raise forms.ValidationError(self.fields["confirm"].error_messages["required"])
        return True


class LibraryFilterForm(forms.Form):
    """The library list's filters: a place, an origin, a type (`documents_filtered`)."""

    place = forms.CharField(
        label=_("Place (commune, department or EPCI: name or code)"),
        max_length=200,
        required=False,
        widget=completed_input("places", "place-suggestions"),
    )
    # ("any" agrees with its noun in French: "toutes" provenances, "tous" types.)
    origin = forms.ChoiceField(
        label=_("Origin"),
        required=False,
        choices=[("", pgettext_lazy("origin", "any"))] + Document.ORIGINS,
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", pgettext_lazy("type", "any"))] + Document.KINDS,
    )

    # Only for those who list private documents (reviewers, an uploader's own): which
    # wait for their redaction and publication (reviewers had no list of them: a walk).
    publication = forms.ChoiceField(
        label=_("Publication"),
        required=False,
        choices=[
            ("", pgettext_lazy("publication", "any")),
            ("waiting", pgettext_lazy("documents", "not yet published")),
            ("published", pgettext_lazy("documents", "published")),
        ],
    )

    def __init__(self, *args: Any, private: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not private:
            del self.fields["publication"]

    def clean_place(self) -> str:
        text = self.cleaned_data["place"].strip()
        return _place_code(text) if text else ""

    def filtered(self) -> bool:
        names = ("place", "origin", "kind", "publication")
        return any(self.cleaned_data.get(name) for name in names)

    def place_read(self) -> tuple[str, list[Commune]]:
        """The place the filter was read as, in words ("Vienne (department 86)"), and the
        communes that bear the name typed when it was read as a department or an
        intercommunality (the commune Vienne, in the Isère), to offer them. Empty when no
        place was asked for."""
        code = self.cleaned_data.get("place", "") if self.is_valid() else ""
        if not code:
            return "", []
        typed = self.data.get("place", "").strip()
        if len(code) == 9 and (epci := Epci.objects.filter(siren=code).first()):
            read = _("%(name)s (intercommunality %(code)s)") % {"name": epci.name, "code": code}
        elif department := Department.objects.filter(code=code).first():
            read = _("%(name)s (department %(code)s)") % {"name": department.name, "code": code}
        else:
            commune = Commune.objects.filter(code=code).first()
            return (f"{commune.name} ({code})" if commune else code), []
        communes = list(Commune.objects.filter(name_key=name_key(typed)).order_by("code"))
        return read, communes


class PeriodField(forms.CharField):
    """A year, a month or a day as a person types it (`typed_period`: "2023", "05/2023",
    "15/05/2023"), cleaned to the first day of that period, or with `end` to its last:
    "from 2023 to 2023" is the whole year, not the single day of 1 January."""

    def __init__(self, *, end: bool = False, **kwargs: Any) -> None:
        self.end = end
        super().__init__(max_length=20, required=False, **kwargs)

    def clean(self, value: Any) -> dt.date | None:  # type: ignore[override]
        period = typed_period(super().clean(value))
        if period is None:
            return None
        return period[1] if self.end else period[0]


class SearchForm(LibraryFilterForm):
    field_order = ["q", "place", "origin", "kind", "date_from", "date_to"]

    q = forms.CharField(
        label=_("Search"),
        max_length=300,
        required=False,
        help_text=_(
            "Words in quotes are looked for side by side; a minus sign before a word "
            "leaves out the pages holding it (caméras -Nice)."
        ),
    )
    # A text field, not the browser's day picker: a year or a month is what people
    # mostly know of a document ("the 2023 council minutes"), and the picker takes days
    # only. The trade-off: no calendar to pick from on a phone.
    date_from = PeriodField(
        label=_("From"),
        help_text=_("A year, a month or a day: 2023, 05/2023, 15/05/2023."),
    )
    date_to = PeriodField(
        label=_("To"),
        end=True,
        help_text=_("Up to the end of the month or the year typed."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            # (Said at the field: the page said no page matched the words.)
            self.add_error("date_to", _("This date comes before the start date."))
        return data

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            place=data.get("place", "").strip(),
            origin=data.get("origin", ""),
            kind=data.get("kind", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    def active_filters(self) -> list[tuple[str, str]]:
        """The filters this valid form holds, in the form's order, each as (its field's
        name, what it was read as in words): "Nice (06088)", "Origin: press", "from 1 May 2023",
        "to 31 December 2023" (the day a month or a year typed was read as)."""
        data = self.cleaned_data
        active = []
        if data.get("place"):
            active.append(("place", self.place_read()[0]))
        for name in ("origin", "kind"):
            if data.get(name):
                field = self.fields[name]
                value = dict(field.choices).get(data[name], data[name])  # type: ignore[attr-defined]
                # ("Type: PDF", not "PDF" alone.)
                active.append(
                    (name, _("%(name)s: %(value)s") % {"name": field.label, "value": value})
                )
        if data.get("date_from"):
            active.append(("date_from", _("from %(day)s") % {"day": day(data["date_from"])}))
        if data.get("date_to"):
            active.append(("date_to", _("to %(day)s") % {"day": day(data["date_to"])}))
        return active


def _place_code(text: str, *, communes_only: bool = False) -> str:
    """The code of the place typed: a department (its code or name) or an EPCI (its
    SIREN) unless `communes_only`, else a commune as the registry's forms read one (a
    name, an INSEE code, "Nice (06088)" as the completion writes it); a clear error
    otherwise (a name many communes bear lists their codes)."""
    if not communes_only:
        key = name_key(text)
        # "Alpes-Maritimes (06)", as the completion writes a department.
        if (written := re.search(r"\((\d{2,3}|2[AB])\)\s*$", text, re.I)) and (
            Department.objects.filter(code=written.group(1).upper()).exists()
        ):
            return written.group(1).upper()
        for code, name in Department.objects.values_list("code", "name"):
            if text.upper() == code or key == name_key(name):
                return code
        if text.isdigit() and Epci.objects.filter(siren=text).exists():
            return text
        # An intercommunality by its name ("Métropole Nice Côte d'Azur"), as the field's
        # label says; "Name (SIREN)" by its code.
        if sirens := re.findall(r"\((\d{9})\)\s*$", text):
            if Epci.objects.filter(siren=sirens[0]).exists():
                return sirens[0]
        named = [
            s for s, name in Epci.objects.values_list("siren", "name") if key == name_key(name)
        ]
        if len(named) > 1:
            # ("CC des Quatre Rivières": two intercommunalities; not the first one read.)
            raise forms.ValidationError(
                _("“%(name)s” names several intercommunalities (%(codes)s): give the SIREN.")
                % {"name": text, "codes": ", ".join(sorted(named))}
            )
        if named:
            return named[0]
    codes, errors = parse_communes(text)
    if errors:
        # A name no commune bears: none of the three kinds the field takes bears it either
        # (not "no commune is named", as if only communes were asked for).
        if not communes_only and not Commune.objects.filter(name_key=key).exists():
            raise forms.ValidationError(
                _("No commune, department or intercommunality has the name or code “%s”.") % text
            )
        raise forms.ValidationError(errors[0])
    if len(codes) != 1:
        # ("Nice, Lyon", ";": the library's filter takes one place of three kinds.)
        raise forms.ValidationError(
            _("Give one commune.")
            if communes_only
            else _("Give one place: a commune, a department or an intercommunality.")
        )
    if not Commune.objects.filter(code=codes[0]).exists():
        if communes_only:
            raise forms.ValidationError(_("No commune has the INSEE code “%s”.") % codes[0])
        raise forms.ValidationError(
            _("No commune, department or intercommunality has the name or code “%s”.") % text
        )
    return codes[0]


class DetailsForm(forms.Form):
    """A document's details as a person corrects them (`details.document_details_update`
    checks the values: the form only shows them, and the view sends the service only the
    fields the request holds, so a field left out of a post keeps its value)."""

    date = forms.CharField(
        label=_("Date of the document"),
        max_length=20,
        required=False,
        help_text=_(
            "The day it was signed or published, as YYYY-MM-DD; a month (YYYY-MM) or a year "
            "(YYYY) when the day is not known. Blank: no date."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=400, required=False)
    origin = forms.ChoiceField(label=_("Origin"), required=False, choices=[])
    source_url = forms.CharField(
        label=_("Source address"),
        max_length=1000,
        required=False,
        help_text=_(
            "Where the document can be found on the web, if it can (https://…). Shown to "
            "everyone with the published document: an address with personal data in it (a "
            "name, an e-mail address) is refused."
        ),
        widget=forms.URLInput(),
    )
    version = forms.CharField(widget=forms.HiddenInput(), required=False)

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if document.origin == "tip":
            # A tip's file stays a tip's: nothing to choose.
            del self.fields["origin"]
        else:
            self.fields["origin"].choices = CHOSEN_ORIGINS  # type: ignore[attr-defined]
