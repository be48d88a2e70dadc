from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from contrechamp.places.models import Commune
from contrechamp.registry.forms import completed_input, parse_communes
from contrechamp.tips.models import Tip

MAX_TEXT = 20_000
MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class OptionalFilesField(forms.FileField):
    """Several files, none required."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        if len(items) > MAX_FILES:
            raise forms.ValidationError(
                _("At most %(count)s files at once.") % {"count": MAX_FILES}
            )
        cleaned = []
        for number, item in enumerate(items, start=1):
            try:
                cleaned.append(forms.FileField.clean(self, item, initial))
            except forms.ValidationError as error:
                # Numbered, as the files that cannot be cleaned are (a file's name may
                # say who sent it: the page never repeats it).
                raise forms.ValidationError(
                    _("File %(number)s: %(reason)s")
                    % {"number": number, "reason": " ".join(error.messages)}
                ) from error
        return cleaned


def _once() -> str:
    return secrets.token_urlsafe(18)


class OnceField(forms.CharField):
    """A token the page draws once: the same form sent again (a reload of the answer, a
    double click) carries the same token, and is not taken twice (`tips.services.
    receipt_of_form`, `once_hash`). A form without it is still taken, as before."""

    def __init__(self) -> None:
        super().__init__(required=False, max_length=64, widget=forms.HiddenInput, initial=_once)


# The files' help, on the first form and on the follow-up's (which said nothing of it).
FILES_HELP = _(
    "PDF, JPEG, PNG, TIFF, Word (.docx), OpenDocument (.odt) or text. Their "
    "metadata (author, camera, GPS position, dates) is removed on arrival."
)


class TipForm(forms.Form):
    once = OnceField()
    text = forms.CharField(
        label=_("What do you want to tell us?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Which surveillance device, where, since when, who runs or sells it. Do not "
            "write anything that could identify you unless you want to."
        ),
    )
    files = OptionalFilesField(  # type: ignore[assignment]
        label=_("Files (optional)"), required=False, help_text=FILES_HELP
    )
    place = forms.CharField(
        label=_("Commune (optional)"),
        max_length=200,
        required=False,
        help_text=_("Name or INSEE code."),
        widget=completed_input("communes", "commune-suggestions"),
    )

    # The commune as typed when it names no single commune ("Saint-Ét"), else "".
    place_as_typed = ""

    def clean_place(self) -> Commune | None:
        """The commune named, or None. A name that names none or several is no refusal:
        refused, the tip came back without its files, which a browser never keeps (a
        resident's photo was lost for "Saint-Ét"). The words typed go with the text for
        the reviewers, and the receipt says so."""
        text = self.cleaned_data["place"].strip()
        if not text:
            return None
        codes, errors = parse_communes(text, suggest=False)
        commune = (
            Commune.objects.filter(code=codes[0]).first()
            if not errors and len(codes) == 1
            else None
        )
        if commune is None:
            self.place_as_typed = text
        return commune

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.place_as_typed and data.get("text"):
            data["text"] = "{}\n\n{}".format(
                data["text"], _("Commune as typed: %s") % self.place_as_typed
            )
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=100,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class AddForm(forms.Form):
    """The sender adds to their tip; the code comes with it, in the POST body."""

    code = forms.CharField(max_length=100, widget=forms.HiddenInput)
    once = OnceField()
    text = forms.CharField(
        label=_("Add a message"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    files = OptionalFilesField(  # type: ignore[assignment]
        label=_("Add files (optional)"), required=False, help_text=FILES_HELP
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("text", "").strip() and not data.get("files"):
            raise forms.ValidationError(_("Write a message or choose a file."))
        return data


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply to the sender"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Tip.STATUSES)
