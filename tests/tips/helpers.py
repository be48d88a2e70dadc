"""Sending a tip as a browser would, and reading what the database and storage hold."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from contrechamp.documents.models import Document
from contrechamp.documents.services import document_process

CODE = re.compile(r'id="receipt-code">([A-Z2-7-]{29})<')


def send(client: Client, text: str = "Des cameras VSA place du marche.", files=(), **extra):
    """Post the tip form; the response and the receipt code shown (None if refused)."""
    data: dict = {"text": text, "place": extra.pop("place", "")}
    if files:
        data["files"] = [
            SimpleUploadedFile(name, payload, content_type=mime) for name, payload, mime in files
        ]
    response = client.post(reverse("tip-create"), data, **extra)
    match = CODE.search(response.content.decode())
    return response, match.group(1) if match else None


def process_all() -> None:
    """Run the library's pipeline on every waiting document, as the worker would."""
    for document in Document.objects.filter(status__in=["queued", "processing"]):
        document_process(document=document)


def _as_text(value: object) -> str:
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def database_text() -> str:
    """Every row of every table as text, for grepping."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                chunks.append(" ".join(_as_text(value) for value in row))
    return "\n".join(chunks)
