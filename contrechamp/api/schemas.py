"""Response shapes of the API that are not the registry's own (places, the library):
what /api/v1/ promises, field by field, in docs/openapi.json. The registry's shapes
are in registry/schemas.py, with the data they derive from."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CommuneOut(BaseModel):
    code: str = Field(description="INSEE code.", examples=["42218"])
    country: str = Field(description="ISO 3166-1 code.", examples=["FR"])
    name: str = Field(examples=["Saint-Étienne"])
    kind: str = Field(description="Commune or municipal arrondissement.")
    department: str | None = Field(description="Department code.", examples=["42"])
    epci: str | None = Field(description="SIREN of its intercommunality.")
    siren: str | None
    population: int | None
    area_km2: float | None
    latitude: float | None
    longitude: float | None


class EpciOut(BaseModel):
    siren: str = Field(examples=["244200770"])
    country: str = Field(examples=["FR"])
    name: str = Field(examples=["Saint-Étienne Métropole"])
    kind: str
    population: int | None


class EpciDetailOut(EpciOut):
    members: list[str] = Field(description="INSEE codes of its communes.")


class DepartmentOut(BaseModel):
    code: str = Field(examples=["42"])
    country: str = Field(examples=["FR"])
    name: str = Field(examples=["Loire"])
    region: str | None = Field(description="Region code.", examples=["84"])


class PlaceOut(BaseModel):
    kind: str = Field(description="department, epci or commune.", examples=["department"])
    code: str = Field(
        description="A department's code, an intercommunality's SIREN or an INSEE code.",
        examples=["06"],
    )
    name: str = Field(examples=["Alpes-Maritimes"])


class DocumentOut(BaseModel):
    id: int
    title: str
    kind: str = Field(description="pdf, image, email, docx, odt, html, text or unknown.")
    origin: str = Field(description="Where it came from (upload, request answer…).")
    status: str = Field(description="Processing status.")
    error: str | None = Field(description="Why processing failed, if it did.")
    pages: int | None = Field(description="Number of pages.")
    date: str | None = Field(
        description="YYYY-MM-DD, or YYYY-MM or YYYY when only the month or the year is known."
    )
    date_precision: str | None = Field(
        description="How precise the date is: day, month or year (null without a date). "
        "A month or a year is never written as its first day."
    )
    date_source: str | None = Field(
        description="Where the date came from: metadata or text (read by processing), file "
        "(read, source not recorded), reviewer or uploader (corrected by hand); null without "
        "a date."
    )
    date_read: str | None = Field(
        description="The date processing read (YYYY-MM-DD, or YYYY-MM or YYYY when the file "
        "gives only the month or the year), kept when a person corrected it."
    )
    source_url: str | None = Field(description="Where the document is found on the web.")
    sha256: str | None = Field(
        description="SHA-256 of the original, for reviewers and administrators (null for others)."
    )
    parent: int | None = Field(
        description="The document it was attached to (an e-mail), when the caller may read it."
    )
    places: list[str] = Field(description="INSEE codes of the places it concerns.")
    url: str = Field(description="The absolute address of its page on the site.")
    published: str | None = Field(
        description="The absolute address of the published (redacted) copy."
    )


class SearchHitOut(BaseModel):
    document: DocumentOut
    page: int = Field(description="Page number, from 1.")
    score: float
    snippet: str = Field(
        description="The passage as HTML: the page's text escaped (&lt; &gt; &amp; &quot; "
        "&#x27;), the matched words in <mark>…</mark>, no other element; safe to insert "
        "into a page as it is. snippet_text is the same passage as plain text."
    )
    snippet_text: str = Field(
        description="The same passage as plain text, unescaped, without markup."
    )
    highlights: list[list[int]] = Field(
        description="The matched words in snippet_text: [start, end) offsets, in "
        "characters (Unicode code points).",
        examples=[[[12, 29]]],
    )
    url: str = Field(description="The absolute address of the page on the site.")


class PageTextOut(BaseModel):
    document: int
    number: int
    method: str = Field(
        description="How the text was read: text (the file's text layer), ocr (the page "
        "read as an image), text+ocr (the text layer, then the text of a picture pasted on "
        "the page, read by OCR, after it) or empty (no text found).",
        examples=["text+ocr"],
    )
    text: str = Field(description="Published (redacted) text, except for reviewers.")
    image: str = Field(description="The absolute address of the page image.")


class EntityOut(BaseModel):
    kind: str = Field(examples=["commune"])
    text: str
    value: str = Field(description="Normalised value (an INSEE code, an amount…).")
    page: int
    start: int | None = Field(description="Offset in the page text; reviewers only.")
    end: int | None = Field(description="Offset in the page text; reviewers only.")
    confidence: float
    status: str = Field(description="suggested, accepted or rejected.")
