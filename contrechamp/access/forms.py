from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from contrechamp.access.models import AccessRequest, Attachment, Event, PublicBody
from contrechamp.access.services.bodies import Place, body_label, body_reference
from contrechamp.access.services.timeline import today
from contrechamp.documents.forms import MultipleFileField
from contrechamp.places.models import Commune, Department
from contrechamp.registry.forms import communes_as_text, completed_input, parse_communes
from contrechamp.registry.models import Deployment
from contrechamp.registry.permissions import readable_deployments

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


# "Title [identifier]", as the suggestions and the form's filling write a deployment.
_LABELLED = re.compile(r"\[([-a-zA-Z0-9_]+)\]\s*$")
_PAGE = re.compile(r"/dispositifs/([-a-zA-Z0-9_]+)/?(?:[?#].*)?$")


def deployment_label(deployment: Deployment) -> str:
    return f"{deployment.title} [{deployment.slug}]"


def _deployment_entries(text: str, readable: QuerySet[Deployment]) -> list[str]:
    """The entries of the field: separated by semicolons or lines; a list of
    identifiers separated by commas or spaces, as the field used to ask, still reads as
    several (a title holds commas and spaces, not only identifiers)."""
    entries = []
    for entry in (e.strip() for e in re.split(r"[;\n]", text or "")):
        words = [w for w in re.split(r"[,\s]+", entry) if w]
        if len(words) > 1 and readable.filter(slug__in=words).count() == len(set(words)):
            entries += words
        elif entry:
            entries.append(entry)
    return entries


def _deployment_named(entry: str, readable: QuerySet[Deployment]) -> tuple[Deployment | None, str]:
    """(the deployment `entry` names, "") or (None, why not)."""
    slug = ""
    if match := _LABELLED.search(entry):
        slug = match.group(1)
    elif match := _PAGE.search(entry):
        slug = match.group(1)
    if slug:
        deployment = readable.filter(slug=slug).first()
        return deployment, "" if deployment else str(_("No deployment is called “%s”.") % entry)
    by_slug = readable.filter(slug=entry).first()
    if by_slug is not None:
        return by_slug, ""
    named = list(readable.filter(title__iexact=entry).order_by("-is_published", "id")[:6])
    close: list[Deployment] = []
    if not named:
        # SQLite compares case in ASCII only ("CAMÉRAS" is not "Caméras"): the titles
        # are compared here, which also finds those that hold what was typed.
        wanted = entry.casefold()
        for d in readable.only("id", "slug", "title").order_by("title").iterator():
            title = d.title.casefold()
            if title == wanted and len(named) < 6:
                named.append(d)
            elif len(wanted) >= 3 and wanted in title and len(close) < 3:
                close.append(d)
    if len(named) == 1:
        return named[0], ""
    if named:
        return None, str(
            _("Several deployments are called “%(title)s”: choose one among %(which)s.")
            % {"title": entry, "which": "; ".join(deployment_label(d) for d in named)}
        )
    if close:
        return None, str(
            _("No deployment is called “%(title)s”. Did you mean %(close)s?")
            % {"title": entry, "close": "; ".join(deployment_label(d) for d in close)}
        )
    return None, str(_("No deployment is called “%s”.") % entry)


MANY_DRAFTS = 20


