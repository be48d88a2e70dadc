"""One shape per resource: the deployment's fields are declared once, in
registry/schemas.py, and the API output, the revision snapshots, the CSV columns and the
edit form all derive from that list. Adding a field in one place only fails here."""

import csv
import io
import typing

import pytest
from django.urls import reverse
from pydantic import BaseModel

from contrechamp.registry import forms as f
from contrechamp.registry.models import Deployment, Revision
from contrechamp.registry.schemas import (
    DEPLOYMENT_DERIVED,
    DEPLOYMENT_IDENTITY,
    DEPLOYMENT_NOT_IN_API,
    DEPLOYMENT_NOT_IN_CSV,
    CitationData,
    CitationOut,
    DeploymentData,
    DeploymentOut,
    DeploymentRow,
    FundingData,
    LegalEventData,
    LegalEventOut,
    Page,
    SourceData,
    SourceOut,
)
from contrechamp.registry.services import (
    deployment_create,
    deployment_revert,
    deployment_snapshot,
    deployment_update,
)
from contrechamp.registry.views import FORMSETS
from tests.factories import deployment_data
from tests.registry.html_form import form_fields, set_field


def _paths(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every leaf field of a schema as a path: ("source", "title")."""
    out: set[tuple[str, ...]] = set()
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out |= _paths(annotation, (*prefix, name))
        else:
            out.add((*prefix, name))
    return out


def _disagreements(schema: type[DeploymentData]) -> list[str]:
    """Where the shapes derived from `schema` miss one of its fields (or add one)."""
    fields = set(schema.model_fields)
    problems = []
    api = (fields - set(DEPLOYMENT_NOT_IN_API)) | set(DEPLOYMENT_IDENTITY) | set(DEPLOYMENT_DERIVED)
    if set(DeploymentOut.model_fields) != api:
        problems.append("api")
    if DeploymentRow.derived_from() | set(DEPLOYMENT_NOT_IN_CSV) != fields:
        problems.append("csv")
    main = set(f.DeploymentForm.base_fields) - {"comment", "version"}
    if main | set(FORMSETS) != fields - {"is_published"}:
        problems.append("form")
    return problems


def test_the_api_the_csv_and_the_form_derive_from_the_schema():
    assert _disagreements(DeploymentData) == []


def test_a_field_added_to_the_schema_alone_is_caught():
    class WithOneMore(DeploymentData):
        surveillance_zone: str = ""

    assert _disagreements(WithOneMore) == ["api", "csv", "form"]


def test_the_rows_of_the_api_and_the_form_derive_from_the_row_schemas():
    # The API shows a citation's source without its internal id and document number.
    assert {p for p in _paths(CitationData) if p not in {("id",), ("source", "document")}} == {
        p for p in _paths(CitationOut)
    }
    assert set(SourceOut.model_fields) == set(SourceData.model_fields) - {"document"}
    assert set(LegalEventOut.model_fields) == set(LegalEventData.model_fields)
    for kind, schema in FORMSETS.items():
        # Each form row field names one schema path; only the library document is left
        # out of the citation form (a number anyone could change, see forms.py).
        expected = _paths(schema) - {("source", "document")}
        assert set(f.ROW_FIELDS[kind].values()) == expected, kind
    # (and `quote_kept`, no data: a mark that the form showed the quote withheld.)
    assert set(f.CitationForm.base_fields) == set(f.CITATION_FIELDS) | {"quote_kept"}
    assert set(f.FundingForm.base_fields) == set(FundingData.model_fields)
    assert set(f.LegalEventForm.base_fields) == set(LegalEventData.model_fields)


def test_the_api_output_has_the_schema_fields(client, db):
    page = client.get("/api/v1/deployments?limit=30").json()
    # The list is served without a runtime check (for speed, see api._unchecked): the
    # schema must read it back unchanged, types and all.
    assert Page[DeploymentOut].model_validate(page).model_dump() == page
    body = page["results"]
    assert {tuple(d) for d in body} == {tuple(DeploymentOut.model_fields)}
    with_rows = next(d for d in body if d["fundings"] and d["citations"])
    assert set(with_rows["fundings"][0]) == set(FundingData.model_fields)
    assert set(with_rows["citations"][0]) == set(CitationOut.model_fields)


def test_the_snapshot_keys_are_the_schema_fields(db):
    deployment = Deployment.objects.published().first()
    assert list(deployment_snapshot(deployment)) == list(DeploymentData.model_fields)
    stored = Revision.objects.filter(kind="deployment", object_id=deployment.id).first()
    # PostgreSQL's jsonb keeps keys in its own order: compare them as a set.
    assert set(stored.snapshot) == set(DeploymentData.model_fields)


def test_the_csv_columns_are_the_row_schema_fields(client, db):
    response = client.get("/exports/dispositifs.csv")
    text = b"".join(response.streaming_content).decode()
    header = next(csv.reader(io.StringIO(text.splitlines()[0])))
    assert header == list(DeploymentRow.model_fields)


def test_the_snapshot_format_is_unchanged(db):
    """What a revision stores is the JSON stored before the schema existed: a citation
    carries its id, a library source its document, an amount is a decimal string."""
    d = deployment_create(data=deployment_data(), author=None)
    citation = d.citations.get()
    assert deployment_snapshot(d) == {
        **deployment_data(),
        "is_published": True,
        "fundings": [{"funder": "FIPD", "amount_eur": "45000.00", "programme": ""}],
        "citations": [{**deployment_data()["citations"][0], "id": citation.id}],
    }


@pytest.mark.django_db
def test_a_revision_stored_in_the_old_format_still_reverts():
    """Snapshots written by the hand-made serialiser (keys in its order, a citation
    without id, as revisions made before citations kept ids) load and revert."""
    d = deployment_create(data=deployment_data(), author=None)
    old = {
        "title": "Ancien titre",
        "scope": "local",
        "status": "announced",
        "start_date": "2023",
        "end_date": "",
        "description": "",
        "is_published": True,
        "communes": ["69123"],
        "epcis": [],
        "technologies": ["vsa"],
        "vendors": ["Wintics"],
        "fundings": [{"funder": "FIPD", "amount_eur": "12000.00", "programme": "FIPD 2023"}],
        "legal_events": [
            {
                "kind": "cnil_opinion",
                "date": "2023-05",
                "authority": "CNIL",
                "outcome": "unfavourable",
                "summary": "",
            }
        ],
        "citations": [
            {
                "source": {
                    "title": "Article",
                    "publisher": "Le Progrès",
                    "url": "https://example.org/article",
                    "published_on": "2023-01-02",
                },
                "quote": "Une citation.",
                "locator": "",
                "accessed_on": None,
            }
        ],
    }
    Revision.objects.filter(kind="deployment", object_id=d.id, version=1).update(snapshot=old)
    d = deployment_update(
        deployment=d,
        data=deployment_data(title="Nouveau titre"),
        base_version=1,
        author=None,
    )
    d = deployment_revert(deployment=d, version=1, base_version=d.version, author=None)
    d.refresh_from_db()
    assert (d.version, d.title, d.status) == (3, "Ancien titre", "announced")
    assert d.fundings.get().programme == "FIPD 2023"
    assert d.legal_events.get().outcome == "unfavourable"
    assert d.citations.get().source.publisher == "Le Progrès"
    snapshot = deployment_snapshot(d)
    assert {k: v for k, v in snapshot.items() if k != "citations"} == {
        k: v for k, v in old.items() if k != "citations"
    }


def test_an_error_goes_back_to_the_row_and_field_it_is_about(client, contributor):
    """The schema's error location ("citations", 1, "source", "url") puts the message on
    the URL field of the second source row the person filled, even after a blank row."""
    client.force_login(contributor)
    deployment = Deployment.objects.published().first()
    url = reverse("deployment-edit", args=[deployment.slug])
    fields = form_fields(client.get(url).content.decode())
    total = int(fields["citations-TOTAL_FORMS"][0])
    # A blank row, then a filled one with a bad address.
    for i, values in ((total, {}), (total + 1, {"source_title": "Blog", "url": "pas-une-url"})):
        for name in f.CITATION_FIELDS:
            set_field(fields, f"citations-{i}-{name}", values.get(name, ""))
    set_field(fields, "citations-TOTAL_FORMS", str(total + 2))
    response = client.post(url, fields)
    assert response.status_code == 400
    rows = response.context["citations"].forms
    assert "pas-une-url" in " ".join(rows[total + 1].errors.get("url", []))
    assert not rows[total].errors
    assert not any(rows[i].errors for i in range(total))


def test_the_pydantic_list_types_are_what_the_snapshot_stores():
    # A list field of the schema is a list in the snapshot, a scalar a scalar: the
    # services write the row fields onto the model and the list fields as related rows.
    lists = {
        name
        for name, field in DeploymentData.model_fields.items()
        if typing.get_origin(field.annotation) is list
    }
    assert set(DeploymentData.row_fields()) == set(DeploymentData.model_fields) - lists
