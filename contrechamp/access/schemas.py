"""The shapes of requests in the API: one pydantic model per resource (fields, types,
descriptions, examples in docs/openapi.json) and the functions that fill them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from contrechamp.access.models import AccessRequest, Event
from contrechamp.access.services.timeline import calendar, next_deadline
from contrechamp.lib.siteurl import site_address


class BodyOut(BaseModel):
    id: int
    name: str = Field(examples=["Mairie de Saint-Étienne"])
    kind: str = Field(description="commune, epci, department, region, prefecture…")


class BodyFoundOut(BaseModel):
    reference: str = Field(
        description="What the request form takes: `commune:<INSEE>`, `epci:<SIREN>`, "
        "`department:<code>`, `prefecture:<code>`, `region:<code>`, `body:<id>`.",
        examples=["epci:244200770"],
    )
    name: str = Field(examples=["Saint-Étienne Métropole"])
    kind: str = Field(examples=["epci"])


class DeadlineOut(BaseModel):
    key: str = Field(examples=["implicit_refusal"])
    name: str = Field(examples=["Implicit refusal"])
    date: str = Field(description="YYYY-MM-DD.", examples=["2026-04-13"])
    basis: str = Field(description="The articles the date comes from.", examples=["R311-12 CRPA"])
    action: str = Field(description="What the requester can do from (or until) that date.")
    estimate: bool = Field(
        description="Estimated (a date it is counted from is not recorded: the receipt of "
        "the request, the CADA's registration of the referral)."
    )
    moved_from: str | None = Field(description="The date before moving off a non-working day.")
    note: str
    done: bool = Field(
        default=False,
        description="What the date asks for is done (the CADA was referred to): it is not "
        "the next date.",
    )


class DeadlineNoteOut(BaseModel):
    key: str
    text: str
    basis: str


class EventOut(BaseModel):
    kind: str = Field(examples=["implicit_refusal"])
    date: str = Field(description="YYYY-MM-DD.")
    favourable: bool | None = Field(description="For an opinion, a decision or a judgment.")
    note: str
    automatic: bool = Field(description="Recorded by the rules, not by a person.")
    document: int | None = Field(description="The published document received, if any.")


class AccessRequestOut(BaseModel):
    id: int
    subject: str = Field(examples=["Vidéosurveillance algorithmique"])
    body: BodyOut
    status: str = Field(examples=["sent"], description="sent, answered, refused, cada…")
    channel: str = Field(examples=["email"], description="email or post.")
    sent_on: str | None = Field(description="YYYY-MM-DD.")
    received_on: str | None = Field(description="YYYY-MM-DD.")
    series: int | None = Field(description="The series of requests it belongs to.")
    next_deadline: DeadlineOut | None
    url: str = Field(description="The absolute address of its page on the site.")


class AccessRequestDetailOut(AccessRequestOut):
    documents_asked: list[str]
    places: list[str] = Field(description="INSEE codes of the communes it concerns.")
    deployments: list[str] = Field(description="Slugs of the published deployments.")
    deadlines: list[DeadlineOut]
    deadline_notes: list[DeadlineNoteOut] = Field(
        description="Legal notes on the dates (R421-2 CJA, L112-6 CRPA)."
    )
    events: list[EventOut]


def access_request_dict(item: AccessRequest, *, detail: bool = False) -> dict[str, object]:
    """The request as `AccessRequestOut` (`detail`: `AccessRequestDetailOut`); `item` read
    with `with_timeline` for a list."""
    upcoming = next_deadline(item)
    data: dict[str, object] = {
        "id": item.id,
        "subject": item.title,
        "body": {"id": item.body_id, "name": item.body.name, "kind": item.body.kind},
        "status": item.status,
        "channel": item.channel,
        "sent_on": item.sent_on.isoformat() if item.sent_on else None,
        "received_on": item.received_on.isoformat() if item.received_on else None,
        "series": item.series_id,
        "next_deadline": upcoming.as_dict() if upcoming else None,
        "url": site_address(item.get_absolute_url()),
    }
    if detail:
        dates = calendar(item)
        data["documents_asked"] = item.asked()
        data["places"] = [p.code for p in item.places.all()]
        data["deployments"] = list(
            item.deployments.filter(is_published=True).values_list("slug", flat=True)
        )
        data["deadlines"] = dates.as_list()
        # The legal notes travel with the dates they qualify (R421-2 CJA, L112-6 CRPA).
        data["deadline_notes"] = dates.notes_as_list()
        data["events"] = event_dicts(item)
    return data


def event_dicts(item: AccessRequest) -> list[dict[str, object]]:
    """Its timeline as `EventOut`s: a document is named only once published."""
    events: list[Event] = list(item.events.select_related("document"))
    return [
        {
            "kind": e.kind,
            "date": e.date.isoformat(),
            "favourable": e.favourable,
            "note": e.note,
            "automatic": e.automatic,
            "document": e.document_id if e.document and e.document.is_public else None,
        }
        for e in events
    ]
