"""The directory of public bodies a request can go to: the bodies of the places dataset
(a commune's town hall, an intercommunality, a department's council and its prefecture,
a region's council), made the first time a request goes to them, and bodies added by
hand; searched for autocompletion in the database.

Forms and the API name them by reference: "commune:42218", "epci:244200770",
"department:42", "prefecture:42", "region:84"; a body added by hand is "body:17"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from contrechamp.access.models import DirectoryEntry, PublicBody
from contrechamp.access.permissions import OFFICIAL_BODY, readable_bodies
from contrechamp.lib.numbers import whole_number
from contrechamp.lib.relations import pointed_at
from contrechamp.lib.text import name_key, name_key_prefixes, unaccent
from contrechamp.places.models import Commune, Department, Epci, PlaceDataLoad, Region
from contrechamp.places.services import council_name, of_area

if TYPE_CHECKING:
    from contrechamp.access.permissions import User

# What a reference names: a place of the dataset, or a body added by hand.
Place = Commune | Epci | Department | Region | PublicBody


def _body(lookup: dict[str, object], **defaults: object) -> PublicBody:
    try:
        with transaction.atomic():
            body, _created = PublicBody.objects.get_or_create(**lookup, defaults=defaults)
    except IntegrityError:  # made meanwhile by another request
        body = PublicBody.objects.get(**lookup)
    return body


def body_for_commune(commune: Commune) -> PublicBody:
    """The commune's own body (its town hall)."""
    return _body({"kind": "commune", "commune": commune}, name=_body_name("commune", commune))


def bodies_for_communes(communes: list[Commune]) -> list[PublicBody]:
    """The town halls of many communes at once (a series across a department), in
    the order given: those missing made together."""

    def existing() -> dict[int, PublicBody]:
        found = PublicBody.objects.filter(kind="commune", commune__in=communes)
        return {b.commune_id: b for b in found.select_related("commune__department")}  # type: ignore[misc]

    def made(commune: Commune) -> PublicBody:
        name = _body_name("commune", commune)
        # (`bulk_create` skips `save`, which writes the key bodies sort by.)
        return PublicBody(kind="commune", commune=commune, name=name, name_key=name_key(name))

    known = existing()
    missing = [c for c in communes if c.id not in known]
    if missing:
        PublicBody.objects.bulk_create(
            [made(c) for c in missing],
            ignore_conflicts=True,  # made meanwhile by another request
        )
        known = existing()
    return [known[c.id] for c in communes]


def town_hall_name(commune: str) -> str:
    """ "Mairie d'Ajaccio", "Mairie du Havre", "Mairie des Mureaux", "Mairie de La
    Rochelle": the name the letters give the town hall ("Mairie de Ajaccio" went into
    letters: a new user's walk). An h is left as it is written ("Mairie de Hautmont")."""
    for article, joined in (("Le ", "du "), ("Les ", "des ")):
        if commune.startswith(article):
            return f"Mairie {joined}{commune[len(article) :]}"
    first = unaccent(commune[:1]).lower()
    return f"Mairie d'{commune}" if first in "aeiouy" else f"Mairie de {commune}"


def town_hall_follow_merged_commune(
    *, name: str, current: Commune, **kwargs: object
) -> dict[str, int]:
    """A commune merged into `current` since was folded into it, its town hall with it
    when `current` had none: that body, "Mairie de Seynod", is `current`'s town hall now
    and is named after it ("Mairie d'Annecy"), so that the next request is addressed
    there. (A name changed by hand is kept.) Returns how many were renamed."""
    renamed = 0
    for body in PublicBody.objects.filter(
        kind="commune", commune=current, name=town_hall_name(name)
    ):
        body.name = town_hall_name(current.name)
        body.save(update_fields=["name"])
        renamed += 1
    return {"access.PublicBody.name": renamed} if renamed else {}


def bodies_forget_unused(bodies: list[PublicBody]) -> int:
    """Delete those of `bodies` added by hand that nothing points at any more (the body
    typed into a draft, once the draft is deleted): its name stays nowhere. Returns how
    many went."""
    gone = 0
    for body in PublicBody.objects.filter(pk__in=[b.pk for b in bodies]).exclude(OFFICIAL_BODY):
        if not pointed_at(body):
            body.delete()
            gone += 1
    return gone


def _body_name(kind: str, place: Place) -> str:
    """ "Mairie du Havre", "Conseil départemental de la Loire", "Préfecture des
    Alpes-Maritimes", "Conseil régional d'Île-de-France", "Conseil de Paris": as letters
    name them (they were "Préfecture (Alpes-Maritimes)": a new user's walk)."""
    if kind == "commune":
        return town_hall_name(place.name)
    if kind == "department" and isinstance(place, Department):
        return council_name("department", place.code, place.name)
    if kind == "prefecture" and isinstance(place, Department):
        return f"Préfecture {of_area(place)}"
    if kind == "region" and isinstance(place, Region):
        return council_name("region", place.code, place.name)
    return str(place.name)


def body_for_place(kind: str, place: Place) -> PublicBody:
    """The body of a place of the dataset: a commune's town hall, an intercommunality,
    a department's council or its prefecture, a region's council; for "body", the body
    added by hand itself (what `body_reference` returns, made into a body)."""
    if kind == "body" and isinstance(place, PublicBody):
        return place
    if kind == "commune" and isinstance(place, Commune):
        return body_for_commune(place)
    name = _body_name(kind, place)
    if kind == "epci" and isinstance(place, Epci):
        # Its department, for the holidays of the deadlines: where most members are.
        main = (
            place.communes.values("department")
            .annotate(n=Count("id"))
            .order_by("-n", "department")
            .first()
        )
        return _body(
            {"kind": "epci", "epci": place},
            name=name,
            department_id=main["department"] if main else None,
        )
    if kind in ("department", "prefecture") and isinstance(place, Department):
        return _body({"kind": kind, "department": place}, name=name)
    if kind == "region" and isinstance(place, Region):
        return _body({"kind": "region", "region": place}, name=name)
    raise ValueError(kind)


