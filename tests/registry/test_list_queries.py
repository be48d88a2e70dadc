"""The list page and the API list cost the same number of queries however many
deployments there are, and the public list reads its index rather than the table.

Not timed (the timings are in benchmarks/registry.py): these guard the reasons the list
is fast at 50,000 deployments, which a test database of a few dozen rows cannot show."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contrechamp.places.models import Commune, Epci
from contrechamp.registry.models import (
    Citation,
    Deployment,
    Funding,
    LegalEvent,
    Organisation,
    Source,
    Technology,
)


def _add_deployments(n: int, start: int = 0) -> None:
    """`n` more published deployments, each with every kind of related row the list page
    or the API shows (two communes and technologies, an EPCI, a vendor, a funding, a legal
    event, a citation), so that a query made per row or per relation would show."""
    communes = list(Commune.objects.order_by("code")[2 * start : 2 * (start + n)])
    epci = Epci.objects.order_by("siren").first()
    technologies = list(Technology.objects.all()[:2])
    vendor, _ = Organisation.objects.get_or_create(name="Fournisseur test", slug="fourn-test")
    funder, _ = Organisation.objects.get_or_create(
        name="Fonds test", slug="fonds-test", kind="funder"
    )
    source, _ = Source.objects.get_or_create(title="Délibération", url="https://example.org/d")
    for i in range(start, start + n):
        d = Deployment.objects.create(
            title=f"Déploiement {i}",
            slug=f"deploiement-liste-{i}",
            status="deployed",
            start_date="2020-03",
            end_date="2022",
            description="Un texte long. " * 50,
        )
        d.communes.set(communes[2 * i : 2 * i + 2])
        d.epcis.set([epci])
        d.technologies.set(technologies)
        d.vendors.set([vendor])
        Funding.objects.create(deployment=d, funder=funder, amount_eur=1000)
        LegalEvent.objects.create(deployment=d, kind="cnil_opinion", date="2021")
        Citation.objects.create(deployment=d, source=source, quote="…")


def _queries(client: Any, url: str) -> int:
    # Once before counting: the first request of a window creates its rate-limit counter
    # (the API's), the next ones only add to it.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


URLS = [
    "/dispositifs/",
    "/dispositifs/?page=2",
    "/dispositifs/?technology={tech}&status=deployed",
    "/api/v1/deployments?limit=100",
    "/api/v1/deployments?limit=20&technology={tech}",
]


@pytest.mark.parametrize("url", URLS)
def test_the_list_costs_the_same_queries_for_5_and_50_deployments(client, db, url):
    tech = Technology.objects.first().slug
    url = url.format(tech=tech)
    _add_deployments(5)
    few = _queries(client, url)
    _add_deployments(45, start=5)
    many = _queries(client, url)
    assert few == many, f"{url}: {few} queries with 5 deployments, {many} with 50"


def test_the_list_page_does_not_read_the_long_texts_of_its_rows(client, db):
    _add_deployments(5)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/dispositifs/").status_code == 200
    rows = [q["sql"] for q in ctx.captured_queries if '"registry_deployment"."title"' in q["sql"]]
    assert rows, "no query read the deployments' titles"
    for sql in rows:
        assert '"search_text"' not in sql and '"description"' not in sql, sql


@contextmanager
def _statements() -> Iterator[list[tuple[str, Any]]]:
    """Every statement the database runs, with its parameters (to EXPLAIN it again)."""
    seen: list[tuple[str, Any]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


def _plan(sql: str, params: Any) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
@pytest.mark.parametrize("page", ["1", "3"])
def test_the_list_page_counts_and_pages_on_the_public_index(client, db, page):
    _add_deployments(60)
    with _statements() as seen:
        assert client.get(f"/dispositifs/?page={page}").status_code == 200
    counted = [(sql, p) for sql, p in seen if "COUNT(*)" in sql and "registry_deployment" in sql]
    paged = [
        (sql, p)
        for sql, p in seen
        if sql.startswith('SELECT "registry_deployment"."id"') and "LIMIT" in sql
    ]
    assert counted and paged
    for sql, params in counted + paged:
        plan = _plan(sql, params)
        # Without the index, SQLite reads every row of the table ("SCAN registry_deployment").
        assert "COVERING INDEX registry_deployment_public" in plan, (sql, plan)


def test_the_filter_lists_offer_exactly_the_organisations_of_published_deployments(client, db):
    # The vendor and funder lists are scalar probes of an index (not EXISTS, which
    # PostgreSQL hashed over every link): they must still name exactly the organisations
    # of a published deployment, and not one named only in a draft.
    _add_deployments(2)
    draft = Deployment.objects.create(
        title="Brouillon", slug="brouillon-liste", status="planned", is_published=False
    )
    secret_vendor = Organisation.objects.create(name="Fournisseur secret", slug="f-secret")
    secret_funder = Organisation.objects.create(
        name="Fonds secret", slug="fonds-secret", kind="funder"
    )
    draft.vendors.set([secret_vendor])
    Funding.objects.create(deployment=draft, funder=secret_funder, amount_eur=5)
    Organisation.objects.create(name="Fonds sans dispositif", slug="fonds-vide", kind="funder")
    html = client.get("/dispositifs/").content.decode()
    vendors = html.split('id="f-vendor"')[1].split("</select>")[0]
    funders = html.split('id="f-funder"')[1].split("</select>")[0]
    assert 'value="fourn-test"' in vendors and 'value="fonds-test"' in funders
    assert "f-secret" not in vendors and "fonds-secret" not in funders
    assert "fonds-vide" not in funders and 'value="fonds-test"' not in vendors
    published_vendors = set(
        Organisation.objects.filter(deployments_supplied__is_published=True).values_list(
            "slug", flat=True
        )
    )
    assert set(re.findall(r'value="([^"]+)"', vendors)) - {""} == published_vendors