class RequestForm(forms.Form):
    communes = forms.CharField(
        label=_("Communes"),
        required=False,
        help_text=_(
            "The town hall of each: names or INSEE codes separated by commas, "
            "“Nice (06088), 42218”. Several make a series of requests."
        ),
        widget=completed_input("communes", "commune-suggestions"),
    )
    bodies = forms.CharField(
        label=_("Other public bodies"),
        required=False,
        help_text=_(
            "Intercommunalities, departments, prefectures, regions, or bodies added "
            "before: start typing a name, separate them with semicolons."
        ),
        widget=completed_input("bodies", "body-suggestions"),
    )
    department = forms.CharField(
        label=_("Or every commune of a department"),
        required=False,
        max_length=3,
        help_text=_("Its code (e.g. 42): a series of requests to the town hall of each commune."),
    )
    only_with_deployments = forms.BooleanField(
        label=_("Only communes where the registry records a deployment"), required=False
    )
    new_body = forms.CharField(label=_("Or a new body: its name"), max_length=300, required=False)
    new_body_kind = forms.ChoiceField(
        label=_("Kind of body"), choices=[("", "—"), *PublicBody.KINDS], required=False
    )
    new_body_email = forms.EmailField(label=_("Its e-mail address"), required=False)
    deployments = forms.CharField(
        label=_("About the deployments"),
        required=False,
        help_text=_(
            "Start typing a deployment's title and choose it among the suggestions; "
            "separate several with semicolons."
        ),
        widget=completed_input("deployments", "deployment-suggestions"),
    )
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
    channel = forms.ChoiceField(label=_("Sent by"), choices=AccessRequest.CHANNELS, initial="email")
    show_requester = forms.BooleanField(label=_("Show my name on the public page"), required=False)
    # A series of more than MANY_DRAFTS drafts is made once its author confirms it (every
    # commune of the Corse-du-Sud made 124 drafts in one click: a new user's walk).
    # One per form shown: the same form sent twice makes its drafts once.
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    confirm_many = forms.BooleanField(
        label=_("Yes, draft one request per body"),
        required=False,
        help_text=_("Asked when a series makes more than 20 drafts."),
    )

    def clean_communes(self) -> list[Commune]:
        # Bare codes may also be separated by spaces: "42218 13055".
        text = re.sub(
            r"\b(\d[\dAB]\d{3})\s+(?=\d[\dAB]\d{3}\b)", r"\1, ", self.cleaned_data["communes"]
        )
        codes, errors = parse_communes(text)
        found = {c.code: c for c in Commune.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            errors.append(_("No commune has the INSEE code “%s”.") % ", ".join(missing))
        if errors:
            raise forms.ValidationError(errors)
        return [found[c] for c in dict.fromkeys(codes)]

    def clean_deployments(self) -> list[Deployment]:
        """The deployments named, each by its title (as the suggestions write it,
        "Title [identifier]", or typed whole), its page's address or its identifier;
        those this person may read only (the published ones, and their own drafts), a
        draft of someone else refused as one that does not exist."""
        readable = readable_deployments(self.reader)
        found: list[Deployment] = []
        errors: list[str] = []
        for entry in _deployment_entries(self.cleaned_data["deployments"], readable):
            deployment, error = _deployment_named(entry, readable)
            if deployment is not None:
                found.append(deployment)
            else:
                errors.append(error)
        if errors:
            raise forms.ValidationError(errors)
        return list(dict.fromkeys(found))

    def __init__(self, *args: Any, reader: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Who drafts: a body added by hand is theirs to name only once they may find it.
        self.reader = reader
        # How many drafts the form sent makes, once cleaned: the confirmation is shown
        # only past MANY_DRAFTS (it showed on every form, for one commune as for 124).
        self.drafts = 0

    @property
    def asks_confirmation(self) -> bool:
        return self.drafts > MANY_DRAFTS

    def clean_bodies(self) -> list[tuple[str, Place]]:
        """What each entry names, made into a body only when the request is drafted."""
        found, errors = [], []
        for entry in re.split(r"[;\n]", self.cleaned_data["bodies"]):
            if entry.strip():
                try:
                    found.append(body_reference(entry, reader=self.reader))
                except ValidationError as error:
                    errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return found

    def clean_department(self) -> list[Commune]:
        code = self.cleaned_data["department"].strip().upper()
        if not code:
            return []
        department = Department.objects.filter(code=code).first()
        if department is None:
            raise forms.ValidationError(_("No department has the code “%s”.") % code)
        communes = Commune.objects.filter(department=department, kind="commune")
        if self.data.get("only_with_deployments"):
            communes = communes.with_deployments()
        found = list(communes.order_by("code"))
        if not found:
            raise forms.ValidationError(
                _("No commune of %s has a deployment in the registry.") % department.name
            )
        return found

    def clean(self) -> dict:
        data = super().clean() or {}
        places = ("communes", "bodies", "department")
        chosen = any(data.get(name) for name in places) or data.get("new_body", "").strip()
        if not chosen and not any(name in self.errors for name in places):
            self.add_error(None, _("Choose the body the request goes to."))
        communes = data.get("communes", []) + data.get("department", [])
        data["all_communes"] = list({c.code: c for c in communes}.values())
        self.drafts = (
            len(data["all_communes"])
            + len(data.get("bodies") or [])
            + bool(data.get("new_body", "").strip())
        )
        if self.asks_confirmation and not data.get("confirm_many"):
            self.add_error(
                "confirm_many",
                _("This makes %(n)d drafts, one per body: tick the box to confirm.")
                % {"n": self.drafts},
            )
        with translation.override("fr"):  # the letter is French whatever the page's language
            lines = [str(USUAL_DOCUMENTS[int(i)]) for i in data.get("usual") or []]
        lines += [line for line in data.get("documents_asked", "").splitlines() if line.strip()]
        if not lines:
            self.add_error(None, _("List at least one document to ask for."))
        data["documents"] = "\n".join(lines)
        return data


# The right of access to administrative documents: the law of 17 July 1978 (a walk's
# request "sent" on 1 January 1900 became refused at once, with every legal date in 1900,
# and counted in the bodies' figures).
RIGHT_OF_ACCESS = dt.date(1978, 7, 17)


def _not_future(value: dt.date | None) -> dt.date | None:
    if value and value > today():
        raise forms.ValidationError(_("This date is in the future."))
    if value and value < RIGHT_OF_ACCESS:
        raise forms.ValidationError(
            _("This date is before the law of 17 July 1978 that made such requests possible.")
        )
    return value


class SendForm(forms.Form):
    sent_on = forms.DateField(label=_("Date of sending"), widget=DATE)
    channel = forms.ChoiceField(label=_("Sent by"), choices=AccessRequest.CHANNELS)
    received_on = forms.DateField(
        label=_("Date of receipt (proof of receipt), if known"),
        required=False,
        widget=DATE,
    )

    def clean_sent_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data["sent_on"])

    def clean_received_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("received_on"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sent, received = data.get("sent_on"), data.get("received_on")
        if sent and received and received < sent:
            self.add_error("received_on", _("The request cannot be received before it is sent."))
        return data


class RequestSendForm(SendForm):
    proof = forms.FileField(
        label=_("Proof of sending (registered-post receipt, the e-mail as sent)"),
        required=False,
        help_text=_("Kept private; joined to the referral file for the CADA."),
    )


class ProofForm(forms.Form):
    file = forms.FileField(label=_("File"))
    kind = forms.ChoiceField(label=_("Kind of proof"), choices=Attachment.KINDS)


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Event"), choices=Event.KINDS)
    date = forms.DateField(label=_("Date"), widget=DATE)
    favourable = forms.NullBooleanField(
        label=_("In the requester's favour?"),
        help_text=_("For the CADA's opinion, the decision after it or a judgment."),
        required=False,
        widget=forms.Select(choices=[("unknown", "—"), ("true", _("yes")), ("false", _("no"))]),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )

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


class SeriesReferralForm(forms.Form):
    lead = forms.ModelChoiceField(
        label=_("Refusal the referral is made on"),
        queryset=AccessRequest.objects.none(),
        required=False,  # once the referral is made, later refusals join it
    )
    date = forms.DateField(label=_("Date of the referral"), widget=DATE)

    def __init__(self, *args: Any, requests: list[AccessRequest], **kwargs: Any) -> None:
        """`requests`: those offered (the refused ones; on sending, the whole series,
        whose other requests the service refuses with its reason)."""
        super().__init__(*args, **kwargs)
        field = self.fields["lead"]
        field.queryset = AccessRequest.objects.filter(id__in=[r.id for r in requests])  # type: ignore[attr-defined]
        field.label_from_instance = lambda r: r.body.name  # type: ignore[attr-defined]

    def clean_date(self) -> dt.date | None:
        return _not_future(self.cleaned_data["date"])


class SeriesEventForm(EventForm):
    """What the CADA does once for a whole series."""

    kind = forms.ChoiceField(
        label=_("Event"),
        choices=[(k, v) for k, v in Event.KINDS if k in ("cada_ack", "cada_opinion")],
    )


def request_initial(query: QueryDict, reader: Any = None) -> dict[str, str]:
    """The form filled from the page it was opened from: a commune's (`?commune=`), an
    intercommunality's or a department's (`?organisme=epci:…`, its body, as `reader`
    may find it), or a deployment's (`?deploiement=`, its communes and subject with it)."""
    initial = {"communes": query.get("commune", "")}
    reference = query.get("organisme", "")
    # One reference, as the place pages write it: "prefecture:06 ; prefecture:13" showed
    # one body in the field and drafted two requests.
    body = (
        body_label(reference, reader=reader)
        if re.fullmatch(r"[a-z]+:[0-9A-Za-z]{1,14}", reference)
        else ""
    )
    if body:
        initial["bodies"] = body
    slug = query.get("deploiement", "")
    # One's own draft too (its page offers the link), never another's: its title and
    # communes are as private as the draft.
    deployment = readable_deployments(reader).filter(slug=slug).first() if slug else None
    if deployment is not None:
        codes = list(deployment.communes.values_list("code", flat=True))
        initial.update(
            deployments=deployment_label(deployment),
            communes=communes_as_text(codes),
            title=deployment.title[:300],
        )
    return initial