def body_reference(reference: str, *, reader: User | None = None) -> tuple[str, Place]:
    """What a reference names: ("epci", <Epci>), ("body", <PublicBody>)…, without
    making anything. A reference may end a label: "Préfecture de la Loire [prefecture:42]".
    A body added by hand is found only when `reader` may find it (`readable_bodies`):
    "body:17" typed names nothing to others while its request is a draft."""
    match = re.search(r"\[?\b([a-z]+):([0-9A-Za-z]+)\]?\s*$", reference.strip())
    kind, code = match.groups() if match else ("", "")
    found: Place | None = None
    if kind == "commune":
        found = Commune.objects.filter(code=code).first()
    elif kind == "epci":
        found = Epci.objects.filter(siren=code).first()
    elif kind in ("department", "prefecture"):
        found = Department.objects.filter(code=code.upper()).first()
    elif kind == "region":
        found = Region.objects.filter(code=code).first()
    elif kind == "body" and (number := whole_number(code)) is not None:
        found = readable_bodies(reader).filter(id=number).first()
    if found is None:
        raise ValidationError(_("No public body answers to “%s”.") % reference.strip())
    return kind, found


def body_label(reference: str, *, reader: User | None = None) -> str:
    """A reference as the form's suggestions write it ("Conseil départemental de la Loire
    [department:42]"); empty for a reference that names nothing (to `reader`)."""
    try:
        kind, place = body_reference(reference, reader=reader)
    except ValidationError:
        return ""
    code = reference.strip().strip("[]").split(":", 1)[1]
    return f"{_body_name(kind, place)} [{kind}:{code}]"


def directory_sync() -> int:
    """Rebuild the bodies directory when the places were loaded again since it was built
    (a load is rare; a search is not). Returns the places load it reflects (0: none)."""
    latest = PlaceDataLoad.objects.order_by("-id").values_list("id", flat=True).first() or 0
    built = DirectoryEntry.objects.values_list("places_load", flat=True).first()
    if built == latest:
        return latest
    entries: list[DirectoryEntry] = []

    def add(kind: str, code: str, name: str, place_name: str) -> None:
        entries.append(
            DirectoryEntry(
                reference=f"{kind}:{code}",
                kind=kind,
                name=name,
                name_key=name_key(place_name),
                code=code.upper(),
                position=len(entries),
                places_load=latest,
            )
        )

    for region in Region.objects.all():
        add("region", region.code, _body_name("region", region), region.name)
    for department in Department.objects.all():
        for kind in ("prefecture", "department"):
            name = _body_name(kind, department)
            add(kind, department.code, f"{name} ({department.code})", department.name)
    for siren, name in Epci.objects.values_list("siren", "name"):
        add("epci", siren, name, name)
    try:
        with transaction.atomic():
            DirectoryEntry.objects.all().delete()
            DirectoryEntry.objects.bulk_create(entries, batch_size=500)
    except IntegrityError:  # rebuilt meanwhile by another process, from the same load
        pass
    return latest


def _starts_with(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, in a form the column's index serves. SQLite's LIKE
    is case-insensitive, so it cannot use an ordinary index and reads all 35,000
    communes; a range does, and under SQLite's binary collation the strings in
    [prefix, prefix + U+10FFFF) are exactly those that start with it. PostgreSQL's
    collation may not order that way (a locale collation can ignore U+10FFFF): LIKE."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})
    return Q(**{f"{field}__startswith": prefix})


def body_search(query: str, *, limit: int = 20, reader: User | None = None) -> list[dict[str, str]]:
    """Bodies a request can go to whose name (accents optional) or code starts with or
    contains `query`: bodies added by hand that `reader` may find (`readable_bodies`),
    regions, departments and their prefectures, intercommunalities, then communes, most
    populated first. For autocompletion: three indexed queries, whatever the number of
    places."""
    # "St" being typed is "saint" or the start of "Strasbourg": both keys are looked for.
    keys, code = name_key_prefixes(query), query.strip().upper()
    if len(keys[0]) < 2:
        return []
    contains, starts = Q(), Q()
    for key in keys:
        contains |= Q(name_key__contains=key)
        starts |= _starts_with("name_key", key)
    directory_sync()
    found = [
        {"reference": f"body:{body.id}", "name": body.name, "kind": body.kind}
        for body in readable_bodies(reader)
        .exclude(OFFICIAL_BODY)
        .filter(contains)
        .only("id", "name", "kind")[:limit]
    ]
    places = DirectoryEntry.objects.filter(contains | Q(code=code))
    found += [
        {"reference": entry.reference, "name": entry.name, "kind": entry.kind}
        for entry in places[: limit - len(found)]
    ]
    communes = Commune.objects.filter(starts | Q(code=code), kind="commune").order_by(
        F("population").desc(nulls_last=True), "code"
    )
    for commune in communes[: max(limit - len(found), 0)]:
        name = _body_name("commune", commune)
        found.append(
            {
                "reference": f"commune:{commune.code}",
                "name": f"{name} ({commune.code})",
                "kind": "commune",
            }
        )
    return found[:limit]
