"""Forms for local groups. They turn what was typed into the plain data the services take."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from contrechamp.groups.invitations import INVITATION_DAYS
from contrechamp.groups.models import WorkItem
from contrechamp.groups.services import (
    JOIN_MESSAGE_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    MESSAGE_MIN_LENGTH,
)
from contrechamp.places.models import Commune, Department, Epci
from contrechamp.registry.forms import completed_input, parse_communes, parse_epcis

_DEPARTMENT_IN_PARENS = re.compile(r"\((\w{2,3})\)\s*$")


def parse_departments(text: str) -> tuple[list[str], list[str]]:
    """Department codes from "Rhône (69), 2A, Gironde"; and the errors."""
    codes, errors = [], []
    for entry in [p.strip() for p in re.split(r"[,;\n]", text or "") if p.strip()]:
        match = _DEPARTMENT_IN_PARENS.search(entry)
        code = match.group(1).upper() if match else entry.upper()
        found = Department.objects.filter(code=code).values_list("code", flat=True).first()
        if found is None:
            found = (
                Department.objects.filter(name__iexact=entry).values_list("code", flat=True).first()
            )
        if found is None:
            errors.append(_("No department is named “%s”.") % entry)
        else:
            codes.append(found)
    return codes, errors


class GroupForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Who you are, what you do. Markdown: **bold**, [links](https://…)."),
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
    departments = forms.CharField(
        label=gettext_lazy("Departments"),
        required=False,
        help_text=gettext_lazy("Names or codes, separated by commas: “Rhône, 2A”."),
    )
    contact_enabled = forms.BooleanField(
        label=gettext_lazy("Visitors may write to the group (members' addresses stay hidden)"),
        required=False,
        initial=True,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        codes, errors = parse_communes(data.get("communes", ""))
        sirens, epci_errors = parse_epcis(data.get("epcis", ""))
        departments, department_errors = parse_departments(data.get("departments", ""))
        for field, problems in (
            ("communes", errors),
            ("epcis", epci_errors),
            ("departments", department_errors),
        ):
            for problem in problems:
                self.add_error(field, problem)
        data["commune_list"] = list(Commune.objects.filter(code__in=codes))
        data["epci_list"] = list(Epci.objects.filter(siren__in=sirens))
        data["department_list"] = list(Department.objects.filter(code__in=departments))
        if not self.errors and not (
            data["commune_list"] or data["epci_list"] or data["department_list"]
        ):
            raise forms.ValidationError(_("Name at least one place the group works on."))
        return data


class GroupEditForm(GroupForm):
    """The group's form for an edit: it carries the version it was opened on, so that a
    save made meanwhile in another tab or by another coordinator is never overwritten
    silently (`services.group_update`)."""

    edited_from = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={
            "required": gettext_lazy(
                "This form is incomplete: open the group's edit page again to change it."
            )
        },
    )

    # The fields as the form showed them when opened (JSON): after a refused save, what the
    # person did not change takes the saved version's value, so that saving again keeps
    # the other person's changes (see `views.group_edit`).
    edited_base = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, group: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["edited_from"].initial = str(group.version)
        self.fields["edited_base"].initial = json.dumps(
            {k: as_form_text(v) for k, v in (kwargs.get("initial") or {}).items()}
        )


def as_form_text(value: Any) -> str:
    """A field's value as its form posts it (a ticked box "on", an unticked one "")."""
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value or "")


class JoinForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("A few words for the coordinators (optional)"),
        required=False,
        max_length=JOIN_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Who you are, why you want to join. The coordinators see it with your display "
            "name, never your e-mail address."
        ),
    )


class ContactForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Your message"),
        min_length=MESSAGE_MIN_LENGTH,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    reply_to = forms.EmailField(
        label=gettext_lazy("Your e-mail address (optional)"),
        required=False,
        max_length=254,
        help_text=gettext_lazy(
            "Only if you want an answer: the members receive it to reply to you."
        ),
    )
    # A trap for robots: hidden from people (and screen readers), filled by form fillers.
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class WorkItemForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=WorkItem.KINDS,
        initial="other",
        help_text=gettext_lazy(
            "A document to review goes to a reviewer (deciding its suggestions and "
            "redactions is theirs); a contributor can gather or check its sources."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("What is to be done"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    url = forms.URLField(
        label=gettext_lazy("Link (optional)"), required=False, max_length=500, assume_scheme="https"
    )
    assignee = forms.TypedChoiceField(
        label=gettext_lazy("Assigned to"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("nobody yet")), *members]  # type: ignore[attr-defined]


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address of the person to invite"),
        max_length=254,
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the invitation"), choices=settings.LANGUAGES
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = ngettext(
            "They receive a link that works once, for %(n)d day, and only for the account "
            "with this address (they may create it).",
            "They receive a link that works once, for %(n)d days, and only for the account "
            "with this address (they may create it).",
            INVITATION_DAYS,
        ) % {"n": INVITATION_DAYS}


class InvitationLinkForm(forms.Form):
    needs_approval = forms.BooleanField(
        label=gettext_lazy("Those who follow the link ask to join; a coordinator approves them"),
        required=False,
        initial=True,
    )
