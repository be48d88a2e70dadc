from django import forms
from django.utils.translation import gettext_lazy as _

from contrechamp.documents.models import Document
from contrechamp.documents.search import SearchFilters
from contrechamp.places.models import Commune


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

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
        label=_("Commune (INSEE code)"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_place(self) -> Commune | None:
        code = self.cleaned_data["place"].strip()
        if not code:
            return None
        commune = Commune.objects.filter(code=code).first()
        if commune is None:
            raise forms.ValidationError(_("No commune has the INSEE code “%s”.") % code)
        return commune


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=300, required=False)
    place = forms.CharField(
        label=_("Place (INSEE code, department or EPCI)"), max_length=12, required=False
    )
    origin = forms.ChoiceField(
        label=_("Origin"), required=False, choices=[("", _("any"))] + Document.ORIGINS
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("any"))] + Document.KINDS
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            place=data.get("place", "").strip(),
            origin=data.get("origin", ""),
            kind=data.get("kind", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
