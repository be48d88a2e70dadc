"""Hostile review 52, crafted input: numbers that str.isdigit() accepts and int() does not
("²" is a digit to Python, and a string of 5,000 digits is past int()'s limit), and a
number past SQLite's 64 bits. Each should be a clear refusal (400, 404 or the form
again), never a 500."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from contrechamp.access.models import RequestSeries
from contrechamp.documents.models import Document, Entity, Page
from contrechamp.groups import services as group_services
from tests.access.test_series import DRAFT, FIVE
from tests.conftest import TwoFactorClient
from tests.groups.conftest import client_for, group  # noqa: F401 (fixture)

SUPERSCRIPT_TWO = "²"
TOO_MANY_DIGITS = "9" * 5000


def _answer(client, method: str, url: str, data=None) -> int:
    client.raise_request_exception = False
    response = getattr(client, method)(url, data or {})
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("page", [SUPERSCRIPT_TWO, TOO_MANY_DIGITS])
def test_the_search_page_number_is_not_a_500(page):
    """Public: /recherche/?q=camera&page=² (documents/views.py: `int(raw) if
    raw.isdigit()`)."""
    status = _answer(Client(), "get", reverse("search"), {"q": "camera", "page": page})
    assert status < 500


@pytest.mark.django_db
@pytest.mark.parametrize("version", [SUPERSCRIPT_TWO, TOO_MANY_DIGITS])
def test_a_work_items_version_is_not_a_500(group, other_contributor, version):  # noqa: F811
    """A member of a group posts the item's version by hand (groups/views.py `_int`)."""
    item = group_services.work_item_add(
        group=group, user=other_contributor, kind="other", note="Relancer la mairie"
    )
    member = client_for(None, other_contributor)
    status = _answer(
        member,
        "post",
        reverse("group-work-item", args=[group.slug, item.id]),
        {"version": version, "action": "take"},
    )
    assert status < 500


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["document", "access_request", "deployment"])
def test_a_work_items_link_is_not_a_500(group, other_contributor, field):  # noqa: F811
    member = client_for(None, other_contributor)
    status = _answer(
        member,
        "post",
        reverse("group-worklist", args=[group.slug]),
        {"kind": "other", "note": "Lire", field: SUPERSCRIPT_TWO},
    )
    assert status < 500


@pytest.mark.django_db
def test_the_audit_logs_actor_filter_is_not_a_500(administrator):
    admin = TwoFactorClient()
    admin.force_login(administrator)
    status = _answer(admin, "get", reverse("audit-log"), {"actor": SUPERSCRIPT_TWO})
    assert status < 500


@pytest.mark.django_db
def test_the_series_letters_chosen_request_is_not_a_500(contributor_client):
    contributor_client.post("/demandes/nouvelle/", {**DRAFT, "communes": FIVE})
    series = RequestSeries.objects.get()
    status = _answer(
        contributor_client,
        "get",
        reverse("series-letter", args=[series.id]),
        {"demande": SUPERSCRIPT_TWO},
    )
    assert status < 500


@pytest.mark.django_db
def test_accepting_a_suggestion_into_deployment_two_squared_is_not_a_500(reviewer):
    document = Document.objects.create(
        sha256=hashlib.sha256(b"x").hexdigest(), size=1, filename="a.pdf", title="A", status="done"
    )
    page = Page.objects.create(document=document, number=1, text="Marché Briefcam")
    entity = Entity.objects.create(
        page=page,
        kind="organisation",
        text="Briefcam",
        value="Briefcam",
        start=7,
        end=15,
        confidence=0.9,
    )
    staff = TwoFactorClient()
    staff.force_login(reviewer)
    status = _answer(
        staff,
        "post",
        reverse("document-entity-accept", args=[document.id, entity.id]),
        {"deployment": SUPERSCRIPT_TWO, "role": "vendor"},
    )
    assert status < 500


@pytest.mark.parametrize(
    "value, expected",
    [
        ("12", 12),
        (" 7 ", 7),
        (SUPERSCRIPT_TWO, None),
        ("١٢", None),  # Arabic-Indic digits
        (TOO_MANY_DIGITS, None),
        (str(2**63), None),
        ("0", None),
        ("-3", None),
        ("", None),
        (None, None),
    ],
)
def test_a_whole_number_is_read_from_ascii_digits_within_a_columns_bounds(value, expected):
    from contrechamp.lib.numbers import whole_number

    assert whole_number(value) == expected


@pytest.mark.parametrize("length", [SUPERSCRIPT_TWO, TOO_MANY_DIGITS])
def test_a_servers_odd_content_length_is_no_crash_of_the_watch(length):
    """A procurement server's header is another input: "²" or 5,000 digits in its
    Content-Length or Content-Range reads as a header that says nothing."""
    from contrechamp.watch.fetching import _expected_total

    assert _expected_total(200, {"Content-Length": length}, 0) is None
    assert _expected_total(206, {"Content-Range": f"bytes 0-9/{length}"}, 0) is None
