"""The letters of a request, from templates administrators may edit (the defaults below
are used until they do). French, since they go to French administrations."""

from __future__ import annotations

import re
from functools import lru_cache

from django.template import Context, Template
from django.utils import translation

from contrechamp.access.models import LetterTemplate
from contrechamp.lib.typography import first_of_the_month

DEFAULTS: dict[str, tuple[str, str]] = {
    "request_email": (
        "Demande de communication de documents administratifs — {{ request.title }}",
        """Madame, Monsieur,

En application des articles L300-1 et L311-1 et suivants du code des relations entre le
public et l'administration (CRPA), je vous prie de bien vouloir me communiquer les
documents administratifs suivants :

{% for item in asked %}- {{ item }}
{% endfor %}
Lorsque ces documents existent sous forme électronique, je souhaite les recevoir par
courrier électronique, conformément à l'article L311-9 du CRPA, à l'adresse d'envoi de ce
message.

Si certains de ces documents comportent des mentions relevant de l'article L311-6, je
vous remercie de me les communiquer après occultation de ces seules mentions, comme le
prévoit l'article L311-7 du CRPA, plutôt que d'en refuser la communication.

À défaut de réponse dans le délai d'un mois suivant la réception de cette demande, le
silence gardé vaudra refus implicite (articles R311-12 et R311-13 du CRPA), que je
pourrai soumettre à la Commission d'accès aux documents administratifs (CADA).

Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.

{{ requester }}""",
    ),
    "request_post": (
        "Demande de communication de documents administratifs — {{ request.title }}",
        """{{ requester }}
{{ requester_address }}

{{ body.name }}
{{ body.address }}

Lettre recommandée avec accusé de réception

Objet : demande de communication de documents administratifs

Madame, Monsieur,

En application des articles L300-1 et L311-1 et suivants du code des relations entre le
public et l'administration (CRPA), je vous prie de bien vouloir me communiquer les
documents administratifs suivants :

{% for item in asked %}- {{ item }}
{% endfor %}
Lorsque ces documents existent sous forme électronique, je souhaite les recevoir par
courrier électronique (article L311-9 du CRPA).

Si certains de ces documents comportent des mentions relevant de l'article L311-6, je
vous remercie de me les communiquer après occultation de ces seules mentions (article
L311-7 du CRPA).

À défaut de réponse dans le délai d'un mois suivant la réception de cette lettre, le
silence gardé vaudra refus implicite (articles R311-12 et R311-13 du CRPA), que je
pourrai soumettre à la Commission d'accès aux documents administratifs (CADA).

Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.

{{ requester }}""",
    ),
    "reminder": (
        "Relance — demande de communication de documents du {{ request.sent_on|date:'j F Y' }}",
        """Madame, Monsieur,

Le {{ request.sent_on|date:"j F Y" }}, je vous ai demandé la communication des documents
suivants :

{% for item in asked %}- {{ item }}
{% endfor %}
Sauf erreur de ma part, je n'ai pas reçu de réponse. Je vous rappelle qu'en l'absence de
réponse le {{ implicit_refusal|date:"j F Y" }}, votre silence vaudra refus implicite
(articles R311-12 et R311-13 du CRPA), que je soumettrai à la CADA.

Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.

{{ requester }}""",
    ),
    "cada_referral": (
        "Saisine de la CADA — refus de communication opposé par {{ body.name }}",
        """Commission d'accès aux documents administratifs
TSA 50730 — 75334 Paris Cedex 07 — cada@cada.fr

Demandeur : {{ requester }}, {{ requester_address_line }}
Administration mise en cause : {{ body.name }}{% if body.address %}, {{ body.address }}{% endif %}
{% if body.email %}Adresse électronique de l'administration : {{ body.email }}
{% endif %}
Date de la demande initiale : {{ request.sent_on|date:"j F Y" }}
Date de réception par l'administration : {{ received|date:"j F Y" }}{% if received_estimated %} (estimée){% endif %}
{% if decisions|length > 1 %}Décisions contestées{% else %}Décision contestée{% endif %} : {% for name, day in decisions %}{{ name }} du {{ day|date:"j F Y" }}{% if not forloop.last %} ; {% endif %}{% empty %}refus implicite né le {{ implicit_refusal|date:"j F Y" }} du silence gardé pendant un mois{% endfor %}

Madame, Monsieur,

En application de l'article L342-1 et de l'article R343-1 du CRPA, je vous saisis du
refus opposé à ma demande de communication des documents suivants :

{% for item in asked %}- {{ item }}
{% endfor %}
Ces documents sont des documents administratifs au sens de l'article L300-2 du CRPA et
sont communicables à toute personne qui en fait la demande (article L311-1), le cas
échéant après occultation des mentions protégées par l'article L311-6 (article L311-7).

Pièces jointes : copie de la demande initiale ; preuve de son envoi{% if received %} et de
sa réception{% endif %}{% if decisions|length > 1 %} ; copie des décisions contestées{% elif decisions %} ; copie de la décision contestée{% endif %}.

Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.

{{ requester }}""",
    ),
    "after_opinion": (
        "Avis favorable de la CADA — communication des documents demandés",
        """Madame, Monsieur,

Par un avis du {{ cada_opinion|date:"j F Y" }}, la Commission d'accès aux documents
administratifs s'est prononcée en faveur de la communication des documents que je vous
avais demandés le {{ request.sent_on|date:"j F Y" }} :

{% for item in asked %}- {{ item }}
{% endfor %}
En application de l'article R343-4 du CRPA, vous disposez d'un mois à compter de la
réception de cet avis pour faire connaître votre décision. Je vous remercie de bien
vouloir me communiquer ces documents. À défaut, je me réserve la possibilité de saisir
le tribunal administratif.

Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.

{{ requester }}""",
    ),
    "cada_referral_series": (
        "Saisine de la CADA — série de {{ series|length }} demandes ayant le même objet",
        """Commission d'accès aux documents administratifs
TSA 50730 — 75334 Paris Cedex 07 — cada@cada.fr

Demandeur : {{ requester }}, {{ requester_address_line }}
Objet de la série : {{ request.title }}
Nombre de demandes de la série : {{ series|length }}

Madame, Monsieur,

J'ai adressé la même demande de communication de documents administratifs à
{{ series|length }} administrations. Ces demandes ayant le même objet, elles forment une
série au sens du deuxième alinéa de l'article L342-1 du CRPA : conformément à cet article,
je vous saisis d'un seul refus, et vous prie de rendre un avis unique pour la série.

Refus sur lequel porte la saisine :
Administration : {{ body.name }}{% if body.address %}, {{ body.address }}{% endif %}
Date de la demande : {{ request.sent_on|date:"j F Y" }}
Date de réception : {{ received|date:"j F Y" }}{% if received_estimated %} (estimée){% endif %}
{% if decisions|length > 1 %}Décisions contestées{% else %}Décision contestée{% endif %} : {% for name, day in decisions %}{{ name }} du {{ day|date:"j F Y" }}{% if not forloop.last %} ; {% endif %}{% empty %}refus implicite né le {{ implicit_refusal|date:"j F Y" }} du silence gardé pendant un mois{% endfor %}

Documents demandés :
{% for item in asked %}- {{ item }}
{% endfor %}
Ensemble des demandes de la série, que je vous identifie comme le prévoit l'article L342-1 :
{% for row in series %}{{ forloop.counter }}. {{ row.body }} — demande du {{ row.sent|date:"j F Y" }}{% if row.received %}, reçue le {{ row.received|date:"j F Y" }}{% endif %} — {{ row.state }}
{% endfor %}
J'informe chacune de ces administrations de la présente saisine.

Pièces jointes : copie de la demande ; preuve de son envoi{% if received %} et de sa
réception{% endif %}{% if decisions|length > 1 %} ; copie des décisions contestées{% elif decisions %} ; copie de la décision contestée{% endif %} ; liste
des demandes de la série.

Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.

{{ requester }}""",
    ),
    "series_notice": (
        "Saisine de la CADA — demande de communication du {{ request.sent_on|date:'j F Y' }}",
        """Madame, Monsieur,

Le {{ request.sent_on|date:"j F Y" }}, je vous ai demandé la communication des documents
suivants :

{% for item in asked %}- {{ item }}
{% endfor %}
J'ai adressé la même demande à d'autres administrations ; ces demandes forment une série
au sens de l'article L342-1 du CRPA. Conformément à cet article, je vous informe que
j'ai saisi la Commission d'accès aux documents administratifs le
{{ referred_on|date:"j F Y" }} du refus opposé par {{ lead_body }}, au titre de
l'ensemble de la série, dont votre administration fait partie. L'avis que la commission
rendra vaudra pour la série.

Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.

{{ requester }}""",
    ),
}


