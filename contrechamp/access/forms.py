from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from contrechamp.access.models import Event, PublicBody, Request
from contrechamp.documents.forms import MultipleFileField
from contrechamp.places.models import Commune

# A browser's date picker takes ISO dates only, whatever the page's language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Help for the list of documents: what collectives usually ask for.
USUAL_DOCUMENTS = [
    _("Council deliberations on the video surveillance system and its extensions"),
    _("Contracts and purchase orders, with their annexes"),
    _("Technical specifications (CCTP) and the winning tender"),
    _("Data-protection impact assessments (AIPD/DPIA)"),
    _("Correspondence with the CNIL"),
    _("Funding applications and decisions (FIPD, FSI, FEDER, ANRU)"),
    _("Evaluation reports of the system"),
    _("Prefectoral authorisations of the cameras"),
]


class RequestForm(forms.Form):
    communes = forms.CharField(
        label=_("Communes (INSEE codes)"),
        required=False,
        help_text=_("One code, or several separated by spaces or commas for a campaign."),
    )
    body = forms.ModelChoiceField(
        label=_("Or another public body"),
        queryset=PublicBody.objects.exclude(kind="commune"),
        required=False,
    )
    new_body = forms.CharField(label=_("Or a new body: its name"), max_length=300, required=False)
    new_body_kind = forms.ChoiceField(
        label=_("Kind of body"), choices=PublicBody.KINDS, initial="prefecture", required=False
    )
    new_body_email = forms.EmailField(label=_("Its e-mail address"), required=False)
    title = forms.CharField(label=_("Subject"), max_length=300)
    usual = forms.MultipleChoiceField(
        label=_("Usual documents"),
        choices=[(str(i), d) for i, d in enumerate(USUAL_DOCUMENTS)],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    documents_asked = forms.CharField(
        label=_("Documents asked for"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One document per line, as precisely as you can (dates, references)."),
    )
    channel = forms.ChoiceField(label=_("Sent by"), choices=Request.CHANNELS, initial="email")
    show_requester = forms.BooleanField(label=_("Show my name on the public page"), required=False)

    def clean_communes(self) -> list[Commune]:
        codes = [c for c in re.split(r"[\s,;]+", self.cleaned_data["communes"]) if c]
        found = {c.code: c for c in Commune.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(
                _("No commune has the INSEE code “%s”.") % ", ".join(missing)
            )
        return [found[c] for c in dict.fromkeys(codes)]

    def clean(self) -> dict:
        data = super().clean() or {}
        if not (data.get("communes") or data.get("body") or data.get("new_body", "").strip()):
            raise forms.ValidationError(_("Choose the body the request goes to."))
        with translation.override("fr"):  # the letter is French whatever the page's language
            lines = [str(USUAL_DOCUMENTS[int(i)]) for i in data.get("usual") or []]
        lines += [line for line in data.get("documents_asked", "").splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("List at least one document to ask for."))
        data["documents"] = "\n".join(lines)
        return data


def _not_future(value: dt.date | None) -> dt.date | None:
    from contrechamp.access.services import today

    if value and value > today():
        raise forms.ValidationError(_("This date is in the future."))
    return value


class SendForm(forms.Form):
    sent_on = forms.DateField(label=_("Date of sending"), widget=DATE)
    channel = forms.ChoiceField(label=_("Sent by"), choices=Request.CHANNELS)
    received_on = forms.DateField(
        label=_("Date of receipt (proof of receipt), if known"),
        required=False,
        widget=DATE,
    )

    def clean_sent_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data["sent_on"])

    def clean_received_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("received_on"))


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Event"), choices=Event.KINDS)
    date = forms.DateField(label=_("Date"), widget=DATE)
    favourable = forms.NullBooleanField(
        label=_("In the requester's favour?"),
        required=False,
        widget=forms.Select(choices=[("unknown", "—"), ("true", _("yes")), ("false", _("no"))]),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({"rows": 2}))

    def clean_date(self) -> dt.date | None:
        return _not_future(self.cleaned_data["date"])


class AnswerForm(forms.Form):
    files = MultipleFileField(label=_("Files received"))  # type: ignore[assignment]
    kind = forms.ChoiceField(
        label=_("It is"),
        choices=[
            (k, v)
            for k, v in Event.KINDS
            if k in ("reply", "partial", "refusal", "acknowledgement", "decision", "cada_opinion")
        ],
    )
    date = forms.DateField(label=_("Received on"), widget=DATE)

    def clean_date(self) -> dt.date | None:
        return _not_future(self.cleaned_data["date"])