def template_for(kind: str) -> tuple[str, str]:
    edited = LetterTemplate.objects.filter(kind=kind).first()
    if edited is not None:
        return edited.subject, edited.body
    return DEFAULTS[kind]


# A line of prose the template broke at its width (70 characters or more: an address's
# line is shorter, "Direction départementale de la sécurité publique du Val-d'Oise" is
# 62), and the next that goes on with the sentence (a lower-case word, an article of a
# code: "L311-7", a date or a number after a preposition: "le\n12 mars"): one line on
# the screen.
_BROKEN_LINE = re.compile(
    r"(?m)^(?P<line>[^\n]{70,}?)[ \t]*\n(?=(?P<next>[a-zàâçéèêëîïôûùœ(«]|[LRD][ .]?\d|\d))"
)
_PREPOSITION_AT_END = re.compile(r"\b(?:le|la|les|du|de|des|au|aux|à|en|sur|et)\Z")


def _joined(match: re.Match[str]) -> str:
    if match["next"].isdigit() and not _PREPOSITION_AT_END.search(match["line"]):
        return match.group()  # a number opening its own line (a list, an address)
    return match["line"] + " "


def for_screen(text: str) -> str:
    """The letter as the page shows it: its sentences broken at the template's width (88
    characters) joined again, so that a narrow screen wraps them once, not a second time
    inside each line. The list of documents asked for, the address blocks, the signature
    (short lines, or lines that open on a capital or a dash) keep their breaks. (A mail
    program wraps the copied text at its own width; the text recorded as sent keeps the
    template's breaks.)"""
    return _BROKEN_LINE.sub(_joined, text)


@lru_cache(maxsize=64)
def _compiled(text: str) -> Template:
    """Templates compiled once per text (a series renders the same one many times)."""
    return Template(text)


def render(kind: str, context: dict[str, object]) -> tuple[str, str]:
    """The subject and text of a letter."""
    subject, body = template_for(kind)
    data = Context(context, autoescape=False)
    with translation.override("fr"):  # dates in French, whatever the page's language
        return (
            first_of_the_month(_compiled(subject).render(data).strip()),
            first_of_the_month(_compiled(body).render(data).strip()) + "\n",
        )
